"""Benchmark 6, scaling: one `capcom run` process running both shards of 2 against two
processes running one shard each, sharing one database, under the same workload.

Each setup has its own stand-ins (`botload.stand_ins`, recommending 2 shards) with the
same servers, half on each shard, and its own database. Rounds of the two setups
alternate, so both see the same machine. A round is `commands` cached `/flight` and
`/crew` commands (Zipf over a hot set warmed first) spread over every server, and
`uncached` flights never asked before, each asked once in a server of each shard, all
shuffled and sent with `CONCURRENCY` outstanding (`botload.drive`). Latency is the
Discord stand-in's first response (INTERACTION_CREATE sent → first callback received);
LL2 requests are the LL2 stand-in's count. The database is a parameter (`DatabaseEnv`:
the environment that points the processes at it): SQLite, one file per setup, or with
`--database postgresql` a throwaway PostgreSQL cluster with one database per setup.
"""

from __future__ import annotations

import gc
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import botload, workload
from benchmarks.common import SEED, Report, Table, machine, median, ms, percentile
from benchmarks.session import request_kind
from benchmarks.workload import Command, Zipf
from tests.e2e.harness import BotProcess, running_shards
from tests.postgres import NOT_INSTALLED, running_cluster, server_bindir
from tests.stubs.discord import DiscordStub
from tests.stubs.discord.gateway import guild_ids, shard_of
from tests.stubs.ll2 import Catalog, LL2Stub, RequestRecord

SHARDS = 2
SERVERS_PER_SHARD = 8
ROUNDS = 10
COMMANDS = 600
"""Cached commands per round (and setup)."""
UNCACHED = 10
"""Flights per round asked for the first time, each in a server of each shard."""
HOT = 50
"""Flights and astronauts the cached commands draw from (Zipf), warmed before the rounds."""
CONCURRENCY = 64

SETUP_FOLDERS = ("single", "fleet")
DatabaseEnv = Callable[[Path], dict[str, str]]
"""The environment that points every process of a setup at its one database, given the
setup's folder."""


def sqlite_database(folder: Path) -> dict[str, str]:
    return {"DATABASE_PATH": str(folder / "capcom.db")}


@dataclass(frozen=True)
class Backend:
    """What the processes of a setup share: its name, and the environment for a setup."""

    name: str
    environment: DatabaseEnv


SQLITE = Backend("SQLite", sqlite_database)


@asynccontextmanager
async def backend(name: str) -> AsyncIterator[Backend]:
    """`sqlite`, or `postgresql`: a throwaway cluster (as the tests start one) with a
    database for each setup, named by the setup's folder."""
    if name == "sqlite":
        yield SQLITE
        return
    bindir = server_bindir()
    if bindir is None:
        raise SystemExit(NOT_INSTALLED)
    with running_cluster(bindir) as cluster:
        urls = {folder: await cluster.new_database() for folder in SETUP_FOLDERS}
        yield Backend("PostgreSQL", lambda folder: {"DATABASE_URL": urls[folder.name]})


@dataclass
class Plan:
    """The same commands for both setups: each hot flight and astronaut once (`hot`),
    a round's worth of cached commands (`warmup`), then `rounds`."""

    hot: list[Command]
    warmup: list[Command]
    rounds: list[list[Command]]
    uncached: int


def plan(
    catalog: Catalog,
    guilds: Sequence[int],
    rounds: int,
    commands: int = COMMANDS,
    uncached: int = UNCACHED,
    seed: int = SEED,
) -> Plan:
    rng = random.Random(seed)
    hot_flights = rng.sample(sorted(catalog.flights), HOT)
    hot_astronauts = rng.sample(sorted(catalog.astronauts), HOT)
    flights, astronauts = Zipf(hot_flights, rng), Zipf(hot_astronauts, rng)
    by_shard = [[g for g in guilds if shard_of(g, SHARDS) == s] for s in range(SHARDS)]
    cold = rng.sample(sorted(set(catalog.flights) - set(hot_flights)), rounds * uncached)

    def cached() -> Command:
        if rng.random() < 0.5:
            return Command("flight", {"flight": str(flights.draw())}, guild_id=rng.choice(guilds))
        return Command("crew", {"astronaut": str(astronauts.draw())}, guild_id=rng.choice(guilds))

    hot = [
        Command("flight", {"flight": str(i)}, guild_id=guilds[n % len(guilds)])
        for n, i in enumerate(hot_flights)
    ] + [
        Command("crew", {"astronaut": str(i)}, guild_id=guilds[n % len(guilds)])
        for n, i in enumerate(hot_astronauts)
    ]
    warmup = [cached() for _ in range(commands)]
    planned = []
    for number in range(rounds):
        batch = [cached() for _ in range(commands)]
        for flight_id in cold[number * uncached : (number + 1) * uncached]:
            batch += [
                Command("flight", {"flight": str(flight_id)}, guild_id=rng.choice(shard))
                for shard in by_shard
            ]
        rng.shuffle(batch)
        planned.append(batch)
    return Plan(hot, warmup, planned, uncached)


