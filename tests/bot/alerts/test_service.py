"""Landing alerts: detection against the LL2 stand-in, the ledger on a real SQLite file.

The transport here is an in-memory channel list; the same service through the real
discord.py client and the Discord stand-in is tested in tests/e2e.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.alert_kinds import EventType, Marker, alert_marker, docking
from bot.alerts.outcomes import Reason, ReasonKind
from bot.alerts.service import AlertService, DeliveryError, Notice, Outcome
from bot.render.alert import render_alert
from bot.render.lang import ENGLISH, lang_for
from bot.render.message import Message
from bot.runtime import open_runtime
from bot.settings import Settings
from storage.alerts import AlertStore, Subscription
from storage.database import Database, StorageError
from tests.conftest import FakeClock
from tests.stubs.ll2 import Catalog, LL2Stub

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
GUILD_A, CHANNEL_A, ROLE_A = 1001, 2001, 3001
GUILD_B, CHANNEL_B = 1002, 2002


class Channels:
    """Channels that keep what is posted; a channel can be deleted, and a send can
    'crash' after Discord accepted the message but before Capcom heard back."""

    def __init__(self) -> None:
        self.posted: dict[int, list[Message]] = {}
        self.deleted: set[int] = set()
        self.crash_after_send = False
        self.down = False
        self.searched = 0
        """Channel histories read for an alert's marker."""
        self.lang = ENGLISH
        """The language alerts are posted in."""

    async def send(self, channel_id: int, notice: Notice) -> int:
        message = render_alert(notice, self.lang)
        if channel_id in self.deleted:
            raise DeliveryError(Reason(ReasonKind.GONE, f"<#{channel_id}>"), permanent=True)
        if self.down:
            raise DeliveryError(Reason(ReasonKind.DISCORD_FAILED, detail="503"), permanent=False)
        self.posted.setdefault(channel_id, []).append(message)
        if self.crash_after_send:
            self.crash_after_send = False
            raise SystemExit("killed between sending and recording")
        return len(self.posted[channel_id])

    async def find(self, channel_id: int, marker: Marker) -> int | None:
        self.searched += 1
        for number, message in enumerate(self.posted.get(channel_id, []), start=1):
            if any(marker.found_in(embed.footer.text or "") for embed in message.embeds):
                return number
        return None


def in_space(catalog: Catalog) -> list[int]:
    """The crewed flights up now."""
    return catalog.flights_in_space(crewed=True)


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.synthetic(flights=60, astronauts=120, now=NOW)


@pytest.fixture
async def ll2(catalog: Catalog) -> AsyncIterator[LL2Stub]:
    async with LL2Stub(catalog) as stub:
        yield stub


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW.timestamp())


@pytest.fixture(params=["2.3.0", "2.2.0"])
async def make_service(
    db: Database, ll2: LL2Stub, clock: FakeClock, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[[], Awaitable[AlertService]]]:
    """A new runtime on the same database: what a restarted bot builds."""
    settings = Settings(
        _env_file=None,
        ll2_base_url=ll2.base_url(request.param),
        ll2_requests_per_hour=1000,
    )
    async with aiohttp.ClientSession() as session, contextlib.AsyncExitStack() as runtimes:

        async def build() -> AlertService:
            runtime = await runtimes.enter_async_context(
                open_runtime(settings, clock=clock, session=session, db=db)
            )
            return runtime.alerts

        yield build


def _types(types: object) -> frozenset[EventType]:
    assert isinstance(types, set | frozenset)
    return frozenset(EventType(t) for t in types)


async def subscribe(service: AlertService, guild: int, channel: int, **extra: object) -> None:
    await service.store.subscribe(
        Subscription(
            guild_id=guild,
            channel_id=channel,
            role_id=extra.get("role_id"),  # type: ignore[arg-type]
            event_types=_types(extra.get("types", {EventType.LANDING})),
            ping_types=_types(extra.get("ping", {EventType.LANDING})),
            subscribed_at=float(extra.get("at", NOW.timestamp() - 3600)),  # type: ignore[arg-type]
        )
    )


