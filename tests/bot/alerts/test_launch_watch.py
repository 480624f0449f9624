"""Reminders and launch changes end to end in one process: a scripted LL2 (launch
histories shaped like the real ones) behind the injected fetch, the ledger on a real
SQLite file, the real renderer, and channels in memory that keep, find and edit
messages. Through the real discord.py client and the Discord stand-in: tests/e2e."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from bot.alert_kinds import AlertKind, EventType, Marker
from bot.alerts.launch_watch import LaunchWatch
from bot.alerts.outcomes import EditOutcome, EditResult, Reason, ReasonKind, stored_reason
from bot.alerts.reminders import Cadence, LaunchNotice
from bot.alerts.service import DeliveryError, Notice, Outcome
from bot.ll2.client import LL2Error
from bot.ll2.freshness import Fetched, Freshness
from bot.ll2.launches import LaunchSnapshot, LaunchStatus, LaunchTime
from bot.render.lang import ENGLISH, lang_for
from bot.render.launch import render_launch_notice
from bot.render.message import Message
from storage.alerts import AlertStore, FlightEvent, Subscription
from storage.database import Database
from storage.events import EventStore
from storage.launches import LaunchStore
from tests.conftest import FakeClock

HOUR = 3600.0
T0 = datetime(2026, 2, 9, 0, 0, tzinfo=UTC).timestamp()
NET = T0 + 40 * HOUR
GUILD, CHANNEL, ROLE = 1001, 2001, 3001
LAUNCH = "862b54e3-7bf8-48e5-8cd1-d77257d5fde9"
WEBCAST = "https://www.youtube.com/watch?v=zCM-Kwq91cc"
CADENCE = Cadence(far=7200, near=1200, near_window=3 * HOUR, lead=300)
GO, HOLD = LaunchStatus.GO, LaunchStatus.HOLD
SHOWN = "Falcon 9 Block 5 \\| Crew-12"
"""LL2's name as a title shows it: markdown escaped."""


class Channels:
    """Channels that keep what is posted and edited; a send can 'crash' after Discord
    accepted the message but before Capcom heard back."""

    def __init__(self) -> None:
        self.posted: list[Message] = []
        self.edits: list[tuple[int, Message]] = []
        self.crash_after_send = False
        self.lang = ENGLISH
        """The language notices are posted in."""

    async def send(self, channel_id: int, notice: Notice) -> int:
        raise AssertionError("crew alerts are not this test's business")

    async def post_launch(self, channel_id: int, notice: LaunchNotice) -> int:
        self.posted.append(render_launch_notice(notice, self.lang))
        if self.crash_after_send:
            self.crash_after_send = False
            raise SystemExit("killed between sending and recording")
        return len(self.posted)

    async def revise(self, channel_id: int, message_id: int, notice: LaunchNotice) -> EditResult:
        message = render_launch_notice(notice, ENGLISH)
        self.posted[message_id - 1] = message
        self.edits.append((message_id, message))
        return EditResult(EditOutcome.EDITED)

    async def find(self, channel_id: int, marker: Marker) -> int | None:
        for number, message in enumerate(self.posted, start=1):
            if any(marker.found_in(embed.footer.text or "") for embed in message.embeds):
                return number
        return None

    @property
    def titles(self) -> list[str]:
        return [message.embeds[0].title or "" for message in self.posted]


class ScriptedLL2:
    """LL2's upcoming launches along a history: (from when, NET, precision, status)."""

    def __init__(self, clock: FakeClock, steps: Sequence[tuple[float, float, int, LaunchStatus]]):
        self.clock = clock
        self.steps = steps
        self.calls: list[float] = []
        self.failing = False

    async def __call__(self) -> Fetched[list[LaunchSnapshot]]:
        now = self.clock()
        self.calls.append(now)
        if self.failing:
            raise LL2Error("LL2 is unreachable")
        _, net, precision, status = [s for s in self.steps if s[0] <= now][-1]
        time = LaunchTime(datetime.fromtimestamp(net, UTC), precision, status)
        snapshot = LaunchSnapshot(LAUNCH, "Falcon 9 Block 5 | Crew-12", time, 2990, WEBCAST, None)
        return Fetched([snapshot], Freshness(datetime.fromtimestamp(now, UTC)))


