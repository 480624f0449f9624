"""One bot process under the 10,000-command workload: shared by the economy benchmark
(LL2 requests per command) and the memory one (peak RSS, start-up time).

Order: cold start on an empty database → quiet (the start-up sync step and alert poll)
→ the workload → every flight, astronaut and `/flights` page once (the full catalog
cached) → restart on the full database.
"""

from __future__ import annotations

import asyncio
import math
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import botload, workload
from benchmarks.botload import RssSampler, RunResult
from benchmarks.common import SEED, peak_rss
from tests.e2e.harness import BotProcess
from tests.stubs.ll2 import Catalog, RequestRecord

_DETAIL = re.compile(r"/(\d+)/$")


def request_kind(record: RequestRecord) -> str:
    """What a request to LL2 was for: a detail, a list page, a search, who is in space
    (the alert poll), the spacecraft in space, the latest docking events or the upcoming
    crewed launches."""
    detail = _DETAIL.search(record.path) is not None
    if "upcoming" in record.path:
        return "upcoming launches"
    if "docking_event" in record.path:
        return "docking events"
    if record.path.rstrip("/").endswith("/spacecraft"):
        return "spacecraft in space"
    if "astronaut" in record.path:
        if detail:
            return "astronaut detail"
        if record.query.get("in_space") == "true":
            return "who is in space"
        return "astronaut search" if "search" in record.query else "astronaut list page"
    return "flight detail" if detail else "flight list page"


@dataclass
class StartTiming:
    """Seconds from spawning `python -m bot run` to: the gateway connection, READY sent
    by the stand-in (IDENTIFY answered, guilds sent), and the bot's own "ready" log line
    (after discord.py's wait for late GUILD_CREATEs)."""

    connected: float = math.nan
    identified: float = math.nan
    ready: float = math.nan


@dataclass
class Session:
    count: int
    catalog_size: tuple[int, int]
    cold_start: StartTiming
    warm_start: StartTiming
    background: list[RequestRecord]
    run: RunResult
    during_run: list[RequestRecord]
    sources: Counter[str]
    distinct: dict[str, int]
    workload_counts: Counter[str]
    rss_idle: int
    rss_after_run: int
    rss_full: int
    rss_sampled_peak: int
    rss_restart_idle: int
    full_commands: int
    full_requests: int
    cached_documents: int = 0
    notes: list[str] = field(default_factory=list)


async def timed_start(bot: BotProcess) -> StartTiming:
    """`bot.start()`, timing its milestones."""
    timing = StartTiming()
    connections = bot.discord.connections
    started = time.perf_counter()

    async def watch() -> None:
        while True:
            if bot.discord.connections != connections:
                break
            await asyncio.sleep(0.005)
        timing.connected = time.perf_counter() - started
        await bot.discord.ready.wait()
        timing.identified = time.perf_counter() - started

    watcher = asyncio.ensure_future(watch())
    try:
        await bot.start()
    finally:
        watcher.cancel()
    timing.ready = time.perf_counter() - started
    return timing


def full_catalog_commands(catalog: Catalog) -> list[workload.Command]:
    """Every flight and astronaut once, and every `/flights` page."""
    commands = [workload.Command("flight", {"flight": str(i)}) for i in sorted(catalog.flights)]
    commands += [
        workload.Command("crew", {"astronaut": str(i)}) for i in sorted(catalog.astronauts)
    ]
    crafts = Counter(f["spacecraft"]["id"] for f in catalog.flights.values())
    for page in range(1, math.ceil(len(catalog.flights) / 10) + 1):
        commands.append(workload.Command("flights", {"page": page}))
    for craft, flights in sorted(crafts.items()):
        for page in range(1, math.ceil(flights / 10) + 1):
            commands.append(workload.Command("flights", {"spacecraft": str(craft), "page": page}))
    return commands


async def run_session(count: int, seed: int = SEED) -> Session:
    catalog = workload.synthetic_catalog(seed)
    load = workload.build(catalog, count, seed)
    with tempfile.TemporaryDirectory(prefix="capcom-bench-") as directory:
        workdir = Path(directory)
        async with botload.stand_ins(catalog) as (ll2, discord):
            bot = BotProcess(discord, ll2, workdir, env=dict(botload.QUIET_ENV))
            cold = await timed_start(bot)
            try:
                assert bot.process is not None
                pid = bot.process.pid
                await botload.settle(bot)
                background = ll2.upstream_requests()
                rss_idle = peak_rss(pid)
                ll2.reset_log()
                with RssSampler(pid) as sampler:
                    run = await botload.drive(discord, load.commands)
                    during = ll2.upstream_requests()
                    rss_after = peak_rss(pid)
                    await asyncio.sleep(0.5)  # the last commands' log lines
                    sources = botload.sources(bot.log())
                    ll2.reset_log()
                    full = full_catalog_commands(catalog)
                    full_run = await botload.drive(discord, full)
                    full_requests = ll2.upstream_count()
                    rss_full = peak_rss(pid)
                documents = await botload.cached_documents(bot.database)
                await bot.stop()
                warm = await timed_start(bot)
                assert bot.process is not None
                await botload.settle(bot)
                rss_restart = peak_rss(bot.process.pid)
            finally:
                await bot.stop()
        unanswered = full_run.kinds()["unanswered"]
        return Session(
            count=count,
            catalog_size=(len(catalog.flights), len(catalog.astronauts)),
            cold_start=cold,
            warm_start=warm,
            background=background,
            run=run,
            during_run=during,
            sources=sources,
            distinct={"flight": load.distinct("flight"), "crew": load.distinct("crew")},
            workload_counts=load.counts(),
            rss_idle=rss_idle,
            rss_after_run=rss_after,
            rss_full=rss_full,
            rss_sampled_peak=sampler.peak,
            rss_restart_idle=rss_restart,
            full_commands=len(full),
            full_requests=full_requests,
            cached_documents=documents,
            notes=[f"{unanswered} of the full-catalog commands unanswered"] if unanswered else [],
        )