async def test_a_landing_is_announced_once_in_every_subscribed_channel(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service, channels = await make_service(), Channels()
    await subscribe(service, GUILD_A, CHANNEL_A, role_id=ROLE_A)
    await subscribe(service, GUILD_B, CHANNEL_B)
    first = await service.cycle(channels)
    assert first.poll.baseline and channels.posted == {}
    flight_id = in_space(catalog)[0]
    clock.advance(600)
    catalog.land_flight(flight_id, NOW + timedelta(minutes=5))
    await service.cycle(channels)
    assert {c: len(m) for c, m in channels.posted.items()} == {CHANNEL_A: 1, CHANNEL_B: 1}
    alert = channels.posted[CHANNEL_A][0]
    assert alert.content == f"<@&{ROLE_A}>"
    assert dict(alert.allowed_mentions.to_dict()) == {"parse": [], "roles": [ROLE_A]}
    assert dict(channels.posted[CHANNEL_B][0].allowed_mentions.to_dict()) == {"parse": []}
    title = alert.embeds[0].title or ""
    assert title.endswith("has landed")
    assert "Late alert" not in (alert.embeds[0].description or "")
    assert len(alert.embeds) > 1 and alert.embeds[1].thumbnail.url  # crew cards with photos
    # The ledger says sent as soon as Discord took each message: nothing left to do.
    assert await service.store.pending() == []
    assert (await service.store.sent_count(GUILD_A), await service.store.sent_count(GUILD_B)) == (
        1,
        1,
    )

    clock.advance(1200)
    await (await make_service()).cycle(channels)  # a restart
    assert {c: len(m) for c, m in channels.posted.items()} == {CHANNEL_A: 1, CHANNEL_B: 1}
    assert channels.searched == 0  # the ledger, not the channels' history, knew


LEGACY = "an English footer of an older Capcom"


@pytest.mark.parametrize(
    ("posted_in", "footer"),
    [
        ("en-US", "Capcom alert · flight {id} · {id}/landing · Data: "),
        ("de", "Capcom-Alarm · Flug {id} · {id}/landing · Daten: "),
        ("ja", "Capcom 通知 · フライト {id} · {id}/landing · "),
        (LEGACY, "Capcom alert · flight {id} · landing · Data: "),
    ],
)
async def test_a_crash_between_sending_and_recording_sends_nothing_twice(
    make_service: Callable[[], Awaitable[AlertService]],
    catalog: Catalog,
    clock: FakeClock,
    posted_in: str,
    footer: str,
) -> None:
    """Whatever language the alert went out in, and from a Capcom that wrote its footer in
    English before footers were translated, the restarted service finds it."""
    service, channels = await make_service(), Channels()
    channels.lang = lang_for(posted_in)
    await subscribe(service, GUILD_A, CHANNEL_A)
    await service.cycle(channels)
    flight = in_space(catalog)[0]
    catalog.land_flight(flight, NOW + timedelta(minutes=5))
    clock.advance(600)
    channels.crash_after_send = True
    with pytest.raises(SystemExit):
        await service.cycle(channels)
    assert len(channels.posted[CHANNEL_A]) == 1
    embed = channels.posted[CHANNEL_A][0].embeds[0]
    if posted_in == LEGACY:
        embed.set_footer(text=f"Capcom alert · flight {flight} · landing · Data: LL2")
    assert (embed.footer.text or "").startswith(footer.format(id=flight))
    result = await (await make_service()).cycle(channels)
    assert [d.outcome for d in result.deliveries] == [Outcome.ALREADY_SENT]
    assert len(channels.posted[CHANNEL_A]) == 1


async def test_a_deleted_channel_pauses_only_its_subscription(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service, channels = await make_service(), Channels()
    await subscribe(service, GUILD_A, CHANNEL_A)
    await subscribe(service, GUILD_B, CHANNEL_B)
    await service.cycle(channels)
    channels.deleted.add(CHANNEL_A)
    catalog.land_flight(in_space(catalog)[0], NOW + timedelta(minutes=5))
    clock.advance(600)
    await service.cycle(channels)
    assert CHANNEL_A not in channels.posted and len(channels.posted[CHANNEL_B]) == 1
    status = await service.status(GUILD_A)
    assert status is not None and status.paused_reason == Reason(ReasonKind.GONE, f"<#{CHANNEL_A}>")
    catalog.land_flight(in_space(catalog)[0], NOW + timedelta(minutes=15))
    clock.advance(600)
    await service.cycle(channels)
    assert CHANNEL_A not in channels.posted and len(channels.posted[CHANNEL_B]) == 2


async def test_discord_trouble_is_retried_and_still_sent_once(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service, channels = await make_service(), Channels()
    await subscribe(service, GUILD_A, CHANNEL_A)
    await service.cycle(channels)
    catalog.land_flight(in_space(catalog)[0], NOW + timedelta(minutes=5))
    clock.advance(600)
    channels.down = True
    result = await service.cycle(channels)
    assert [d.outcome for d in result.deliveries] == [Outcome.RETRY]
    channels.down = False
    clock.advance(1200)
    await service.cycle(channels)
    await service.cycle(channels)
    assert len(channels.posted[CHANNEL_A]) == 1


async def test_old_landings_and_landings_learned_before_subscribing_stay_quiet(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service, channels = await make_service(), Channels()
    await service.cycle(channels)  # the first poll learns what is in space
    up = in_space(catalog)
    catalog.land_flight(up[0], NOW - timedelta(hours=30))  # landed more than 24 h ago
    catalog.land_flight(up[1], NOW + timedelta(minutes=5))
    clock.advance(600)
    await service.cycle(channels)  # Capcom learns of the landing: nobody subscribed yet
    clock.advance(3600)
    await subscribe(service, GUILD_A, CHANNEL_A, at=clock.now)
    await service.cycle(channels)
    assert channels.posted == {}


async def test_a_server_that_subscribed_before_ll2_recorded_the_landing_hears_of_it(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    """The touchdown comes first, then the subscription, then LL2's record: to that
    server the landing is news."""
    service, channels = await make_service(), Channels()
    await service.cycle(channels)
    touchdown = NOW + timedelta(minutes=5)
    clock.advance(1800)
    await subscribe(service, GUILD_A, CHANNEL_A, at=clock.now)  # after the touchdown
    await service.cycle(channels)
    assert channels.posted == {}
    catalog.land_flight(in_space(catalog)[0], touchdown)  # LL2 records it now
    clock.advance(1200)
    await service.cycle(channels)
    assert len(channels.posted[CHANNEL_A]) == 1


async def test_a_landing_while_capcom_was_down_is_announced_late(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service, channels = await make_service(), Channels()
    await subscribe(service, GUILD_A, CHANNEL_A)
    await service.cycle(channels)
    catalog.land_flight(in_space(catalog)[0], NOW + timedelta(minutes=5))
    clock.advance(5 * 3600)  # down for five hours
    await (await make_service()).cycle(channels)
    alert = channels.posted[CHANNEL_A][0]
    assert "Late alert" in (alert.embeds[0].description or "")


async def test_heads_up_announces_the_undocking(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service, channels = await make_service(), Channels()
    await subscribe(service, GUILD_A, CHANNEL_A, types={EventType.UNDOCKING, EventType.LANDING})
    await subscribe(service, GUILD_B, CHANNEL_B)
    await service.cycle(channels)
    flight_id = in_space(catalog)[0]
    catalog.undock(flight_id, NOW + timedelta(minutes=5))
    clock.advance(3601)
    await service.cycle(channels)
    assert len(channels.posted[CHANNEL_A]) == 1 and CHANNEL_B not in channels.posted
    assert (channels.posted[CHANNEL_A][0].embeds[0].title or "").endswith("has undocked")


async def test_a_dry_run_sends_and_records_nothing(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    service = await make_service()
    await service.cycle(Channels())
    catalog.land_flight(in_space(catalog)[0], NOW + timedelta(minutes=5))
    clock.advance(600)
    _, first = await service.dry_run()
    _, second = await service.dry_run()
    assert len(first) == len(second) == 1 and first[0].subscription is None
    assert await service.store.pending() == []


@pytest.mark.parametrize("failing", ["record", "plan"])
async def test_a_storage_failure_at_any_step_delays_the_alert_but_never_loses_it(
    make_service: Callable[[], Awaitable[AlertService]],
    catalog: Catalog,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    """Recording what a poll learned and planning the alerts can each fail (the
    database locked by `capcom sync`, a full disk): the landing is still announced,
    once, by a later cycle."""
    service, channels = await make_service(), Channels()
    await subscribe(service, GUILD_A, CHANNEL_A)
    await service.cycle(channels)
    catalog.land_flight(in_space(catalog)[0], NOW + timedelta(minutes=5))
    clock.advance(1200)
    real = getattr(AlertStore, failing)

    async def fail_once(self: AlertStore, *args: object, **kwargs: object) -> object:
        monkeypatch.setattr(AlertStore, failing, real)
        raise StorageError("database is locked")

    monkeypatch.setattr(AlertStore, failing, fail_once)
    with pytest.raises(StorageError):
        await service.cycle(channels)
    assert channels.posted == {}
    for _ in range(3):
        clock.advance(1200)
        await (await make_service()).cycle(channels)
    assert len(channels.posted[CHANNEL_A]) == 1


async def test_each_event_of_the_whole_flight_goes_once_to_the_servers_that_chose_it(
    make_service: Callable[[], Awaitable[AlertService]], catalog: Catalog, clock: FakeClock
) -> None:
    """A crew launches, docks, undocks and lands: a server that chose every type gets
    four alerts (the role mentioned for launch and landing, the others silent); one
    that kept the default gets the landing only."""
    service, channels = await make_service(), Channels()
    every = set(EventType)
    await subscribe(
        service,
        GUILD_A,
        CHANNEL_A,
        role_id=ROLE_A,
        types=every,
        ping={EventType.LAUNCH, EventType.LANDING},
    )
    await subscribe(service, GUILD_B, CHANNEL_B)
    await service.cycle(channels)  # the first poll learns
    template = in_space(catalog)[0]
    steps: list[Callable[[datetime], object]] = [
        lambda at: catalog.launch_crew(template, at),
        lambda at: catalog.dock(max(catalog.flights), at),
        lambda at: catalog.undock(max(catalog.flights), at),
        lambda at: catalog.land_flight(max(catalog.flights), at),
    ]
    for step in steps:
        clock.advance(3601)
        step(datetime.fromtimestamp(clock.now - 60, UTC))
        await service.cycle(channels)
    titles = [m.embeds[0].title or "" for m in channels.posted[CHANNEL_A]]
    assert [t.rsplit(" ", 1)[-1] for t in titles] == ["launched", "docked", "undocked", "landed"]
    pings = [m.content for m in channels.posted[CHANNEL_A]]
    assert pings == [f"<@&{ROLE_A}>", None, None, f"<@&{ROLE_A}>"]
    assert [m.silent for m in channels.posted[CHANNEL_A]] == [False, True, True, False]
    assert [m.embeds[0].title for m in channels.posted[CHANNEL_B]] == [titles[-1]]
    for _ in range(3):
        clock.advance(1200)
        await service.cycle(channels)
    assert len(channels.posted[CHANNEL_A]) == 4


async def test_a_pause_stored_before_reasons_had_kinds_reads_back_as_it_was(
    make_service: Callable[[], Awaitable[AlertService]],
) -> None:
    service = await make_service()
    await subscribe(service, GUILD_A, CHANNEL_A)
    await service.store.pause(GUILD_A, "Capcom lacks Send Messages in #launches", 0.0)
    status = await service.status(GUILD_A)
    assert status is not None
    assert status.paused_reason == Reason(
        ReasonKind.TEXT, detail="Capcom lacks Send Messages in #launches"
    )


def test_a_marker_is_found_only_in_its_own_alerts_footer() -> None:
    """Flight 219's docking 5 is not flight 1219's nor docking 51, in either footer form."""
    marker = alert_marker(219, docking(5))
    assert marker.found_in("Capcom-Alarm · Flug 219 · 219/docking:5 · Daten: LL2")
    assert marker.found_in("Capcom alert · flight 219 · docking:5 · Data: LL2")
    for other in (
        "Capcom-Alarm · Flug 1219 · 1219/docking:5 · Daten: LL2",
        "Capcom-Alarm · Flug 219 · 219/docking:51 · Daten: LL2",
        "Capcom alert · flight 1219 · docking:5 · Data: LL2",
        "Capcom alert · flight 219 · docking:51 · Data: LL2",
    ):
        assert not marker.found_in(other), other
