"""A local stand-in for Discord (REST API v10 + gateway) that the real discord.py client uses.

    async with DiscordStub() as stub:
        guild = stub.add_guild(name="Test", channels=["general"])
        configure_discord_client(stub.api_base_url, stub.gateway_url)
        await bot.login("token")              # GET /users/@me, GET /oauth2/applications/@me
        await bot.tree.sync()                 # send_command types options from the sync
        task = asyncio.create_task(bot.connect())
        await stub.wait_ready()
        handle = await stub.send_command("status")
        response = await handle.wait_response()
        await bot.close()                     # before the stand-in closes
        await task

It answers the way Discord does where a bot can get it wrong: message and embed limits,
component limits, the 3-second first response, the 15-minute interaction token, command naming
rules, permissions (403s, hidden commands), rate limits on demand. Everything the client calls is
recorded in `stub.calls`; unknown routes answer 404 and are recorded too (`stub.unknown_calls`).

discord.py 2.7 behaviours this relies on or exposes:
- JSON is only parsed with `Content-Type: application/json` exactly (no charset).
- A 429 without a `Via` header is taken for a Cloudflare ban: raised, not retried.
- The HTTP client retries 500/502/504/524 after 1, 3, 5, 7 s and raises on other 5xx at once;
  the webhook adapter (interaction callbacks, follow-ups, edits) retries every 5xx that way.
- `on_ready` waits `guild_ready_timeout` (2 s) after the last GUILD_CREATE: pass a small one.
- Any IDENTIFY but a client's first sleeps 5 s (`Client.before_identify_hook`); RESUME does not.
"""

from __future__ import annotations

import asyncio
import bisect
import copy
import datetime
import hashlib
import json
import logging
import math
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final, Literal, Self, TypeVar

import discord
import yarl
from aiohttp import web

from tests.stubs.discord_gateway import Gateway
from tests.stubs.discord_rules import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    EVERYTHING_BUT_ADMIN,
    MESSAGE_FLAG_EPHEMERAL,
    MESSAGE_FLAG_LOADING,
    FormErrors,
    Overwrite,
    Perm,
    SnowflakeFactory,
    check_autocomplete,
    check_commands,
    check_message,
    check_modal,
    compute_permissions,
    is_empty_message,
)

__all__ = [
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "EVERYTHING_BUT_ADMIN",
    "Call",
    "ChannelSpec",
    "CommandUnavailable",
    "DiscordStub",
    "GuildSpec",
    "InteractionHandle",
    "InteractionResponse",
    "MemberSpec",
    "Overwrite",
    "Perm",
    "Pings",
    "RoleSpec",
    "StoredMessage",
    "UserSpec",
    "configure_discord_client",
]

JSON = dict[str, Any]
T = TypeVar("T")
_log = logging.getLogger(__name__)

API_PREFIX: Final = "/api/v10"
INTERACTION_DEADLINE: Final = 3.0
TOKEN_LIFETIME: Final = 15 * 60.0
ATTACHMENT_SIZE_LIMIT: Final = 10 * 1024 * 1024
ATTACHMENT_COUNT_LIMIT: Final = 10
CHANNEL_TEXT: Final = 0
CHANNEL_DM: Final = 1
CHANNEL_GROUP_DM: Final = 3
CHANNEL_CATEGORY: Final = 4
INTERACTION_COMMAND: Final = 2
INTERACTION_COMPONENT: Final = 3
INTERACTION_AUTOCOMPLETE: Final = 4
CONTEXT_GUILD: Final = 0
CONTEXT_BOT_DM: Final = 1
CONTEXT_PRIVATE_CHANNEL: Final = 2
GUILD_INSTALL: Final = "0"
USER_INSTALL: Final = "1"
MAX_USER_INSTALL_FOLLOWUPS: Final = 5
_SUPPRESS_EMBEDS: Final = 1 << 2
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
_USER_MENTION: Final = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION: Final = re.compile(r"<@&(\d+)>")
_SELECT_TYPES: Final = frozenset({3, 5, 6, 7, 8})


def configure_discord_client(api_base_url: str, gateway_url: str) -> None:
    """Points discord.py 2.x (checked on 2.7.1) at a stand-in; these two class attributes are all.

    - `discord.http.Route.BASE`: every REST call, including interaction callbacks, follow-ups and
      `@original` edits — `discord/webhook/async_.py` imports and uses `discord.http.Route`, it
      has no base URL of its own.
    - `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`: a plain `Client` connects there without
      asking `GET /gateway` (an `AutoShardedClient` asks `GET /gateway/bot`, which the stand-in
      answers with its own URL). After READY the client uses the READY's `resume_gateway_url`.

    Set them before `login()`. `discord.http._set_api_version()` would reset `Route.BASE`.
    """
    discord.http.Route.BASE = api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def _now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


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


class _DiscordError(Exception):
    def __init__(self, status: int, message: str, code: int, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"message": message, "code": code, **extra}

    @classmethod
    def form(cls, errors: FormErrors) -> _DiscordError:
        body = errors.body()
        return cls(400, body["message"], body["code"], errors=body["errors"])


_UNKNOWN_CHANNEL: Final = (404, "Unknown Channel", 10003)
_UNKNOWN_GUILD: Final = (404, "Unknown Guild", 10004)
_UNKNOWN_MEMBER: Final = (404, "Unknown Member", 10007)
_UNKNOWN_MESSAGE: Final = (404, "Unknown Message", 10008)
_UNKNOWN_USER: Final = (404, "Unknown User", 10013)
_UNKNOWN_WEBHOOK: Final = (404, "Unknown Webhook", 10015)
_UNKNOWN_INTERACTION: Final = (404, "Unknown interaction", 10062)
_UNKNOWN_COMMAND: Final = (404, "Unknown application command", 10063)
_MISSING_ACCESS: Final = (403, "Missing Access", 50001)
_MISSING_PERMISSIONS: Final = (403, "Missing Permissions", 50013)
_NOT_AUTHOR: Final = (403, "Cannot edit a message authored by another user", 50005)
_EMPTY_MESSAGE: Final = (400, "Cannot send an empty message", 50006)
_ALREADY_ACKNOWLEDGED: Final = (400, "Interaction has already been acknowledged.", 40060)
_INVALID_WEBHOOK_TOKEN: Final = (401, "Invalid Webhook Token", 50027)
_UNAUTHORIZED: Final = (401, "401: Unauthorized", 0)
_TOO_LARGE: Final = (413, "Request entity too large", 40005)
_INVALID_JSON: Final = (400, "The request body contains invalid JSON.", 50109)
_MAX_FOLLOWUPS: Final = (
    400,
    "This interaction has hit the maximum number of follow up messages",
    40094,
)


# --- the world --------------------------------------------------------------------------------


