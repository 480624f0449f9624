"""Reminders before crewed launches, changes told once, liftoff and outcome: the watch
over LL2's upcoming crewed launches (the rules are `bot.alerts.reminders`).

One cycle: when a poll is due (`next_poll`), ask LL2 for the upcoming crewed launches,
compare each with what Capcom knew, and record the new states with the change notices
they plan, in one transaction; then plan the reminders now due, deliver what is
pending exactly as crew alerts are delivered (`send_once`: the ledger row before the
message, the marker searched after a crash), and edit the reminders sent earlier for
a launch that changed since, so a reader scrolling up is not misled.

Liftoff becomes the flight's crew-alert launch event (the in-space detector records the
same event, so it is announced once, by the alert poll); the outcome is a launch notice
to servers that want launches.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.alert_kinds import LAUNCH, EventType
from bot.alerts.outcomes import EditOutcome
from bot.alerts.reminders import (
    CHANGE_PREFIX,
    OUTCOME_KEY,
    Cadence,
    ChangeKind,
    LaunchChange,
    LaunchNotice,
    Observation,
    Reminder,
    due_reminders,
    launch_marker,
    next_due,
    next_poll,
    observe,
    parse_offsets,
    superseded,
)
from bot.alerts.service import LaunchTransport, Outcome, send_once
from bot.ll2.budget import Priority
from bot.ll2.client import LL2Error
from bot.ll2.freshness import Fetched
from bot.ll2.launches import LaunchSnapshot, LaunchStatus
from bot.ll2.repository import LL2Repository
from storage.alerts import AlertStore, FlightEvent, Subscription
from storage.launches import LaunchEntry, LaunchStore, WatchedLaunch
from storage.ledger import LedgerState

log = logging.getLogger(__name__)

FORGET_AFTER_SECONDS = 7 * 86_400.0
"""A launch LL2 has not listed for this long is forgotten with its ledger."""
NOTICE_MAX_AGE_SECONDS = 6 * 3600.0
"""A change notice or an outcome still unsent after this long is old news: dropped."""

FRESH_ENOUGH_SECONDS = 120.0
"""A copy of the upcoming launches this new (a command just asked) serves a poll (or
half the near poll interval, if that is shorter)."""

FetchUpcoming = Callable[[], Awaitable[Fetched[list[LaunchSnapshot]]]]
"""The upcoming crewed launches from LL2 (or raises LL2Error)."""


def upcoming_from(
    repository: LL2Repository, clock: Callable[[], float], cadence: Cadence
) -> FetchUpcoming:
    """The watch's fetch: the next crewed launches from LL2 (one page, LL2's past 24 hours
    included), on a background slot else a spare one (`Priority.TIMELY`), never an old
    copy."""
    fresh_enough = min(FRESH_ENOUGH_SECONDS, cadence.near / 2)

    async def fetch() -> Fetched[list[LaunchSnapshot]]:
        fetched = await repository.upcoming_launches(
            Priority.TIMELY, fetched_after=clock() - fresh_enough, allow_stale=False
        )
        return Fetched([launch.snapshot() for launch in fetched.value.results], fetched.freshness)

    return fetch


@dataclass(frozen=True, slots=True)
class LaunchDelivery:
    entry: LaunchEntry
    outcome: Outcome
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WatchCycle:
    polled: bool
    error: str | None
    changes: tuple[tuple[str, LaunchChange], ...]
    """(launch id, change) for each change found by this cycle's poll."""
    deliveries: tuple[LaunchDelivery, ...]
    edits: tuple[tuple[LaunchEntry, EditOutcome], ...]


def reminder_offsets(subscription: Subscription) -> frozenset[int]:
    """The offsets a server gets reminders at: none unless it chose reminders."""
    if not subscription.reminders or subscription.paused_reason is not None:
        return frozenset()
    return parse_offsets(subscription.reminder_offsets)