@dataclass
class Setup:
    """One deployment: `shard_ids` has an entry per process."""

    name: str
    shard_ids: tuple[str, ...]
    ll2: LL2Stub | None = None
    discord: DiscordStub | None = None
    processes: list[BotProcess] = field(default_factory=list)
    startup_requests: list[RequestRecord] = field(default_factory=list)
    warmup_requests: list[RequestRecord] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    bot_cpu: float = 0.0
    driver_cpu: float = 0.0

    @property
    def commands(self) -> int:
        return sum(self.kinds.values())

    def cpu(self) -> float:
        return sum(
            botload.cpu_seconds(p.process.pid) for p in self.processes if p.process is not None
        )


@asynccontextmanager
async def deployed(
    setup: Setup, catalog: Catalog, guilds: Sequence[int], folder: Path, database: DatabaseEnv
) -> AsyncIterator[Setup]:
    """`setup`'s stand-ins and processes, started and quiet (start-up requests counted)."""
    async with botload.stand_ins(catalog, guilds=guilds, shards=SHARDS) as (ll2, discord):
        setup.ll2, setup.discord = ll2, discord
        shared = botload.QUIET_ENV | {"SHARD_COUNT": str(SHARDS)} | database(folder)
        # One catalog-sync page at start, not the whole catalog: the uncached flights stay
        # uncached (the first pages are astronauts').
        shared["SYNC_SPARE_SLOTS"] = "false"
        async with running_shards(discord, ll2, folder, setup.shard_ids, shared) as processes:
            setup.processes = processes
            await botload.settle(processes[0])
            setup.startup_requests = ll2.upstream_requests()
            yield setup


async def _drive(setup: Setup, commands: Sequence[Command]) -> botload.RunResult:
    assert setup.discord is not None
    result = await botload.drive(setup.discord, commands, CONCURRENCY)
    unanswered = result.kinds()["unanswered"]
    if unanswered:
        raise RuntimeError(f"{setup.name}: {unanswered} of {len(commands)} commands unanswered")
    return result


async def _round(setup: Setup, commands: Sequence[Command]) -> None:
    cpu, driver = setup.cpu(), time.process_time()
    result = await _drive(setup, commands)
    setup.driver_cpu += time.process_time() - driver
    setup.bot_cpu += setup.cpu() - cpu
    setup.seconds += result.seconds
    setup.kinds.update(result.kinds())
    setup.latencies += [o.latency for o in result.outcomes if o.latency is not None]


async def run(
    rounds: int = ROUNDS,
    commands: int = COMMANDS,
    seed: int = SEED,
    database: Backend = SQLITE,
) -> tuple[Report, bool]:
    catalog = workload.synthetic_catalog(seed)
    guilds = guild_ids(SERVERS_PER_SHARD, SHARDS)
    planned = plan(catalog, guilds, rounds, commands, seed=seed)
    single = Setup("one process, shards 0 and 1 of 2", ("0,1",))
    fleet = Setup("two processes, shard 0 and shard 1 of 2", ("0", "1"))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="capcom-bench-") as directory:
        folder = Path(directory)
        async with (
            deployed(single, catalog, guilds, folder / SETUP_FOLDERS[0], database.environment),
            deployed(fleet, catalog, guilds, folder / SETUP_FOLDERS[1], database.environment),
        ):
            for setup in (single, fleet):
                assert setup.ll2 is not None
                setup.ll2.reset_log()
                await _drive(setup, planned.hot)
                await _drive(setup, planned.warmup)
                setup.warmup_requests = setup.ll2.upstream_requests()
                setup.ll2.reset_log()
            gc.collect()
            gc.freeze()  # the stand-ins' catalog, out of this process's collections
            try:
                for batch in planned.rounds:
                    for setup in (single, fleet):
                        await _round(setup, batch)
            finally:
                gc.unfreeze()
            for setup in (single, fleet):
                assert setup.ll2 is not None
                setup.requests = setup.ll2.upstream_requests()
    return _report(database.name, single, fleet, planned, load_before, os.getloadavg())


def _load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in load)


