"""Benchmark 7, a simulated week of reminders: the bot's own object graph
(`bot.runtime.open_runtime`, as `benchmarks.inprocess` opens it) at the default settings
and LL2's free tier (15 an hour, the stand-in limiting too), on a compressed clock
against the LL2 stand-in serving `crew_week`: six crewed launches whose NETs move as real
ones did (a Day placeholder becoming a time, slips both ways, one pulled nine hours
earlier, a hold, TBC, two scrubs as +23.6 h jumps at Go, a crew listed three hours before
launch, NETs rewritten to the liftoff second, success).

The bot's loops run as its cogs run them: the alert poll every `ALERT_POLL_SECONDS`, the
catalog sync's paced loop, the launch watch waking when `LaunchWatch.seconds_to_wake`
says; three servers want reminders (24 h and 1 h; one 10 min too), landings and launches;
two crews land during the week; each server keeps a live board, turned every
`ALERT_BOARD_SECONDS`; and a few hundred commands a day (the economy workload, with
`/upcoming` added) go through the services. What LL2 held at each moment is the
script itself, so each message is checked against it: reminders on time for the NET LL2
held then and none for one it no longer held, changes told in time, the rolling hour's
requests, and commands refused with nothing to show. Each board's edits are checked
against what it would show at each turn: one edit per change at most, none without one.
"""

from __future__ import annotations

import bisect
import heapq
import random
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from math import ceil
from pathlib import Path

from benchmarks.common import SEED, Report, Table, machine, percentile
from benchmarks.economy import FREE_BUDGET, answer
from benchmarks.inprocess import Clock, Services, open_services
from benchmarks.session import request_kind
from benchmarks.workload import Command, build, synthetic_catalog
from bot.alert_kinds import EventType, Marker
from bot.alerts.board import BoardView
from bot.alerts.outcomes import EditOutcome, EditResult
from bot.alerts.reminders import MOVE_SECONDS, LaunchNotice, observe
from bot.alerts.service import Notice
from bot.ll2.client import LL2Error, Unavailable
from bot.ll2.launches import EXACT_PRECISION_IDS, LaunchSnapshot, LaunchStatus, LaunchTime
from bot.settings import Settings
from storage.alerts import Subscription
from tests.stubs.ll2 import LL2Stub
from tests.stubs.ll2.upcoming import LaunchState, ScriptedLaunch, UpcomingHistory, crew_week

START = datetime(2026, 12, 7, tzinfo=UTC)
DAYS = 7.0
QUICK_DAYS = 2.0
COMMANDS_PER_DAY = 400
"""Workload entries a day (autocomplete included: about 280 commands and 120 lookups)."""
UPCOMING_SHARE = 0.1
"""Of the commands, `/upcoming` on top of the workload's mix."""
ON_TIME_SECONDS = 120.0
TOLD_NEAR_SECONDS = 20 * 60.0
TOLD_FAR_SECONDS = 2 * 3600.0
NEAR_SECONDS = 3 * 3600.0
"""A change this close to the NET LL2 held before it must be told within 20 minutes."""
FAILING_SHARE = 0.01
SERVERS = {
    # guild: (channel, crew alerts, reminder offsets), each with reminders
    1: (11, frozenset({EventType.LANDING, EventType.LAUNCH}), "86400,3600"),
    2: (22, frozenset({EventType.LANDING}), "86400,3600,600"),
    3: (33, frozenset[EventType](), "86400,3600"),
}
LANDINGS_AT_HOURS = (77.0, 130.5)
BOARD_CHANNELS = {guild: channel + 100 for guild, (channel, _, _) in SERVERS.items()}
"""Each server's live board, in a channel of its own."""


@dataclass(frozen=True, slots=True)
class Posted:
    at: float
    channel_id: int
    notice: LaunchNotice


