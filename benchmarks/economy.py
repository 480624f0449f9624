"""Benchmark 1, upstream economy: how many commands one LL2 request serves.

Two paths:
- **bot process** (uncompressed, real time): the workload through `python -m bot run` and
  the Discord stand-in, cold cache, budget not limiting (100,000 an hour); LL2 requests
  counted by the LL2 stand-in. See `benchmarks.session`.
- **service layer** (compressed time): the same classes the bot uses (`SpaceService`,
  `LL2Repository`, `Budget`, `DocumentCache`, `SearchIndex`, `CatalogSync`,
  `AlertService`) in this process with a settable clock, LL2's free budget of 15 an hour
  and the LL2 stand-in limiting to 15 an hour too, the workload spread evenly at random
  over a simulated day, the catalog sync and alert poll at their default intervals. Each
  answer is classified by its `Fetched.freshness` or the error raised.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import Report, Table, machine, median, percentile
from benchmarks.inprocess import Clock, NoTransport, Services, open_services
from benchmarks.session import Session, request_kind
from benchmarks.workload import Command, Workload
from bot.catalog import ORDER
from bot.ll2.client import LL2Error, NotFound, Unavailable
from bot.ll2.freshness import Freshness
from bot.service import UnknownQuery
from bot.settings import Settings
from storage.index import EntityKind
from tests.stubs.ll2 import Catalog, LL2Stub

TARGET_PER_REQUEST = 500
FREE_BUDGET = 15
SIMULATED_HOURS = 24
SLICE_HOURS = 4
SYNC_PAGE_SECONDS = 3.0
"""Simulated time one catalog-sync page takes (a detailed page of 100 is a large answer);
commands arriving meanwhile compete with the sync for slots, as they would."""
_SUGGEST_KINDS = {
    "flight": EntityKind.FLIGHT,
    "crew": EntityKind.ASTRONAUT,
    "flights": EntityKind.SPACECRAFT,
}


# The bot-process path


def uncompressed_report(session: Session, report: Report) -> bool:
    """Tables for the bot-process run; whether the target is met."""
    commands = len(session.run.outcomes)
    during = len(session.during_run)
    background = len(session.background)
    per_request = commands / during if during else float("inf")
    per_request_all = commands / (during + background)
    kinds = session.run.kinds()
    unanswered = kinds["unanswered"]

    table = Table(["", "value"])
    table.add(
        "commands (" + ", ".join(f"{k} {v}" for k, v in session.workload_counts.items()) + ")",
        commands,
    )
    table.add(
        "distinct flights / astronauts asked for",
        f"{session.distinct['flight']} / {session.distinct['crew']}",
    )
    table.add(
        "LL2 requests at start (first catalog-sync step + alert poll), before any command",
        background,
    )
    table.add("LL2 requests during the commands", during)
    table.add(
        "**commands per LL2 request** (start-up requests not counted)", f"**{per_request:.1f}**"
    )
    table.add("commands per LL2 request, start-up requests counted", f"{per_request_all:.1f}")
    table.add(
        "answers: reply / error reply / autocomplete choices / unanswered",
        " / ".join(str(kinds[k]) for k in ("data", "error", "choices", "unanswered")),
    )
    table.add(
        "replies by source (bot log): " + ", ".join(session.sources),
        " / ".join(str(v) for v in session.sources.values()),
    )
    table.add(
        "wall time, throughput",
        f"{session.run.seconds:.1f} s, {commands / session.run.seconds:.0f} commands/s",
    )
    report.table(
        table,
        "**Bot process, real time, cold cache, budget not limiting** (`python -m bot run`, "
        "Discord stand-in; LL2 requests from the LL2 stand-in's request log):",
    )

    by_kind = Counter(request_kind(r) for r in session.during_run)
    kinds_table = Table(["LL2 request", "count"])
    for kind, count in by_kind.most_common():
        kinds_table.add(kind, count)
    report.table(kinds_table, "What the requests during the commands were:")
    economical = report.target(
        f"≥ {TARGET_PER_REQUEST} commands per LL2 request (bot process, cold cache)",
        f"{per_request:.1f}",
        per_request >= TARGET_PER_REQUEST,
    )
    answered = report.target(
        "no command unanswered (bot process)", f"{unanswered} unanswered", unanswered == 0
    )
    return economical and answered


# The service-layer path, compressed time


@dataclass
class Answer:
    at: float
    label: str
    outcome: str
    age: float | None = None


@dataclass
class Compressed:
    answers: list[Answer] = field(default_factory=list)
    upstream: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int | None] = field(default_factory=Counter)
    granted: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    background: Counter[str] = field(default_factory=Counter)
    """"alert poll" / "catalog sync": runs; "… reached LL2": runs that got their request."""
    request_times: list[float] = field(default_factory=list)
    """Seconds from the start of each request LL2 received."""
    catalog: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    """Per catalog at the end: distinct items held, LL2's count."""
    catalog_held_at: float | None = None
    """Seconds from the start until the first sync pass had the whole catalog."""
    started: float = 0.0
    page_seconds: float = SYNC_PAGE_SECONDS

    def commands(self, until: float = math.inf) -> list[Answer]:
        """Answers to commands (not autocomplete) before `until` seconds."""
        return [
            a for a in self.answers if a.at < until and not a.outcome.startswith("autocomplete")
        ]

    def error_share(self, until: float = math.inf) -> float:
        commands = self.commands(until)
        return sum(a.outcome.startswith("error") for a in commands) / max(1, len(commands))

    def busiest_hour(self) -> int:
        """The most LL2 requests in any rolling hour."""
        times = sorted(self.request_times)
        return max(
            (bisect.bisect_left(times, t + 3600) - i for i, t in enumerate(times)), default=0
        )


