"""The stand-in's gateway: Discord's gateway v10 over one websocket route, in plain JSON text.

The client asks for `compress=zlib-stream` in the URL; discord.py decompresses binary frames
only, so text frames are read as they are. IDENTIFY makes a session (with `shard: [i, n]`,
one per shard, as Discord does), RESUME re-attaches a known one and replays what it
missed. A server's events go to the shard that owns it, `(guild_id >> 22) % n`; events
of no server (a DM) to shard 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections import deque
from typing import Any, Final, Protocol

import aiohttp
from aiohttp import web

JSON = dict[str, Any]

OP_DISPATCH: Final = 0
OP_HEARTBEAT: Final = 1
OP_IDENTIFY: Final = 2
OP_PRESENCE: Final = 3
OP_VOICE_STATE: Final = 4
OP_RESUME: Final = 6
OP_RECONNECT: Final = 7
OP_REQUEST_MEMBERS: Final = 8
OP_INVALID_SESSION: Final = 9
OP_HELLO: Final = 10
OP_HEARTBEAT_ACK: Final = 11

INTENT_GUILDS: Final = 1 << 0
_REPLAY_BUFFER: Final = 5000


def encode(frame: JSON) -> str:
    return json.dumps(frame, separators=(",", ":"))


class GatewayWorld(Protocol):
    """What the gateway needs to know about the stand-in's world."""

    def check_token(self, token: object) -> bool: ...

    def ready_payload(self, session_id: str, identify: object) -> JSON: ...

    def guild_create_payloads(self, shard: Shard) -> list[JSON]: ...

    def guild_members(self, guild_id: int) -> list[JSON]: ...


Shard = tuple[int, int]
"""(shard id, shard count); (0, 1) for a client that does not shard."""


def shard_of(guild_id: int | None, count: int) -> int:
    """Discord's rule: a server's events go to shard `(guild_id >> 22) % count`."""
    return 0 if guild_id is None else (guild_id >> 22) % count


FIRST_SERVER_TIMESTAMP = 1_200_000_000_000
"""Milliseconds since Discord's epoch of the first id `guild_ids` gives: a plausible one."""


def guild_ids(per_shard: int, shards: int) -> list[int]:
    """`per_shard` server ids on each of `shards`: consecutive snowflake timestamps, so
    the ids go round the shards (the first on shard 0, the next on shard 1, …)."""
    return [(FIRST_SERVER_TIMESTAMP + k) << 22 for k in range(per_shard * shards)]


class GatewaySession:
    """A gateway session: its shard, sequence numbers and the events it was sent (RESUME)."""

    def __init__(self, session_id: str, intents: int, shard: Shard) -> None:
        self.session_id = session_id
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.ws: web.WebSocketResponse | None = None
        self._sent: deque[tuple[int, str]] = deque(maxlen=_REPLAY_BUFFER)
        self._lock = asyncio.Lock()

    @property
    def live(self) -> bool:
        return self.ws is not None and not self.ws.closed

    async def send_dispatch(self, event: str, data: object) -> int:
        async with self._lock:
            self.seq += 1
            frame = encode({"op": OP_DISPATCH, "s": self.seq, "t": event, "d": data})
            self._sent.append((self.seq, frame))
            await self._send(frame)
            return self.seq

    async def attach(self, ws: web.WebSocketResponse, after_seq: int) -> None:
        """Makes `ws` this session's socket and replays the events after `after_seq`."""
        async with self._lock:
            self.ws = ws
            for seq, frame in self._sent:
                if seq > after_seq:
                    await self._send(frame)

    async def _send(self, frame: str) -> None:
        ws = self.ws
        if ws is not None and not ws.closed:
            with contextlib.suppress(ConnectionResetError):
                await ws.send_str(frame)


