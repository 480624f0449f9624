"""Reminders before crewed launches, and the changes worth telling: the rules, as pure
functions of what Capcom knew, what LL2 says now, and the time.

LL2 has no scrub status and its coarse NETs are placeholders (facts.md, *Upcoming
launches*), so:

- A reminder exists only for an exact NET (hour precision or finer) with status Go or
  TBC, at NET minus one of the offsets a server chose; it is armed only if its time came
  after Capcom learned that NET (one already past was covered by the change notice), and
  of several due at once (Capcom was down) only the one nearest launch is sent: the
  others are overtaken. Never after NET, never while on hold.
- A reminder is planned for the NET it names (`Reminder.key`); before it is sent the
  NET is checked again, and one planned for a NET LL2 no longer holds is superseded.
- Changes are told for launches within the horizon (the largest offset in use plus
  `HORIZON_MARGIN_SECONDS`): NET later or earlier by `MOVE_SECONDS` or more, a scrub (a
  jump of `SCRUB_JUMP_SECONDS` or more when the old NET was within `SCRUB_CLOSE_SECONDS`
  or past, status unchanged), a hold, back to TBD (status TBD or the NET coarse again),
  back to Go or TBC after a hold, and a placeholder becoming a time only when that time
  is within reach of a reminder. Nothing is news once the launch has lifted off (LL2 then
  rewrites NET to the liftoff second).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.alert_kinds import Marker
from bot.ll2.launches import LaunchSnapshot, LaunchStatus
from storage.launches import WatchedLaunch

REMINDER_OFFSETS = (86_400, 21_600, 3_600, 600)
"""The offsets a server may choose from, in seconds before NET: 24 h, 6 h, 1 h, 10 min."""
DEFAULT_OFFSETS = frozenset({86_400, 3_600})
OFFSET_LABELS = {86_400: "24 h", 21_600: "6 h", 3_600: "1 h", 600: "10 min"}
OFFSET_CHOICES = (
    frozenset({86_400, 3_600}),
    frozenset({86_400, 3_600, 600}),
    frozenset({3_600, 600}),
    frozenset({86_400, 21_600, 3_600, 600}),
    frozenset({86_400}),
    frozenset({3_600}),
    frozenset({600}),
)
"""The combinations `/alerts channel` offers, the default first."""

MOVE_SECONDS = 15 * 60.0
"""An exact NET moved by less than this is the same time (no notice, same reminders)."""
SCRUB_JUMP_SECONDS = 12 * 3600.0
SCRUB_CLOSE_SECONDS = 6 * 3600.0
HORIZON_MARGIN_SECONDS = 24 * 3600.0
"""Changes are told for launches within the largest offset in use plus this."""


class ChangeKind(StrEnum):
    LATER = "later"
    EARLIER = "earlier"
    SCRUB = "scrub"
    HOLD = "hold"
    TBD = "tbd"
    """Back to to-be-determined: status TBD, or the NET a placeholder again."""
    CONFIRMED = "confirmed"
    """A placeholder NET became a time within reach of a reminder."""
    RESUMED = "resumed"
    """Go or TBC again after a hold."""


@dataclass(frozen=True, slots=True)
class LaunchChange:
    kind: ChangeKind
    old_net: float | None
    new_net: float | None
    status: LaunchStatus | None
    """The status LL2 gives now."""


@dataclass(frozen=True, slots=True)
class Observation:
    """What one look at a launch learned: the state to keep, and what is news."""

    watch: WatchedLaunch
    change: LaunchChange | None
    lifted_off: bool
    """LL2 shows the launch in flight (or over) for the first time."""
    outcome: LaunchStatus | None
    """Success, Failure or Partial Failure, the first time LL2 shows it."""


def offsets_text(offsets: Iterable[int]) -> str:
    """Offsets as stored: '86400,3600'."""
    return ",".join(str(offset) for offset in sorted(set(offsets), reverse=True))


def offsets_label(offsets: Iterable[int]) -> str:
    """'24 h and 1 h', farthest first."""
    words = [OFFSET_LABELS[offset] for offset in sorted(set(offsets), reverse=True)]
    return " and ".join(filter(None, (", ".join(words[:-1]), *words[-1:])))


def parse_offsets(text: str) -> frozenset[int]:
    """Offsets from their stored text; any that is not one of REMINDER_OFFSETS is skipped."""
    parts = (part.strip() for part in text.split(","))
    return frozenset(
        int(part) for part in parts if part.isdigit() and int(part) in REMINDER_OFFSETS
    )


def observe(
    previous: WatchedLaunch | None, snapshot: LaunchSnapshot, now: float, reach: float
) -> Observation:
    """Compare LL2's answer with what Capcom knew. `reach` is the largest reminder
    offset any server uses (0 when none wants reminders)."""
    time = snapshot.time
    net = time.net.timestamp() if time.net is not None else None
    exact_net = net if time.exact else None
    planned, seen_at, revision = exact_net, now, 0
    change = None
    lifted_off = False
    outcome = None
    if previous is not None:
        planned, seen_at, revision = previous.planned_net, previous.net_seen_at, previous.revision
        old_status = LaunchStatus.of(previous.status_id)
        change = _change(planned, old_status, exact_net, time.status, now, reach)
        if _moved(planned, exact_net) or change is not None:
            planned, seen_at = exact_net, now
        if change is not None:
            revision += 1
        was_up = old_status is not None and old_status.has_lifted_off
        lifted_off = time.status is not None and time.status.has_lifted_off and not was_up
        was_over = old_status is not None and old_status.is_outcome
        if time.status is not None and time.status.is_outcome and not was_over:
            outcome = time.status
    watch = WatchedLaunch(
        launch_id=snapshot.launch_id,
        name=snapshot.name,
        net=net,
        precision_id=time.precision_id,
        status_id=None if time.status is None else time.status.value,
        flight_id=snapshot.flight_id,
        webcast_url=snapshot.webcast_url,
        page_url=snapshot.page_url,
        planned_net=planned,
        net_seen_at=seen_at,
        first_seen=previous.first_seen if previous is not None else now,
        last_seen=now,
        revision=revision,
    )
    return Observation(watch, change, lifted_off, outcome)


def _moved(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return old != new
    return abs(new - old) >= MOVE_SECONDS


def _change(
    old_net: float | None,
    old_status: LaunchStatus | None,
    new_net: float | None,
    status: LaunchStatus | None,
    now: float,
    reach: float,
) -> LaunchChange | None:
    """The news in one look, if any (see the module's rules)."""
    if status is None or (old_status is not None and old_status.has_lifted_off):
        return None
    if status.has_lifted_off:
        return None
    horizon = now + reach + HORIZON_MARGIN_SECONDS
    if not any(net is not None and net <= horizon for net in (old_net, new_net)):
        return None
    kind = _kind(old_net, old_status, new_net, status, now, reach)
    return None if kind is None else LaunchChange(kind, old_net, new_net, status)


def _kind(
    old_net: float | None,
    old_status: LaunchStatus | None,
    new_net: float | None,
    status: LaunchStatus,
    now: float,
    reach: float,
) -> ChangeKind | None:
    if status is LaunchStatus.HOLD:
        return None if old_status is LaunchStatus.HOLD else ChangeKind.HOLD
    if old_net is not None and (new_net is None or status is LaunchStatus.TBD):
        return None if old_status is LaunchStatus.TBD else ChangeKind.TBD
    if not status.is_scheduled or new_net is None:
        return None
    if old_status is LaunchStatus.HOLD:
        return ChangeKind.RESUMED
    if old_net is None:
        return ChangeKind.CONFIRMED if reach and now >= new_net - reach else None
    delta = new_net - old_net
    if abs(delta) < MOVE_SECONDS:
        return None
    if delta >= SCRUB_JUMP_SECONDS and old_net - now <= SCRUB_CLOSE_SECONDS:
        return ChangeKind.SCRUB
    return ChangeKind.LATER if delta > 0 else ChangeKind.EARLIER


@dataclass(frozen=True, slots=True)
class Reminder:
    offset: int
    net: float
    """The NET it was planned for."""

    @property
    def due(self) -> float:
        return self.net - self.offset

    @property
    def key(self) -> str:
        """Its ledger key: a new NET makes new reminders."""
        return f"{REMINDER_PREFIX}{self.offset}@{int(self.net)}"

    @classmethod
    def from_key(cls, key: str) -> Reminder | None:
        """The reminder a ledger key names; None for another kind of key."""
        if not key.startswith(REMINDER_PREFIX):
            return None
        offset, _, net = key.removeprefix(REMINDER_PREFIX).partition("@")
        return cls(int(offset), float(net)) if offset.isdigit() and net.isdigit() else None


REMINDER_PREFIX = "reminder:"
CHANGE_PREFIX = "change:"
OUTCOME_KEY = "outcome"


def remindable(watch: WatchedLaunch, now: float) -> float | None:
    """The NET reminders are for, if the launch may have one now: exact, Go or TBC,
    still ahead."""
    status = LaunchStatus.of(watch.status_id)
    net = watch.planned_net
    if net is None or status is None or not status.is_scheduled or now >= net:
        return None
    return net


def due_reminders(
    watch: WatchedLaunch, offsets: Iterable[int], now: float, since: float
) -> tuple[Reminder | None, tuple[Reminder, ...]]:
    """The reminder to send now for a server that chose `offsets` and subscribed at
    `since`, and those it overtakes (due too, farther from launch: not sent)."""
    net = remindable(watch, now)
    if net is None:
        return None, ()
    armed_after = max(watch.net_seen_at, since)
    due = sorted(
        (Reminder(offset, net) for offset in offsets),
        key=lambda reminder: reminder.offset,
    )
    due = [r for r in due if armed_after < r.due <= now]
    if not due:
        return None, ()
    return due[0], tuple(due[1:])


def superseded(key: str, watch: WatchedLaunch | None, now: float) -> str | None:
    """Why a planned reminder must not go out now, for the ledger's note; None if it
    may."""
    reminder = Reminder.from_key(key)
    if reminder is None:
        return None
    if watch is None or remindable(watch, now) != reminder.net:
        return "superseded: LL2 no longer holds that NET (or the launch is not Go)"
    return None


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often to ask LL2 for upcoming launches (settings)."""

    far: float
    """Seconds between polls while nothing is near."""
    near: float
    """Seconds between polls within `near_window` of an exact NET, before and after it."""
    near_window: float
    lead: float
    """A poll this long before each reminder, so it goes out on fresh data."""


def next_poll(
    watches: Iterable[WatchedLaunch],
    offsets: Iterable[int],
    last_poll: float | None,
    cadence: Cadence,
    *,
    failed: bool = False,
) -> float:
    """When to ask LL2 next: never asked yet, at once (-inf); otherwise the earliest of
    the far interval (the near one after a poll that failed: the budget refused it, LL2
    was down), the near interval around an exact NET not yet over, and the lead poll
    before each reminder not yet preceded by one (a reminder due before the NET was
    learned is due before the last poll too: never a lead poll for it)."""
    if last_poll is None:
        return float("-inf")
    offsets = tuple(offsets)
    candidates = [last_poll + (cadence.near if failed else cadence.far)]
    for watch in watches:
        status = LaunchStatus.of(watch.status_id)
        net = watch.planned_net
        if net is None or status is None or status.is_outcome or status is LaunchStatus.TBD:
            continue
        if last_poll + cadence.near < net + cadence.near_window:
            candidates.append(max(net - cadence.near_window, last_poll + cadence.near))
        if not status.is_scheduled:
            continue
        for offset in offsets:
            if net - offset - cadence.lead > last_poll:
                candidates.append(net - offset - cadence.lead)
    return min(candidates)


def next_due(watches: Iterable[WatchedLaunch], offsets: Iterable[int], now: float) -> float | None:
    """The next time a reminder falls due after `now`, for any of the offsets."""
    offsets = tuple(offsets)
    times = [
        net - offset
        for watch in watches
        if (net := remindable(watch, now)) is not None
        for offset in offsets
        if net - offset > max(now, watch.net_seen_at)
    ]
    return min(times, default=None)


@dataclass(frozen=True, slots=True)
class LaunchNotice:
    """What one reminder, change notice or outcome says, for the edge to render: the
    launch as Capcom knows it now, and what the message is about."""

    launch: WatchedLaunch
    key: str
    role_id: int | None
    """The role to mention; None: post silently."""
    now: datetime
    reminder: Reminder | None = None
    change: LaunchChange | None = None
    outcome: LaunchStatus | None = None
    webcast: bool = False
    """Carry the webcast link: the server's reminder nearest launch."""
    language: str | None = None
    """The Discord locale the server's admin picked; None: the server's own language."""

    @property
    def up_to_date(self) -> bool:
        """A reminder still names the NET LL2 holds for a launch still Go or TBC."""
        return self.reminder is None or remindable(self.launch, self.now.timestamp()) == (
            self.reminder.net
        )


def launch_marker(launch_id: str, key: str) -> Marker:
    return Marker(f"{launch_id}/{key}", f"Capcom launch · {launch_id} · {key}")