def _classify(freshness: Freshness, now: float) -> tuple[str, float]:
    age = now - freshness.fetched_at.timestamp()
    if freshness.stale_reason is not None:
        return f"stale: {freshness.stale_reason.value}", age
    return ("fresh, from the cache" if freshness.from_cache else "fresh, from LL2"), age


async def answer(services: Services, command: Command) -> tuple[str, float | None]:
    service = services.service
    value = str(next(iter(command.options.values()), ""))
    try:
        if command.focused is not None:
            await service.suggest(_SUGGEST_KINDS[command.name], value)
            return "autocomplete (local index, never LL2)", None
        if command.name == "flight":
            freshness = (await service.flight(value, asker=None)).freshness
        elif command.name == "crew":
            freshness = (await service.astronaut(value, asker=None)).freshness
        else:
            craft = command.options.get("spacecraft")
            craft_id = await service.spacecraft_id(str(craft)) if craft else None
            page = command.options.get("page", 1)
            number = page if isinstance(page, int) else 1
            freshness = (await service.flight_page(craft_id, number, asker=None)).freshness
    except Unavailable as error:
        return f"error: {error.reason.value}, nothing cached", None
    except (UnknownQuery, NotFound):
        return "error: not found", None
    except LL2Error as error:
        return f"error: {type(error).__name__}", None
    return _classify(freshness, services.clock())


