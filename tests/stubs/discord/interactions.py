"""Interactions: what a user does (commands, autocomplete, buttons, selects), dispatched
over the gateway, and the bot's answers (callbacks, follow-ups, `@original` edits)."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar

from tests.stubs.discord.commands import (
    CONTEXT_BOT_DM,
    CONTEXT_GUILD,
    CONTEXT_PRIVATE_CHANNEL,
    GUILD_INSTALL,
    USER_INSTALL,
    Commands,
    Place,
)
from tests.stubs.discord.gateway import Gateway
from tests.stubs.discord.limits import (
    MESSAGE_FLAG_EPHEMERAL,
    MESSAGE_FLAG_LOADING,
    check_autocomplete,
    check_message,
    check_modal,
)
from tests.stubs.discord.messages import (
    ATTACHMENT_SIZE_LIMIT,
    Messages,
    StoredMessage,
    find_component,
)
from tests.stubs.discord.model import (
    CHANNEL_DM,
    CHANNEL_GROUP_DM,
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMMAND,
    INTERACTION_COMPONENT,
    ChannelSpec,
    GuildSpec,
    MemberSpec,
    UserSpec,
)
from tests.stubs.discord.permissions import EVERYTHING_BUT_ADMIN, Perm
from tests.stubs.discord.rest import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    MAX_FOLLOWUPS,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DiscordError,
    FormErrors,
    Reply,
    Request,
)

JSON = dict[str, Any]
T = TypeVar("T")

INTERACTION_DEADLINE: Final = 3.0
TOKEN_LIFETIME: Final = 15 * 60.0
MAX_USER_INSTALL_FOLLOWUPS: Final = 5
_DM_APP_PERMISSIONS: Final = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
)
# A user-installed app in a DM or group DM between users (Discord: "app_permissions includes
# ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE for (G)DMs with other users").
_PRIVATE_APP_PERMISSIONS: Final = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.MENTION_EVERYONE
)
# Callback types Discord accepts per interaction type (`interactions/receiving-and-responding`).
_CALLBACK_TYPES: Final = {
    INTERACTION_COMMAND: frozenset({4, 5, 9}),
    INTERACTION_COMPONENT: frozenset({4, 5, 6, 7, 9}),
    INTERACTION_AUTOCOMPLETE: frozenset({8}),
}
_SELECT_TYPES: Final = frozenset({3, 5, 6, 7, 8})


@dataclass(frozen=True)
class InteractionResponse:
    """One answer the bot gave to an interaction: `kind` "callback", "edit" or
    "followup"; `type` the callback type (4 message, 5 defer, 6 deferred update, 7 update,
    8 autocomplete, 9 modal); `data` what it sent (the callback's `data`, or the message body);
    `status` what the stand-in answered; `error` the error body; `latency` seconds from the
    stand-in's dispatch to receipt; `message` the message object right after this answer."""

    kind: Literal["callback", "edit", "followup"]
    type: int | None
    data: Any
    status: int
    latency: float
    message: JSON | None = None
    error: JSON | None = None
    files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status < 300


class Waitable:
    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def _wait_until(self, pick: Callable[[], T | None], seconds: float, what: str) -> T:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(seconds):
                while (found := pick()) is None:
                    waiter = loop.create_future()
                    self._waiters.append(waiter)
                    await waiter
        except TimeoutError:
            raise TimeoutError(f"no {what} within {seconds} s") from None
        return found


class InteractionHandle(Waitable):
    """An interaction the stand-in dispatched, and everything the bot answered to it."""

    def __init__(
        self, *, id: int, token: str, type: int, payload: JSON, channel_id: int, name: str
    ) -> None:
        super().__init__()
        self.id = id
        self.token = token
        self.type = type
        self.payload = payload
        self.channel_id = channel_id
        self.name = name
        self.dispatched_at = time.monotonic()
        self.acknowledged: int | None = None
        self.original_id: int | None = None
        self.message_ids: set[int] = set()
        self.responses: list[InteractionResponse] = []
        self.choices: list[JSON] | None = None
        self.modal: JSON | None = None
        self.place = Place(CONTEXT_GUILD, {})
        # Set where Discord makes every answer ephemeral (a user install without the bot in
        # the server, for a member without Use External Apps).
        self.forced_ephemeral = False

    def __repr__(self) -> str:
        return f"<InteractionHandle {self.name!r} id={self.id} type={self.type}>"

    def wait_response(self, timeout: float = 5.0) -> Awaitable[InteractionResponse]:
        """The first callback the bot attempted (look at `.status`: 400/404 mean rejected)."""
        return self._wait_until(
            lambda: next((r for r in self.responses if r.kind == "callback"), None),
            timeout,
            f"callback for {self!r}",
        )

    def wait_message(self, timeout: float = 5.0) -> Awaitable[JSON]:
        """The first message the user could see: a type 4/7 callback's message, or after a
        defer the `@original` edit or the first follow-up."""
        return self._wait_until(
            lambda: next(
                (
                    r.message
                    for r in self.responses
                    if r.ok
                    and r.message is not None
                    and not int(r.message.get("flags") or 0) & MESSAGE_FLAG_LOADING
                ),
                None,
            ),
            timeout,
            f"visible message for {self!r}",
        )

    def wait_choices(self, timeout: float = 5.0) -> Awaitable[list[JSON]]:
        """The autocomplete choices the bot answered with (accepted ones only)."""
        return self._wait_until(lambda: self.choices, timeout, f"choices for {self!r}")

    def wait_for(
        self, predicate: Callable[[InteractionResponse], bool], timeout: float = 5.0
    ) -> Awaitable[InteractionResponse]:
        return self._wait_until(
            lambda: next((r for r in self.responses if predicate(r)), None),
            timeout,
            f"matching response for {self!r}",
        )

    def _record(self, response: InteractionResponse) -> None:
        self.responses.append(response)
        self._notify()


class Interactions(Messages, Commands):
    """Injects what a user does and records what the bot answers to it."""

    gateway: Gateway

    def __init__(self, bot_name: str) -> None:
        super().__init__(bot_name)
        self._interactions: dict[int, InteractionHandle] = {}
        self._by_token: dict[str, InteractionHandle] = {}
        self._dm_channels: dict[int, int] = {}
        self._private_channels: dict[int, int] = {}

    # injected interactions

    async def send_command(
        self,
        name: str,
        options: Mapping[str, object] | Sequence[JSON] | None = None,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
        permissions: int = EVERYTHING_BUT_ADMIN,
        subcommand: str | None = None,
        locale: str = "en-US",
        in_dm: bool = False,
        private_channel: bool = False,
        override_visibility: bool = False,
    ) -> InteractionHandle:
        """A user runs /name (type 2). `options` maps option names to values, typed by the
        synced definition (channels, roles, users as ids or specs, with `resolved` data), or is
        a raw option list. `subcommand` is "sub" or "group sub". The default place is the first
        guild's first text channel; the default user its `tester`; `permissions` are the
        member's. `in_dm` is the user's DM with the bot (context 1), `private_channel` a group
        DM of users (context 2, user installs only); `guild_id` may name a guild without the
        bot. Raises CommandUnavailable where Discord's client would not offer the command;
        `override_visibility=True` plays a server admin's per-command override."""
        where = self._where(guild_id, channel_id, user_id, in_dm or private_channel)
        command, place = self._visible_command(
            name, where, permissions, override_visibility, private_channel
        )
        resolved: JSON = {}
        data: JSON = {"id": command["id"], "name": name, "type": 1}
        built = self._build_options(command, subcommand, options, None, where, resolved)
        if built:
            data["options"] = built
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        return await self._dispatch_interaction(
            INTERACTION_COMMAND, data, where, permissions, locale, name, place
        )

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, object],
        focused: str,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
        permissions: int = EVERYTHING_BUT_ADMIN,
        subcommand: str | None = None,
        locale: str = "en-US",
        in_dm: bool = False,
        private_channel: bool = False,
    ) -> InteractionHandle:
        """A user types in option `focused` of /name (type 4); its value is sent as the typed
        string. The answer's choices land in `handle.choices` / `await handle.wait_choices()`."""
        if focused not in options:
            raise ValueError(f"the focused option {focused!r} needs a value in options")
        where = self._where(guild_id, channel_id, user_id, in_dm or private_channel)
        command, place = self._visible_command(name, where, permissions, False, private_channel)
        resolved: JSON = {}
        data: JSON = {"id": command["id"], "name": name, "type": 1}
        data["options"] = self._build_options(
            command, subcommand, options, focused, where, resolved
        )
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        return await self._dispatch_interaction(
            INTERACTION_AUTOCOMPLETE, data, where, permissions, locale, f"{name}:{focused}", place
        )

    async def press_button(
        self,
        custom_id: str,
        message: int | StoredMessage | JSON,
        *,
        user_id: int | None = None,
        permissions: int = EVERYTHING_BUT_ADMIN,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """A user presses the button `custom_id` on `message` (an id of a message the bot made,
        or a message object). Raises ValueError if the message has no such enabled button."""
        payload, component = self._component(custom_id, message)
        if component.get("type") != 2:
            raise ValueError(f"{custom_id!r} is not a button")
        data: JSON = {"custom_id": custom_id, "component_type": 2}
        if "id" in component:
            data["id"] = component["id"]
        return await self._component_interaction(data, payload, user_id, permissions, locale)

    async def select(
        self,
        custom_id: str,
        values: Sequence[object],
        message: int | StoredMessage | JSON,
        *,
        user_id: int | None = None,
        permissions: int = EVERYTHING_BUT_ADMIN,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """A user picks `values` in the select menu `custom_id` on `message`. String selects
        take option values; user/role/channel selects take ids or specs (sent with `resolved`)."""
        payload, component = self._component(custom_id, message)
        ctype = component.get("type")
        if ctype not in _SELECT_TYPES:
            raise ValueError(f"{custom_id!r} is not a select menu")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise ValueError(f"{custom_id!r} takes {low}..{high} values, not {len(values)}")
        data: JSON = {"custom_id": custom_id, "component_type": ctype}
        if "id" in component:
            data["id"] = component["id"]
        if ctype == 3:
            offered = {o.get("value") for o in component.get("options") or []}
            picked = [str(v) for v in values]
            if not set(picked) <= offered:
                raise ValueError(f"{set(picked) - offered} are not options of {custom_id!r}")
            data["values"] = picked
        else:
            try:
                guild, _ = self.find_channel(int(payload["channel_id"]))
            except KeyError:
                raise ValueError("user/role/channel selects need a guild channel") from None
            resolved: JSON = {}
            kind = {5: 6, 6: 8, 7: 9, 8: 7}[ctype]
            data["values"] = [
                self._resolve_value(kind, v, guild, resolved, "select") for v in values
            ]
            data["resolved"] = resolved
        return await self._component_interaction(data, payload, user_id, permissions, locale)

    # --- interaction internals ----------------------------------------------------------------

    def _where(
        self, guild_id: int | None, channel_id: int | None, user_id: int | None, in_dm: bool
    ) -> tuple[GuildSpec | None, ChannelSpec | None, MemberSpec]:
        if in_dm:
            return None, None, MemberSpec(self._dm_user(user_id))
        if guild_id is None and channel_id is not None:
            guild, channel = self.find_channel(channel_id)
        else:
            guild = (
                self.default_guild
                if guild_id is None
                else self.guilds.get(guild_id) or self.guilds_without_bot[guild_id]
            )
            channel = guild.text_channels[0] if channel_id is None else guild.channels[channel_id]
        member = guild.tester if user_id is None else guild.member(user_id)
        return guild, channel, member

    def _component(self, custom_id: str, message: int | StoredMessage | JSON) -> tuple[JSON, JSON]:
        if isinstance(message, int):
            stored = self._messages.get(message)
            if stored is None:
                raise ValueError(f"no message {message}")
            payload = stored.payload
        elif isinstance(message, StoredMessage):
            payload = message.payload
        else:
            payload = message
            if int(payload["id"]) not in self._messages:
                self._messages[int(payload["id"])] = StoredMessage(payload, None, "channel")
        component = find_component(payload.get("components") or [], custom_id)
        if component is None:
            raise ValueError(f"message {payload['id']} has no component {custom_id!r}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        return payload, component

    async def _component_interaction(
        self,
        data: JSON,
        message: JSON,
        user_id: int | None,
        permissions: int,
        locale: str,
    ) -> InteractionHandle:
        channel_id = int(message["channel_id"])
        in_dm = channel_id in self._dm_channels.values()
        stored = self._messages.get(int(message["id"]))
        origin = None if stored is None else self._interactions.get(stored.interaction_id or 0)
        if origin is None:
            where = self._where(None, None if in_dm else channel_id, user_id, in_dm)
            guild = where[0]
            owners = {GUILD_INSTALL: "0" if guild is None else str(guild.id)}
            place = Place(CONTEXT_BOT_DM if guild is None else CONTEXT_GUILD, owners)
        else:  # a message answering a command: pressed where that command ran, as it ran
            place = origin.place
            guild_id = origin.payload.get("guild_id")
            where = self._where(
                None if guild_id is None else int(guild_id),
                None if guild_id is None else channel_id,
                user_id,
                guild_id is None,
            )
        handle = self._new_interaction(
            INTERACTION_COMPONENT, data, where, permissions, locale, data["custom_id"], place
        )
        handle.payload["message"] = message
        handle.original_id = int(message["id"])
        handle.message_ids.add(handle.original_id)
        return await self._send_interaction(handle)

    async def _dispatch_interaction(
        self,
        itype: int,
        data: JSON,
        where: tuple[GuildSpec | None, ChannelSpec | None, MemberSpec],
        permissions: int,
        locale: str,
        name: str,
        place: Place,
    ) -> InteractionHandle:
        handle = self._new_interaction(itype, data, where, permissions, locale, name, place)
        return await self._send_interaction(handle)

    def _new_interaction(
        self,
        itype: int,
        data: JSON,
        where: tuple[GuildSpec | None, ChannelSpec | None, MemberSpec],
        permissions: int,
        locale: str,
        name: str,
        place: Place,
    ) -> InteractionHandle:
        guild, channel, member = where
        interaction_id = self._ids.next()
        token = secrets.token_hex(32)
        payload: JSON = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": dict(place.owners),
            "context": place.context,
        }
        # Where the bot is not in the server, Discord forces public answers of a user-installed
        # app to be ephemeral for members without Use External Apps.
        forced_ephemeral = (
            place.context == CONTEXT_GUILD
            and GUILD_INSTALL not in place.owners
            and not permissions & Perm.USE_EXTERNAL_APPS
        )
        if guild is not None and channel is not None:
            channel_id = channel.id
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                channel_id=str(channel.id),
                channel={**channel.payload(), "permissions": str(permissions)},
                member={**member.payload(), "permissions": str(permissions)},
                # Without the bot in the guild this resolves to @everyone's in the channel.
                app_permissions=str(guild.permissions_for(self.bot_user.id, channel.id)),
            )
        else:
            private = place.context == CONTEXT_PRIVATE_CHANNEL
            channel_id = (self._private_channel if private else self._dm_channel)(member.user)
            dm: JSON = {"id": str(channel_id), "last_message_id": None, "flags": 0}
            if private:  # a group DM of the user's, without the bot
                dm.update(type=CHANNEL_GROUP_DM, name=None, icon=None, owner_id=str(member.id))
            payload.update(
                channel_id=str(channel_id),
                channel={
                    **dm,
                    "type": dm.get("type", CHANNEL_DM),
                    "recipients": [member.user.payload()],
                },
                user=member.user.payload(),
                app_permissions=str(_PRIVATE_APP_PERMISSIONS if private else _DM_APP_PERMISSIONS),
            )
        handle = InteractionHandle(
            id=interaction_id,
            token=token,
            type=itype,
            payload=payload,
            channel_id=channel_id,
            name=name,
        )
        handle.place = place
        handle.forced_ephemeral = forced_ephemeral
        return handle

    def _dm_user(self, user_id: int | None) -> UserSpec:
        if user_id is None:
            return self.default_guild.tester.user
        return self.find_user(user_id) or UserSpec(user_id, f"user-{user_id}")

    def _dm_channel(self, user: UserSpec) -> int:
        channel_id = self._dm_channels.get(user.id)
        if channel_id is None:
            channel_id = self._dm_channels[user.id] = self._ids.next()
        return channel_id

    def _private_channel(self, user: UserSpec) -> int:
        """A group DM of `user` with friends (not the bot): one per user."""
        channel_id = self._private_channels.get(user.id)
        if channel_id is None:
            channel_id = self._private_channels[user.id] = self._ids.next()
        return channel_id

    async def _send_interaction(self, handle: InteractionHandle) -> InteractionHandle:
        self._interactions[handle.id] = handle
        self._by_token[handle.token] = handle
        handle.dispatched_at = time.monotonic()
        guild = handle.payload.get("guild_id")
        await self.gateway.dispatch(
            "INTERACTION_CREATE", handle.payload, int(guild) if guild is not None else None
        )
        return handle

    async def _callback(self, req: Request) -> Reply:
        handle = self._interactions.get(req.param("interaction_id"))
        if handle is None or handle.token != req.params["token"]:
            raise DiscordError(*UNKNOWN_INTERACTION)
        body = req.json
        ctype = body.get("type")
        data = body.get("data")
        latency = req.received - handle.dispatched_at
        try:
            message = self._accept_callback(handle, req, ctype, data, latency)
        except DiscordError as exc:
            handle._record(
                InteractionResponse(
                    "callback",
                    ctype,
                    data,
                    exc.status,
                    latency,
                    error=exc.body,
                    files=tuple(f.filename for f in req.files),
                )
            )
            raise
        snapshot = None if message is None else dict(message.payload)
        handle._record(
            InteractionResponse(
                "callback",
                ctype,
                data,
                200,
                latency,
                snapshot,
                files=tuple(f.filename for f in req.files),
            )
        )
        if req.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        interaction: JSON = {"id": str(handle.id), "type": handle.type}
        answer: JSON = {"interaction": interaction}
        if message is not None:
            interaction.update(
                response_message_id=str(message.id),
                response_message_loading=ctype == 5,
                response_message_ephemeral=message.ephemeral,
            )
            answer["resource"] = {"type": ctype, "message": message.payload}
        elif ctype is not None:
            answer["resource"] = {"type": ctype}
        return 200, answer

    def _accept_callback(
        self, handle: InteractionHandle, req: Request, ctype: Any, data: Any, latency: float
    ) -> StoredMessage | None:
        if handle.acknowledged is not None:
            raise DiscordError(*ALREADY_ACKNOWLEDGED)
        if latency > INTERACTION_DEADLINE:
            raise DiscordError(*UNKNOWN_INTERACTION)
        errors = FormErrors()
        if ctype not in _CALLBACK_TYPES.get(handle.type, frozenset()):
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type")
            raise DiscordError.form(errors)
        message_data = data if isinstance(data, dict) else {}
        if ctype in (4, 7):
            check_message(message_data, errors, ("data",))
        elif ctype == 8:
            check_autocomplete(data, errors, ("data",))
        elif ctype == 9:
            check_modal(data, errors, ("data",))
        if errors:
            raise DiscordError.form(errors)
        message: StoredMessage | None = None
        if ctype == 4:
            message = self._create_message(
                handle.channel_id, message_data, req.files, "interaction", handle
            )
            handle.original_id = message.id
        elif ctype == 5:
            flags = MESSAGE_FLAG_LOADING | (
                int(message_data.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL
            )
            message = self._create_message(
                handle.channel_id, {"flags": flags}, [], "interaction", handle, allow_empty=True
            )
            handle.original_id = message.id
        elif ctype in (6, 7) and handle.original_id is not None:
            message = self._messages.get(handle.original_id)
            if ctype == 7 and message is not None:
                self._edit(message, message_data, req.files)
        elif ctype == 8:
            handle.choices = list(message_data["choices"])
        elif ctype == 9:
            handle.modal = message_data
        handle.acknowledged = ctype
        return message

    def _webhook_handle(self, req: Request) -> InteractionHandle:
        handle = self._by_token.get(req.params["token"])
        if handle is None or req.param("application_id") != self.application_id:
            raise DiscordError(*UNKNOWN_WEBHOOK)
        return handle

    def _check_webhook(self, handle: InteractionHandle, req: Request) -> None:
        if req.received - handle.dispatched_at > TOKEN_LIFETIME:
            raise DiscordError(*INVALID_WEBHOOK_TOKEN)
        if handle.acknowledged is None:
            raise DiscordError(*UNKNOWN_WEBHOOK)

    def _webhook_message(self, handle: InteractionHandle, req: Request) -> StoredMessage:
        raw = req.params["message_id"]
        message_id = handle.original_id if raw == "@original" else req.param("message_id")
        message = None if message_id is None else self._messages.get(message_id)
        if message is None or message.id not in handle.message_ids:
            raise DiscordError(*UNKNOWN_MESSAGE)
        return message

    def _webhook_answer(
        self,
        req: Request,
        kind: Literal["edit", "followup"],
        act: Callable[[InteractionHandle], StoredMessage],
    ) -> StoredMessage:
        """Runs a follow-up or edit for an interaction token and records it on the handle."""
        handle = self._webhook_handle(req)
        latency = req.received - handle.dispatched_at
        files = tuple(f.filename for f in req.files)
        try:
            self._check_webhook(handle, req)
            message = act(handle)
        except DiscordError as exc:
            error = InteractionResponse(
                kind, None, req.body, exc.status, latency, error=exc.body, files=files
            )
            handle._record(error)
            raise
        handle._record(
            InteractionResponse(
                kind, None, req.body, 200, latency, dict(message.payload), None, files
            )
        )
        return message

    def _send_followup(self, handle: InteractionHandle, req: Request) -> StoredMessage:
        if set(handle.place.owners) == {USER_INSTALL}:
            sent = sum(1 for r in handle.responses if r.kind == "followup" and r.ok)
            if sent >= MAX_USER_INSTALL_FOLLOWUPS:
                raise DiscordError(*MAX_FOLLOWUPS)
        original = None if handle.original_id is None else self._messages.get(handle.original_id)
        if original is not None and int(original.payload.get("flags") or 0) & MESSAGE_FLAG_LOADING:
            # Discord turns the first follow-up after a defer into the deferred message.
            self._edit(original, req.json, req.files)
            return original
        errors = FormErrors()
        check_message(req.json, errors)
        if errors:
            raise DiscordError.form(errors)
        return self._create_message(handle.channel_id, req.json, req.files, "followup", handle)

    def _edit_for(self, handle: InteractionHandle, req: Request) -> StoredMessage:
        message = self._webhook_message(handle, req)
        self._edit(message, req.json, req.files)
        return message

    async def _followup(self, req: Request) -> Reply:
        message = self._webhook_answer(req, "followup", lambda h: self._send_followup(h, req))
        if req.query.get("wait", "").lower() in ("1", "true"):
            return 200, message.payload
        return 204, None

    async def _edit_webhook_message(self, req: Request) -> Reply:
        return 200, self._webhook_answer(req, "edit", lambda h: self._edit_for(h, req)).payload
