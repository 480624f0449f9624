"""Commands through the real bot process (`python -m bot run`) and the Discord stand-in.

`drive` sends a workload with a bounded number of interactions outstanding and waits
for each answer: the first callback (its latency is the stand-in's, from dispatch of
INTERACTION_CREATE to receipt of the callback) and, after a defer, the follow-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import rss
from benchmarks.workload import Command
from tests.e2e.harness import TOKEN, BotProcess
from tests.stubs.discord import MESSAGE_FLAG_EPHEMERAL, DiscordStub, InteractionHandle
from tests.stubs.ll2 import Catalog, LL2Stub

QUIET_ENV = {
    # No background requests during a run but the first sync step and alert poll,
    # which every bot makes right after it is ready.
    "SYNC_INTERVAL_SECONDS": "86400",
    "ALERT_POLL_SECONDS": "86400",
    "LL2_REQUESTS_PER_HOUR": "100000",
}
ANSWER_TIMEOUT = 30.0
_SOURCE = re.compile(
    r"capcom\.commands: (/\S+) in guild \S+: (\d+) ms(?: \(deferred\))?, from (.+)$"
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one command was answered. `kind`: "data" (a normal reply), "error" (an
    ephemeral error reply), "choices" (autocomplete), "unanswered"."""

    label: str
    kind: str
    latency: float | None
    deferred: bool = False


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def kinds(self) -> Counter[str]:
        return Counter(o.kind for o in self.outcomes)


async def answer(discord: DiscordStub, command: Command) -> Outcome:
    try:
        if command.focused is not None:
            handle = await discord.send_autocomplete(
                command.name,
                command.options,
                command.focused,
                guild_id=command.guild_id,
                locale=command.locale,
            )
        else:
            handle = await discord.send_command(
                command.name, command.options, guild_id=command.guild_id, locale=command.locale
            )
        return await _outcome(command, handle)
    except TimeoutError:
        return Outcome(command.label, "unanswered", None)


async def _outcome(command: Command, handle: InteractionHandle) -> Outcome:
    response = await handle.wait_response(ANSWER_TIMEOUT)
    if not response.ok:
        return Outcome(command.label, "unanswered", response.latency)
    if response.type == 8:
        return Outcome(command.label, "choices", response.latency)
    deferred = response.type == 5
    message = await handle.wait_message(ANSWER_TIMEOUT)
    ephemeral = bool(int(message.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL)
    return Outcome(command.label, "error" if ephemeral else "data", response.latency, deferred)


async def drive(
    discord: DiscordStub, commands: Sequence[Command], concurrency: int = 16
) -> RunResult:
    """Every command, at most `concurrency` waiting for their answers at a time."""
    gate = asyncio.Semaphore(concurrency)
    result = RunResult()

    async def one(command: Command) -> None:
        async with gate:
            result.outcomes.append(await answer(discord, command))

    started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in commands))
    result.seconds = time.perf_counter() - started
    return result


def sources(log: str) -> Counter[str]:
    """Where the bot says its answers came from ("cache", "LL2", "stale cache (…)", "no
    data"), from its one log line per command."""
    found: Counter[str] = Counter()
    for line in log.splitlines():
        match = _SOURCE.search(line)
        if match:
            found[match.group(3).strip()] += 1
    return found


async def settle(bot: BotProcess, quiet: float = 1.5, limit: float = 20.0) -> None:
    """Wait until the LL2 stand-in has seen no request for `quiet` seconds."""
    async with asyncio.timeout(limit):
        last = len(bot.ll2.requests)
        since = time.monotonic()
        while time.monotonic() - since < quiet:
            await asyncio.sleep(0.1)
            if len(bot.ll2.requests) != last:
                last = len(bot.ll2.requests)
                since = time.monotonic()


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far (user + system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler:
    """Samples a process's RSS every `interval` seconds while entered."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self._pid = pid
        self._interval = interval
        self.samples: list[int] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(OSError, LookupError):
                self.samples.append(rss(self._pid))
            await asyncio.sleep(self._interval)

    def __enter__(self) -> RssSampler:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()

    @property
    def peak(self) -> int:
        return max(self.samples, default=0)


@contextlib.asynccontextmanager
async def stand_ins(
    catalog: Catalog, *, guilds: Sequence[int | None] = (None,), shards: int = 1
) -> AsyncIterator[tuple[LL2Stub, DiscordStub]]:
    """Both stand-ins as `running_bot` sets them up, with Discord's rate limit raised for
    load; a server per entry of `guilds` (its id, None: the stand-in picks), and
    `GET /gateway/bot` recommending `shards`."""
    async with (
        LL2Stub(catalog) as ll2,
        DiscordStub(token=TOKEN, rate_limit=1000, recommended_shards=shards) as discord,
    ):
        for guild_id in guilds:
            discord.add_guild(guild_id, name="Capcom Test", channels=("general", "launches"))
        yield ll2, discord


def _count_documents(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT COUNT(*) FROM documents").fetchone()
        return int(row[0]) if row else 0


async def cached_documents(database: Path) -> int:
    """How many LL2 documents the bot's cache holds."""
    return await asyncio.to_thread(_count_documents, database)
