"""Application commands: Discord's naming and option rules for a sync, the synced set,
and which command a user is offered where (contexts, installs, default permissions)."""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from tests.stubs.discord.model import ChannelSpec, GuildSpec, MemberSpec, RoleSpec, UserSpec, World
from tests.stubs.discord.permissions import Perm
from tests.stubs.discord.rest import (
    MISSING_ACCESS,
    DiscordError,
    FormErrors,
    Path,
    Reply,
    Request,
)

JSON = dict[str, Any]

CONTEXT_GUILD: Final = 0
CONTEXT_BOT_DM: Final = 1
CONTEXT_PRIVATE_CHANNEL: Final = 2
GUILD_INSTALL: Final = "0"
USER_INSTALL: Final = "1"


@dataclass(frozen=True)
class Place:
    """Where an interaction happens: Discord's `context` and `authorizing_integration_owners`."""

    context: int
    owners: dict[str, str]


_DEVANAGARI_THAI = (("\u0900", "\u097f"), ("\u0e00", "\u0e7f"))


def _name_char_ok(ch: str) -> bool:
    if ch in "-_" or ch.isalnum():
        return True
    if unicodedata.category(ch)[0] != "M":
        return False
    return any(low <= ch <= high for low, high in _DEVANAGARI_THAI)