async def setup(
    db: Database,
    clock: FakeClock,
    steps: Sequence[tuple[float, float, int, LaunchStatus]],
    *,
    types: frozenset[EventType] = frozenset({EventType.LAUNCH}),
    reminders: bool = True,
) -> tuple[LaunchWatch, ScriptedLL2, AlertStore]:
    alerts = AlertStore(db)
    await alerts.subscribe(
        Subscription(
            GUILD,
            CHANNEL,
            ROLE,
            clock(),
            types,
            frozenset(),
            reminders=reminders,
            ping_reminders=True,
        )
    )
    ll2 = ScriptedLL2(clock, steps)
    return LaunchWatch(ll2, LaunchStore(db), alerts, CADENCE, clock), ll2, alerts


async def run(watch: LaunchWatch, channels: Channels, clock: FakeClock, until: float) -> None:
    """Cycles as the background loop runs them: each at the time `wake_at` names."""
    while True:
        wake = await watch.wake_at()
        if wake > until:
            return
        clock.now = max(clock.now, wake)
        await watch.cycle(channels)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


async def test_reminders_come_at_their_offsets_on_fresh_data_and_the_last_carries_the_webcast(
    db: Database, clock: FakeClock
) -> None:
    watch, ll2, _ = await setup(db, clock, [(0, NET, 1, GO)])
    channels = Channels()
    await run(watch, channels, clock, NET - 1)
    assert channels.titles == [
        f"⏰ {SHOWN} launches in 24 hours",
        f"⏰ {SHOWN} launches in 1 hour",
    ]
    day, hour = channels.posted
    assert day.content == f"<@&{ROLE}>"
    assert [f.name for f in day.embeds[0].fields] == ["Status"]
    assert [f.value for f in hour.embeds[0].fields] == ["Go for launch", f"[Webcast]({WEBCAST})"]
    # each reminder was preceded by a poll within the lead time
    for due in (NET - 24 * HOUR, NET - HOUR):
        assert any(due - CADENCE.lead <= call <= due for call in ll2.calls)


async def test_a_scrub_is_told_once_and_the_sent_reminder_is_edited_to_point_at_the_new_time(
    db: Database, clock: FakeClock
) -> None:
    scrubbed = NET + 23.6 * HOUR
    steps = [(0, NET, 1, GO), (NET - 2 * HOUR, scrubbed, 1, GO)]
    watch, _, _ = await setup(db, clock, steps)
    channels = Channels()
    await run(watch, channels, clock, NET - 0.5 * HOUR)
    assert channels.titles == [
        f"⏰ {SHOWN}: this reminder is out of date",
        f"🛑 {SHOWN} scrubbed: new launch time",
    ]
    [(edited, reminder)] = channels.edits
    assert edited == 1
    old, new = int(NET), int(scrubbed)
    assert f"~~<t:{old}:F>~~ → now NET <t:{new}:F>" in (reminder.embeds[0].description or "")
    assert f"From ~~<t:{old}:F>~~ to <t:{new}:F>" in (
        channels.posted[1].embeds[0].description or ""
    )
    # no 1 h reminder for the NET LL2 no longer holds; the new NET's reminders come later
    await run(watch, channels, clock, scrubbed - 1)
    assert channels.titles[2:] == [
        f"⏰ {SHOWN} launches in 24 hours",
        f"⏰ {SHOWN} launches in 1 hour",
    ]


async def test_a_hold_is_told_instead_of_the_reminder_and_the_resumption_once(
    db: Database, clock: FakeClock
) -> None:
    steps = [(0, NET, 1, GO), (NET - 2 * HOUR, NET, 1, HOLD), (NET - 0.5 * HOUR, NET + HOUR, 1, GO)]
    watch, _, _ = await setup(db, clock, steps)
    channels = Channels()
    await run(watch, channels, clock, NET + HOUR - 1)
    assert channels.titles == [
        f"⏰ {SHOWN}: this reminder is out of date",
        f"✋ {SHOWN} is on hold",
        f"▶️ {SHOWN} is back on",
        f"⏰ {SHOWN} launches in 1 hour",  # for the new NET; none at the old one, on hold
    ]
    # the 24 h reminder was edited on each change: first on hold, then to the new time
    assert [number for number, _ in channels.edits] == [1, 1]
    assert "now NET" in (channels.posted[0].embeds[0].description or "")