class WeekChannels:
    """The servers' channels: keeps each launch message with the time it went out; crew
    alerts are counted, edits always succeed."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.posted: list[Posted] = []
        self.alerts: Counter[str] = Counter()
        self.edits = 0

    async def send(self, channel_id: int, notice: Notice) -> int:
        self.alerts[notice.kind.type.value] += 1
        return sum(self.alerts.values())

    async def find(self, channel_id: int, marker: Marker) -> int | None:
        return None

    async def post_launch(self, channel_id: int, notice: LaunchNotice) -> int:
        self.posted.append(Posted(self._clock(), channel_id, notice))
        return len(self.posted)

    async def revise(self, channel_id: int, message_id: int, notice: LaunchNotice) -> EditResult:
        self.edits += 1
        return EditResult(EditOutcome.EDITED)


@dataclass(frozen=True, slots=True)
class Shown:
    at: float
    channel_id: int
    key: str
    """The view's key (`BoardView.key`): what the message shows."""


class WeekBoards:
    """The boards' messages: each post and edit with its time and what it showed; edits
    always succeed."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.posts: list[Shown] = []
        self.edits: list[Shown] = []

    def language(self, guild_id: int, picked: str | None) -> str:
        return picked or "en-US"

    async def post(self, channel_id: int, view: BoardView, language: str) -> int:
        self.posts.append(Shown(self._clock(), channel_id, view.key))
        return len(self.posts)

    async def edit(
        self, channel_id: int, message_id: int, view: BoardView, language: str
    ) -> EditResult:
        self.edits.append(Shown(self._clock(), channel_id, view.key))
        return EditResult(EditOutcome.EDITED)


@dataclass
class Week:
    days: float
    history: UpcomingHistory
    channels: WeekChannels
    answers: Counter[str] = field(default_factory=Counter)
    request_times: list[float] = field(default_factory=list)
    """When LL2 received each request (simulated UNIX time)."""
    requests: Counter[str] = field(default_factory=Counter)
    grants: list[tuple[float, str, str]] = field(default_factory=list)
    throttled: int = 0
    watch_cycles: int = 0
    boards: WeekBoards | None = None
    """None: a week without live boards."""
    views: list[tuple[float, str]] = field(default_factory=list)
    """When what a board would show changed (read at each board turn), and its key."""


def _schedule(load: list[Command], span: float, rng: random.Random) -> list[tuple[float, Command]]:
    return sorted(((rng.uniform(0, span), command) for command in load), key=lambda e: e[0])


async def _answer(services: Services, command: Command) -> str:
    if command.name != "upcoming":
        outcome, _ = await answer(services, command)
        return outcome
    try:
        fetched = await services.service.upcoming(asker=None)
    except Unavailable as error:
        return f"error: {error.reason.value}, nothing cached"
    except LL2Error as error:
        return f"error: {type(error).__name__}"
    freshness = fetched.freshness
    if freshness.stale_reason is not None:
        return f"stale: {freshness.stale_reason.value}"
    return "fresh, from the cache" if freshness.from_cache else "fresh, from LL2"


async def simulate(
    days: float = DAYS,
    commands_per_day: int = COMMANDS_PER_DAY,
    seed: int = SEED,
    *,
    boards: bool = True,
) -> Week:
    """The week (or `days` of it) at the default settings, every loop of the bot on one
    compressed clock; `boards`: each server keeps a live board."""
    rng = random.Random(seed)
    span = days * 86_400
    start = START.timestamp()
    clock = Clock(start)
    catalog = synthetic_catalog(seed, START)
    history = crew_week(START)
    load = build(catalog, round(commands_per_day * days), seed).commands
    upcoming = round(len(load) * UPCOMING_SHARE)
    load += [Command("upcoming", {}) for _ in range(upcoming)]
    defaults = Settings(_env_file=None)
    landings = dict(zip(catalog.flights_in_space(crewed=True), LANDINGS_AT_HOURS, strict=False))
    events: list[tuple[float, int, str, Command | int | None]] = [
        (at, 3, "command", command) for at, command in _schedule(load, span, rng)
    ]
    events += [(hours * 3600, 0, "landing", flight) for flight, hours in landings.items()]
    polls = int(span // defaults.alert_poll_seconds) + 1
    events += [(n * defaults.alert_poll_seconds, 1, "alert poll", None) for n in range(polls)]
    events += [(0.0, 2, "catalog sync", None), (0.0, 2, "launch watch", None)]
    if boards:
        events.append((0.0, 2, "board turn", None))
    heapq.heapify(events)
    channels = WeekChannels(clock)
    week = Week(days, history, channels, boards=WeekBoards(clock) if boards else None)
    with tempfile.TemporaryDirectory(prefix="capcom-week-") as directory:
        async with (
            LL2Stub(
                catalog,
                requests_per_hour=FREE_BUDGET,
                clock=clock,
                wall_clock=clock,
                upcoming=history,
            ) as ll2,
            open_services(
                Path(directory) / "capcom.db",
                ll2.base_url("2.3.0"),
                FREE_BUDGET,
                clock,
            ) as services,
        ):
            for guild, (channel, types, offsets) in SERVERS.items():
                await services.alerts.store.subscribe(
                    Subscription(
                        guild,
                        channel,
                        None,
                        start - 3600,
                        types,
                        reminder_offsets=offsets,
                        reminders=True,
                    )
                )
                if week.boards is not None:
                    await services.boards.start(guild, BOARD_CHANNELS[guild])
            while events:
                at, order, kind, item = heapq.heappop(events)
                if at > span:
                    break
                clock.now = start + at
                if kind == "command":
                    assert isinstance(item, Command)
                    week.answers[await _answer(services, item)] += 1
                elif kind == "landing":
                    assert isinstance(item, int)
                    catalog.land_flight(item, datetime.fromtimestamp(clock.now, UTC))
                elif kind == "alert poll":
                    await services.alerts.cycle(channels)
                elif kind == "board turn":
                    await _board_turn(services, week)
                    heapq.heappush(events, (at + defaults.alert_board_seconds, order, kind, None))
                elif kind == "catalog sync":
                    pause = await _sync_turn(services, defaults.sync_interval_seconds)
                    heapq.heappush(events, (at + pause, order, kind, None))
                else:
                    delay = await _watch_turn(services, channels, week)
                    heapq.heappush(events, (at + delay, order, kind, None))
            for record in ll2.upstream_requests():
                week.requests[request_kind(record)] += 1
                week.request_times.append(record.timestamp)
                week.throttled += record.status == 429
            week.grants = list(services.budget.grants)
    return week


async def _sync_turn(services: Services, interval: float) -> float:
    """One turn of the catalog sync's loop (cogs/catalog.py), a page taking no time."""
    try:
        turn = await services.sync.turn(interval)
    except LL2Error:
        return interval
    return turn.pause(services.clock(), interval)