@dataclass(eq=False)
class UserSpec:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class RoleSpec:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class ChannelSpec:
    id: int
    guild_id: int
    name: str
    type: int = CHANNEL_TEXT
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    topic: str | None = None
    parent_id: int | None = None
    nsfw: bool = False

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [ow.payload() for ow in self.overwrites],
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "nsfw": self.nsfw,
            "flags": 0,
        }
        if self.type != CHANNEL_CATEGORY:
            data.update(
                topic=self.topic,
                last_message_id=None,
                rate_limit_per_user=0,
                default_auto_archive_duration=1440,
            )
        return data


@dataclass(eq=False)
class MemberSpec:
    user: UserSpec
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=_now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    def payload(self, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass(eq=False)
class GuildSpec:
    """A guild as the stand-in serves it. Mutate it before the client connects, or dispatch the
    matching event afterwards (`DiscordStub.update_channel`, `DiscordStub.dispatch`)."""

    id: int
    name: str
    owner: MemberSpec
    bot_member: MemberSpec
    tester: MemberSpec
    roles: dict[int, RoleSpec]
    channels: dict[int, ChannelSpec]
    members: dict[int, MemberSpec]
    ids: SnowflakeFactory = field(repr=False)

    @property
    def everyone(self) -> RoleSpec:
        return self.roles[self.id]

    @property
    def bot_role(self) -> RoleSpec:
        return next(r for r in self.roles.values() if r.bot_id == self.bot_member.id)

    @property
    def text_channels(self) -> list[ChannelSpec]:
        return [c for c in self.channels.values() if c.type == CHANNEL_TEXT]

    def channel(self, name: str) -> ChannelSpec:
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(name)

    def add_role(self, name: str, permissions: int = 0, *, mentionable: bool = False) -> RoleSpec:
        role = RoleSpec(
            self.ids.next(), self.id, name, permissions, len(self.roles), mentionable=mentionable
        )
        self.roles[role.id] = role
        return role

    def add_text_channel(
        self,
        name: str,
        *,
        bot_denied: int = 0,
        bot_allowed: int = 0,
        overwrites: Sequence[Overwrite] = (),
        topic: str | None = None,
        parent_id: int | None = None,
    ) -> ChannelSpec:
        """A text channel; `bot_denied`/`bot_allowed` add a member overwrite for the bot, e.g.
        `bot_denied=Perm.SEND_MESSAGES` or `Perm.EMBED_LINKS` or `Perm.VIEW_CHANNEL`."""
        all_overwrites = list(overwrites)
        if bot_denied or bot_allowed:
            all_overwrites.append(Overwrite(self.bot_member.id, 1, bot_allowed, bot_denied))
        channel = ChannelSpec(
            self.ids.next(),
            self.id,
            name,
            CHANNEL_TEXT,
            len(self.channels),
            all_overwrites,
            topic,
            parent_id,
        )
        self.channels[channel.id] = channel
        return channel

    def add_category(self, name: str) -> ChannelSpec:
        channel = ChannelSpec(self.ids.next(), self.id, name, CHANNEL_CATEGORY, len(self.channels))
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self, name: str | None = None, *, user_id: int | None = None, roles: Sequence[int] = ()
    ) -> MemberSpec:
        uid = user_id if user_id is not None else self.ids.next()
        member = MemberSpec(UserSpec(uid, name or f"user-{uid}"), list(roles))
        self.members[uid] = member
        return member

    def member(self, user_id: int) -> MemberSpec:
        """The member with this id, joining them (no roles) if they are new."""
        return self.members.get(user_id) or self.add_member(user_id=user_id)

    def permissions_for(self, user_id: int, channel_id: int | None = None) -> int:
        """Discord's resolution: guild-level without a channel, with overwrites with one."""
        member = self.members.get(user_id)
        channel = None if channel_id is None else self.channels[channel_id]
        return compute_permissions(
            guild_id=self.id,
            is_owner=user_id == self.owner.id,
            role_permissions={r.id: r.permissions for r in self.roles.values()},
            member_id=user_id,
            member_roles=member.roles if member else (),
            overwrites=None if channel is None else channel.overwrites,
        )

    def payload(self) -> JSON:
        """GUILD_CREATE's guild: with roles, channels and members (the bot's own included)."""
        return {
            **self.rest_payload(),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "joined_at": self.bot_member.joined_at,
            "channels": [c.payload() for c in self.channels.values()],
            "members": [m.payload() for m in self.members.values()],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def rest_payload(self) -> JSON:
        """`GET /guilds/{id}`'s guild: no channels or members."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [r.payload() for r in self.roles.values()],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "max_members": 500000,
            "application_id": None,
            "incidents_data": None,
        }


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One REST request the client made, with what the stand-in answered."""

    method: str
    path: str
    route: str | None
    query: Mapping[str, str]
    json: Any
    files: tuple[str, ...]
    status: int
    response: Any
    time: float


@dataclass(frozen=True)
class Pings:
    """Who a message notifies, from its content and the `allowed_mentions` sent with it
    (absent means Discord's default: users, roles and @everyone/@here all ping)."""

    everyone: bool
    users: frozenset[int]
    roles: frozenset[int]

    def __bool__(self) -> bool:
        return self.everyone or bool(self.users) or bool(self.roles)


@dataclass(eq=False)
class StoredMessage:
    """A message the bot made. `payload` is Discord's message object as last answered;
    `allowed_mentions` is what the bot sent (None if it sent none); `source` is "channel",
    "interaction" (a callback or an `@original`) or "followup"; `embeds_suppressed` is set when
    the bot lacked Embed Links in the channel and Discord dropped the embeds."""

    payload: JSON
    allowed_mentions: JSON | None
    source: Literal["channel", "interaction", "followup"]
    interaction_id: int | None = None
    embeds_suppressed: bool = False
    deleted: bool = False

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def content(self) -> str:
        return str(self.payload.get("content") or "")

    @property
    def embeds(self) -> list[JSON]:
        return list(self.payload.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        return list(self.payload.get("components") or [])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.payload.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL)

    @property
    def pings(self) -> Pings:
        content = self.content
        allowed = self.allowed_mentions
        parse = (
            {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
        )
        users = {int(u) for u in _USER_MENTION.findall(content)}
        roles = {int(r) for r in _ROLE_MENTION.findall(content)}
        if "users" not in parse:
            users &= {int(u) for u in (allowed or {}).get("users") or []}
        if "roles" not in parse:
            roles &= {int(r) for r in (allowed or {}).get("roles") or []}
        everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
        return Pings(everyone, frozenset(users), frozenset(roles))


@dataclass(frozen=True)
class InteractionResponse:
    """One answer the bot gave to an interaction: `kind` "callback", "edit", "followup" or
    "delete"; `type` the callback type (4 message, 5 defer, 6 deferred update, 7 update,
    8 autocomplete, 9 modal); `data` what it sent (the callback's `data`, or the message body);
    `status` what the stand-in answered; `error` the error body; `latency` seconds from the
    stand-in's dispatch to receipt; `message` the message object right after this answer."""

    kind: Literal["callback", "edit", "followup", "delete"]
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


class _Waitable:
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


class InteractionHandle(_Waitable):
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
        self.place = _Place(CONTEXT_GUILD, {})
        # Set where Discord makes every answer ephemeral (a user install without the bot in
        # the server, for a member without Use External Apps).
        self.forced_ephemeral = False

    def __repr__(self) -> str:
        return f"<InteractionHandle {self.name!r} id={self.id} type={self.type}>"

    def backdate(self, seconds: float) -> None:
        """Pretends the interaction was dispatched `seconds` earlier (to test the 3 s and
        15 min limits without waiting)."""
        self.dispatched_at -= seconds

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
                    and r.kind != "delete"
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


@dataclass(frozen=True)
class _Place:
    """Where an interaction happens: Discord's `context` and `authorizing_integration_owners`."""

    context: int
    owners: dict[str, str]


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: float
    is_global: bool
    body: JSON | None


@dataclass(frozen=True)
class _File:
    filename: str
    size: int
    content_type: str
    part: str = ""
    """The multipart field it came in (`files[0]`)."""
    data: bytes = field(default=b"", repr=False)


@dataclass
class _Request:
    method: str
    path: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    files: list[_File]
    received: float

    def param(self, name: str) -> int:
        return self._snowflake(name, self.params[name])

    def query_int(self, name: str, default: int) -> int:
        value = self.query.get(name)
        return default if value is None else self._snowflake(name, value)

    @staticmethod
    def _snowflake(name: str, value: str) -> int:
        try:
            return int(value)
        except ValueError:
            errors = FormErrors()
            errors.add((name,), "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
            raise _DiscordError.form(errors) from None

    @property
    def json(self) -> JSON:
        return self.body if isinstance(self.body, dict) else {}


Reply = tuple[int, Any]
Handler = Callable[[_Request], Awaitable[Reply]]


def _ratelimit_headers(
    bucket: str, *, limit: int, remaining: int, reset_after: float
) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }


def _json_response(status: int, body: Any, headers: dict[str, str]) -> web.Response:
    if body is None:
        return web.Response(status=204 if status == 200 else status, headers=headers)
    # `web.json_response` would say `application/json; charset=utf-8`, which discord.py reads
    # as text: the header must be exactly `application/json`.
    headers["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)


def _find_component(components: Sequence[Any], custom_id: str) -> JSON | None:
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id:
            return component
        for key in ("components", "accessory"):
            nested = component.get(key)
            children = nested if isinstance(nested, list) else [nested]
            found = _find_component(children, custom_id)
            if found is not None:
                return found
    return None


def _number_components(components: Sequence[Any], counter: list[int]) -> list[Any]:
    """Copies components, giving each the sequential `id` Discord assigns."""
    numbered: list[Any] = []
    for component in components:
        if not isinstance(component, dict):
            numbered.append(component)
            continue
        counter[0] += 1
        item = {**component}
        item.setdefault("id", counter[0])
        if isinstance(item.get("components"), list):
            item["components"] = _number_components(item["components"], counter)
        if isinstance(item.get("accessory"), dict):
            item["accessory"] = _number_components([item["accessory"]], counter)[0]
        numbered.append(item)
    return numbered


def _normalize_embeds(embeds: Any) -> list[JSON]:
    return [{"type": "rich", **e} for e in embeds or [] if isinstance(e, dict)]


# --- the stand-in -----------------------------------------------------------------------------


def _link_attachments(payload: JSON) -> None:
    """Points each embed image or thumbnail `attachment://name` at the message's file of
    that name, with its CDN URLs, as Discord answers. A name no attached file has is
    refused (Discord would show a broken picture; the stand-in makes it an error)."""
    files = {a["filename"]: a for a in payload.get("attachments") or []}
    errors = FormErrors()
    for index, embed in enumerate(payload.get("embeds") or []):
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            url = media.get("url") if isinstance(media, dict) else None
            if not isinstance(url, str) or not url.startswith("attachment://"):
                continue
            attachment = files.get(url.removeprefix("attachment://"))
            if attachment is None:
                errors.add(
                    ("embeds", index, key, "url"),
                    "ATTACHMENT_NOT_FOUND",
                    f"No attached file is named {url.removeprefix('attachment://')!r}.",
                )
                continue
            embed[key] = dict(media, url=attachment["url"], proxy_url=attachment["proxy_url"])
    if errors:
        raise _DiscordError.form(errors)


class DiscordStub:
    """Discord's REST API and gateway on 127.0.0.1, for the real discord.py client.

    `token=None` accepts any token; a string makes REST (`Authorization: Bot <token>`) and
    IDENTIFY check it. `disallowed_intents` closes IDENTIFY with 4014 when requested.
    Every answer carries `X-RateLimit-Limit: rate_limit`, `Remaining: rate_limit - 1`,
    `Reset-After: 1`; discord.py paces concurrent calls to one bucket (e.g. one channel's
    messages) to about `rate_limit` per second against that, so raise it for load tests.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_name: str = "Capcom Test",
        heartbeat_interval_ms: int = 41_250,
        disallowed_intents: int = 0,
        rate_limit: int = 5,
    ) -> None:
        self._ids = SnowflakeFactory()
        self.rate_limit = rate_limit
        self.application_id = self._ids.next()
        self.bot_user = UserSpec(self.application_id, bot_name, bot=True)
        self.owner_user = UserSpec(self._ids.next(), "app-owner")
        self.token = token
        self.guilds: dict[int, GuildSpec] = {}
        self.guilds_without_bot: dict[int, GuildSpec] = {}
        self.user_installs: set[int] = set()
        self.calls: list[Call] = []
        self.failures: list[Exception] = []
        self.gateway = Gateway(
            self, heartbeat_interval_ms=heartbeat_interval_ms, disallowed_intents=disallowed_intents
        )
        self._messages: dict[int, StoredMessage] = {}
        self.uploads: dict[int, bytes] = {}
        """The bytes of every file attached to a message, by attachment id."""
        self._channel_messages: dict[int, list[int]] = {}
        self._gone_channels: dict[int, tuple[int, str, int]] = {}
        self._commands: dict[int | None, dict[tuple[int, str], JSON]] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._interactions: dict[int, InteractionHandle] = {}
        self._by_token: dict[str, InteractionHandle] = {}
        self._dm_channels: dict[int, int] = {}
        self._private_channels: dict[int, int] = {}
        self._faults: dict[tuple[str, str], _Fault] = {}
        self._holds: dict[tuple[str, str], asyncio.Event] = {}
        self._call_waiters = _Waitable()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._port = 0

    # lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        address = self._runner.addresses[0]
        self._port = int(address[1])

    async def close(self) -> None:
        await self.gateway.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    @property
    def ready(self) -> asyncio.Event:
        """Set once a client has identified (or resumed) and been sent its guilds; cleared
        while its socket is down."""
        return self.gateway.ready

    @property
    def connections(self) -> int:
        """Gateway websockets accepted so far (a reconnect or restart adds one)."""
        return self.gateway.connections

    def wait_ready(self, timeout: float = 5.0) -> Awaitable[None]:
        """Waits until `ready` is set (see there)."""
        return self._wait_ready(timeout)

    async def _wait_ready(self, seconds: float) -> None:
        async with asyncio.timeout(seconds):
            await self.gateway.ready.wait()

    # the world

    def add_guild(
        self,
        guild_id: int | None = None,
        *,
        name: str = "Test Guild",
        channels: Sequence[str] = ("general",),
        roles: Mapping[str, int] | None = None,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        with_bot: bool = True,
    ) -> GuildSpec:
        """A guild with an owner, the bot (its managed role gets `bot_permissions`; the bot's
        guild permissions are that OR `everyone_permissions`), a plain member `tester` (the
        default user of injected interactions), text channels named `channels` and roles
        `roles` (name → permissions). Added while a client is connected, it gets GUILD_CREATE.
        `with_bot=False` is a server the bot is not in (kept in `guilds_without_bot`): the
        client never hears of it, but a user who installed the app can use its user-install
        commands there (`install_for_user`).
        """
        gid = guild_id if guild_id is not None else self._ids.next()
        everyone = RoleSpec(gid, gid, "@everyone", everyone_permissions)
        bot_role = RoleSpec(
            self._ids.next(),
            gid,
            self.bot_user.username,
            bot_permissions,
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        owner = MemberSpec(UserSpec(self._ids.next(), "guild-owner"))
        bot_member = MemberSpec(self.bot_user, [bot_role.id])
        tester = MemberSpec(UserSpec(self._ids.next(), "tester"))
        guild = GuildSpec(
            id=gid,
            name=name,
            owner=owner,
            bot_member=bot_member,
            tester=tester,
            roles={everyone.id: everyone, bot_role.id: bot_role},
            channels={},
            members={m.id: m for m in (owner, bot_member, tester)},
            ids=self._ids,
        )
        for role_name, permissions in (roles or {}).items():
            guild.add_role(role_name, permissions)
        for channel_name in channels:
            guild.add_text_channel(channel_name)
        if not with_bot:
            del guild.members[bot_member.id], guild.roles[bot_role.id]
            self.guilds_without_bot[gid] = guild
            return guild
        self.guilds[gid] = guild
        if self.gateway.session is not None:
            joined = guild.payload()
            del joined["unavailable"]  # absent on a join; `false` means "available again"
            self._spawn(self.gateway.dispatch("GUILD_CREATE", joined))
        return guild

    @property
    def default_guild(self) -> GuildSpec:
        if not self.guilds:
            raise LookupError("no guild: call add_guild() first")
        return next(iter(self.guilds.values()))

    def find_channel(self, channel_id: int) -> tuple[GuildSpec, ChannelSpec]:
        for guild in self.guilds.values():
            channel = guild.channels.get(channel_id)
            if channel is not None:
                return guild, channel
        raise KeyError(channel_id)

    def install_for_user(self, user: UserSpec | MemberSpec | int) -> None:
        """The user adds the app to their account (OAuth2 `integration_type=1`): commands
        with integration type 1 follow them into DMs, group DMs and servers without the bot."""
        self.user_installs.add(user if isinstance(user, int) else user.id)

    async def delete_channel(self, channel_id: int) -> None:
        """Deletes a channel and dispatches CHANNEL_DELETE; later calls to it answer 404
        Unknown Channel (10003)."""
        guild, channel = self.find_channel(channel_id)
        del guild.channels[channel_id]
        self._gone_channels[channel_id] = _UNKNOWN_CHANNEL
        if self.gateway.session is not None:
            await self.gateway.dispatch("CHANNEL_DELETE", channel.payload())

    async def update_channel(self, channel_id: int) -> None:
        """Dispatches CHANNEL_UPDATE with the channel as it is now (after editing its spec)."""
        _, channel = self.find_channel(channel_id)
        await self.gateway.dispatch("CHANNEL_UPDATE", channel.payload())

    async def remove_guild(self, guild_id: int) -> None:
        """The bot is removed from a guild: GUILD_DELETE; its channels answer 403 Missing Access."""
        guild = self.guilds.pop(guild_id)
        for channel_id in guild.channels:
            self._gone_channels[channel_id] = _MISSING_ACCESS
        if self.gateway.session is not None:
            await self.gateway.dispatch("GUILD_DELETE", {"id": str(guild_id)})

    async def dispatch(self, event: str, data: object) -> None:
        """Sends any gateway event (e.g. "CHANNEL_DELETE") to the connected client."""
        await self.gateway.dispatch(event, data)

    async def disconnect(self, code: int = 4000) -> None:
        """Drops the client's gateway socket; discord.py reconnects and RESUMEs."""
        await self.gateway.disconnect(code)

    def fail_next(
        self,
        method: str,
        route: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: float = 0.5,
        is_global: bool = False,
        body: JSON | None = None,
    ) -> None:
        """Makes the next `times` calls of `method route` answer `status` before anything else
        is checked. `route` is a template as in `Call.route` ("/channels/{channel_id}/messages")
        or a concrete path. 429 answers carry Discord's body and headers, including the `Via`
        header without which discord.py treats a 429 as a Cloudflare ban and does not retry."""
        self._faults[(method.upper(), route)] = _Fault(status, times, retry_after, is_global, body)

    def hold_next(self, method: str, route: str) -> asyncio.Event:
        """Makes the next call of `method route` take effect (e.g. the message is stored)
        but hold its answer until the returned event is set: a test can kill the client
        in the window between Discord accepting a message and the client hearing so."""
        release = asyncio.Event()
        self._holds[(method.upper(), route)] = release
        return release

    # records

    @property
    def unknown_calls(self) -> list[Call]:
        return [c for c in self.calls if c.route is None]

    def channel_messages(self, channel_id: int) -> list[StoredMessage]:
        """Messages in a channel, oldest first: the bot's `channel.send`s and its non-ephemeral
        interaction replies and follow-ups (check `StoredMessage.source`); deleted ones drop out."""
        return [self._messages[m] for m in self._channel_messages.get(channel_id, [])]

    def message(self, message_id: int) -> StoredMessage:
        return self._messages[message_id]

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """The synced commands: global ones, or a guild's."""
        return list(self._commands.get(guild_id, {}).values())

    def wait_for_call(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0
    ) -> Awaitable[Call]:
        """The first recorded call (past or future) matching `predicate`."""
        return self._call_waiters._wait_until(
            lambda: next((c for c in self.calls if predicate(c)), None), timeout, "matching call"
        )

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

    def _visible_command(
        self,
        name: str,
        where: tuple[GuildSpec | None, ChannelSpec | None, MemberSpec],
        permissions: int,
        override: bool,
        private_channel: bool,
    ) -> tuple[JSON, _Place]:
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
        place = _Place(context, self._owners(command, guild, member, context))
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

    def _component(self, custom_id: str, message: int | StoredMessage | JSON) -> tuple[JSON, JSON]:
        if isinstance(message, int):
            stored = self._messages.get(message)
            if stored is None or stored.deleted:
                raise ValueError(f"no message {message}")
            payload = stored.payload
        elif isinstance(message, StoredMessage):
            payload = message.payload
        else:
            payload = message
            if int(payload["id"]) not in self._messages:
                self._messages[int(payload["id"])] = StoredMessage(payload, None, "channel")
        component = _find_component(payload.get("components") or [], custom_id)
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
            place = _Place(CONTEXT_BOT_DM if guild is None else CONTEXT_GUILD, owners)
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
        place: _Place,
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
        place: _Place,
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
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
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

    def find_user(self, user_id: int) -> UserSpec | None:
        for user in (self.bot_user, self.owner_user):
            if user.id == user_id:
                return user
        for guild in self.guilds.values():
            member = guild.members.get(user_id)
            if member is not None:
                return member.user
        return None

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
        await self.gateway.dispatch("INTERACTION_CREATE", handle.payload)
        return handle

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- gateway world (GatewayWorld protocol) ------------------------------------------------

    def check_token(self, token: object) -> bool:
        return self.token is None or token == self.token

    def ready_payload(self, session_id: str, identify: object) -> JSON:
        data: JSON = {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["discord-stand-in"],
        }
        shard = identify.get("shard") if isinstance(identify, dict) else None
        if shard is not None:
            data["shard"] = shard
        return data

    def guild_create_payloads(self) -> list[JSON]:
        return [g.payload() for g in self.guilds.values()]

    def guild_members(self, guild_id: int) -> list[JSON]:
        guild = self.guilds.get(guild_id)
        return [] if guild is None else [m.payload() for m in guild.members.values()]

    # --- HTTP plumbing ------------------------------------------------------------------------

    def _add_routes(self, app: web.Application) -> None:
        app_commands = "/applications/{application_id}"
        guild_commands = app_commands + "/guilds/{guild_id}"
        webhook = "/webhooks/{application_id}/{token}"
        channel = "/channels/{channel_id}"
        routes: list[tuple[str, str, Handler, bool]] = [
            ("GET", "/users/@me", self._get_me, True),
            ("GET", "/users/{user_id}", self._get_user, True),
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/applications/@me", self._get_application, True),
            ("GET", "/gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
        ]
        for scope in (app_commands, guild_commands):
            routes += [
                ("GET", scope + "/commands", self._list_commands, True),
                ("PUT", scope + "/commands", self._put_commands, True),
                ("POST", scope + "/commands", self._post_command, True),
                ("GET", scope + "/commands/{command_id}", self._get_command, True),
                ("PATCH", scope + "/commands/{command_id}", self._patch_command, True),
                ("DELETE", scope + "/commands/{command_id}", self._delete_command, True),
            ]
        routes += [
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback, False),
            ("POST", webhook, self._followup, False),
            ("GET", webhook + "/messages/{message_id}", self._get_webhook_message, False),
            ("PATCH", webhook + "/messages/{message_id}", self._edit_webhook_message, False),
            ("DELETE", webhook + "/messages/{message_id}", self._delete_webhook_message, False),
            ("GET", channel, self._get_channel, True),
            ("GET", channel + "/messages", self._list_messages, True),
            ("POST", channel + "/messages", self._post_message, True),
            ("GET", channel + "/messages/{message_id}", self._get_message, True),
            ("PATCH", channel + "/messages/{message_id}", self._edit_message, True),
            ("DELETE", channel + "/messages/{message_id}", self._delete_message, True),
            ("POST", channel + "/typing", self._typing, True),
            ("GET", "/guilds/{guild_id}", self._get_guild, True),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels, True),
            ("GET", "/guilds/{guild_id}/roles", self._get_guild_roles, True),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member, True),
        ]
        for method, template, handler, auth in routes:
            app.router.add_route(
                method, API_PREFIX + template, self._endpoint(method, template, handler, auth)
            )
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self._unknown)

    def _endpoint(
        self, method: str, template: str, handler: Handler, auth: bool
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        bucket = hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:32]

        async def serve(request: web.Request) -> web.StreamResponse:
            return await self._serve(request, template, handler, auth, bucket)

        return serve

    async def _serve(
        self, request: web.Request, template: str, handler: Handler, auth: bool, bucket: str
    ) -> web.StreamResponse:
        received = time.monotonic()
        path = request.path[len(API_PREFIX) :]
        headers = self._success_headers(bucket)
        req = _Request(
            request.method, path, request.match_info, dict(request.query), None, [], received
        )
        try:
            req.body, req.files = await self._read_body(request)
            fault = self._take_fault(request.method, template, path)
            if fault is not None:
                status, body, headers = self._fault_reply(fault, bucket)
            elif (
                auth
                and self.token is not None
                and request.headers.get("Authorization") != f"Bot {self.token}"
            ):
                raise _DiscordError(*_UNAUTHORIZED)
            else:
                status, body = await handler(req)
        except _DiscordError as exc:
            status, body = exc.status, exc.body
        except Exception as exc:
            # A stand-in bug: 503 makes discord.py's HTTPClient raise at once (500 would be
            # retried with sleeps). Tests can assert `not stub.failures`.
            _log.exception("stand-in failure on %s %s", request.method, path)
            self.failures.append(exc)
            status, body = 503, {"message": f"stand-in failure: {exc!r}", "code": 0}
        self._record(req, template, status, body)
        release = self._holds.pop((request.method, template), None) or self._holds.pop(
            (request.method, path), None
        )
        if release is not None:
            await release.wait()
        return _json_response(status, body, headers)

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        path = (
            request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else request.path
        )
        req = _Request(request.method, path, {}, dict(request.query), None, [], time.monotonic())
        try:
            req.body, req.files = await self._read_body(request)
        except _DiscordError:
            req.body = None
        body = {"message": "404: Not Found", "code": 0}
        self._record(req, None, 404, body)
        return _json_response(404, body, {})

    async def _read_body(self, request: web.Request) -> tuple[Any, list[_File]]:
        if not request.body_exists:
            return None, []
        if request.content_type == "multipart/form-data":
            form = await request.post()
            payload: Any = None
            files: list[_File] = []
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files.append(_File(value.filename, len(data), value.content_type, name, data))
                elif name == "payload_json":
                    payload = self._parse_json(value if isinstance(value, str) else value.decode())
            return payload, files
        raw = await request.text()
        return (self._parse_json(raw) if raw.strip() else None), []

    @staticmethod
    def _parse_json(raw: str) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            raise _DiscordError(*_INVALID_JSON) from None

    def _take_fault(self, method: str, template: str, path: str) -> _Fault | None:
        if not self._faults:
            return None
        for key in ((method, template), (method, path)):
            fault = self._faults.get(key)
            if fault is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._faults[key]
                return fault
        return None

    def _success_headers(self, bucket: str) -> dict[str, str]:
        return _ratelimit_headers(
            bucket, limit=self.rate_limit, remaining=self.rate_limit - 1, reset_after=1.0
        )

    def _fault_reply(self, fault: _Fault, bucket: str) -> tuple[int, JSON, dict[str, str]]:
        if fault.status != 429:
            body = fault.body or {"message": f"{fault.status}: Server Error", "code": 0}
            return fault.status, body, self._success_headers(bucket)
        headers = _ratelimit_headers(
            bucket, limit=self.rate_limit, remaining=0, reset_after=fault.retry_after
        )
        headers.update(
            {
                "Retry-After": str(math.ceil(fault.retry_after)),
                "X-RateLimit-Scope": "global" if fault.is_global else "user",
                "Via": "1.1 google",
            }
        )
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = fault.body or {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.is_global,
        }
        return 429, body, headers

    def _record(self, req: _Request, route: str | None, status: int, body: Any) -> None:
        self.calls.append(
            Call(
                method=req.method,
                path=req.path,
                route=route,
                query=req.query,
                json=req.body,
                files=tuple(f.filename for f in req.files),
                status=status,
                response=body,
                time=req.received,
            )
        )
        self._call_waiters._notify()

    # --- REST: users, application, gateway ----------------------------------------------------

    async def _get_me(self, req: _Request) -> Reply:
        return 200, {
            **self.bot_user.payload(),
            "verified": True,
            "mfa_enabled": False,
            "email": None,
        }

    async def _get_user(self, req: _Request) -> Reply:
        user = self.find_user(req.param("user_id"))
        if user is None:
            raise _DiscordError(*_UNKNOWN_USER)
        return 200, user.payload()

    async def _get_application(self, req: _Request) -> Reply:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.owner_user.payload(),
            "team": None,
            "flags": 0,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
            "bot": self.bot_user.payload(),
        }

    async def _get_gateway(self, req: _Request) -> Reply:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, req: _Request) -> Reply:
        return 200, {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    # --- REST: application commands -----------------------------------------------------------

    def _command_scope(self, req: _Request) -> int | None:
        if req.param("application_id") != self.application_id:
            raise _DiscordError(*_MISSING_ACCESS)
        if "guild_id" not in req.params:
            return None
        guild_id = req.param("guild_id")
        if guild_id not in self.guilds:
            raise _DiscordError(*_MISSING_ACCESS)
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

    def _command_by_id(self, scope: int | None, req: _Request) -> tuple[tuple[int, str], JSON]:
        command_id = str(req.param("command_id"))
        for key, command in self._commands.get(scope, {}).items():
            if command["id"] == command_id:
                return key, command
        raise _DiscordError(*_UNKNOWN_COMMAND)

    async def _list_commands(self, req: _Request) -> Reply:
        return 200, list(self._commands.get(self._command_scope(req), {}).values())

    async def _put_commands(self, req: _Request) -> Reply:
        scope = self._command_scope(req)
        errors = FormErrors()
        check_commands(req.body, errors)
        if errors:
            raise _DiscordError.form(errors)
        self._commands[scope] = {}
        return 200, [self._store_command(scope, raw) for raw in req.body]

    async def _post_command(self, req: _Request) -> Reply:
        scope = self._command_scope(req)
        errors = FormErrors()
        check_commands([req.body], errors)
        if errors:
            raise _DiscordError.form(errors)
        exists = (int(req.json.get("type", 1)), req.json.get("name")) in self._commands.get(
            scope, {}
        )
        return (200 if exists else 201), self._store_command(scope, req.json)

    async def _get_command(self, req: _Request) -> Reply:
        return 200, self._command_by_id(self._command_scope(req), req)[1]

    async def _patch_command(self, req: _Request) -> Reply:
        scope = self._command_scope(req)
        key, command = self._command_by_id(scope, req)
        merged = {**command, **req.json}
        errors = FormErrors()
        check_commands([merged], errors)
        if errors:
            raise _DiscordError.form(errors)
        del self._commands[scope][key]
        return 200, self._store_command(scope, merged)

    async def _delete_command(self, req: _Request) -> Reply:
        scope = self._command_scope(req)
        key, _ = self._command_by_id(scope, req)
        del self._commands[scope][key]
        return 204, None

    # --- REST: interactions -------------------------------------------------------------------

    async def _callback(self, req: _Request) -> Reply:
        handle = self._interactions.get(req.param("interaction_id"))
        if handle is None or handle.token != req.params["token"]:
            raise _DiscordError(*_UNKNOWN_INTERACTION)
        body = req.json
        ctype = body.get("type")
        data = body.get("data")
        latency = req.received - handle.dispatched_at
        try:
            message = self._accept_callback(handle, req, ctype, data, latency)
        except _DiscordError as exc:
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
        self, handle: InteractionHandle, req: _Request, ctype: Any, data: Any, latency: float
    ) -> StoredMessage | None:
        if handle.acknowledged is not None:
            raise _DiscordError(*_ALREADY_ACKNOWLEDGED)
        if latency > INTERACTION_DEADLINE:
            raise _DiscordError(*_UNKNOWN_INTERACTION)
        errors = FormErrors()
        if ctype not in _CALLBACK_TYPES.get(handle.type, frozenset()):
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type")
            raise _DiscordError.form(errors)
        message_data = data if isinstance(data, dict) else {}
        if ctype in (4, 7):
            check_message(message_data, errors, ("data",))
        elif ctype == 8:
            check_autocomplete(data, errors, ("data",))
        elif ctype == 9:
            check_modal(data, errors, ("data",))
        if errors:
            raise _DiscordError.form(errors)
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

    def _webhook_handle(self, req: _Request) -> InteractionHandle:
        handle = self._by_token.get(req.params["token"])
        if handle is None or req.param("application_id") != self.application_id:
            raise _DiscordError(*_UNKNOWN_WEBHOOK)
        return handle

    def _check_webhook(self, handle: InteractionHandle, req: _Request) -> None:
        if req.received - handle.dispatched_at > TOKEN_LIFETIME:
            raise _DiscordError(*_INVALID_WEBHOOK_TOKEN)
        if handle.acknowledged is None:
            raise _DiscordError(*_UNKNOWN_WEBHOOK)

    def _webhook_message(self, handle: InteractionHandle, req: _Request) -> StoredMessage:
        raw = req.params["message_id"]
        message_id = handle.original_id if raw == "@original" else req.param("message_id")
        message = None if message_id is None else self._messages.get(message_id)
        if message is None or message.deleted or message.id not in handle.message_ids:
            raise _DiscordError(*_UNKNOWN_MESSAGE)
        return message

    def _webhook_answer(
        self,
        req: _Request,
        kind: Literal["edit", "followup", "delete"],
        act: Callable[[InteractionHandle], StoredMessage],
    ) -> StoredMessage:
        """Runs a follow-up/edit/delete for an interaction token and records it on the handle."""
        handle = self._webhook_handle(req)
        latency = req.received - handle.dispatched_at
        files = tuple(f.filename for f in req.files)
        try:
            self._check_webhook(handle, req)
            message = act(handle)
        except _DiscordError as exc:
            error = InteractionResponse(
                kind, None, req.body, exc.status, latency, error=exc.body, files=files
            )
            handle._record(error)
            raise
        status, snapshot = (204, None) if kind == "delete" else (200, dict(message.payload))
        handle._record(
            InteractionResponse(kind, None, req.body, status, latency, snapshot, None, files)
        )
        return message

    def _send_followup(self, handle: InteractionHandle, req: _Request) -> StoredMessage:
        if set(handle.place.owners) == {USER_INSTALL}:
            sent = sum(1 for r in handle.responses if r.kind == "followup" and r.ok)
            if sent >= MAX_USER_INSTALL_FOLLOWUPS:
                raise _DiscordError(*_MAX_FOLLOWUPS)
        original = None if handle.original_id is None else self._messages.get(handle.original_id)
        if original is not None and int(original.payload.get("flags") or 0) & MESSAGE_FLAG_LOADING:
            # Discord turns the first follow-up after a defer into the deferred message.
            self._edit(original, req.json, req.files)
            return original
        errors = FormErrors()
        check_message(req.json, errors)
        if errors:
            raise _DiscordError.form(errors)
        return self._create_message(handle.channel_id, req.json, req.files, "followup", handle)

    def _edit_for(self, handle: InteractionHandle, req: _Request) -> StoredMessage:
        message = self._webhook_message(handle, req)
        self._edit(message, req.json, req.files)
        return message

    def _delete_for(self, handle: InteractionHandle, req: _Request) -> StoredMessage:
        message = self._webhook_message(handle, req)
        self._delete(message)
        return message

    async def _followup(self, req: _Request) -> Reply:
        message = self._webhook_answer(req, "followup", lambda h: self._send_followup(h, req))
        if req.query.get("wait", "").lower() in ("1", "true"):
            return 200, message.payload
        return 204, None

    async def _get_webhook_message(self, req: _Request) -> Reply:
        handle = self._webhook_handle(req)
        self._check_webhook(handle, req)
        return 200, self._webhook_message(handle, req).payload

    async def _edit_webhook_message(self, req: _Request) -> Reply:
        return 200, self._webhook_answer(req, "edit", lambda h: self._edit_for(h, req)).payload

    async def _delete_webhook_message(self, req: _Request) -> Reply:
        self._webhook_answer(req, "delete", lambda h: self._delete_for(h, req))
        return 204, None

    # --- messages -----------------------------------------------------------------------------

    def _attachments(self, channel_id: int, body: JSON, files: Sequence[_File]) -> list[JSON]:
        described = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        if len(files) > ATTACHMENT_COUNT_LIMIT:
            errors = FormErrors()
            errors.add(("files",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
            raise _DiscordError.form(errors)
        attachments: list[JSON] = []
        for index, file in enumerate(files):
            if file.size > ATTACHMENT_SIZE_LIMIT:
                raise _DiscordError(*_TOO_LARGE)
            # Discord matches the part `files[n]` with the `attachments` entry of id n.
            named = file.part.startswith("files[") and file.part.endswith("]")
            entry = described.get(file.part[6:-1] if named else str(index), {})
            attachment_id = self._ids.next()
            filename = str(entry.get("filename") or file.filename)
            url = f"attachments/{channel_id}/{attachment_id}/{filename}"
            self.uploads[attachment_id] = file.data
            attachments.append(
                {
                    "id": str(attachment_id),
                    "filename": filename,
                    "description": entry.get("description"),
                    "size": file.size,
                    "content_type": file.content_type,
                    "url": f"https://cdn.discordapp.com/{url}",
                    "proxy_url": f"https://media.discordapp.net/{url}",
                }
            )
        return attachments

    def _create_message(
        self,
        channel_id: int,
        body: JSON,
        files: Sequence[_File],
        source: Literal["channel", "interaction", "followup"],
        handle: InteractionHandle | None,
        *,
        embeds_allowed: bool = True,
        allow_empty: bool = False,
    ) -> StoredMessage:
        message_id = self._ids.next()
        embeds = _normalize_embeds(body.get("embeds"))
        payload: JSON = {
            "id": str(message_id),
            "type": 0,
            "channel_id": str(channel_id),
            "author": self.bot_user.payload(),
            "content": body.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(channel_id, body, files),
            "embeds": embeds if embeds_allowed else [],
            "pinned": False,
            "flags": int(body.get("flags") or 0)
            | (MESSAGE_FLAG_EPHEMERAL if handle is not None and handle.forced_ephemeral else 0),
            "components": _number_components(body.get("components") or [], [0]),
        }
        for key in ("nonce", "message_reference", "poll", "sticker_ids"):
            if body.get(key) is not None:
                payload[key] = body[key]
        if not allow_empty and is_empty_message(payload) and not (embeds and not embeds_allowed):
            raise _DiscordError(*_EMPTY_MESSAGE)
        _link_attachments(payload)
        if handle is not None:
            user = handle.payload.get("member", {}).get("user") or handle.payload.get("user")
            payload.update(
                type=20 if handle.type == INTERACTION_COMMAND else 0,
                webhook_id=str(self.application_id),
                application_id=str(self.application_id),
                interaction_metadata={
                    "id": str(handle.id),
                    "type": handle.type,
                    "user": user,
                    "authorizing_integration_owners": handle.payload[
                        "authorizing_integration_owners"
                    ],
                },
            )
        message = StoredMessage(
            payload,
            body.get("allowed_mentions"),
            source,
            None if handle is None else handle.id,
            embeds_suppressed=bool(embeds) and not embeds_allowed,
        )
        self._finish_message(message)
        self._messages[message_id] = message
        if handle is not None:
            handle.message_ids.add(message_id)
        if not message.ephemeral:
            self._channel_messages.setdefault(channel_id, []).append(message_id)
        return message

    def _finish_message(self, message: StoredMessage) -> None:
        """Fills the mention fields from the content and the bot's `allowed_mentions`."""
        pings = message.pings
        payload = message.payload
        payload["mention_everyone"] = pings.everyone
        payload["mention_roles"] = [str(r) for r in sorted(pings.roles)]
        users: list[JSON] = []
        for guild in self.guilds.values():
            users.extend(guild.members[u].user.payload() for u in pings.users if u in guild.members)
        payload["mentions"] = users

    def _edit(
        self,
        message: StoredMessage,
        body: JSON,
        files: Sequence[_File],
        *,
        embeds_allowed: bool = True,
    ) -> None:
        errors = FormErrors()
        check_message(body, errors)
        if errors:
            raise _DiscordError.form(errors)
        payload = dict(message.payload)
        was_loading = bool(int(payload.get("flags") or 0) & MESSAGE_FLAG_LOADING)
        if "content" in body:
            payload["content"] = body["content"] or ""
        suppressed = message.embeds_suppressed
        if "embeds" in body:
            embeds = _normalize_embeds(body["embeds"])
            suppressed = bool(embeds) and not embeds_allowed
            payload["embeds"] = embeds if embeds_allowed else []
        if "components" in body:
            payload["components"] = _number_components(body["components"] or [], [0])
        if "poll" in body:
            payload["poll"] = body["poll"]
        new_attachments = self._attachments(message.channel_id, body, files)
        if "attachments" in body:
            keep = {str(a.get("id")) for a in body["attachments"] or [] if isinstance(a, dict)}
            payload["attachments"] = [a for a in payload["attachments"] if a["id"] in keep]
        payload["attachments"] = [*payload["attachments"], *new_attachments]
        _link_attachments(payload)
        flags = int(payload.get("flags") or 0) & ~MESSAGE_FLAG_LOADING
        if "flags" in body:
            flags = (flags & ~_SUPPRESS_EMBEDS) | (int(body["flags"] or 0) & _SUPPRESS_EMBEDS)
        payload["flags"] = flags
        if is_empty_message(payload) and not suppressed:
            raise _DiscordError(*_EMPTY_MESSAGE)
        if not was_loading:
            payload["edited_timestamp"] = _now_iso()
        message.payload = payload
        message.embeds_suppressed = suppressed
        if "allowed_mentions" in body:
            message.allowed_mentions = body["allowed_mentions"]
        self._finish_message(message)

    def _delete(self, message: StoredMessage) -> None:
        message.deleted = True
        ids = self._channel_messages.get(message.channel_id)
        if ids is not None and message.id in ids:
            ids.remove(message.id)

    # --- REST: channels and messages ----------------------------------------------------------

    def _channel(self, req: _Request) -> tuple[GuildSpec, ChannelSpec, int]:
        """The channel and the bot's permissions in it; 404/403 as Discord answers."""
        channel_id = req.param("channel_id")
        gone = self._gone_channels.get(channel_id)
        if gone is not None:
            raise _DiscordError(*gone)
        try:
            guild, channel = self.find_channel(channel_id)
        except KeyError:
            raise _DiscordError(*_UNKNOWN_CHANNEL) from None
        permissions = guild.permissions_for(self.bot_user.id, channel_id)
        if not permissions & Perm.VIEW_CHANNEL:
            raise _DiscordError(*_MISSING_ACCESS)
        return guild, channel, permissions

    def _channel_message(self, req: _Request, channel: ChannelSpec) -> StoredMessage:
        message = self._messages.get(req.param("message_id"))
        if message is None or message.deleted or message.channel_id != channel.id:
            raise _DiscordError(*_UNKNOWN_MESSAGE)
        return message

    async def _get_channel(self, req: _Request) -> Reply:
        return 200, self._channel(req)[1].payload()

    async def _post_message(self, req: _Request) -> Reply:
        _, channel, permissions = self._channel(req)
        if not permissions & Perm.SEND_MESSAGES or (
            req.files and not permissions & Perm.ATTACH_FILES
        ):
            raise _DiscordError(*_MISSING_PERMISSIONS)
        body = req.json
        errors = FormErrors()
        check_message(body, errors)
        if errors:
            raise _DiscordError.form(errors)
        message = self._create_message(
            channel.id,
            body,
            req.files,
            "channel",
            None,
            embeds_allowed=bool(permissions & Perm.EMBED_LINKS),
        )
        return 200, message.payload

    async def _list_messages(self, req: _Request) -> Reply:
        _, channel, permissions = self._channel(req)
        if not permissions & Perm.READ_MESSAGE_HISTORY:
            return 200, []
        limit = req.query_int("limit", 50)
        if not 1 <= limit <= 100:
            errors = FormErrors()
            errors.add(("limit",), "NUMBER_TYPE_MAX", "int value should be <= 100.")
            raise _DiscordError.form(errors)
        ids = self._channel_messages.get(channel.id, [])
        if "after" in req.query:
            start = bisect.bisect_right(ids, req.query_int("after", 0))
        elif "around" in req.query:
            start = max(0, bisect.bisect_left(ids, req.query_int("around", 0)) - limit // 2)
        else:
            end = bisect.bisect_left(ids, req.query_int("before", 1 << 63))
            start = max(0, end - limit)
        picked = ids[start : start + limit]
        return 200, [self._messages[m].payload for m in reversed(picked)]

    async def _get_message(self, req: _Request) -> Reply:
        _, channel, permissions = self._channel(req)
        if not permissions & Perm.READ_MESSAGE_HISTORY:
            raise _DiscordError(*_MISSING_ACCESS)
        return 200, self._channel_message(req, channel).payload

    async def _edit_message(self, req: _Request) -> Reply:
        _, channel, permissions = self._channel(req)
        message = self._channel_message(req, channel)
        if message.payload["author"]["id"] != str(self.bot_user.id):
            raise _DiscordError(*_NOT_AUTHOR)
        self._edit(
            message, req.json, req.files, embeds_allowed=bool(permissions & Perm.EMBED_LINKS)
        )
        return 200, message.payload

    async def _delete_message(self, req: _Request) -> Reply:
        _, channel, permissions = self._channel(req)
        message = self._channel_message(req, channel)
        own = message.payload["author"]["id"] == str(self.bot_user.id)
        if not own and not permissions & Perm.MANAGE_MESSAGES:
            raise _DiscordError(*_MISSING_PERMISSIONS)
        self._delete(message)
        return 204, None

    async def _typing(self, req: _Request) -> Reply:
        _, _, permissions = self._channel(req)
        if not permissions & Perm.SEND_MESSAGES:
            raise _DiscordError(*_MISSING_PERMISSIONS)
        return 204, None

    # --- REST: guilds -------------------------------------------------------------------------

    def _guild(self, req: _Request) -> GuildSpec:
        guild = self.guilds.get(req.param("guild_id"))
        if guild is None:
            raise _DiscordError(*_UNKNOWN_GUILD)
        return guild

    async def _get_guild(self, req: _Request) -> Reply:
        guild = self._guild(req)
        data = guild.rest_payload()
        if req.query.get("with_counts", "").lower() in ("1", "true"):
            data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return 200, data

    async def _get_guild_channels(self, req: _Request) -> Reply:
        return 200, [c.payload() for c in self._guild(req).channels.values()]

    async def _get_guild_roles(self, req: _Request) -> Reply:
        return 200, [r.payload() for r in self._guild(req).roles.values()]

    async def _get_member(self, req: _Request) -> Reply:
        member = self._guild(req).members.get(req.param("user_id"))
        if member is None:
            raise _DiscordError(*_UNKNOWN_MEMBER)
        return 200, member.payload()