async def compressed(
    catalog: Catalog,
    load: Workload,
    seed: int,
    *,
    hours: float = SIMULATED_HOURS,
    per_hour: int = FREE_BUDGET,
    version: str = "2.2.0",
    page_seconds: float = SYNC_PAGE_SECONDS,
) -> Compressed:
    """The workload over `hours` of simulated time, with the bot's background work: the
    alert poll every `ALERT_POLL_SECONDS`, the catalog sync's loop as `cogs/catalog.py`
    runs it (a turn, then the pause the turn asks for; a page takes `page_seconds`)."""
    rng = random.Random(seed)
    span = hours * 3600
    defaults = Settings(_env_file=None)
    events: list[tuple[float, int, int, Command | str]] = [
        (rng.uniform(0, span), 2, n, command) for n, command in enumerate(load.commands)
    ]
    events += [
        (t * defaults.alert_poll_seconds, 0, -1, "alert poll")
        for t in range(int(span // defaults.alert_poll_seconds) + 1)
    ]
    events.append((0.0, 1, -1, "catalog sync"))
    heapq.heapify(events)
    clock = Clock()
    start = clock.now
    result = Compressed(started=start, page_seconds=page_seconds)
    with tempfile.TemporaryDirectory(prefix="capcom-bench-") as directory:
        async with (
            LL2Stub(catalog, requests_per_hour=per_hour, clock=clock) as ll2,
            open_services(
                Path(directory) / "capcom.db", ll2.base_url(version), per_hour, clock
            ) as services,
        ):
            while events:
                at, order, n, event = heapq.heappop(events)
                if at > span:
                    break
                clock.now = start + at
                if event == "alert poll":
                    result.background[event] += 1
                    if await _alert_poll(services):
                        result.background[f"{event} reached LL2"] += 1
                    continue
                if event == "catalog sync":
                    result.background[event] += 1
                    pause = await _sync_turn(services, defaults.sync_interval_seconds, result)
                    heapq.heappush(events, (at + pause, order, n, event))
                    continue
                assert isinstance(event, Command)
                outcome, age = await answer(services, event)
                result.answers.append(Answer(at, event.label, outcome, age))
            for record in ll2.upstream_requests():
                result.upstream[request_kind(record)] += 1
                result.statuses[record.status] += 1
                result.request_times.append(record.timestamp - start)
            position = await services.sync.position()
            result.catalog = {c.value: (position.held(c), position.totals[c]) for c in ORDER}
            result.granted = services.budget.granted
            result.refused = services.budget.refused
    return result


async def _sync_turn(services: Services, interval: float, result: Compressed) -> float:
    """One turn of the bot's sync loop (cogs/catalog.py); the simulated seconds until the
    next: the page's own time after a page, else the pause the turn asks for."""
    try:
        turn = await services.sync.turn(interval)
    except LL2Error:
        return interval
    now = services.clock()
    if result.catalog_held_at is None and await services.sync.complete():
        result.catalog_held_at = now - result.started
    if turn.step is None:
        return turn.pause(now, interval)
    result.background["catalog sync reached LL2"] += 1
    return result.page_seconds


async def _alert_poll(services: Services) -> bool:
    """One tick of the bot's alert loop (cogs/alerts.py); whether it reached LL2."""
    return (await services.alerts.cycle(NoTransport())).poll.error is None


def compressed_report(result: Compressed, report: Report, hours: float = SIMULATED_HOURS) -> bool:
    answers = result.answers
    commands = result.commands()
    outcomes = Counter(a.outcome for a in answers)
    ages: dict[str, list[float]] = defaultdict(list)
    for a in answers:
        if a.age is not None:
            ages[a.outcome].append(a.age)
    order = sorted(
        outcomes, key=lambda o: (not o.startswith("fresh"), not o.startswith("stale"), o)
    )
    table = Table(["answer", "commands", "share", "data age: median", "p90", "max"])
    for outcome in order:
        n = outcomes[outcome]
        spread = ages.get(outcome)
        table.add(
            outcome,
            n,
            f"{n / len(answers):.1%}",
            *(
                (_age(median(spread)), _age(percentile(spread, 0.9)), _age(max(spread)))
                if spread
                else ("", "", "")
            ),
        )
    upstream = sum(result.upstream.values())
    report.table(
        table,
        f"**Service layer, compressed time: {len(answers):,} commands over a simulated "
        f"{hours:g} h, LL2's free budget ({FREE_BUDGET}/hour), cold cache** (same classes as the "
        f"bot, in-process, settable clock; the alert poll every 20 min and the catalog sync's "
        f"loop as in the bot: a page on every spare slot, at least one per 30 min, each page "
        f"taking {result.page_seconds:g} s; data age = time since LL2 sent it):",
    )
    slices = Table(["simulated hours", "commands (not autocomplete)", "fresh", "stale", "error"])
    for first in range(0, int(hours), SLICE_HOURS):
        chunk = [a for a in commands if first * 3600 <= a.at < (first + SLICE_HOURS) * 3600]
        if not chunk:
            continue
        share = Counter(a.outcome.split(":")[0].split(",")[0] for a in chunk)
        slices.add(
            f"{first} to {first + SLICE_HOURS}",
            len(chunk),
            *(f"{share[k] / len(chunk):.1%}" for k in ("fresh", "stale", "error")),
        )
    report.table(slices, "The same, by time of day (how the cache fills under the budget):")
    throttled = result.statuses.get(429, 0)
    granted, refused, steps = result.granted, result.refused, result.background
    report.note(
        f"LL2 requests: {upstream} in {hours:g} h ({upstream / hours:.1f}/hour; "
        + ", ".join(f"{k} {v}" for k, v in result.upstream.most_common())
        + f"); 429s from the stand-in: {throttled}; commands per LL2 request: "
        f"{len(answers) / max(upstream, 1):.1f}. Budget slots granted / refused: interactive "
        f"{granted['interactive']} / {refused['interactive']}, background "
        f"{granted['background']} / {refused['background']}, spare (catalog sync) "
        f"{granted['spare']} / {refused['spare']}. Background work: alert poll "
        f"reached LL2 {steps['alert poll reached LL2']} of {steps['alert poll']} times, "
        f"catalog sync fetched a page {steps['catalog sync reached LL2']} of "
        f"{steps['catalog sync']} turns. Unanswered: none — every command ended in a reply, "
        "a stale reply or an error message (an unexpected exception would have stopped the "
        "benchmark)."
    )
    return throttled == 0


FIRST_HOUR_ERRORS = 0.05
FRESH_INSTALL = "a fresh install at the default settings (free tier, LL2 2.3.0)"
DAY_ERRORS = 0.02


def first_day_targets(result: Compressed, report: Report) -> bool:
    """Issue 12's targets for a fresh install on the free tier: few errors from the first
    hour, the whole catalog within it, never a 429, never more than the budget."""
    held_at = result.catalog_held_at
    held = ", ".join(f"{name} {have} of {total}" for name, (have, total) in result.catalog.items())
    day_errors, first_hour_errors = result.error_share(), result.error_share(3600)
    busiest = result.busiest_hour()
    throttled = result.statuses.get(429, 0)
    checks = {
        f"commands answered with an error over the day ≤ {DAY_ERRORS:.0%}": (
            day_errors <= DAY_ERRORS,
            f"{day_errors:.2%}",
        ),
        f"commands answered with an error in the first hour ≤ {FIRST_HOUR_ERRORS:.0%}": (
            first_hour_errors <= FIRST_HOUR_ERRORS,
            f"{first_hour_errors:.2%} of {len(result.commands(3600))}",
        ),
        "whole catalog held by the end of the first hour": (
            held_at is not None and held_at <= 3600,
            "never" if held_at is None else f"after {_age(held_at)} (at the end: {held})",
        ),
        "no 429 from the stand-in": (not throttled, str(throttled)),
        f"at most {FREE_BUDGET} LL2 requests in any rolling hour": (
            busiest <= FREE_BUDGET,
            str(busiest),
        ),
    }
    for name, (met, measured) in checks.items():
        report.target(f"{FRESH_INSTALL}: {name}", measured, met)
    return all(met for met, _ in checks.values())


def sensitivity_report(results: list[Compressed], report: Report) -> None:
    """How the first hour depends on how long LL2 takes to send a page of 100."""
    table = Table(
        ["one sync page takes", "errors, first hour", "errors, day", "catalog held after"]
    )
    for result in results:
        held_at = result.catalog_held_at
        table.add(
            f"{result.page_seconds:g} s",
            f"{result.error_share(3600):.2%}",
            f"{result.error_share():.2%}",
            "never" if held_at is None else _age(held_at),
        )
    report.table(
        table,
        "The same day (2.3.0) with slower LL2 pages: commands arriving while the first pass "
        "runs take slots the pass would have used.",
    )


@dataclass
class Synced:
    sync_requests: int
    command_requests: int
    commands: int
    outcomes: Counter[str]


async def synced(catalog: Catalog, load: Workload, *, version: str = "2.3.0") -> Synced:
    """LL2 2.3.0, cold cache: one catalog-sync pass (detailed pages), then the workload,
    budget not limiting: how many commands each LL2 request serves once the bot's own
    background job has filled the cache."""
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="capcom-bench-") as directory:
        async with (
            LL2Stub(catalog, clock=clock) as ll2,
            open_services(
                Path(directory) / "capcom.db", ll2.base_url(version), 100_000, clock
            ) as services,
        ):
            while await services.sync.step() is not None:
                clock.now += 1
            sync_requests = ll2.upstream_count()
            outcomes: Counter[str] = Counter()
            for command in load.commands:
                clock.now += 1
                outcome, _ = await answer(services, command)
                outcomes[outcome.split(":")[0].split(",")[0]] += 1
            return Synced(
                sync_requests,
                ll2.upstream_count() - sync_requests,
                len(load.commands),
                outcomes,
            )


def synced_report(result: Synced, report: Report) -> bool:
    total = result.sync_requests + result.command_requests
    per_request = result.commands / max(total, 1)
    table = Table(["", "value"])
    table.add("LL2 requests of the catalog-sync pass (detailed pages of 100)", result.sync_requests)
    table.add("LL2 requests during the commands", result.command_requests)
    table.add(f"commands ({result.commands:,}) by answer", dict(result.outcomes))
    table.add("**commands per LL2 request, sync included**", f"**{per_request:.0f}**")
    report.table(
        table,
        "**Service layer, LL2 2.3.0, after the bot's first catalog-sync pass, budget not "
        "limiting** (in-process; the sync asks for `mode=detailed` pages, each item cached "
        "as its detail):",
    )
    return report.target(
        f"≥ {TARGET_PER_REQUEST} commands per LL2 request with LL2 2.3.0 and a synced catalog",
        f"{per_request:.0f}",
        per_request >= TARGET_PER_REQUEST,
    )


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def new_report() -> Report:
    return Report("economy", "1. Upstream economy", machine())
