"""Discord scheduled events of upcoming crewed launches, kept in step with LL2 in every
server that opted in (`/alerts events`), one background turn at a time.

A turn costs LL2 nothing: it reads the upcoming launches' cached copy, however old,
that a command or the launch watch fetched; with nothing cached it does nothing. What to
do in each server is `event_plan.plan`'s; this applies it, recording before creating so
that a crash never leaves a second event (see `storage.events`). A server where Capcom
lacks Create Events is paused with the reason, asked nothing more, and resumes when its
admin turns events on again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

from bot.alerts.event_plan import (
    EventAction,
    EventPolicy,
    EventSpec,
    EventWords,
    Matches,
    Step,
    plan,
    wanted,
)
from bot.alerts.outcomes import (
    EventOutcome,
    EventResult,
    OwnEvent,
    OwnEvents,
    Reason,
    stored_reason,
)
from bot.ll2.repository import LL2Repository
from storage.events import EventRecord, EventStore, RecordState

log = logging.getLogger(__name__)


class EventTarget(Protocol):
    """Where the events are: Discord for the bot (the edge fits a spec to its limits)."""

    async def create(self, guild_id: int, spec: EventSpec) -> EventResult: ...

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> EventResult: ...

    async def delete(self, guild_id: int, event_id: int) -> EventResult: ...

    async def own_events(self, guild_id: int) -> OwnEvents: ...

    def matches(self, event: OwnEvent, name: str, start: datetime) -> bool: ...

    async def words(self, guild_id: int) -> EventWords:
        """How the server's events are worded: in its language."""
        ...

    def reaches(self, guild_id: int) -> bool:
        """Whether this process can act in the server (runs its shard)."""
        ...


@dataclass(frozen=True, slots=True)
class EventsStatus:
    """A server's scheduled events as `/alerts status` shows them."""

    enabled: bool
    paused_reason: Reason | None = None


EVENTS_OFF = EventsStatus(enabled=False)


@dataclass(slots=True)
class SyncResult:
    """One turn: whether a cached list was there to work from, and what happened."""

    cached: bool = False
    done: dict[Step, int] = field(default_factory=dict)
    paused: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    """Servers left for the next turn (Discord or the network failing, the 100 reached)."""
    unreached: list[int] = field(default_factory=list)
    """Servers on shards another process runs: this one cannot see them."""


class EventSync:
    def __init__(
        self,
        repository: LL2Repository,
        store: EventStore,
        policy: EventPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._repository = repository
        self.store = store
        self.policy = policy
        self._clock = clock

    async def enable(self, guild_id: int, enabled: bool) -> None:
        """Turn a server's events on or off; turning them on again ends a pause."""
        await self.store.enable(guild_id, enabled, self._clock())

    async def status(self, guild_id: int) -> EventsStatus:
        setting = await self.store.setting(guild_id)
        if setting is None:
            return EVENTS_OFF
        return EventsStatus(setting.enabled, stored_reason(setting.paused_reason))

    async def turn(self, target: EventTarget) -> SyncResult:
        """Bring every opted-in server's events in step with the cached launches."""
        result = SyncResult()
        cached = await self._repository.cached_upcoming()
        if cached is None:
            return result
        result.cached = True
        launches = cached[0].value.results
        now = datetime.fromtimestamp(self._clock(), UTC)
        listed = [launch.id for launch in launches]
        for setting in await self.store.active():
            if not target.reaches(setting.guild_id):
                result.unreached.append(setting.guild_id)
                continue
            words = await target.words(setting.guild_id)
            specs = wanted(launches, now, self.policy, words)
            await self._server(setting.guild_id, specs, listed, target, now, result)
        return result

    async def _server(
        self,
        guild_id: int,
        specs: list[EventSpec],
        listed: list[str],
        target: EventTarget,
        now: datetime,
        result: SyncResult,
    ) -> None:
        own = await target.own_events(guild_id)
        if not await self._went(guild_id, own.result, result):
            return
        records = await self.store.records(guild_id)
        matches: Matches = target.matches
        for action in plan(specs, listed, records, own.events, now, matches):
            outcome = await self._apply(guild_id, action, target)
            if not await self._went(guild_id, outcome, result):
                return
            result.done[action.step] = result.done.get(action.step, 0) + 1

    async def _went(self, guild_id: int, outcome: EventResult, result: SyncResult) -> bool:
        """Whether to carry on in this server; a missing permission pauses it."""
        if outcome.outcome in (EventOutcome.DONE, EventOutcome.UNKNOWN_EVENT):
            return True
        if outcome.outcome is EventOutcome.MISSING_PERMISSION:
            await self.store.pause(guild_id, outcome.reason.stored(), self._clock())
            result.paused.append(guild_id)
            log.info("scheduled events paused in guild %d: %s", guild_id, outcome.reason)
        else:
            result.failed.append(guild_id)
            log.info("scheduled events in guild %d wait: %s", guild_id, outcome.reason)
        return False

    async def _apply(self, guild_id: int, action: EventAction, target: EventTarget) -> EventResult:
        now = self._clock()
        spec, record = action.spec, action.record
        done = EventResult(EventOutcome.DONE, event_id=action.event_id)
        if action.step is Step.FORGET:
            await self.store.forget(guild_id, [action.launch_id])
            return done
        if action.step in (Step.CLOSE, Step.REMOVE) and record is not None:
            state = RecordState.CLOSED if action.step is Step.CLOSE else RecordState.REMOVED
            await self.store.save(replace(record, state=state), now)
            return done
        if action.step is Step.ADOPT:
            kept = _record(guild_id, spec, action.event_id) if spec else record
            assert kept is not None
            adopted = replace(kept, state=RecordState.OPEN, event_id=action.event_id)
            await self.store.save(adopted, now)
            return done
        if action.step is Step.DELETE and action.event_id is not None and record is not None:
            outcome = await target.delete(guild_id, action.event_id)
            if outcome.outcome in (EventOutcome.DONE, EventOutcome.UNKNOWN_EVENT):
                await self.store.save(replace(record, state=RecordState.CLOSED), now)
            return outcome
        assert spec is not None
        if action.step is Step.EDIT and action.event_id is not None:
            outcome = await target.edit(guild_id, action.event_id, spec)
            if outcome.outcome is EventOutcome.DONE:
                await self.store.save(_record(guild_id, spec, action.event_id), now)
            return outcome
        await self.store.save(_record(guild_id, spec, None, RecordState.CREATING), now)
        outcome = await target.create(guild_id, spec)
        if outcome.outcome is EventOutcome.DONE:
            await self.store.save(_record(guild_id, spec, outcome.event_id), now)
        return outcome


def _record(
    guild_id: int, spec: EventSpec, event_id: int | None, state: RecordState = RecordState.OPEN
) -> EventRecord:
    return EventRecord(
        guild_id=guild_id,
        launch_id=spec.launch_id,
        event_id=event_id,
        name=spec.name,
        start=spec.start.timestamp(),
        digest=spec.digest,
        state=state,
    )