async def _board_turn(services: Services, week: Week) -> None:
    """One turn of the boards' loop (cogs/board.py), noting first what a board would show
    now, so that each edit can be checked against the changes."""
    assert week.boards is not None
    key = (await services.boards.view()).key
    if not week.views or week.views[-1][1] != key:
        week.views.append((services.clock(), key))
    await services.boards.turn(week.boards)


async def _watch_turn(services: Services, channels: WeekChannels, week: Week) -> float:
    """The launch watch's loop (cogs/reminders.py): a cycle whenever one is due, then the
    seconds until the next."""
    watch = services.launches
    delay = await watch.seconds_to_wake()
    while delay <= 0:
        await watch.cycle(channels)
        week.watch_cycles += 1
        delay = await watch.seconds_to_wake()
    return delay


# What LL2 held, and what the week should have told


def _state(launch: ScriptedLaunch, at: float) -> LaunchState | None:
    return launch.state_at(datetime.fromtimestamp(at, UTC))


def _exact_scheduled(state: LaunchState | None) -> float | None:
    """The NET a reminder may be for while `state` holds: exact, Go or TBC."""
    if state is None or state.net is None or state.precision not in EXACT_PRECISION_IDS:
        return None
    status = LaunchStatus.of(state.status)
    return state.net.timestamp() if status is not None and status.is_scheduled else None


