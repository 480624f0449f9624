"""What Capcom's Discord scheduled events in one server should become: pure, no I/O.

From the upcoming crewed launches (LL2's cached list), the records of the events Capcom
made there (`storage.events`) and the events Discord lists as Capcom's own, `plan` says
what to do:

- an external event for each upcoming crewed launch with an exact NET (hour precision or
  finer: a coarse NET is a placeholder, never an event at a fake midnight), status Go or
  TBC, starting within the horizon; at most `limit` of them, soonest first. It starts at
  NET and ends an hour later; its location is the best webcast, else LL2's page;
- moved (edited) when the NET moves, and edited when what it says changes (a webcast link
  or the crew appears, TBC becomes Go);
- deleted when the launch goes back to TBD, its NET becomes coarse again, it leaves the
  horizon or the `limit` (a sooner launch came ahead), or LL2 stops listing it before it
  started. A Hold keeps the event: a hold is usually a countdown hold of minutes to hours
  and LL2 still holds the NET; if the NET moves, the event moves;
- an event that has started is left to Discord, which starts and ends external events by
  itself; a launch whose event Discord ended (a scrub after the event started, the NET
  jumping a day) gets a new event for its new NET;
- an event someone else deleted before it started is not made again for that launch;
- never a second event for a launch: a record left 'creating' by a crash adopts the
  server's unrecorded own event with the name and start it was about to get, and so does
  a launch with no record at all.

What an event says is worded by the edge in the server's language (`EventWords`,
`bot.render.event`): a server whose language changes has its events edited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.alerts.outcomes import OwnEvent
from bot.ll2.launches import LaunchStatus, UpcomingLaunch
from storage.events import EventRecord, RecordState

EVENT_LENGTH = timedelta(hours=1)
DISCORD_EVENT_LIMIT = 100
"""Discord's cap on scheduled and active events in a server."""


class EventWords(Protocol):
    """How a launch's event is worded, in one server's language (`bot.render.event`)."""

    def name(self, launch: UpcomingLaunch) -> str:
        """The event's name ("Crew-12 launch")."""

    def description(self, launch: UpcomingLaunch) -> str:
        """What the event says: status, craft and destination, crew."""

    def nowhere(self) -> str:
        """Where an event with no web link takes place ("Online")."""


@dataclass(frozen=True, slots=True)
class EventSpec:
    """What one launch's event should say, before it is fitted to Discord's limits."""

    launch_id: str
    name: str
    description: str
    start: datetime
    end: datetime
    locations: tuple[str, ...]
    """Candidates in order of preference: the webcasts, then LL2's page."""
    nowhere: str
    """The location when no candidate is a web link (`EventWords.nowhere`)."""
    held: bool = False
    """On hold: an event already made is kept (and moved), none is made."""

    @property
    def digest(self) -> str:
        parts = (self.name, self.description, self.start.isoformat(), *self.locations)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class Step(StrEnum):
    CREATE = "create"
    ADOPT = "adopt"
    EDIT = "edit"
    DELETE = "delete"
    CLOSE = "close"
    """Record only: Discord ended the event (or it never got made); a new one may follow."""
    REMOVE = "remove"
    """Record only: someone deleted the event before it started."""
    FORGET = "forget"
    """Record only: LL2 no longer lists the launch and nothing of its event is left."""


@dataclass(frozen=True, slots=True)
class EventAction:
    step: Step
    launch_id: str
    spec: EventSpec | None = None
    event_id: int | None = None
    record: EventRecord | None = None
    """The record acted on (ADOPT of a 'creating' record keeps its name and start)."""


Matches = Callable[[OwnEvent, str, datetime], bool]
"""Whether a server's event is the one made from a spec with this name and start (the
Discord edge knows how a name is fitted to Discord's limits)."""


@dataclass(frozen=True, slots=True)
class EventPolicy:
    horizon: timedelta = timedelta(days=14)
    limit: int = 10
    """Events yet to start, per server; never above Discord's 100."""