async def test_liftoff_is_the_flights_launch_alert_and_the_outcome_a_notice(
    db: Database, clock: FakeClock
) -> None:
    steps = [
        (0, NET, 1, GO),
        (NET + 300, NET + 7, 0, LaunchStatus.IN_FLIGHT),
        (NET + 1800, NET + 9, 0, LaunchStatus.SUCCESS),
    ]
    watch, _, alerts = await setup(db, clock, steps)
    channels = Channels()
    await run(watch, channels, clock, NET + 3 * HOUR)
    assert channels.titles[-1] == f"✅ {SHOWN}: launch successful"
    assert channels.posted[-1].content is None  # launches are not pinged for this server
    assert len(channels.posted) == 3  # two reminders and the outcome: no notice for the NET rewrite
    assert await alerts.unplanned() == [
        FlightEvent(
            2990, AlertKind(EventType.LAUNCH), NET + 7, (await alerts.unplanned())[0].detected_at
        )
    ]


@pytest.mark.parametrize(
    ("posted_in", "label"),
    [
        ("en-US", "Capcom launch notice"),
        ("de", "Capcom-Startmeldung"),
        ("ja", "Capcom 打ち上げ通知"),
    ],
)
async def test_a_crash_between_sending_and_recording_never_posts_twice(
    db: Database, clock: FakeClock, posted_in: str, label: str
) -> None:
    """The footer reads in the posting language; its key is the same in all of them."""
    watch, _, _ = await setup(db, clock, [(0, NET, 1, GO)])
    channels = Channels()
    channels.lang = lang_for(posted_in)
    await watch.cycle(channels)  # learns the NET
    clock.now = NET - 24 * HOUR
    channels.crash_after_send = True
    with pytest.raises(SystemExit):
        await watch.cycle(channels)
    footer = channels.posted[0].embeds[0].footer.text or ""
    assert footer.startswith(f"{label} · {LAUNCH}/reminder:86400@{int(NET)} · ")
    result = await watch.cycle(channels)
    assert [d.outcome for d in result.deliveries] == [Outcome.ALREADY_SENT]
    assert len(channels.posted) == 1


async def test_a_reminder_half_sent_by_a_capcom_that_wrote_its_footer_in_english_is_found(
    db: Database, clock: FakeClock
) -> None:
    watch, _, _ = await setup(db, clock, [(0, NET, 1, GO)])
    channels = Channels()
    await watch.cycle(channels)  # learns the NET
    clock.now = NET - 24 * HOUR
    channels.crash_after_send = True
    with pytest.raises(SystemExit):
        await watch.cycle(channels)
    old = f"Capcom launch · {LAUNCH} · reminder:86400@{int(NET)} · Data: LL2"
    channels.posted[0].embeds[0].set_footer(text=old)
    result = await watch.cycle(channels)
    assert [d.outcome for d in result.deliveries] == [Outcome.ALREADY_SENT]
    assert len(channels.posted) == 1


async def test_ll2_failing_never_makes_the_watch_burst(db: Database, clock: FakeClock) -> None:
    watch, ll2, _ = await setup(db, clock, [(0, NET, 1, GO)])
    channels = Channels()
    ll2.failing = True
    await run(watch, channels, clock, T0 + 10 * HOUR)
    assert channels.posted == []
    # Once every near interval (20 min) while it fails, not a far one: never a burst,
    # and a change is still told in time once LL2 answers again.
    assert len(ll2.calls) == 31
    assert all(b - a == CADENCE.near for a, b in itertools.pairwise(ll2.calls))
    ll2.failing = False
    await run(watch, channels, clock, T0 + 13 * HOUR)
    assert ll2.calls[31:] == [T0 + 10 * HOUR + CADENCE.near, T0 + 12 * HOUR + CADENCE.near]