def _launch_id(launch: ScriptedLaunch) -> str:
    return str(launch.template["id"])


@dataclass(frozen=True, slots=True)
class ReminderCheck:
    expected: int
    sent: int
    missed: list[str]
    late: list[str]
    superseded: list[str]
    lateness: list[float]


def _held_since(launch: ScriptedLaunch, due: float) -> float | None:
    """When LL2 started to hold, unbroken until `due`, the exact Go/TBC NET it holds then
    (nudges under 15 minutes are the same NET); None if it holds none at `due`."""
    net = _exact_scheduled(_state(launch, due))
    if net is None:
        return None
    since = due
    for state in sorted(launch.states, key=lambda s: s.since, reverse=True):
        if state.since.timestamp() > due:
            continue
        other = _exact_scheduled(state)
        if other is None or abs(other - net) >= MOVE_SECONDS:
            break
        since = state.since.timestamp()
    return since


def check_reminders(week: Week) -> ReminderCheck:
    """Each reminder sent against what LL2 held when it went out; each one expected (LL2
    held the NET from at least a far poll interval and the lead before its time) sent."""
    settings = Settings(_env_file=None)
    cadence_far, lead = settings.upcoming_poll_seconds, settings.upcoming_lead_seconds
    expected: set[tuple[int, str, int, float]] = set()
    for channel, _, offsets in SERVERS.values():
        for launch in week.history.launches:
            nets = {n for s in launch.states if (n := _exact_scheduled(s)) is not None}
            for net in nets:
                for offset in (int(o) for o in offsets.split(",")):
                    due = net - offset
                    if not START.timestamp() <= due <= START.timestamp() + week.days * 86_400:
                        continue
                    since = _held_since(launch, due)
                    held = _exact_scheduled(_state(launch, due))
                    if since is None or held is None or abs(held - net) >= MOVE_SECONDS:
                        continue
                    if since <= due - lead - cadence_far:
                        expected.add((channel, _launch_id(launch), offset, held))
    launches = {_launch_id(launch): launch for launch in week.history.launches}
    sent, late, superseded, lateness = [], [], [], []
    for posted in week.channels.posted:
        reminder = posted.notice.reminder
        if reminder is None:
            continue
        launch_id = posted.notice.launch.launch_id
        label = f"{launch_id[:8]} {reminder.offset}s@{reminder.net:.0f} in {posted.channel_id}"
        held = _exact_scheduled(_state(launches[launch_id], posted.at))
        if held is None or abs(held - reminder.net) >= MOVE_SECONDS:
            superseded.append(label)
            continue
        late_by = posted.at - (held - reminder.offset)
        lateness.append(late_by)
        if not 0 <= late_by <= ON_TIME_SECONDS:
            late.append(f"{label} ({late_by:+.0f} s)")
        sent.append((posted.channel_id, launch_id, reminder.offset, held))
    missed = [
        f"{launch_id[:8]} {offset}s@{net:.0f} in {channel}"
        for channel, launch_id, offset, net in sorted(expected)
        if not any(
            (c, lid, o) == (channel, launch_id, offset) and abs(n - net) < MOVE_SECONDS
            for c, lid, o, n in sent
        )
    ]
    return ReminderCheck(len(expected), len(sent), missed, late, superseded, lateness)


@dataclass(frozen=True, slots=True)
class ChangeCheck:
    expected: int
    told: int
    slow: list[str]
    untold: list[str]
    near: list[float]
    """Seconds to tell each change within 3 h of the NET held before it (per server)."""
    far: list[float]
    unexpected: int


