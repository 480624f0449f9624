"""Noticing what happens to crewed flights: launches, dockings, undockings, landings.

LL2 silently drops filters and orderings an endpoint does not declare, so the poll
asks only documented questions (the table in `bot/ll2/api.py`):

- **Every poll, one request:** who is in space (`astronauts/?in_space=true`), the
  same document `/inspace` shows, so each poll keeps that answer fresh too.
- **Someone in space on no tracked flight** (the first poll, or a launch): find
  their flight. Candidates are the open flights of the spacecraft in space (LL2
  2.3.0: `spacecraft/?in_space=true&is_placeholder=false&mode=detailed`), or with
  2.2.0, which lists no spacecraft, the flights still docked in the latest docking
  events and those the local index has in space. A candidate launched when one of
  them did (their `last_flight`) goes first; its detail names the crew. A flight
  with no crew (cargo) is remembered as uncrewed and never looked up again.
- **A tracked crewed flight none of whose crew is in space any more:** its detail
  confirms the landing (mission end past, a landing outcome, or the spacecraft no
  longer in space). Unconfirmed, it is asked again at most once an hour.
- **A crew found up that launched while Capcom was watching** is a launch: no
  request beyond finding their flight.
- **Dockings and undockings:** when a server wants them, at most once an hour, the
  latest docking events (`docking_events/?ordering=-docking`): a tracked flight's new
  docking, or its docking that gained a departure.

The first poll ever only learns what is in space, and nothing from before it (a
launch, a docking) is ever announced: no history. An
answer the detector cannot interpret (nobody in space while several crewed flights
are tracked, a spacecraft with two open flights) is logged in one line and announces
nothing. (Nobody in space with one flight tracked is plausible, its crew home: the
flight's detail still has to confirm the landing.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.alert_kinds import LANDING, LAUNCH, EventType, docking, undocking
from bot.ll2.api import Resource
from bot.ll2.budget import Priority
from bot.ll2.client import LL2Error, NotFound
from bot.ll2.models import Astronaut, SpacecraftFlight, same_launch
from bot.ll2.repository import LL2Repository
from storage.alerts import AlertStore, FlightEvent, Subscription, TrackedFlight
from storage.index import EntityKind

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 24 * 3600.0
"""Events older than this are never announced."""
RECHECK_SECONDS = 3600.0
"""By default an unconfirmed landing, a search for someone's flight and the docking
check are each repeated at most this often (three polls of 20 minutes)."""
DETAILS_PER_POLL = 3
"""Most flight details one poll reads while looking for people's flights."""


def tracked_from(flight: SpacecraftFlight, now: datetime) -> TrackedFlight:
    """What the poll keeps of a flight's detail: its crew, and whether it is up."""
    crew = frozenset(m.astronaut.id for m in (*flight.launch_crew, *flight.onboard_crew))
    launched = flight.launched_at
    return TrackedFlight(
        flight_id=flight.id,
        spacecraft_id=flight.spacecraft.id if flight.spacecraft else None,
        crewed=bool(crew),
        in_space=not flight.has_landed(now),
        launched_at=launched.timestamp() if launched else None,
        crew=crew,
    )


@dataclass(frozen=True, slots=True)
class PollResult:
    checked: int
    """People LL2 lists in space."""
    new_events: tuple[FlightEvent, ...]
    baseline: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class _Candidate:
    flight_id: int
    launched_at: float | None
    recent: float = 0.0
    """When LL2 last saw it active (launch or docking): newer candidates go first."""