class LaunchWatch:
    def __init__(
        self,
        fetch: FetchUpcoming,
        store: LaunchStore,
        alerts: AlertStore,
        cadence: Cadence,
        clock: Callable[[], float] = time.time,
        *,
        readers: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self._fetch = fetch
        self.store = store
        self._alerts = alerts
        self.cadence = cadence
        self._clock = clock
        self._readers = readers
        """Whether anything else reads the upcoming launches the watch keeps fresh (Discord
        scheduled events, live boards: they ask LL2 nothing themselves); while it does,
        the watch polls even when no server wants reminders or launches."""
        self._cycled_at = float("-inf")
        """When this process last ran a cycle (none yet: every reminder due is news)."""

    async def wake_at(self) -> float:
        """When the next cycle has something to do: a poll, or a reminder falling due
        since the last cycle (now or already: the loop wakes at a reminder's time and
        must then find it due, not wait for the next poll)."""
        watches = list((await self.store.watches()).values())
        subscriptions = await self._alerts.subscriptions()
        offsets = _in_use(subscriptions)
        poll = await self._next_poll(watches, subscriptions)
        due = next_due(watches, offsets, self._cycled_at)
        return poll if due is None else min(poll, due)

    async def _next_poll(
        self, watches: Iterable[WatchedLaunch], subscriptions: list[Subscription]
    ) -> float:
        """When to ask LL2 next; never while no server wants reminders or launches and
        nothing else reads the launches."""
        if not any(_watching(s) for s in subscriptions) and not await self._read_elsewhere():
            return float("inf")
        last = await self.store.last_poll()
        at, failed = (None, False) if last is None else (last.at, last.failed)
        return next_poll(watches, _in_use(subscriptions), at, self.cadence, failed=failed)

    async def _read_elsewhere(self) -> bool:
        return self._readers is not None and await self._readers()

    async def seconds_to_wake(self) -> float:
        """How long the background loop may sleep before the next cycle."""
        return await self.wake_at() - self._clock()

    async def cycle(self, transport: LaunchTransport) -> WatchCycle:
        now = self._clock()
        self._cycled_at = now
        subscriptions = await self._alerts.subscriptions()
        watches = await self.store.watches()
        polled, error = False, None
        changes: tuple[tuple[str, LaunchChange], ...] = ()
        if now >= await self._next_poll(watches.values(), subscriptions):
            polled = True
            error, changes = await self._poll(watches, subscriptions, now)
            watches = await self.store.watches()
        await self._plan_reminders(watches, subscriptions)
        deliveries = [
            await self._deliver(entry, transport, watches) for entry in await self.store.pending()
        ]
        edits = [
            await self._revise(entry, transport, watches)
            for entry in await self.store.stale_reminders()
        ]
        return WatchCycle(
            polled,
            error,
            changes,
            tuple(deliveries),
            tuple((entry, outcome) for entry, outcome in edits if outcome is not None),
        )

    async def _poll(
        self, watches: dict[str, WatchedLaunch], subscriptions: list[Subscription], now: float
    ) -> tuple[str | None, tuple[tuple[str, LaunchChange], ...]]:
        """Ask LL2 and record what changed. A failure still counts as a poll: the next
        comes a near interval later (never in a burst, and not a far interval late)."""
        try:
            fetched = await self._fetch()
        except LL2Error as error:
            await self.store.record([], [], now, failed=True)
            return str(error), ()
        if fetched.freshness.stale:
            await self.store.record([], [], now, failed=True)
            return f"upcoming launches not refreshed: {fetched.freshness.stale_reason}", ()
        reach = max(_in_use(subscriptions), default=0)
        observations = [
            observe(watches.get(snapshot.launch_id), snapshot, now, reach)
            for snapshot in fetched.value
        ]
        liftoffs = [
            FlightEvent(o.watch.flight_id, LAUNCH, o.watch.net or now, now)
            for o in observations
            if o.lifted_off and o.watch.flight_id is not None
        ]
        if liftoffs:
            await self._alerts.record([], liftoffs, now)
        entries = [entry for o in observations for entry in _notices(o, subscriptions)]
        await self.store.record([o.watch for o in observations], entries, now)
        await self.store.forget(now - FORGET_AFTER_SECONDS)
        return None, tuple((o.watch.launch_id, o.change) for o in observations if o.change)

    async def _plan_reminders(
        self, watches: dict[str, WatchedLaunch], subscriptions: list[Subscription]
    ) -> None:
        now = self._clock()
        entries = []
        for subscription in subscriptions:
            offsets = reminder_offsets(subscription)
            for watch in watches.values():
                due, overtaken = due_reminders(watch, offsets, now, subscription.subscribed_at)
                if due is not None:
                    entries.append(_entry(subscription, watch, due.key, LedgerState.PENDING))
                entries.extend(
                    _entry(subscription, watch, r.key, LedgerState.DROPPED) for r in overtaken
                )
        if entries:
            await self.store.plan(entries, now)

    async def _deliver(
        self, entry: LaunchEntry, transport: LaunchTransport, watches: dict[str, WatchedLaunch]
    ) -> LaunchDelivery:
        now = self._clock()
        subscription = await self._alerts.subscription(entry.guild_id)
        watch = watches.get(entry.launch_id)
        note = _refusal(entry, subscription, watch, now)
        if note is not None or watch is None or subscription is None:
            await self.store.finish(entry, LedgerState.DROPPED, now, note=note)
            return LaunchDelivery(entry, Outcome.DROPPED, note)
        notice = self._notice(entry, watch, subscription)
        outcome, note = await send_once(
            self.store,
            entry,
            launch_marker(entry.launch_id, entry.key),
            lambda: transport.post_launch(entry.channel_id, notice),
            transport.find,
            self._alerts.pause,
            self._clock,
        )
        log.info(
            "launch notice %s of %s to guild %d: %s",
            entry.key,
            entry.launch_id,
            entry.guild_id,
            outcome.value,
        )
        return LaunchDelivery(entry, outcome, note)

    async def _revise(
        self, entry: LaunchEntry, transport: LaunchTransport, watches: dict[str, WatchedLaunch]
    ) -> tuple[LaunchEntry, EditOutcome | None]:
        """Edit a sent reminder to show its launch as Capcom knows it now."""
        watch = watches.get(entry.launch_id)
        subscription = await self._alerts.subscription(entry.guild_id)
        if watch is None or entry.message_id is None:
            return entry, None
        notice = self._notice(entry, watch, subscription)
        result = await transport.revise(entry.channel_id, entry.message_id, notice)
        now = self._clock()
        if result.outcome is EditOutcome.TRANSIENT:
            return entry, result.outcome
        if result.outcome is EditOutcome.FORBIDDEN and subscription is not None:
            await self._alerts.pause(entry.guild_id, result.reason.stored(), now)
        await self.store.edited(entry, watch.revision, now)
        return entry, result.outcome

    def _notice(
        self, entry: LaunchEntry, watch: WatchedLaunch, subscription: Subscription | None
    ) -> LaunchNotice:
        reminder = Reminder.from_key(entry.key)
        role = subscription.role_id if subscription and _pinged(entry, subscription) else None
        offsets = reminder_offsets(subscription) if subscription else frozenset()
        change = None
        if entry.change_kind is not None:
            change = LaunchChange(
                ChangeKind(entry.change_kind),
                entry.old_net,
                entry.new_net,
                LaunchStatus.of(entry.status_id),
            )
        return LaunchNotice(
            launch=watch,
            key=entry.key,
            role_id=role,
            now=datetime.fromtimestamp(self._clock(), UTC),
            reminder=reminder,
            change=change,
            outcome=LaunchStatus.of(entry.status_id) if entry.key == OUTCOME_KEY else None,
            webcast=reminder is not None and reminder.offset == min(offsets, default=None),
            language=subscription.language if subscription else None,
        )


def _watching(subscription: Subscription) -> bool:
    """Whether a server wants anything the watch tells: reminders, or launches."""
    if subscription.paused_reason is not None:
        return False
    return bool(reminder_offsets(subscription)) or EventType.LAUNCH in subscription.event_types


def _pinged(entry: LaunchEntry, subscription: Subscription) -> bool:
    """Whether a notice mentions the role: the outcome as launches are, the rest as
    reminders are."""
    if entry.key == OUTCOME_KEY:
        return EventType.LAUNCH in subscription.ping_types
    return subscription.ping_reminders


def _in_use(subscriptions: Iterable[Subscription]) -> frozenset[int]:
    """Every offset some server gets reminders at."""
    return frozenset(offset for s in subscriptions for offset in reminder_offsets(s))


def _entry(
    subscription: Subscription,
    watch: WatchedLaunch,
    key: str,
    state: LedgerState,
    change: LaunchChange | None = None,
    status: LaunchStatus | None = None,
) -> LaunchEntry:
    return LaunchEntry(
        guild_id=subscription.guild_id,
        launch_id=watch.launch_id,
        key=key,
        channel_id=subscription.channel_id,
        state=state,
        change_kind=None if change is None else change.kind.value,
        old_net=None if change is None else change.old_net,
        new_net=None if change is None else change.new_net,
        status_id=None if status is None else status.value,
        edited_revision=watch.revision,
    )


def _notices(observation: Observation, subscriptions: Iterable[Subscription]) -> list[LaunchEntry]:
    """The change notice and the outcome one look planned, for the servers that want them."""
    watch, change = observation.watch, observation.change
    entries = []
    for subscription in subscriptions:
        if change is not None and reminder_offsets(subscription):
            key = f"{CHANGE_PREFIX}{watch.revision}"
            entries.append(
                _entry(subscription, watch, key, LedgerState.PENDING, change, change.status)
            )
        if observation.outcome is not None and EventType.LAUNCH in subscription.event_types:
            entries.append(
                _entry(
                    subscription,
                    watch,
                    OUTCOME_KEY,
                    LedgerState.PENDING,
                    status=observation.outcome,
                )
            )
    return entries


def _refusal(
    entry: LaunchEntry,
    subscription: Subscription | None,
    watch: WatchedLaunch | None,
    now: float,
) -> str | None:
    """Why a planned notice must not go out now, for the ledger's note; None if it may."""
    if subscription is None:
        return "subscription removed"
    if subscription.paused_reason is not None:
        return subscription.paused_reason
    if watch is None:
        return "launch no longer watched"
    if entry.key == OUTCOME_KEY:
        wanted = EventType.LAUNCH in subscription.event_types
    else:
        wanted = bool(reminder_offsets(subscription))
    if not wanted:
        return "a kind this server no longer wants"
    if Reminder.from_key(entry.key) is not None:
        return superseded(entry.key, watch, now)
    if now - entry.created_at > NOTICE_MAX_AGE_SECONDS:
        return "older than 6 h"
    return None