class Gateway:
    """Serves `GET /gateway` websockets for a `GatewayWorld`."""

    def __init__(
        self,
        world: GatewayWorld,
        *,
        heartbeat_interval_ms: int = 41_250,
        disallowed_intents: int = 0,
    ) -> None:
        self._world = world
        self._interval = heartbeat_interval_ms
        self._disallowed = disallowed_intents
        self._sessions: dict[str, GatewaySession] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self.session: GatewaySession | None = None
        """The session identified (or resumed) last."""
        self.shards: dict[int, GatewaySession] = {}
        """The current session of each shard."""
        self.ready = asyncio.Event()
        self.connections = 0
        self.identifies: list[JSON] = []
        self.resumes = 0
        self.received: list[JSON] = []

    @property
    def connected(self) -> bool:
        return self.session is not None and self.session.live

    async def dispatch(self, event: str, data: object, guild_id: int | None = None) -> int:
        """Sends a dispatch to the session of the shard that owns `guild_id` (shard 0 for
        no server); kept for RESUME if its socket is down."""
        if self.session is None:
            raise RuntimeError("no gateway session: the client has not identified yet")
        shard = shard_of(guild_id, self.session.shard[1])
        session = self.shards.get(shard)
        if session is None:
            raise RuntimeError(f"no session of shard {shard} has identified")
        return await session.send_dispatch(event, data)

    async def disconnect(self, code: int = 4000) -> None:
        """Closes the current socket as Discord does on trouble; the client then RESUMEs."""
        session = self.session
        if session is not None and session.ws is not None:
            await session.ws.close(code=code, message=b"closed by the stand-in")

    async def request_reconnect(self) -> None:
        """Sends op 7 RECONNECT: the client closes and RESUMEs."""
        session = self.session
        if session is not None and session.live and session.ws is not None:
            await session.ws.send_str(encode({"op": OP_RECONNECT, "d": None}))

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Sends op 9; with `resumable=False` the client identifies again from scratch."""
        session = self.session
        if session is None or session.ws is None:
            return
        if not resumable:
            self._sessions.pop(session.session_id, None)
        await session.ws.send_str(encode({"op": OP_INVALID_SESSION, "d": resumable}))

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"stand-in shutting down")
        self.ready.clear()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.connections += 1
        self._sockets.add(ws)
        session: GatewaySession | None = None
        try:
            await ws.send_str(encode({"op": OP_HELLO, "d": {"heartbeat_interval": self._interval}}))
            async for msg in ws:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                self.received.append(frame)
                session = await self._on_frame(ws, frame, session)
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
                if session is self.session:
                    self.ready.clear()
        return ws

    async def _on_frame(
        self, ws: web.WebSocketResponse, frame: JSON, session: GatewaySession | None
    ) -> GatewaySession | None:
        op = frame.get("op")
        data = frame.get("d")
        if op == OP_HEARTBEAT:
            await ws.send_str(encode({"op": OP_HEARTBEAT_ACK}))
        elif op == OP_IDENTIFY:
            if session is not None:
                await ws.close(code=4005, message=b"Already authenticated.")
                return session
            return await self._identify(ws, data if isinstance(data, dict) else {})
        elif op == OP_RESUME:
            return await self._resume(ws, data if isinstance(data, dict) else {})
        elif op in (OP_PRESENCE, OP_VOICE_STATE, OP_REQUEST_MEMBERS):
            if session is None:
                await ws.close(code=4003, message=b"Not authenticated.")
            elif op == OP_REQUEST_MEMBERS and isinstance(data, dict):
                await self._send_members(session, data)
        else:
            await ws.close(code=4001, message=b"Unknown opcode.")
        return session

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        if not self._world.check_token(data.get("token")):
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0:
            await ws.close(code=4013, message=b"Invalid intent(s).")
            return None
        if intents & self._disallowed:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard = _shard(data.get("shard"))
        if shard is None:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        self.identifies.append(data)
        session = GatewaySession(secrets.token_hex(16), intents, shard)
        self._sessions[session.session_id] = session
        self.session = session
        self.shards[shard[0]] = session
        await session.attach(ws, after_seq=0)
        await session.send_dispatch("READY", self._world.ready_payload(session.session_id, data))
        if intents & INTENT_GUILDS:
            for guild in self._world.guild_create_payloads(shard):
                await session.send_dispatch("GUILD_CREATE", guild)
        self.ready.set()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> GatewaySession | None:
        session = self._sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        if session is None or not self._world.check_token(data.get("token")):
            await ws.send_str(encode({"op": OP_INVALID_SESSION, "d": False}))
            return None
        self.resumes += 1
        self.session = session
        self.shards[session.shard[0]] = session
        await session.attach(ws, after_seq=seq if isinstance(seq, int) else 0)
        await session.send_dispatch("RESUMED", {"_trace": ["discord-stand-in"]})
        self.ready.set()
        return session

    async def _send_members(self, session: GatewaySession, data: JSON) -> None:
        guild_id = int(data.get("guild_id") or 0)
        members = self._world.guild_members(guild_id)
        query = str(data.get("query") or "").lower()
        wanted = {str(u) for u in data.get("user_ids") or []}
        if wanted:
            members = [m for m in members if m["user"]["id"] in wanted]
        elif query:
            members = [m for m in members if m["user"]["username"].lower().startswith(query)]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if "nonce" in data:
            chunk["nonce"] = data["nonce"]
        await session.send_dispatch("GUILD_MEMBERS_CHUNK", chunk)


def _shard(value: object) -> Shard | None:
    """IDENTIFY's `shard: [id, count]`; no shard is (0, 1); anything else is invalid."""
    if value is None:
        return (0, 1)
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(n, int) for n in value)
        and 0 <= value[0] < value[1]
    ):
        return (value[0], value[1])
    return None