def wanted(
    launches: Iterable[UpcomingLaunch], now: datetime, policy: EventPolicy, words: EventWords
) -> list[EventSpec]:
    """The events one server should have, worded by `words`, soonest first."""
    specs = [
        event_spec(launch, words)
        for launch in launches
        if launch.launch_status is not None
        and (launch.launch_status.is_scheduled or launch.launch_status is LaunchStatus.HOLD)
        and launch.time.exact
        and launch.net is not None
        and now < launch.net <= now + policy.horizon
    ]
    specs.sort(key=lambda spec: (spec.start, spec.launch_id))
    return specs[: max(0, min(policy.limit, DISCORD_EVENT_LIMIT))]


def event_spec(launch: UpcomingLaunch, words: EventWords) -> EventSpec:
    """A launch with an exact NET as an event: NET to NET + 1 h."""
    assert launch.net is not None
    pages = [video.url for video in launch.videos if video.url]
    return EventSpec(
        launch_id=launch.id,
        name=words.name(launch),
        description=words.description(launch),
        start=launch.net,
        end=launch.net + EVENT_LENGTH,
        locations=tuple(pages + ([launch.url] if launch.url else [])),
        nowhere=words.nowhere(),
        held=launch.launch_status is LaunchStatus.HOLD,
    )


def plan(
    specs: Sequence[EventSpec],
    listed: Iterable[str],
    records: Sequence[EventRecord],
    own: Sequence[OwnEvent],
    now: datetime,
    matches: Matches,
) -> list[EventAction]:
    """What to do in one server: `specs` from `wanted`, `listed` the ids of every launch
    LL2 lists now, `records` Capcom's records there, `own` Capcom's scheduled and active
    events there as Discord lists them."""
    by_launch = {spec.launch_id: spec for spec in specs}
    still_listed = set(listed)
    events = {event.id: event for event in own}
    free = [event for event in own if event.id not in _recorded(records)]
    actions: list[EventAction] = []
    covered: set[str] = set()

    def adopt(name: str, start: datetime) -> OwnEvent | None:
        found = next((event for event in free if matches(event, name, start)), None)
        if found is not None:
            free.remove(found)
        return found

    for record in records:
        spec = by_launch.get(record.launch_id)
        state, event = record.state, events.get(record.event_id or 0)
        if state is RecordState.CREATING:
            found = adopt(record.name, _at(record.start, now))
            if found is not None:
                actions.append(EventAction(Step.ADOPT, record.launch_id, None, found.id, record))
                covered.add(record.launch_id)
                continue
            state = RecordState.CLOSED  # never made: a new one if still wanted
            if spec is None or spec.held:
                actions.append(EventAction(Step.CLOSE, record.launch_id, record=record))
                covered.add(record.launch_id)
                continue
        if state is RecordState.OPEN:
            covered.add(record.launch_id)
            if event is None:  # ended by Discord after its start, or deleted by someone
                over = record.start <= now.timestamp()
                step = Step.CLOSE if over else Step.REMOVE
                actions.append(EventAction(step, record.launch_id, None, record.event_id, record))
                if over and spec is not None and not spec.held:
                    actions.append(EventAction(Step.CREATE, record.launch_id, spec))
            elif event.active or event.start <= now:
                continue  # Discord's now
            elif spec is None:
                actions.append(EventAction(Step.DELETE, record.launch_id, None, event.id, record))
            elif spec.digest != record.digest:
                actions.append(EventAction(Step.EDIT, record.launch_id, spec, event.id, record))
            continue
        if record.launch_id not in still_listed:
            actions.append(EventAction(Step.FORGET, record.launch_id, record=record))
        if state is RecordState.REMOVED or record.launch_id not in still_listed:
            covered.add(record.launch_id)
    for spec in specs:
        if spec.launch_id in covered or spec.held:
            continue
        found = adopt(spec.name, spec.start)
        if found is not None:
            actions.append(EventAction(Step.ADOPT, spec.launch_id, spec, found.id))
        else:
            actions.append(EventAction(Step.CREATE, spec.launch_id, spec))
    return actions


def _recorded(records: Iterable[EventRecord]) -> set[int]:
    return {
        record.event_id
        for record in records
        if record.event_id is not None and record.state is RecordState.OPEN
    }


def _at(timestamp: float, now: datetime) -> datetime:
    return datetime.fromtimestamp(timestamp, now.tzinfo)