class EventDetector:
    def __init__(
        self,
        repository: LL2Repository,
        store: AlertStore,
        clock: Callable[[], float] = time.time,
        *,
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        self._repository = repository
        self._store = store
        self._clock = clock
        self._recheck = recheck_seconds
        self._last_search: tuple[frozenset[int], float] | None = None
        self._last_dockings = float("-inf")
        self._warned: str | None = None

    async def poll(self, *, persist: bool = True) -> PollResult:
        """Check LL2 once. Without `persist` nothing is written (a dry run): the
        events are those not recorded before."""
        now = self._clock()
        now_dt = datetime.fromtimestamp(now, UTC)
        try:
            fetched = await self._repository.astronauts_in_space(
                Priority.BACKGROUND, fetched_after=now, allow_stale=False
            )
        except LL2Error as error:
            return PollResult(0, (), baseline=False, error=str(error))
        people = fetched.value.results
        tracked = await self._store.tracked()
        baseline = not tracked
        crewed_in_space = {fid: flight for fid, flight in tracked.items() if flight.crewed_in_space}
        if not people and len(crewed_in_space) > 1:
            self._warn(
                f"LL2 lists nobody in space while {len(crewed_in_space)} crewed flights"
                " are tracked; announcing nothing until it lists people again"
            )
            return PollResult(0, (), baseline=False)
        self._warned = None
        in_space = {person.id for person in people}
        updated = await self._find_flights(people, tracked, now_dt)
        events: list[FlightEvent] = []
        for flight in crewed_in_space.values():
            if flight.crew & in_space or flight.flight_id in updated:
                continue
            landing = await self._confirm_landing(flight, now_dt)
            if landing is None:
                continue
            updated[flight.flight_id] = landing.flight
            if landing.event is not None and not baseline:
                events.append(landing.event)
        if not baseline:
            watching_since = min(f.first_seen or now for f in tracked.values())
            events += self._launches(updated, watching_since, now)
            events += await self._dockings(crewed_in_space, watching_since, now)
        if not persist:
            new = [event for event in events if not await self._store.has_event(event)]
            return PollResult(len(in_space), tuple(new), baseline=baseline)
        new = await self._store.record(updated.values(), events, now)
        return PollResult(len(in_space), tuple(new), baseline=baseline)

    @staticmethod
    def _launches(
        updated: dict[int, TrackedFlight], watching_since: float, now: float
    ) -> list[FlightEvent]:
        """Crewed flights newly found up that launched while Capcom was watching."""
        return [
            FlightEvent(flight.flight_id, LAUNCH, flight.launched_at, now)
            for flight in updated.values()
            if flight.crewed
            and flight.in_space
            and flight.launched_at is not None
            and watching_since < flight.launched_at <= now
        ]

    def _warn(self, line: str) -> None:
        if self._warned != line:
            log.warning(line)
            self._warned = line

    async def _find_flights(
        self, people: list[Astronaut], tracked: dict[int, TrackedFlight], now: datetime
    ) -> dict[int, TrackedFlight]:
        """Identify the flights of people in space on no tracked flight."""
        aboard = {a for f in tracked.values() if f.crewed_in_space for a in f.crew}
        unplaced = [person for person in people if person.id not in aboard]
        if not unplaced:
            return {}
        key = frozenset(person.id for person in unplaced)
        now_ts = now.timestamp()
        if self._last_search is not None:
            last_key, last_time = self._last_search
            if last_key == key and now_ts - last_time < self._recheck:
                return {}
        launches = [p.last_flight.timestamp() for p in unplaced if p.last_flight is not None]
        candidates = [c for c in await self._candidates(now) if c.flight_id not in tracked]
        candidates.sort(key=lambda c: (not _matches(c.launched_at, launches), -c.recent))
        found: dict[int, TrackedFlight] = {}
        placed: set[int] = set()
        for candidate in candidates[:DETAILS_PER_POLL]:
            if key <= placed:
                break
            try:
                fetched = await self._repository.flight(
                    candidate.flight_id, Priority.BACKGROUND, allow_stale=False
                )
            except NotFound:
                continue
            except LL2Error as error:
                log.info("could not read flight %d: %s", candidate.flight_id, error)
                return found
            flight = tracked_from(fetched.value, now)
            found[flight.flight_id] = flight
            placed |= flight.crew
        if len(candidates) <= DETAILS_PER_POLL and not key <= placed:
            # Every candidate read, and someone still has no flight: look again in an
            # hour rather than every poll (LL2 may not list their flight yet).
            self._last_search = (key, now_ts)
        return found

    async def _candidates(self, now: datetime) -> list[_Candidate]:
        """Flights that may be up: from LL2's spacecraft in space (2.3.0), else the
        flights still docked in the latest docking events (2.2.0), and the index."""
        candidates: dict[int, _Candidate] = {}
        try:
            if self._repository.endpoints.has(Resource.SPACECRAFT_LIST):
                crafts = await self._repository.spacecraft_in_space(Priority.BACKGROUND)
                for craft in crafts.value.results:
                    open_flights = craft.open_flights(now)
                    if len(open_flights) > 1:
                        self._warn(
                            f"LL2 shows spacecraft {craft.id} ({craft.name}) with"
                            f" {len(open_flights)} flights under way; not guessing which is up"
                        )
                        continue
                    for flight in open_flights:
                        launched = flight.launched_at
                        stamp = launched.timestamp() if launched else None
                        candidates[flight.id] = _Candidate(flight.id, stamp, stamp or 0.0)
            else:
                dockings = await self._repository.recent_dockings(Priority.BACKGROUND)
                for event in dockings.value.results:
                    chaser = event.flight_vehicle
                    if event.departure is None and chaser is not None and not chaser.mission_end:
                        docked = event.docking.timestamp() if event.docking else 0.0
                        candidates.setdefault(chaser.id, _Candidate(chaser.id, None, docked))
        except LL2Error as error:
            log.info("could not list what is in space: %s", error)
        for entity in await self._repository.index.in_space(EntityKind.FLIGHT):
            stamp = entity.sort_time
            candidates.setdefault(entity.id, _Candidate(entity.id, stamp, stamp or 0.0))
        return list(candidates.values())

    async def _confirm_landing(self, flight: TrackedFlight, now: datetime) -> _Landing | None:
        """Ask LL2's detail whether a flight whose crew left the in-space list landed."""
        now_ts = now.timestamp()
        if flight.checked_at is not None and now_ts - flight.checked_at < self._recheck:
            return None
        try:
            fetched = await self._repository.flight(
                flight.flight_id, Priority.BACKGROUND, fetched_after=now_ts, allow_stale=False
            )
        except LL2Error as error:
            log.info("could not confirm the landing of flight %d: %s", flight.flight_id, error)
            return None
        detail = fetched.value
        if not detail.has_landed(now):
            return _Landing(replace(flight, checked_at=now_ts), None)
        ended = detail.mission_end.timestamp() if detail.mission_end else now_ts
        event = FlightEvent(flight.flight_id, LANDING, min(ended, now_ts), now_ts)
        return _Landing(replace(tracked_from(detail, now), crewed=True), event)

    async def _dockings(
        self, up: dict[int, TrackedFlight], watching_since: float, now: float
    ) -> list[FlightEvent]:
        """Dockings and undockings of the crewed flights up, from the latest docking
        events: at most once an hour, and only when a server wants either."""
        if not up or now - self._last_dockings < self._recheck:
            return []
        wanted = {EventType.DOCKING, EventType.UNDOCKING}
        if not any(s.event_types & wanted for s in await self._store.subscriptions()):
            return []
        self._last_dockings = now
        try:
            fetched = await self._repository.recent_dockings(Priority.BACKGROUND)
        except LL2Error as error:
            log.info("docking check skipped: %s", error)
            return []
        events: list[FlightEvent] = []
        for event in fetched.value.results:
            chaser = event.flight_vehicle
            if chaser is None or chaser.id not in up:
                continue
            for kind, moment in (
                (docking(event.id), event.docking),
                (undocking(event.id), event.departure),
            ):
                if moment is not None and watching_since < moment.timestamp() <= now:
                    events.append(FlightEvent(chaser.id, kind, moment.timestamp(), now))
        return events


@dataclass(frozen=True, slots=True)
class _Landing:
    flight: TrackedFlight
    event: FlightEvent | None


def _matches(launched_at: float | None, launches: Iterable[float]) -> bool:
    return launched_at is not None and any(same_launch(launched_at, launch) for launch in launches)


def is_recent(event: FlightEvent, now: float) -> bool:
    """Less than 24 hours old: older events are never announced."""
    return now - event.occurred_at < MAX_AGE_SECONDS


def wants(subscription: Subscription, event: FlightEvent, now: float) -> bool:
    """Whether a guild gets an alert for an event: the one rule (see `refusal`)."""
    return refusal(subscription, event, now) is None


def refusal(subscription: Subscription | None, event: FlightEvent, now: float) -> str | None:
    """Why a guild does not get an alert for an event, for the ledger's note; None if
    it does.

    Subscribed and not paused; an event type the guild chose; the event less than 24 hours
    old; Capcom learned of it after the guild subscribed (to a guild that subscribed
    between a touchdown and LL2 recording it, the landing is news)."""
    if subscription is None:
        return "subscription removed"
    if subscription.paused_reason is not None:
        return subscription.paused_reason
    if event.kind.type not in subscription.event_types:
        return "a kind this server no longer wants"
    if not is_recent(event, now):
        return "older than 24 h"
    if event.detected_at < subscription.subscribed_at:
        return "learned of before this server subscribed"
    return None
