"""Discord's rules as the local stand-in enforces them: limits, names, permissions, snowflakes.

Everything here is plain data in, plain data out, so the checks cost one walk over the payload.
Limits follow Discord's API documentation (`resources/message`, `interactions/*`); the error
bodies mimic Discord's (`{"message": "Invalid Form Body", "code": 50035, "errors": {...}}`).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

JSON = dict[str, Any]

DISCORD_EPOCH_MS: Final = 1_420_070_400_000


class Perm:
    """Permission bits (Discord's `topics/permissions`)."""

    CREATE_INSTANT_INVITE: Final = 1 << 0
    KICK_MEMBERS: Final = 1 << 1
    BAN_MEMBERS: Final = 1 << 2
    ADMINISTRATOR: Final = 1 << 3
    MANAGE_CHANNELS: Final = 1 << 4
    MANAGE_GUILD: Final = 1 << 5
    ADD_REACTIONS: Final = 1 << 6
    VIEW_AUDIT_LOG: Final = 1 << 7
    VIEW_CHANNEL: Final = 1 << 10
    SEND_MESSAGES: Final = 1 << 11
    SEND_TTS_MESSAGES: Final = 1 << 12
    MANAGE_MESSAGES: Final = 1 << 13
    EMBED_LINKS: Final = 1 << 14
    ATTACH_FILES: Final = 1 << 15
    READ_MESSAGE_HISTORY: Final = 1 << 16
    MENTION_EVERYONE: Final = 1 << 17
    USE_EXTERNAL_EMOJIS: Final = 1 << 18
    CONNECT: Final = 1 << 20
    SPEAK: Final = 1 << 21
    CHANGE_NICKNAME: Final = 1 << 26
    MANAGE_ROLES: Final = 1 << 28
    MANAGE_WEBHOOKS: Final = 1 << 29
    USE_APPLICATION_COMMANDS: Final = 1 << 31
    CREATE_PUBLIC_THREADS: Final = 1 << 35
    SEND_MESSAGES_IN_THREADS: Final = 1 << 38
    MODERATE_MEMBERS: Final = 1 << 40
    SEND_POLLS: Final = 1 << 49
    USE_EXTERNAL_APPS: Final = 1 << 50


# Equal to discord.py 2.7's `Permissions.all().value` (the test checks it).
ALL_PERMISSIONS: Final = 8_866_461_766_385_663
EVERYTHING_BUT_ADMIN: Final = ALL_PERMISSIONS & ~Perm.ADMINISTRATOR
DEFAULT_EVERYONE_PERMISSIONS: Final = (
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CONNECT
    | Perm.SPEAK
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.SEND_POLLS
    | Perm.USE_EXTERNAL_APPS
)
DEFAULT_BOT_PERMISSIONS: Final = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.SEND_MESSAGES_IN_THREADS
)
# Lost when Send Messages is missing in a text channel (Discord's "implicit permissions").
_NEEDS_SEND: Final = (
    Perm.SEND_TTS_MESSAGES | Perm.MENTION_EVERYONE | Perm.EMBED_LINKS | Perm.ATTACH_FILES
)

MESSAGE_FLAG_EPHEMERAL: Final = 1 << 6
MESSAGE_FLAG_LOADING: Final = 1 << 7
MESSAGE_FLAG_COMPONENTS_V2: Final = 1 << 15


class SnowflakeFactory:
    """Strictly increasing snowflakes that carry the current time, as Discord's do."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (1 << 17)
        self._last = candidate if candidate > self._last else self._last + 1
        return self._last


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite; `type` 0 targets a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


def compute_permissions(
    *,
    guild_id: int,
    is_owner: bool,
    role_permissions: Mapping[int, int],
    member_id: int,
    member_roles: Sequence[int],
    overwrites: Sequence[Overwrite] | None,
) -> int:
    """Discord's permission resolution; `overwrites=None` gives the guild-level permissions."""
    if is_owner:
        return ALL_PERMISSIONS
    perms = role_permissions.get(guild_id, 0)
    for role_id in member_roles:
        perms |= role_permissions.get(role_id, 0)
    if perms & Perm.ADMINISTRATOR:
        return ALL_PERMISSIONS
    if overwrites is None:
        return perms
    roles = set(member_roles)
    allow = deny = 0
    member_overwrite: Overwrite | None = None
    for ow in overwrites:
        if ow.type == 0 and ow.id == guild_id:
            perms = (perms & ~ow.deny) | ow.allow
        elif ow.type == 0 and ow.id in roles:
            allow |= ow.allow
            deny |= ow.deny
        elif ow.type == 1 and ow.id == member_id:
            member_overwrite = ow
    perms = (perms & ~deny) | allow
    if member_overwrite is not None:
        perms = (perms & ~member_overwrite.deny) | member_overwrite.allow
    if not perms & Perm.VIEW_CHANNEL:
        return 0
    if not perms & Perm.SEND_MESSAGES:
        perms &= ~_NEEDS_SEND
    return perms


