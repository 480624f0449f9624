"""Noticing landings (and, for heads-up, undockings) of crewed flights.

One poll costs one background LL2 request: the 20 most recently launched
flights, which include every crewed flight in space. A tracked flight that was
in space and now is not (mission end set and past, LL2 marks the landing, or
the spacecraft is no longer in space) has landed. With heads-up subscribers,
a poll may also refresh one docked flight's detail (round robin) to see a
docking event gain its departure.

The first poll ever only learns what is in space: it never announces history.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.ll2.budget import Priority
from bot.ll2.client import LL2Error
from bot.ll2.models import SpacecraftFlightSummary
from bot.ll2.repository import LL2Repository
from storage.alerts import AlertStore, FlightEvent, Subscription

log = logging.getLogger(__name__)

LANDING = "landing"
UNDOCKING_PREFIX = "undocking:"
MAX_AGE_SECONDS = 24 * 3600.0
"""Events older than this when detected are never announced."""
HEADS_UP_DETAIL_SECONDS = 3600.0
"""At most one flight detail an hour for heads-up (undocking) checks."""


def undocking_kind(docking_event_id: int) -> str:
    return f"{UNDOCKING_PREFIX}{docking_event_id}"


def has_landed(flight: SpacecraftFlightSummary, now: datetime) -> bool:
    """Launched, and back: mission ended, landing known, or the spacecraft not in space."""
    if flight.launched_at is None or flight.launched_at > now:
        return False
    if flight.has_ended(now):
        return True
    if flight.landing is not None and flight.landing.success is not None:
        return True
    return flight.spacecraft is not None and flight.spacecraft.in_space is False


@dataclass(frozen=True, slots=True)
class PollResult:
    checked: int
    new_events: tuple[FlightEvent, ...]
    baseline: bool
    error: str | None = None


class LandingDetector:
    def __init__(
        self,
        repository: LL2Repository,
        store: AlertStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._repository = repository
        self._store = store
        self._clock = clock
        self._undock_turn = 0
        self._last_detail = 0.0

    async def poll(self, *, persist: bool = True) -> PollResult:
        """Check LL2 once. Without `persist` nothing is written: the events are those
        not recorded before (a dry run), including landings of flights never tracked."""
        now = self._clock()
        now_dt = datetime.fromtimestamp(now, UTC)
        try:
            fetched = await self._repository.recent_flights(Priority.BACKGROUND)
        except LL2Error as error:
            return PollResult(0, (), baseline=False, error=str(error))
        tracked = await self._store.tracked()
        # A first real poll only learns; a dry run sends nothing, so it may show the
        # landings of the last 24 h even when nothing is tracked yet.
        baseline = not tracked and persist
        events: list[FlightEvent] = []
        states: dict[int, bool] = {}
        for flight in fetched.value.results:
            landed = has_landed(flight, now_dt)
            in_space = flight.is_in_space(now_dt) and not landed
            states[flight.id] = in_space
            was_in_space = tracked.get(flight.id)
            if baseline or not landed or was_in_space is False:
                continue
            occurred = flight.mission_end.timestamp() if flight.mission_end else now
            if was_in_space or now - occurred < MAX_AGE_SECONDS:
                events.append(FlightEvent(flight.id, LANDING, min(occurred, now), now))
        if not baseline:
            events += await self._undockings(tracked, states, now)
        if not persist:
            new = [event for event in events if not await self._store.has_event(event)]
            return PollResult(len(states), tuple(new), baseline=baseline)
        await self._store.track(states, now)
        new = [event for event in events if await self._store.record_event(event)]
        return PollResult(len(states), tuple(new), baseline=baseline)

    async def _undockings(
        self, tracked: dict[int, bool], states: dict[int, bool], now: float
    ) -> list[FlightEvent]:
        """At most one flight detail an hour, and only when someone wants heads-ups."""
        if now - self._last_detail < HEADS_UP_DETAIL_SECONDS:
            return []
        if not any(s.heads_up for s in await self._store.subscriptions()):
            return []
        up = sorted(fid for fid, in_space in states.items() if in_space and tracked.get(fid))
        if not up:
            return []
        flight_id = up[self._undock_turn % len(up)]
        self._undock_turn += 1
        self._last_detail = now
        try:
            fetched = await self._repository.flight(
                flight_id, Priority.BACKGROUND, fetched_after=now - 3600, allow_stale=False
            )
        except LL2Error as error:
            log.info("heads-up check of flight %d skipped: %s", flight_id, error)
            return []
        return [
            FlightEvent(flight_id, undocking_kind(docking.id), docking.departure.timestamp(), now)
            for docking in fetched.value.docking_events
            if docking.departure is not None
            and now - MAX_AGE_SECONDS < docking.departure.timestamp() <= now
        ]


def wants(subscription: Subscription, event: FlightEvent) -> bool:
    """Whether a guild gets an alert for an event: not paused, subscribed before it
    happened, heads-up only if asked for."""
    if subscription.paused_reason is not None:
        return False
    if event.occurred_at < subscription.subscribed_at:
        return False
    return subscription.heads_up or not event.kind.startswith(UNDOCKING_PREFIX)