def is_valid_command_name(name: object, *, chat_input: bool = True) -> bool:
    """`^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lowercase, for slash commands and
    options; context-menu names only need 1-32 characters."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    if not chat_input:
        return True
    return name == name.lower() and all(_name_char_ok(ch) for ch in name)


# fmt: off
LOCALES: Final = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt",
    "hu", "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el",
    "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko",
})
# fmt: on
"""Discord's locales: the only keys `name_localizations` and `description_localizations`
take."""


def _check_localizations(
    obj: Mapping[str, Any], errors: FormErrors, path: Path, *, kind: str, chat_input: bool = True
) -> None:
    """`<kind>_localizations` (`name` or `description`): known locales only, each value
    valid as the default `<kind>` is (a name by the naming rules, a description or a
    choice's name 1-100 characters)."""
    localized = obj.get(f"{kind}_localizations")
    if localized is None:
        return
    lpath = (*path, f"{kind}_localizations")
    if not isinstance(localized, Mapping):
        errors.add(lpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for locale, text in localized.items():
        if locale not in LOCALES:
            errors.add((*lpath, locale), "LOCALE_INVALID", f"Invalid locale: {locale}")
        elif kind == "name" and "value" not in obj:
            if not is_valid_command_name(text, chat_input=chat_input):
                errors.add(
                    (*lpath, locale), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
        elif not isinstance(text, str) or not 1 <= len(text) <= 100:
            errors.add(
                (*lpath, locale), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )


def _check_unique_localized_names(options: list[Any], errors: FormErrors, path: Path) -> None:
    """Options' names are unique within a command in every locale too."""
    seen: dict[str, set[str]] = {}
    for index, option in enumerate(options):
        if not isinstance(option, Mapping):
            continue
        localized = option.get("name_localizations") or {}
        for locale in LOCALES:
            name = str(localized.get(locale, option.get("name")))
            names = seen.setdefault(locale, set())
            if name in names:
                errors.add(
                    (*path, index, "name_localizations", locale),
                    "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                    "Option name already exists",
                )
            names.add(name)


_OPTION_SUBCOMMAND: Final = 1
_OPTION_GROUP: Final = 2
_CHOICE_TYPES: Final = frozenset({3, 4, 10})
_NUMERIC_TYPES: Final = frozenset({4, 10})


def _longest(obj: Mapping[str, Any], field: str) -> int:
    """A field's size as Discord counts it: its longest text, default or localization."""
    localized = obj.get(f"{field}_localizations") or {}
    texts = [obj.get(field), *(localized.values() if isinstance(localized, Mapping) else ())]
    return max(len(str(text or "")) for text in texts)


def _text_size(obj: Mapping[str, Any]) -> int:
    """The characters a command counts against its limit: name, description and value of
    the command, its options and choices, each by its longest localization."""
    size = _longest(obj, "name") + _longest(obj, "description")
    for choice in obj.get("choices") or []:
        if isinstance(choice, Mapping):
            size += _longest(choice, "name") + len(str(choice.get("value") or ""))
    for option in obj.get("options") or []:
        if isinstance(option, Mapping):
            size += _text_size(option)
    return size


def _check_choices(option: Mapping[str, Any], errors: FormErrors, path: Path) -> None:
    choices = option.get("choices") or []
    if not choices:
        return
    otype = option.get("type")
    if otype not in _CHOICE_TYPES:
        errors.add((*path, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "No choices")
    if option.get("autocomplete"):
        errors.add(
            (*path, "autocomplete"),
            "AUTOCOMPLETE_AND_CHOICES_INVALID",
            "Autocomplete cannot be set with choices",
        )
    if len(choices) > 25:
        errors.add((*path, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for index, choice in enumerate(choices):
        cpath = (*path, "choices", index)
        if isinstance(choice, Mapping):
            _check_localizations(choice, errors, cpath, kind="name")
        name = choice.get("name") if isinstance(choice, Mapping) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            errors.add(
                (*cpath, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        value = choice.get("value") if isinstance(choice, Mapping) else None
        if otype == 3 and (not isinstance(value, str) or len(value) > 100):
            errors.add((*cpath, "value"), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        if otype in _NUMERIC_TYPES and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            errors.add((*cpath, "value"), "NUMBER_TYPE_COERCE", "Value is not int.")


def _check_options(options: object, errors: FormErrors, path: Path, *, depth: int) -> None:
    if not isinstance(options, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    if len(options) > 25:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    names: set[str] = set()
    seen_optional = False
    kinds = {
        o.get("type") in (_OPTION_SUBCOMMAND, _OPTION_GROUP)
        for o in options
        if isinstance(o, Mapping)
    }
    if len(kinds) > 1:
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other "
            "types",
        )
    _check_unique_localized_names(options, errors, path)
    for index, option in enumerate(options):
        opath = (*path, index)
        if not isinstance(option, Mapping):
            errors.add(opath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        otype = option.get("type")
        name = option.get("name")
        if not isinstance(otype, int) or not 1 <= otype <= 11:
            errors.add((*opath, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1..11).")
        if not is_valid_command_name(name):
            errors.add(
                (*opath, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            )
        elif name in names:
            errors.add(
                (*opath, "name"),
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                "Option name already exists",
            )
        if isinstance(name, str):
            names.add(name)
        for kind in ("name", "description"):
            _check_localizations(option, errors, opath, kind=kind)
        description = option.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 100:
            errors.add(
                (*opath, "description"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            )
        if otype in (_OPTION_SUBCOMMAND, _OPTION_GROUP):
            nested_group = otype == _OPTION_GROUP and depth > 0
            nested_sub = otype == _OPTION_SUBCOMMAND and depth > 1
            if nested_group or nested_sub:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-commands can only be nested one group deep",
                )
            children = option.get("options") or []
            if otype == _OPTION_GROUP and any(
                isinstance(c, Mapping) and c.get("type") != _OPTION_SUBCOMMAND for c in children
            ):
                errors.add(
                    (*opath, "options"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Groups may only contain sub-commands",
                )
            _check_options(children, errors, (*opath, "options"), depth=depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                errors.add(
                    path,
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        _check_choices(option, errors, opath)
        if otype not in _NUMERIC_TYPES and ("min_value" in option or "max_value" in option):
            errors.add((*opath, "min_value"), "APPLICATION_COMMAND_OPTION_INVALID", "Not numeric")
        for key in ("min_length", "max_length"):
            length = option.get(key)
            if length is not None and (otype != 3 or not 0 <= length <= 6000):
                errors.add((*opath, key), "NUMBER_TYPE_MAX", "int value should be <= 6000.")


_CONTEXTS: Final = (0, 1, 2)  # GUILD, BOT_DM, PRIVATE_CHANNEL
_INTEGRATION_TYPES: Final = (0, 1)  # GUILD_INSTALL, USER_INSTALL


def _check_enum_list(
    errors: FormErrors, path: Path, values: object, allowed: tuple[int, ...]
) -> None:
    """`contexts` / `integration_types`: null, or a list of known values."""
    if values is None:
        return
    if not isinstance(values, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    choices = ", ".join(map(str, allowed))
    for index, value in enumerate(values):
        if isinstance(value, bool) or value not in allowed:
            errors.add((*path, index), "BASE_TYPE_CHOICES", f"Value must be one of {{{choices}}}.")


def check_command(command: object, errors: FormErrors, path: Path) -> None:
    """Checks one application command definition as `PUT .../commands` receives it."""
    if not isinstance(command, Mapping):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    ctype = command.get("type", 1)
    chat_input = ctype == 1
    if ctype not in (1, 2, 3, 4):
        errors.add((*path, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4).")
    if not is_valid_command_name(command.get("name"), chat_input=chat_input):
        errors.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    for kind in ("name", "description"):
        _check_localizations(command, errors, path, kind=kind, chat_input=chat_input)
    description = command.get("description")
    if chat_input:
        if not isinstance(description, str) or not 1 <= len(description) <= 100:
            errors.add(
                (*path, "description"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            )
        _check_options(command.get("options") or [], errors, (*path, "options"), depth=0)
    elif description:
        errors.add(
            (*path, "description"),
            "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID",
            "Context menu commands cannot have a description",
        )
    for key, allowed in (("contexts", _CONTEXTS), ("integration_types", _INTEGRATION_TYPES)):
        _check_enum_list(errors, (*path, key), command.get(key), allowed)
    permissions = command.get("default_member_permissions")
    if permissions is not None and not str(permissions).isdigit():
        errors.add(
            (*path, "default_member_permissions"),
            "NUMBER_TYPE_COERCE",
            f"Value {permissions!r} is not snowflake.",
        )
    if _text_size(command) > 4000:
        errors.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")


_MAX_COMMANDS_PER_TYPE: Final = {1: 100, 2: 15, 3: 15, 4: 1}


def check_commands(commands: object, errors: FormErrors) -> None:
    """Checks a bulk overwrite: each command, duplicate names, and the per-type caps."""
    if not isinstance(commands, list):
        errors.add((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    seen: set[tuple[object, object]] = set()
    per_type: dict[object, int] = {}
    for index, command in enumerate(commands):
        check_command(command, errors, (index,))
        if not isinstance(command, Mapping):
            continue
        key = (command.get("type", 1), command.get("name"))
        if key in seen:
            errors.add(
                (index, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {command.get('name')}",
            )
        seen.add(key)
        per_type[key[0]] = per_type.get(key[0], 0) + 1
    for ctype, count in per_type.items():
        cap = _MAX_COMMANDS_PER_TYPE.get(ctype if isinstance(ctype, int) else 1, 100)
        if count > cap:
            errors.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {cap} or fewer in length.")


class CommandUnavailable(Exception):
    """Discord's client would not offer this command to this user here.

    `reason` is "not_synced" (no such command in the guild or globally), "missing_permissions"
    (its `default_member_permissions` hide it from a member without those permissions and
    without Administrator), "wrong_context" (`contexts`/`dm_permission` exclude the place), or
    "not_installed" (none of its `integration_types` is installed there: a server-install
    command where the bot is not in the server, a user-install one for a user who has not
    installed the app).
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"/{name} is not available to this user here: {reason}")
        self.name = name
        self.reason = reason


class Commands(World):
    def __init__(self, bot_name: str) -> None:
        super().__init__(bot_name)
        self._commands: dict[int | None, dict[tuple[int, str], JSON]] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """The synced commands: global ones, or a guild's."""
        return list(self._commands.get(guild_id, {}).values())

    def _visible_command(
        self,
        name: str,
        where: tuple[GuildSpec | None, ChannelSpec | None, MemberSpec],
        permissions: int,
        override: bool,
        private_channel: bool,
    ) -> tuple[JSON, Place]:
        guild, _, member = where
        command = None
        if guild is not None:
            command = self._commands.get(guild.id, {}).get((1, name))
        command = command or self._commands.get(None, {}).get((1, name))
        if command is None:
            raise CommandUnavailable(name, "not_synced")
        if guild is not None:
            context = CONTEXT_GUILD
        else:
            context = CONTEXT_PRIVATE_CHANNEL if private_channel else CONTEXT_BOT_DM
        contexts = command.get("contexts")
        if contexts is not None:
            allowed = context in contexts
        elif context == CONTEXT_BOT_DM:
            allowed = command.get("dm_permission", True)
        else:
            allowed = context == CONTEXT_GUILD
        if not allowed:
            raise CommandUnavailable(name, "wrong_context")
        place = Place(context, self._owners(command, guild, member, context))
        if not place.owners:
            raise CommandUnavailable(name, "not_installed")
        required = command.get("default_member_permissions")
        if guild is None or override or required is None or member.id == guild.owner.id:
            return command, place
        needed = int(required)
        if not permissions & Perm.ADMINISTRATOR and permissions & needed != needed:
            raise CommandUnavailable(name, "missing_permissions")
        return command, place

    def _owners(
        self, command: JSON, guild: GuildSpec | None, member: MemberSpec, context: int
    ) -> dict[str, str]:
        """The installs that let `command` run here, as `authorizing_integration_owners`: the
        guild install (the guild's id, "0" in the bot's DM) and the user's own install. Guild
        commands are guild installs; global ones list theirs in `integration_types`."""
        types = [0] if "guild_id" in command else command.get("integration_types") or [0]
        owners: dict[str, str] = {}
        if 0 in types and context == CONTEXT_BOT_DM:
            owners[GUILD_INSTALL] = "0"
        elif 0 in types and guild is not None and guild.id in self.guilds:
            owners[GUILD_INSTALL] = str(guild.id)
        if 1 in types and member.id in self.user_installs:
            owners[USER_INSTALL] = str(member.id)
        return owners

    def _build_options(
        self,
        command: JSON,
        subcommand: str | None,
        options: Mapping[str, object] | Sequence[JSON] | None,
        focused: str | None,
        where: tuple[GuildSpec | None, ChannelSpec | None, MemberSpec],
        resolved: JSON,
    ) -> list[JSON]:
        top: list[JSON] = []
        level = top
        definitions: list[JSON] = command.get("options") or []
        for part in (subcommand or "").split():
            definition = next(
                (d for d in definitions if d["name"] == part and d["type"] in (1, 2)), None
            )
            if definition is None:
                raise ValueError(f"/{command['name']} has no subcommand {part!r}")
            nested: JSON = {"name": part, "type": definition["type"], "options": []}
            level.append(nested)
            level = nested["options"]
            definitions = definition.get("options") or []
        if any(d["type"] in (1, 2) for d in definitions):
            raise ValueError(f"/{command['name']} needs subcommand= (one of its subcommands)")
        if options is None:
            options = {}
        if not isinstance(options, Mapping):
            level.extend(dict(o) for o in options)
            return top
        by_name = {d["name"]: d for d in definitions}
        for option_name, value in options.items():
            definition = by_name.get(option_name)
            if definition is None:
                raise ValueError(f"/{command['name']} has no option {option_name!r}")
            level.append(
                self._option(definition, value, option_name == focused, where[0], resolved)
            )
        if focused is None:
            missing = [
                d["name"] for d in definitions if d.get("required") and d["name"] not in options
            ]
            if missing:
                raise ValueError(f"/{command['name']} needs the required options {missing}")
        return top

    def _option(
        self,
        definition: JSON,
        value: object,
        focused: bool,
        guild: GuildSpec | None,
        resolved: JSON,
    ) -> JSON:
        name, otype = definition["name"], definition["type"]
        if focused:
            return {"name": name, "type": otype, "value": str(value), "focused": True}
        if otype == 3:
            if not isinstance(value, str):
                raise ValueError(f"option {name!r} takes a string")
            low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise ValueError(f"option {name!r} takes {low}..{high} characters")
        elif otype in (4, 10):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"option {name!r} takes a number")
            if otype == 4 and not isinstance(value, int):
                raise ValueError(f"option {name!r} takes an integer")
            low_value = definition.get("min_value")
            high_value = definition.get("max_value")
            if (low_value is not None and value < low_value) or (
                high_value is not None and value > high_value
            ):
                raise ValueError(f"option {name!r} takes {low_value}..{high_value}")
        elif otype == 5:
            if not isinstance(value, bool):
                raise ValueError(f"option {name!r} takes a boolean")
        elif otype in (6, 7, 8, 9, 11):
            value = self._resolve_value(otype, value, guild, resolved, name)
            channel_types = definition.get("channel_types")
            if otype == 7 and channel_types:
                ctype = resolved["channels"][value]["type"]
                if ctype not in channel_types:
                    raise ValueError(f"option {name!r} takes channel types {channel_types}")
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"option {name!r} takes one of its choices, not {value!r}")
        return {"name": name, "type": otype, "value": value}

    def _resolve_value(
        self, otype: int, value: object, guild: GuildSpec | None, resolved: JSON, name: str
    ) -> str:
        """Adds a user/channel/role/attachment to `resolved`; returns its id as a string."""
        if otype == 11:
            if not isinstance(value, Mapping):
                raise ValueError(f"option {name!r} takes an attachment object")
            attachment_id = str(value.get("id") or self._ids.next())
            resolved.setdefault("attachments", {})[attachment_id] = {
                "id": attachment_id,
                "filename": "file.bin",
                "size": 0,
                "url": f"https://cdn.discordapp.com/attachments/0/{attachment_id}/file.bin",
                "proxy_url": f"https://media.discordapp.net/attachments/0/{attachment_id}/file.bin",
                **value,
            }
            return attachment_id
        if isinstance(value, MemberSpec | UserSpec | ChannelSpec | RoleSpec):
            value = value.id
        if not isinstance(value, int | str) or not str(value).isdigit():
            raise ValueError(f"option {name!r} takes an id or a spec, not {value!r}")
        snowflake = int(value)
        if guild is None:
            raise ValueError(f"option {name!r} needs a guild")
        if otype in (8, 9) and snowflake in guild.roles:
            resolved.setdefault("roles", {})[str(snowflake)] = guild.roles[snowflake].payload()
        elif otype in (6, 9) and snowflake in guild.members:
            member = guild.members[snowflake]
            resolved.setdefault("users", {})[str(snowflake)] = member.user.payload()
            resolved.setdefault("members", {})[str(snowflake)] = {
                **member.payload(with_user=False),
                "permissions": str(guild.permissions_for(snowflake)),
            }
        elif otype == 7 and snowflake in guild.channels:
            channel = guild.channels[snowflake]
            resolved.setdefault("channels", {})[str(snowflake)] = {
                **channel.payload(),
                "permissions": str(guild.permissions_for(guild.tester.id, snowflake)),
            }
        else:
            raise ValueError(f"option {name!r}: {snowflake} is not in guild {guild.id}")
        return str(snowflake)

    def _command_scope(self, req: Request) -> int | None:
        if req.param("application_id") != self.application_id:
            raise DiscordError(*MISSING_ACCESS)
        if "guild_id" not in req.params:
            return None
        guild_id = req.param("guild_id")
        if guild_id not in self.guilds:
            raise DiscordError(*MISSING_ACCESS)
        return guild_id

    def _store_command(self, scope: int | None, raw: JSON) -> JSON:
        ctype = int(raw.get("type", 1))
        name = str(raw["name"])
        key = (scope, ctype, name)
        command_id = self._command_ids.get(key)
        if command_id is None:
            command_id = self._command_ids[key] = self._ids.next()
        permissions = raw.get("default_member_permissions")
        command: JSON = {
            "id": str(command_id),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
            "type": ctype,
            "name": name,
            "name_localizations": raw.get("name_localizations"),
            "description": raw.get("description") or "",
            "description_localizations": raw.get("description_localizations"),
            "default_member_permissions": None if permissions is None else str(int(permissions)),
            "nsfw": bool(raw.get("nsfw", False)),
            "contexts": raw.get("contexts"),
            "integration_types": raw.get("integration_types") or [0],
        }
        if raw.get("options"):
            command["options"] = copy.deepcopy(raw["options"])
        if scope is None:
            command["dm_permission"] = raw.get("dm_permission", True)
        else:
            command["guild_id"] = str(scope)
        self._commands.setdefault(scope, {})[(ctype, name)] = command
        return command

    async def _put_commands(self, req: Request) -> Reply:
        scope = self._command_scope(req)
        errors = FormErrors()
        check_commands(req.body, errors)
        if errors:
            raise DiscordError.form(errors)
        self._commands[scope] = {}
        return 200, [self._store_command(scope, raw) for raw in req.body]