class FormErrors:
    """Collects errors in Discord's nested `errors` shape (`{"0": {"name": {"_errors": []}}}`)."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def __bool__(self) -> bool:
        return bool(self.tree)

    def add(self, path: Sequence[str | int], code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def body(self) -> JSON:
        return {"message": "Invalid Form Body", "code": 50035, "errors": self.tree}


Path = tuple[str | int, ...]


def _max_length(errors: FormErrors, path: Path, value: object, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _required_text(errors: FormErrors, path: Path, value: object, limit: int) -> None:
    if not isinstance(value, str) or not value:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    else:
        _max_length(errors, path, value, limit)


def is_http_url(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _url(errors: FormErrors, path: Path, value: object, *, attachment_ok: bool) -> None:
    if attachment_ok and isinstance(value, str) and value.startswith("attachment://"):
        return
    if not is_http_url(value):
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")


def check_embed(embed: object, errors: FormErrors, path: Path) -> int:
    """Checks one embed; returns its size in characters as Discord counts it for the 6000 cap."""
    if not isinstance(embed, Mapping):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return 0
    size = 0
    title = embed.get("title")
    if title is not None:
        _max_length(errors, (*path, "title"), title, 256)
        size += len(str(title))
    description = embed.get("description")
    if description is not None:
        _max_length(errors, (*path, "description"), description, 4096)
        size += len(str(description))
    if "url" in embed and embed["url"] is not None:
        _url(errors, (*path, "url"), embed["url"], attachment_ok=False)
    color = embed.get("color")
    if color is not None and (not isinstance(color, int) or not 0 <= color <= 0xFFFFFF):
        errors.add((*path, "color"), "NUMBER_TYPE_MAX", "int value should be <= 16777215.")
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if isinstance(media, Mapping):
            _url(errors, (*path, key, "url"), media.get("url"), attachment_ok=True)
    footer = embed.get("footer")
    if isinstance(footer, Mapping):
        _required_text(errors, (*path, "footer", "text"), footer.get("text"), 2048)
        size += len(str(footer.get("text") or ""))
        if footer.get("icon_url") is not None:
            _url(errors, (*path, "footer", "icon_url"), footer["icon_url"], attachment_ok=True)
    author = embed.get("author")
    if isinstance(author, Mapping):
        _required_text(errors, (*path, "author", "name"), author.get("name"), 256)
        size += len(str(author.get("name") or ""))
        if author.get("url") is not None:
            _url(errors, (*path, "author", "url"), author["url"], attachment_ok=False)
        if author.get("icon_url") is not None:
            _url(errors, (*path, "author", "icon_url"), author["icon_url"], attachment_ok=True)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors.add((*path, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for index, field in enumerate(fields):
        fpath = (*path, "fields", index)
        if not isinstance(field, Mapping):
            errors.add(fpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        _required_text(errors, (*fpath, "name"), field.get("name"), 256)
        _required_text(errors, (*fpath, "value"), field.get("value"), 1024)
        size += len(str(field.get("name") or "")) + len(str(field.get("value") or ""))
    return size


_BUTTON: Final = 2
_SELECTS: Final = frozenset({3, 5, 6, 7, 8})


def _check_custom_id(
    errors: FormErrors, path: Path, component: Mapping[str, Any], seen: set[str]
) -> None:
    custom_id = component.get("custom_id")
    _required_text(errors, (*path, "custom_id"), custom_id, 100)
    if isinstance(custom_id, str) and custom_id:
        if custom_id in seen:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)


def _check_button(
    errors: FormErrors, path: Path, button: Mapping[str, Any], seen: set[str]
) -> None:
    _max_length(errors, (*path, "label"), button.get("label"), 80)
    style = button.get("style")
    if style == 5:
        _url(errors, (*path, "url"), button.get("url"), attachment_ok=False)
        if "custom_id" in button:
            errors.add((*path, "custom_id"), "BUTTON_COMPONENT_INVALID", "Link buttons have no id")
    elif style == 6:
        if "sku_id" not in button:
            errors.add((*path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    elif style in (1, 2, 3, 4):
        _check_custom_id(errors, path, button, seen)
    else:
        errors.add(
            (*path, "style"), "BASE_TYPE_CHOICES", f"Value must be one of (1..6), not {style}"
        )


def _check_select(
    errors: FormErrors, path: Path, select: Mapping[str, Any], seen: set[str]
) -> None:
    _check_custom_id(errors, path, select, seen)
    _max_length(errors, (*path, "placeholder"), select.get("placeholder"), 150)
    min_values = select.get("min_values", 1)
    max_values = select.get("max_values", 1)
    if not isinstance(min_values, int) or not 0 <= min_values <= 25:
        errors.add((*path, "min_values"), "NUMBER_TYPE_MAX", "int value should be <= 25.")
    if not isinstance(max_values, int) or not 1 <= max_values <= 25:
        errors.add((*path, "max_values"), "NUMBER_TYPE_MAX", "int value should be <= 25.")
    if select.get("type") != 3:
        return
    options = select.get("options") or []
    if not 1 <= len(options) <= 25:
        errors.add(
            (*path, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
        )
    values: set[str] = set()
    for index, option in enumerate(options):
        opath = (*path, "options", index)
        _required_text(errors, (*opath, "label"), option.get("label"), 100)
        _required_text(errors, (*opath, "value"), option.get("value"), 100)
        _max_length(errors, (*opath, "description"), option.get("description"), 100)
        value = option.get("value")
        if isinstance(value, str):
            if value in values:
                errors.add(
                    (*opath, "value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Select option values must be unique",
                )
            values.add(value)
    if isinstance(max_values, int) and options and max_values > len(options):
        errors.add(
            (*path, "max_values"),
            "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
            "max_values cannot exceed the number of options",
        )


def _check_row(errors: FormErrors, path: Path, row: object, seen: set[str]) -> None:
    if not isinstance(row, Mapping) or row.get("type") != 1:
        errors.add(path, "UNION_TYPE_CHOICES", 'Value of field "type" must be 1 (action row).')
        return
    children = row.get("components") or []
    if not 1 <= len(children) <= 5:
        errors.add(
            (*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    has_select = any(isinstance(c, Mapping) and c.get("type") in _SELECTS for c in children)
    if has_select and len(children) > 1:
        errors.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for index, child in enumerate(children):
        cpath = (*path, "components", index)
        ctype = child.get("type") if isinstance(child, Mapping) else None
        if ctype == _BUTTON:
            _check_button(errors, cpath, child, seen)
        elif ctype in _SELECTS:
            _check_select(errors, cpath, child, seen)
        else:
            errors.add(cpath, "UNION_TYPE_CHOICES", f"Component type {ctype} is not allowed here")


def _walk_v2(errors: FormErrors, path: Path, components: Sequence[Any], seen: set[str]) -> int:
    """Checks a components-v2 tree; returns how many components it holds."""
    count = 0
    for index, component in enumerate(components):
        cpath = (*path, index)
        if not isinstance(component, Mapping):
            errors.add(cpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        count += 1
        ctype = component.get("type")
        nested = component.get("components")
        if ctype == 1:
            _check_row(errors, cpath, component, seen)
            count += len(nested or [])
        else:
            if ctype == _BUTTON:
                _check_button(errors, cpath, component, seen)
            elif ctype in _SELECTS:
                _check_select(errors, cpath, component, seen)
            if isinstance(nested, list):
                count += _walk_v2(errors, (*cpath, "components"), nested, seen)
        accessory = component.get("accessory")
        if isinstance(accessory, Mapping):
            count += 1
            if accessory.get("type") == _BUTTON:
                _check_button(errors, (*cpath, "accessory"), accessory, seen)
    return count


def check_components(
    components: object, errors: FormErrors, path: Path, *, components_v2: bool
) -> None:
    if not isinstance(components, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    seen: set[str] = set()
    if components_v2:
        if _walk_v2(errors, path, components, seen) > 40:
            errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
        return
    if len(components) > 5:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for index, row in enumerate(components):
        _check_row(errors, (*path, index), row, seen)


def check_allowed_mentions(value: object, errors: FormErrors, path: Path) -> None:
    if not isinstance(value, Mapping):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = value.get("parse") or []
    for index, kind in enumerate(parse):
        if kind not in ("users", "roles", "everyone"):
            errors.add((*path, "parse", index), "BASE_TYPE_CHOICES", "Value must be one of {...}")
    for kind in ("users", "roles"):
        ids = value.get(kind) or []
        if ids and kind in parse:
            errors.add(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        if len(ids) > 100:
            errors.add((*path, kind), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")


def check_message(payload: Mapping[str, Any], errors: FormErrors, path: Path = ()) -> None:
    """Checks the parts of a message body (create or edit) that Discord limits."""
    flags = payload.get("flags") or 0
    components_v2 = bool(flags & MESSAGE_FLAG_COMPONENTS_V2)
    content = payload.get("content")
    if content is not None:
        if not isinstance(content, str):
            errors.add((*path, "content"), "STRING_TYPE_CONVERT", "Could not interpret as string.")
        elif components_v2 and content:
            errors.add(
                (*path, "content"),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        else:
            _max_length(errors, (*path, "content"), content, 2000)
    embeds = payload.get("embeds")
    if embeds is not None:
        if not isinstance(embeds, list):
            errors.add((*path, "embeds"), "LIST_TYPE_CONVERT", "Only iterables may be used")
        else:
            if components_v2 and embeds:
                errors.add(
                    (*path, "embeds"),
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
                )
            if len(embeds) > 10:
                errors.add(
                    (*path, "embeds"), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."
                )
            total = sum(
                check_embed(embed, errors, (*path, "embeds", i)) for i, embed in enumerate(embeds)
            )
            if total > 6000:
                errors.add(
                    (*path, "embeds"),
                    "MAX_EMBED_SIZE_EXCEEDED",
                    "Embed size exceeds maximum size of 6000",
                )
    components = payload.get("components")
    if components is not None:
        check_components(components, errors, (*path, "components"), components_v2=components_v2)
    allowed = payload.get("allowed_mentions")
    if allowed is not None:
        check_allowed_mentions(allowed, errors, (*path, "allowed_mentions"))


def is_empty_message(message: Mapping[str, Any]) -> bool:
    """Whether a (merged) message would show nothing — Discord answers 50006 for those."""
    return not (
        message.get("content")
        or message.get("embeds")
        or message.get("attachments")
        or message.get("components")
        or message.get("sticker_ids")
        or message.get("poll")
    )


def check_autocomplete(data: object, errors: FormErrors, path: Path) -> None:
    choices = data.get("choices") if isinstance(data, Mapping) else None
    if not isinstance(choices, list):
        errors.add((*path, "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return
    if len(choices) > 25:
        errors.add((*path, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for index, choice in enumerate(choices):
        cpath = (*path, "choices", index)
        if not isinstance(choice, Mapping):
            errors.add(cpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        name = choice.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            errors.add(
                (*cpath, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        value = choice.get("value")
        if isinstance(value, str):
            _max_length(errors, (*cpath, "value"), value, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            errors.add((*cpath, "value"), "BASE_TYPE_REQUIRED", "This field is required")


def check_modal(data: object, errors: FormErrors, path: Path) -> None:
    if not isinstance(data, Mapping):
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    _required_text(errors, (*path, "custom_id"), data.get("custom_id"), 100)
    _required_text(errors, (*path, "title"), data.get("title"), 45)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errors.add(
            (*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )


# --- application commands -------------------------------------------------------------------

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


_OPTION_SUBCOMMAND: Final = 1
_OPTION_GROUP: Final = 2
_CHOICE_TYPES: Final = frozenset({3, 4, 10})
_NUMERIC_TYPES: Final = frozenset({4, 10})


def _text_size(obj: Mapping[str, Any]) -> int:
    size = len(str(obj.get("name") or "")) + len(str(obj.get("description") or ""))
    for choice in obj.get("choices") or []:
        if isinstance(choice, Mapping):
            size += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
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
