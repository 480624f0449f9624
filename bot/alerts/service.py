"""Crew alerts end to end: detect, plan in the ledger, deliver exactly once; and the
subscriptions `/alerts` manages.

The service decides what should be said (a `Notice`: the flight, the kind of event,
whether to mention the role); the Discord edge renders and sends it.

The guarantee: at most one message per (guild, flight, kind), and at least one
while the subscription stays valid and Discord accepts messages within 24 h.

- The ledger row is written ('pending') before anything is sent, and a row
  exists once per (guild, flight, kind): a restart re-plans nothing.
- Before a send the row's attempt count goes up. A row found pending with
  attempts > 0 may have been sent just before a crash; the channel's recent
  messages are searched for the alert's marker (in its footer) before sending.
- Discord 5xx, rate limits and network errors leave the row pending for the
  next cycle; a deleted channel or lost permission pauses the subscription
  with the reason and drops the row; other guilds carry on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from bot.alert_kinds import AlertKind, EventType, Marker, alert_marker
from bot.alerts.detector import EventDetector, PollResult, is_recent, refusal, wants
from bot.alerts.outcomes import EditResult, Reason, stored_reason
from bot.alerts.reminders import (
    DEFAULT_OFFSETS,
    LaunchNotice,
    offsets_text,
    parse_offsets,
)
from bot.ll2.budget import Priority
from bot.ll2.client import LL2Error
from bot.ll2.freshness import Fetched
from bot.ll2.models import SpacecraftFlight
from bot.ll2.repository import LL2Repository
from storage.alerts import AlertStore, FlightEvent, LedgerEntry, LedgerState, Subscription

log = logging.getLogger(__name__)

LATE_AFTER_SECONDS = 3600.0
"""An alert detected this long after the event is marked late."""
DETAIL_BEFORE_EVENT_SECONDS = 600.0
"""An alert's flight detail may be a copy fetched up to this long before its event was
detected: the copy the poll read while noticing it (confirming a landing, finding a
launch's flight) serves without another request, in this cycle and when a pending alert
is sent in a later one; a copy from well before may not show the event yet."""


class DeliveryError(Exception):
    """A send that failed: `permanent` for a channel gone or permissions lost."""

    def __init__(self, reason: Reason, *, permanent: bool) -> None:
        super().__init__(reason.stored())
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Notice:
    """What one alert says, for the edge to render."""

    flight: Fetched[SpacecraftFlight]
    kind: AlertKind
    role_id: int | None
    """The role to mention; None: post silently."""
    late: bool
    now: datetime
    language: str | None = None
    """The Discord locale the server's admin picked; None: the server's own language."""


@dataclass(frozen=True, slots=True)
class AlertStatus:
    """A server's subscription as `/alerts status` shows it."""

    channel_id: int
    role_id: int | None
    event_types: frozenset[EventType]
    ping_types: frozenset[EventType]
    since: datetime
    paused_reason: Reason | None
    sent: int
    reminders: frozenset[int] = frozenset()
    """Seconds before NET reminders come at; empty: no reminders."""
    pinged_reminders: bool = False
    language: str | None = None
    """The language the admin picked; None: the server's own."""


class Transport(Protocol):
    """Where alerts go: Discord for the bot, stdout for a dry run."""

    async def send(self, channel_id: int, notice: Notice) -> int:
        """Render, post and return the message id, or raise DeliveryError."""

    async def find(self, channel_id: int, marker: Marker) -> int | None:
        """The id of a recent message carrying `marker`, if there is one."""


class LaunchTransport(Transport, Protocol):
    """Where reminders and launch notices go, and how an earlier one is corrected."""

    async def post_launch(self, channel_id: int, notice: LaunchNotice) -> int:
        """Render, post and return the message id, or raise DeliveryError."""

    async def revise(self, channel_id: int, message_id: int, notice: LaunchNotice) -> EditResult:
        """Render `notice` and edit an earlier message into it, in place (no
        notification): a reminder whose launch changed shows its old time struck
        through, pointing at the new one."""


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    RETRY = "will retry"
    DROPPED = "dropped"


class Row(Protocol):
    """A ledger row as delivery needs it."""

    @property
    def guild_id(self) -> int: ...
    @property
    def channel_id(self) -> int: ...
    @property
    def attempts(self) -> int: ...


R = TypeVar("R", bound=Row, contravariant=True)


class Ledger(Protocol[R]):
    """A ledger's row updates (AlertStore for flights, LaunchStore for launches)."""

    async def attempt(self, entry: R, now: float) -> None: ...

    async def finish(
        self,
        entry: R,
        state: LedgerState,
        now: float,
        *,
        message_id: int | None = None,
        note: str | None = None,
    ) -> None: ...


Pause = Callable[[int, str, float], Awaitable[None]]
"""Pause a server's alerts (`AlertStore.pause`), with a `Reason.stored()`."""


async def send_once(
    ledger: Ledger[R],
    entry: R,
    marker: Marker,
    send: Callable[[], Awaitable[int]],
    find: Callable[[int, Marker], Awaitable[int | None]],
    pause: Pause,
    clock: Callable[[], float],
) -> tuple[Outcome, str | None]:
    """Send one ledger row's message at most once: a row with attempts may have gone out
    just before a crash, so the channel is searched for its `marker` first; the attempt
    is counted before sending. Discord 5xx or a rate limit leave it pending; a channel
    gone or a permission lost pauses the server (`pause`) and drops the row."""
    now = clock()
    try:
        if entry.attempts:
            found = await find(entry.channel_id, marker)
            if found is not None:
                await ledger.finish(entry, LedgerState.SENT, now, message_id=found)
                return Outcome.ALREADY_SENT, None
        await ledger.attempt(entry, now)
        message_id = await send()
    except DeliveryError as error:
        reason = error.reason.stored()
        if not error.permanent:
            return Outcome.RETRY, reason
        await pause(entry.guild_id, reason, now)
        await ledger.finish(entry, LedgerState.DROPPED, now, note=reason)
        log.warning("alerts paused for guild %d: %s", entry.guild_id, reason)
        return Outcome.DROPPED, reason
    await ledger.finish(entry, LedgerState.SENT, clock(), message_id=message_id)
    return Outcome.SENT, None


@dataclass(frozen=True, slots=True)
class Delivery:
    entry: LedgerEntry
    outcome: Outcome
    notice: Notice | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedAlert:
    event: FlightEvent
    subscription: Subscription | None
    notice: Notice


@dataclass(frozen=True, slots=True)
class CycleResult:
    poll: PollResult
    deliveries: tuple[Delivery, ...]


class AlertService:
    def __init__(
        self,
        repository: LL2Repository,
        store: AlertStore,
        clock: Callable[[], float] = time.time,
        *,
        detector: EventDetector | None = None,
    ) -> None:
        self._repository = repository
        self.store = store
        self.detector = detector or EventDetector(repository, store, clock)
        self._clock = clock

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    async def subscribe(
        self,
        guild_id: int,
        channel_id: int,
        role_id: int | None,
        event_types: frozenset[EventType],
        ping_types: frozenset[EventType],
        *,
        reminders: frozenset[int] = frozenset(),
        ping_reminders: bool = False,
        language: str | None = None,
    ) -> None:
        """Post this server's alerts of `event_types` in a channel, and reminders (with change
        notices) at `reminders` seconds before a crewed launch, in `language` (a Discord
        locale; None: the server's own language); a server that subscribed
        before keeps its start time (the store keeps it: what it has not heard of stays
        news)."""
        await self.store.subscribe(
            Subscription(
                guild_id=guild_id,
                channel_id=channel_id,
                role_id=role_id,
                event_types=event_types,
                ping_types=ping_types & event_types,
                subscribed_at=self._clock(),
                reminder_offsets=offsets_text(reminders or DEFAULT_OFFSETS),
                reminders=bool(reminders),
                ping_reminders=bool(reminders) and ping_reminders,
                language=language,
            )
        )

    async def unsubscribe(self, guild_id: int) -> bool:
        """Stop a server's alerts; False if there were none."""
        return await self.store.unsubscribe(guild_id)

    async def status(self, guild_id: int) -> AlertStatus | None:
        subscription = await self.store.subscription(guild_id)
        if subscription is None:
            return None
        return AlertStatus(
            channel_id=subscription.channel_id,
            role_id=subscription.role_id,
            event_types=subscription.event_types,
            ping_types=subscription.ping_types,
            since=datetime.fromtimestamp(subscription.subscribed_at, UTC),
            paused_reason=stored_reason(subscription.paused_reason),
            sent=await self.store.sent_count(guild_id),
            reminders=(
                parse_offsets(subscription.reminder_offsets)
                if subscription.reminders
                else frozenset()
            ),
            pinged_reminders=subscription.ping_reminders,
            language=subscription.language,
        )

    async def cycle(self, transport: Transport) -> CycleResult:
        """One polling cycle: detect, plan (events left unplanned earlier too), deliver
        (pending rows of earlier cycles too)."""
        poll = await self.detector.poll()
        await self.plan()
        return CycleResult(poll, tuple(await self.deliver(transport)))

    async def plan(self) -> None:
        """Write the ledger rows of every event not planned yet, each event in one
        transaction with its rows: an event whose planning fails stays unplanned and
        is planned by the next cycle."""
        subscriptions = await self.store.subscriptions()
        for event in await self.store.unplanned():
            now = self._clock()
            targets = [s for s in subscriptions if wants(s, event, now)]
            await self.store.plan(event, targets, now)

    async def deliver(self, transport: Transport) -> list[Delivery]:
        deliveries = []
        for entry in await self.store.pending():
            delivery = await self._deliver(entry, transport)
            deliveries.append(delivery)
            log.info(
                "alert %s of flight %d to guild %d: %s",
                entry.kind,
                entry.flight_id,
                entry.guild_id,
                delivery.outcome.value,
            )
        return deliveries

    async def dry_run(self) -> tuple[PollResult, list[PlannedAlert]]:
        """What a cycle would send now, sending and recording nothing. With no
        subscriptions each detected event is listed once, for no guild."""
        poll = await self.detector.poll(persist=False)
        now = self._clock()
        subscriptions = await self.store.subscriptions()
        planned = []
        for event in poll.new_events:
            if not is_recent(event, now):
                continue
            targets: list[Subscription | None] = [s for s in subscriptions if wants(s, event, now)]
            if not subscriptions:
                targets = [None]
            for subscription in targets:
                notice = await self._notice(event, subscription)
                planned.append(PlannedAlert(event, subscription, notice))
        return poll, planned

    async def _notice(self, event: FlightEvent, subscription: Subscription | None) -> Notice:
        """The alert for `event` as this server gets it: mentioning its role for the event
        types it asked to be pinged for, silent otherwise."""
        fetched = await self._repository.flight(
            event.flight_id,
            Priority.BACKGROUND,
            fetched_after=event.detected_at - DETAIL_BEFORE_EVENT_SECONDS,
            allow_stale=False,
        )
        role_id = subscription.role_id if subscription else None
        if subscription is not None and event.kind.type not in subscription.ping_types:
            role_id = None
        return Notice(
            fetched,
            event.kind,
            role_id,
            late=event.detected_at - event.occurred_at > LATE_AFTER_SECONDS,
            now=self.now(),
            language=subscription.language if subscription else None,
        )

    async def _deliver(self, entry: LedgerEntry, transport: Transport) -> Delivery:
        now = self._clock()
        subscription = await self.store.subscription(entry.guild_id)
        event = FlightEvent(entry.flight_id, entry.kind, entry.occurred_at, entry.detected_at)
        note = refusal(subscription, event, now)
        if note is not None:
            await self.store.finish(entry, LedgerState.DROPPED, now, note=note)
            return Delivery(entry, Outcome.DROPPED, note=note)
        try:
            notice = await self._notice(event, subscription)
        except LL2Error as error:
            return Delivery(entry, Outcome.RETRY, note=str(error))
        outcome, note = await send_once(
            self.store,
            entry,
            alert_marker(entry.flight_id, notice.kind),
            lambda: transport.send(entry.channel_id, notice),
            transport.find,
            self.store.pause,
            self._clock,
        )
        return Delivery(entry, outcome, notice, note)