def _snapshot(launch: ScriptedLaunch, state: LaunchState) -> LaunchSnapshot:
    return LaunchSnapshot(
        launch_id=_launch_id(launch),
        name=str(launch.template["name"]),
        time=LaunchTime(state.net, state.precision, LaunchStatus.of(state.status)),
        flight_id=None,
        webcast_url=None,
        page_url=None,
    )


def _changes(launch: ScriptedLaunch, reach: float) -> Iterable[tuple[float, str, float | None]]:
    """Each change in the script that the reminder rules call news: (when, kind, the NET
    held before it)."""
    previous = None
    for state in launch.states:
        at = state.since.timestamp()
        observation = observe(previous, _snapshot(launch, state), at, reach)
        if observation.change is not None and previous is not None:
            yield at, observation.change.kind.value, previous.planned_net
        previous = observation.watch


def check_changes(week: Week) -> ChangeCheck:
    """Every change the script makes told to every server in time: within 20 minutes
    inside the last 3 h before the NET LL2 held, within 2 h before that."""
    end = START.timestamp() + week.days * 86_400
    told: dict[tuple[int, str, str], list[float]] = {}
    for posted in week.channels.posted:
        change = posted.notice.change
        if change is not None:
            key = (posted.channel_id, posted.notice.launch.launch_id, change.kind.value)
            told.setdefault(key, []).append(posted.at)
    expected, slow, untold = 0, [], []
    near: list[float] = []
    far: list[float] = []
    used: set[tuple[int, str, str, float]] = set()
    for launch in week.history.launches:
        reach = 86_400.0
        for at, kind, old_net in _changes(launch, reach):
            window = TOLD_FAR_SECONDS
            if old_net is not None and old_net - at <= NEAR_SECONDS:
                window = TOLD_NEAR_SECONDS
            if at + window > end:
                continue
            for channel, _, _ in SERVERS.values():
                expected += 1
                times = [t for t in told.get((channel, _launch_id(launch), kind), []) if t >= at]
                label = f"{_launch_id(launch)[:8]} {kind} at {at:.0f} in {channel}"
                if not times:
                    untold.append(label)
                    continue
                used.add((channel, _launch_id(launch), kind, times[0]))
                delay = times[0] - at
                (near if window == TOLD_NEAR_SECONDS else far).append(delay)
                if delay > window:
                    slow.append(f"{label} ({delay / 60:.0f} min)")
    told_count = sum(len(times) for times in told.values())
    return ChangeCheck(
        expected, expected - len(untold), slow, untold, near, far, told_count - len(used)
    )


@dataclass(frozen=True, slots=True)
class BoardCheck:
    posts: Counter[int]
    """Board messages posted, by channel."""
    edits: dict[int, Counter[int]]
    """Edits by channel, then by day of the week (0: the first)."""
    changes: dict[int, int]
    """Changes of what a board shows after it was posted, by channel."""
    unchanged: list[str]
    """Edits showing what the board already showed."""
    unshown: list[str]
    """Boards not showing the last change two turns after it."""
    delays: list[float]
    """Seconds from each change to the edit that showed it."""


