from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Self

import discord
import yarl
from aiohttp import web

from tests.stubs.discord.events import ScheduledEvents
from tests.stubs.discord.gateway import Gateway, Shard, shard_of
from tests.stubs.discord.interactions import Interactions, Waitable
from tests.stubs.discord.model import GuildSpec, MemberSpec, RoleSpec, UserSpec
from tests.stubs.discord.permissions import DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS
from tests.stubs.discord.rest import (
    INVALID_JSON,
    UNAUTHORIZED,
    UNKNOWN_CHANNEL,
    DiscordError,
    File,
    Handler,
    Reply,
    Request,
)

JSON = dict[str, Any]
_log = logging.getLogger(__name__)

API_PREFIX: Final = "/api/v10"


def configure_discord_client(api_base_url: str, gateway_url: str) -> None:
    """Points discord.py 2.x (checked on 2.7.1) at a stand-in; these two class attributes are all.

    - `discord.http.Route.BASE`: every REST call, including interaction callbacks, follow-ups and
      `@original` edits — `discord/webhook/async_.py` imports and uses `discord.http.Route`, it
      has no base URL of its own.
    - `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`: a plain `Client` connects there without
      asking `GET /gateway` (an `AutoShardedClient` would ask `GET /gateway/bot`, which the
      stand-in does not serve: Capcom is a plain `Client`). After READY the client uses the
      READY's `resume_gateway_url`.

    Set them before `login()`. `discord.http._set_api_version()` would reset `Route.BASE`.
    """
    discord.http.Route.BASE = api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


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


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: float
    is_global: bool
    body: JSON | None


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