async def test_no_server_wanting_reminders_or_launches_costs_no_request(
    db: Database, clock: FakeClock
) -> None:
    watch, ll2, _ = await setup(
        db, clock, [(0, NET, 1, GO)], types=frozenset({EventType.LANDING}), reminders=False
    )
    await run(watch, Channels(), clock, NET + 4 * HOUR)
    assert ll2.calls == []


async def test_a_server_that_wants_only_scheduled_events_keeps_the_launches_fresh(
    db: Database, clock: FakeClock
) -> None:
    """The scheduled events read the upcoming launches the watch fetches and ask LL2
    nothing themselves: a server wanting only events still needs the watch to poll."""
    events = EventStore(db)
    await events.enable(GUILD + 1, True, clock())
    alerts = AlertStore(db)
    ll2 = ScriptedLL2(clock, [(0, NET, 1, GO)])

    async def events_wanted() -> bool:
        return bool(await events.active())

    watch = LaunchWatch(ll2, LaunchStore(db), alerts, CADENCE, clock, readers=events_wanted)
    await run(watch, Channels(), clock, T0 + 5 * HOUR)
    assert len(ll2.calls) == 3  # every 2 hours while no launch is near
    await events.enable(GUILD + 1, False, clock())
    await run(watch, Channels(), clock, T0 + 15 * HOUR)
    assert len(ll2.calls) == 3


async def test_a_channel_gone_pauses_the_server_and_drops_the_reminder(
    db: Database, clock: FakeClock
) -> None:
    watch, _, alerts = await setup(db, clock, [(0, NET, 1, GO)])

    class Gone(Channels):
        async def post_launch(self, channel_id: int, notice: LaunchNotice) -> int:
            raise DeliveryError(Reason(ReasonKind.GONE, "<#1>"), permanent=True)

    await watch.cycle(Gone())  # learns the NET
    clock.now = NET - 24 * HOUR
    result = await watch.cycle(Gone())
    assert [d.outcome for d in result.deliveries] == [Outcome.DROPPED]
    subscription = await alerts.subscription(GUILD)
    assert subscription is not None
    assert stored_reason(subscription.paused_reason) == Reason(ReasonKind.GONE, "<#1>")


async def test_near_a_launch_the_watch_asks_ll2_at_most_five_times_an_hour(
    db: Database, clock: FakeClock
) -> None:
    """Four offsets chosen (24 h, 6 h, 1 h, 10 min): the busiest rolling hour."""
    watch, ll2, alerts = await setup(db, clock, [(0, NET, 1, GO)])
    subscription = await alerts.subscription(GUILD)
    assert subscription is not None
    await alerts.subscribe(
        Subscription(
            GUILD,
            CHANNEL,
            ROLE,
            T0,
            subscription.event_types,
            reminder_offsets="86400,21600,3600,600",
            reminders=subscription.reminders,
        )
    )
    await run(watch, Channels(), clock, NET + 4 * HOUR)
    busiest = max(sum(1 for c in ll2.calls if start <= c < start + HOUR) for start in ll2.calls)
    assert busiest <= 5
    hours = (NET + 4 * HOUR - T0) / HOUR
    print(f"launch watch: {len(ll2.calls)} requests in {hours:.0f} h, busiest hour {busiest}")


async def test_the_loop_woken_at_a_reminders_time_finds_it_due_and_sends_it_then(
    db: Database, clock: FakeClock
) -> None:
    """As cogs/reminders.py runs it: sleep for `seconds_to_wake`, cycle only if it then
    says the time has come (not at the next poll, 20 minutes or 2 hours later)."""
    watch, _, _ = await setup(db, clock, [(0, NET, 1, GO)])
    channels = Channels()
    await watch.cycle(channels)  # learns the NET
    clock.now = NET - 24 * HOUR - CADENCE.lead
    await watch.cycle(channels)  # the poll just before the reminder
    clock.now += await watch.seconds_to_wake()
    assert clock.now == NET - 24 * HOUR
    assert await watch.seconds_to_wake() <= 0
    await watch.cycle(channels)
    assert channels.titles == [f"⏰ {SHOWN} launches in 24 hours"]