def check_boards(week: Week) -> BoardCheck:
    """Each board's messages against what it would have shown at each turn: at most one
    edit per change (a burst between turns is one), none without one, none left out."""
    assert week.boards is not None
    start = START.timestamp()
    settle = 2 * Settings(_env_file=None).alert_board_seconds
    end = start + week.days * 86_400
    posts = Counter(shown.channel_id for shown in week.boards.posts)
    edits: dict[int, Counter[int]] = {channel: Counter() for channel in posts}
    changes, unchanged, unshown, delays = {}, [], [], []
    for first in week.boards.posts:
        channel = first.channel_id
        changes[channel] = sum(at > first.at for at, _ in week.views)
        shown = first
        for edit in (e for e in week.boards.edits if e.channel_id == channel):
            edits[channel][int((edit.at - start) // 86_400)] += 1
            if edit.key == shown.key:
                unchanged.append(f"{channel} at {edit.at - start:.0f} s")
            since = max((at for at, key in week.views if key == edit.key and at <= edit.at))
            delays.append(edit.at - since)
            shown = edit
        last_at, last_key = week.views[-1]
        if shown.key != last_key and last_at < end - settle:
            unshown.append(f"{channel} since {last_at - start:.0f} s")
    return BoardCheck(posts, edits, changes, unchanged, unshown, delays)


def busiest_hour(times: list[float]) -> tuple[int, float]:
    """The most requests in any rolling hour, and when that hour began."""
    ordered = sorted(times)
    best, begun = 0, ordered[0] if ordered else 0.0
    for i, t in enumerate(ordered):
        count = bisect.bisect_left(ordered, t + 3600) - i
        if count > best:
            best, begun = count, t
    return best, begun


def _kind(priority: str, path: str) -> str:
    """A granted slot by what it was for: the upcoming launches by who asked, the rest by
    priority (interactive: commands; background: alert poll, sync page; spare: sync)."""
    if "upcoming" in path:
        return "upcoming (watch)" if priority == "background" else "upcoming (/upcoming)"
    return priority


def failing(week: Week) -> tuple[int, int]:
    """Commands refused with nothing to show, and all commands (autocomplete aside)."""
    commands = {k: v for k, v in week.answers.items() if not k.startswith("autocomplete")}
    refused = sum(v for k, v in commands.items() if k.startswith("error") and "not found" not in k)
    return refused, sum(commands.values())


def report(week: Week, without: Week | None = None) -> tuple[Report, bool]:
    """The week's report; `without`: the same week without live boards, whose LL2
    requests the boards must not change."""
    result = Report("week", "7. A simulated week of reminders", machine())
    reminders = check_reminders(week)
    changes = check_changes(week)
    peak, peak_at = busiest_hour(week.request_times)
    refused, commands = failing(week)
    table = Table(["", "value"])
    table.add("simulated days", f"{week.days:g}")
    table.add("launch messages (reminders, notices, outcomes)", len(week.channels.posted))
    table.add("reminders expected / sent", f"{reminders.expected} / {reminders.sent}")
    if reminders.lateness:
        table.add(
            "reminder lateness: median, p99, max",
            ", ".join(
                f"{v:.0f} s"
                for v in (
                    percentile(reminders.lateness, 0.5),
                    percentile(reminders.lateness, 0.99),
                    max(reminders.lateness),
                )
            ),
        )
    table.add("changes expected / told (per server)", f"{changes.expected} / {changes.told}")
    for name, delays in (("within 3 h of NET", changes.near), ("earlier", changes.far)):
        if delays:
            table.add(
                f"time to tell a change {name}: median, max",
                f"{percentile(delays, 0.5) / 60:.0f} min, {max(delays) / 60:.0f} min",
            )
    table.add("notices beyond those (repeats of a change)", changes.unexpected)
    table.add("reminders edited", week.channels.edits)
    table.add("crew alerts", ", ".join(f"{k} {v}" for k, v in week.channels.alerts.items()))
    table.add("launch watch cycles", week.watch_cycles)
    total = sum(week.requests.values())
    table.add(
        "LL2 requests",
        f"{total} ({total / week.days:.0f} a day): "
        + ", ".join(f"{k} {v}" for k, v in week.requests.most_common()),
    )
    in_peak = Counter(
        _kind(priority, path)
        for at, priority, path in week.grants
        if peak_at <= at < peak_at + 3600
    )
    table.add(
        "busiest rolling hour",
        f"{peak} from {datetime.fromtimestamp(peak_at, UTC):%a %H:%M} UTC: "
        + ", ".join(f"{k} {v}" for k, v in in_peak.most_common()),
    )
    if without is not None:
        other = sum(without.requests.values())
        table.add(
            "LL2 requests of the same week without live boards",
            f"{other}: " + ", ".join(f"{k} {v}" for k, v in without.requests.most_common()),
        )
    table.add("429s from the stand-in", week.throttled)
    table.add(
        "command answers",
        ", ".join(f"{k} {v}" for k, v in week.answers.most_common()),
    )
    result.table(
        table,
        f"**Service layer, compressed time: {week.days:g} days, default settings, free tier "
        f"({FREE_BUDGET}/hour), LL2 2.3.0, fresh install** (the bot's object graph in-process; "
        "six crewed launches scripted from real histories, three servers wanting reminders; "
        "every message checked against what LL2 held when it went out):",
    )
    boards = None if week.boards is None else check_boards(week)
    if boards is not None:
        _board_table(result, week, boards)
    for name, items in (
        ("missed reminders", reminders.missed),
        ("late reminders", reminders.late),
        ("reminders for a NET LL2 no longer held", reminders.superseded),
        ("changes never told", changes.untold),
        ("changes told late", changes.slow),
    ):
        if items:
            result.note(f"{name}: " + "; ".join(items))
    met = [
        result.target(
            "every reminder within 2 min of its time, for the NET LL2 held",
            f"{reminders.sent - len(reminders.late)} of {reminders.sent} sent on time; "
            f"{len(reminders.missed)} of {reminders.expected} expected missed",
            not reminders.missed and not reminders.late,
        ),
        result.target(
            "no reminder for a superseded NET",
            str(len(reminders.superseded)),
            not reminders.superseded,
        ),
        result.target(
            "every change told within 20 min inside the last 3 h, within 2 h before",
            f"{changes.told} of {changes.expected} told, {len(changes.slow)} late",
            not changes.untold and not changes.slow,
        ),
        result.target(
            f"at most {FREE_BUDGET} LL2 requests in any rolling hour",
            str(peak),
            peak <= FREE_BUDGET and week.throttled == 0,
        ),
        result.target(
            "commands refused with nothing to show ≤ 1%",
            f"{refused / max(commands, 1):.2%} of {commands:,}",
            refused <= FAILING_SHARE * commands,
        ),
    ]
    if boards is not None:
        edits = sum(sum(days.values()) for days in boards.edits.values())
        met.append(
            result.target(
                "live boards: one post each, at most one edit per change, none without one",
                f"{sum(boards.posts.values())} posts on {len(boards.posts)} boards; "
                f"{edits} edits for {sum(boards.changes.values())} changes; "
                f"{len(boards.unchanged)} without a change, {len(boards.unshown)} left unshown",
                set(boards.posts.values()) == {1}
                and all(sum(boards.edits[c].values()) <= n for c, n in boards.changes.items())
                and not boards.unchanged
                and not boards.unshown,
            )
        )
    if without is not None:
        met.append(
            result.target(
                "live boards cost no LL2 request",
                f"{sum(week.requests.values())} requests with boards, "
                f"{sum(without.requests.values())} without",
                week.requests == without.requests,
            )
        )
    return result, all(met)


def _board_table(result: Report, week: Week, boards: BoardCheck) -> None:
    channels = sorted(boards.posts)
    table = Table(["day", "changes", *(f"edits, board {c}" for c in channels)])
    start = START.timestamp()
    for day in range(ceil(week.days)):
        changes = sum(day * 86_400 <= at - start < (day + 1) * 86_400 for at, _ in week.views)
        table.add(
            f"{(START + timedelta(days=day)):%a %d %b}",
            changes,
            *(boards.edits[c][day] for c in channels),
        )
    table.add(
        "week",
        len(week.views),
        *(sum(boards.edits[c].values()) for c in channels),
    )
    delays = boards.delays
    result.table(
        table,
        f"**Live boards** (one per server, a turn every "
        f"{Settings(_env_file=None).alert_board_seconds:g} s; changes: what a board shows "
        "changed between turns, the first post included; a change is edited in once it "
        "holds for a turn): "
        + (
            f"from a change to its edit median {percentile(delays, 0.5):.0f} s, "
            f"max {max(delays):.0f} s."
            if delays
            else "no edit."
        ),
    )