class DiscordStub(Interactions, ScheduledEvents):
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
        recommended_shards: int = 1,
        port: int = 0,
    ) -> None:
        """`port`: where to listen once started (0: any free port)."""
        super().__init__(bot_name)
        self.rate_limit = rate_limit
        self.recommended_shards = recommended_shards
        """What `GET /gateway/bot` recommends (Discord: one per 1,000 servers or so)."""
        self.token = token
        self.calls: list[Call] = []
        self.failures: list[Exception] = []
        self.gateway = Gateway(
            self, heartbeat_interval_ms=heartbeat_interval_ms, disallowed_intents=disallowed_intents
        )
        self._faults: dict[tuple[str, str], _Fault] = {}
        self._holds: dict[tuple[str, str], asyncio.Event] = {}
        self._call_waiters = Waitable()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._port = port

    # lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._port)
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
        preferred_locale: str = "en-US",
    ) -> GuildSpec:
        """A guild with an owner, the bot (its managed role gets `bot_permissions`; the bot's
        guild permissions are that OR `everyone_permissions`), a plain member `tester` (the
        default user of injected interactions), text channels named `channels` and roles
        `roles` (name → permissions). Added while a client is connected, it gets GUILD_CREATE.
        `with_bot=False` is a server the bot is not in (kept in `guilds_without_bot`): the
        client never hears of it, but a user who installed the app can use its user-install
        commands there (`install_for_user`). `preferred_locale` is the server's language.
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
            preferred_locale=preferred_locale,
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
            self._spawn(self.gateway.dispatch("GUILD_CREATE", joined, gid))
        return guild

    def install_for_user(self, user: UserSpec | MemberSpec | int) -> None:
        """The user adds the app to their account (OAuth2 `integration_type=1`): commands
        with integration type 1 follow them into DMs, group DMs and servers without the bot."""
        self.user_installs.add(user if isinstance(user, int) else user.id)

    async def delete_channel(self, channel_id: int) -> None:
        """Deletes a channel and dispatches CHANNEL_DELETE; later calls to it answer 404
        Unknown Channel (10003)."""
        guild, channel = self.find_channel(channel_id)
        del guild.channels[channel_id]
        self._gone_channels[channel_id] = UNKNOWN_CHANNEL
        if self.gateway.session is not None:
            await self.gateway.dispatch("CHANNEL_DELETE", channel.payload(), guild.id)

    async def set_bot_permissions(self, guild: GuildSpec, permissions: int) -> None:
        """Gives the bot's managed role in `guild` these permissions (a server admin editing
        it, e.g. taking away Create Events) and dispatches GUILD_ROLE_UPDATE, so the client's
        cached permissions follow as they do with Discord."""
        role = guild.bot_role
        role.permissions = permissions
        if self.gateway.session is not None:
            data = {"guild_id": str(guild.id), "role": role.payload()}
            await self.gateway.dispatch("GUILD_ROLE_UPDATE", data, guild.id)

    async def dispatch(self, event: str, data: object, guild_id: int | None = None) -> None:
        """Sends any gateway event (e.g. "CHANNEL_DELETE") to the shard owning `guild_id`."""
        await self.gateway.dispatch(event, data, guild_id)

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

    def wait_for_call(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0
    ) -> Awaitable[Call]:
        """The first recorded call (past or future) matching `predicate`."""
        return self._call_waiters._wait_until(
            lambda: next((c for c in self.calls if predicate(c)), None), timeout, "matching call"
        )

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- gateway world (GatewayWorld protocol) ------------------------------------------------

    def check_token(self, token: object) -> bool:
        return self.token is None or token == self.token

    def ready_payload(self, session_id: str, identify: object) -> JSON:
        shard = identify.get("shard") if isinstance(identify, dict) else None
        count = shard[1] if isinstance(shard, list) else 1
        index = shard[0] if isinstance(shard, list) else 0
        data: JSON = {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [
                {"id": str(g), "unavailable": True}
                for g in self.guilds
                if shard_of(g, count) == index
            ],
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
        if shard is not None:
            data["shard"] = shard
        return data

    def guild_create_payloads(self, shard: Shard) -> list[JSON]:
        index, count = shard
        return [g.payload() for g in self.guilds.values() if shard_of(g.id, count) == index]

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
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
        ]
        for scope in (app_commands, guild_commands):
            routes += [
                ("PUT", scope + "/commands", self._put_commands, True),
            ]
        routes += [
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback, False),
            ("POST", webhook, self._followup, False),
            ("PATCH", webhook + "/messages/{message_id}", self._edit_webhook_message, False),
            ("GET", channel, self._get_channel, True),
            ("GET", channel + "/messages", self._list_messages, True),
            ("POST", channel + "/messages", self._post_message, True),
            ("PATCH", channel + "/messages/{message_id}", self._patch_message, True),
            ("DELETE", channel + "/messages/{message_id}", self._delete_channel_message, True),
        ]
        events = "/guilds/{guild_id}/scheduled-events"
        routes += [
            ("GET", events, self._list_events, True),
            ("POST", events, self._create_event, True),
            ("GET", events + "/{event_id}", self._get_event, True),
            ("PATCH", events + "/{event_id}", self._patch_event, True),
            ("DELETE", events + "/{event_id}", self._delete_event, True),
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
        req = Request(
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
                raise DiscordError(*UNAUTHORIZED)
            else:
                status, body = await handler(req)
        except DiscordError as exc:
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
        req = Request(request.method, path, {}, dict(request.query), None, [], time.monotonic())
        try:
            req.body, req.files = await self._read_body(request)
        except DiscordError:
            req.body = None
        body = {"message": "404: Not Found", "code": 0}
        self._record(req, None, 404, body)
        return _json_response(404, body, {})

    async def _read_body(self, request: web.Request) -> tuple[Any, list[File]]:
        if not request.body_exists:
            return None, []
        if request.content_type == "multipart/form-data":
            form = await request.post()
            payload: Any = None
            files: list[File] = []
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files.append(File(value.filename, len(data), value.content_type, name, data))
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
            raise DiscordError(*INVALID_JSON) from None

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

    def _record(self, req: Request, route: str | None, status: int, body: Any) -> None:
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

    # --- REST: users and application ---------------------------------------------------------

    async def _get_me(self, req: Request) -> Reply:
        return 200, {
            **self.bot_user.payload(),
            "verified": True,
            "mfa_enabled": False,
            "email": None,
        }

    async def _get_gateway_bot(self, req: Request) -> Reply:
        """Where to connect and how many shards: what an `AutoShardedClient` asks first."""
        return 200, {
            "url": self.gateway_url,
            "shards": self.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    async def _get_application(self, req: Request) -> Reply:
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