def _report(
    database: str,
    single: Setup,
    fleet: Setup,
    planned: Plan,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> tuple[Report, bool]:
    result = Report(
        f"scaling ({database.lower()})",
        f"6. Scaling: one process against two, on {database}",
        machine(),
    )
    rounds = len(planned.rounds)
    per_round = len(planned.rounds[0]) if planned.rounds else 0
    table = Table(
        [
            "setup",
            "commands",
            "commands/s",
            "p50",
            "p99",
            "LL2 requests",
            "bot CPU",
            "driver CPU",
        ]
    )
    for setup in (single, fleet):
        table.add(
            setup.name,
            setup.commands,
            f"{setup.commands / setup.seconds:.0f}",
            ms(median(setup.latencies)),
            ms(percentile(setup.latencies, 0.99)),
            len(setup.requests),
            f"{setup.bot_cpu:.1f} s",
            f"{setup.driver_cpu:.1f} s",
        )
    result.table(
        table,
        f"{rounds} rounds of {per_round} commands per setup, the setups alternating: "
        f"{per_round - 2 * planned.uncached} cached `/flight` and `/crew` (Zipf over "
        f"{HOT} flights and {HOT} astronauts, warmed first) over {SHARDS * SERVERS_PER_SHARD} "
        f"servers, {SERVERS_PER_SHARD} on each shard, and {planned.uncached} flights no "
        f"command asked for before, each in a server of each shard; {CONCURRENCY} outstanding. "
        "Latency = INTERACTION_CREATE sent → first callback received, at the Discord "
        "stand-in; LL2 requests counted at the LL2 stand-in during the rounds; CPU = the "
        "bot processes' (user + system, summed) and this process's (both stand-ins and "
        "the driver):",
    )
    phases = Table(["LL2 requests", single.name, fleet.name])
    for phase, first, second in (
        (
            "start-up (catalog-sync step, alert poll)",
            single.startup_requests,
            fleet.startup_requests,
        ),
        (
            "warm-up (each hot flight and astronaut once, then cached)",
            single.warmup_requests,
            fleet.warmup_requests,
        ),
        ("rounds", single.requests, fleet.requests),
    ):
        phases.add(phase, _kinds(first), _kinds(second))
    phases.add(
        "rounds: distinct documents fetched",
        _distinct(single.requests),
        _distinct(fleet.requests),
    )
    phases.add(
        "rounds: the same document fetched more than once",
        _refetched(single.requests),
        _refetched(fleet.requests),
    )
    result.table(phases)
    same = len(single.requests) == len(fleet.requests)
    speedup = (fleet.commands / fleet.seconds) / (single.commands / single.seconds)
    result.note(
        f"Two processes: {speedup:.2f}x the commands per second of one, p99 "
        f"{percentile(fleet.latencies, 0.99) / percentile(single.latencies, 0.99):.2f}x. "
        f"Load average (1 / 5 / 15 min) before {_load(load_before)}, after "
        f"{_load(load_after)}: the 2 cores are shared with other work, and this process "
        "(both stand-ins, the driver) runs on them too."
    )
    result.note(_ceiling(single, fleet))
    extra = _refetched(fleet.requests) - _refetched(single.requests)
    why = (
        f"The fleet's {extra} more: the documents fetched more than once, each asked in a "
        "server of each shard at about the same moment; both processes missed the shared "
        "cache and asked LL2, though a process about to ask claims the document in the "
        "shared database and the other waits for its answer (`LL2Repository._load`). "
        "Both requests count against the one shared budget; the distinct documents "
        f"fetched are the same ({_distinct(single.requests)} and "
        f"{_distinct(fleet.requests)})."
        if not same and extra > 0
        else ""
    )
    result.target(
        "the same LL2 requests for the fleet as for one process",
        f"{len(fleet.requests)} against {len(single.requests)}",
        same,
    )
    if why:
        result.note(why)
    return result, same


def _ceiling(single: Setup, fleet: Setup) -> str:
    """What 2 idle cores would allow, from the CPU each command cost."""
    bot, driver = (single.bot_cpu / single.commands, single.driver_cpu / single.commands)
    bots, drivers = (fleet.bot_cpu / fleet.commands, fleet.driver_cpu / fleet.commands)
    one = min(1 / bot, 2 / (bot + driver))
    two = min(2 / bots, 2 / (bots + drivers))
    return (
        f"CPU per command: one process {bot * 1000:.2f} ms in the bot + {driver * 1000:.2f} ms "
        f"here (stand-ins, driver); two processes {bots * 1000:.2f} ms + "
        f"{drivers * 1000:.2f} ms. On {SHARDS} cores free for this alone that caps one "
        f"process at {one:.0f} commands/s (one core for the bot) and two at {two:.0f} "
        f"(the bots and the stand-ins sharing both cores): {two / one:.2f}x at best."
    )


def _documents(requests: Sequence[RequestRecord]) -> Counter[tuple[str, str]]:
    return Counter((r.path, repr(sorted(r.query.items()))) for r in requests)


def _distinct(requests: Sequence[RequestRecord]) -> int:
    return len(_documents(requests))


def _refetched(requests: Sequence[RequestRecord]) -> int:
    return sum(n - 1 for n in _documents(requests).values() if n > 1)


def _kinds(requests: Sequence[RequestRecord]) -> str:
    kinds = Counter(request_kind(r) for r in requests)
    return f"{len(requests)} (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")"
