"""Reminders, change notices, outcomes and an out-of-date reminder as Discord gets them:
within its limits whatever LL2 sends, never a ping but the chosen role."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot.alert_kinds import EventType
from bot.alerts.event_sync import EVENTS_OFF
from bot.alerts.reminders import ChangeKind, LaunchChange, LaunchNotice, Reminder
from bot.alerts.service import AlertStatus
from bot.ll2.launches import LaunchStatus
from bot.render.alert import render_alert_status
from bot.render.lang import ENGLISH, catalogs, lang_for
from bot.render.launch import render_launch_notice
from storage.launches import WatchedLaunch
from tests.bot.render.limits import assert_within_discord_limits

LOCALES = ["en-US", *sorted(catalogs())]
NOW = datetime(2026, 2, 11, 10, 1, 4, tzinfo=UTC)
NET = NOW.timestamp() + 3600
WEBCAST = "https://www.youtube.com/watch?v=zCM-Kwq91cc"
LAUNCH = WatchedLaunch(
    launch_id="862b54e3-7bf8-48e5-8cd1-d77257d5fde9",
    name="Falcon 9 Block 5 | Crew-12",
    net=NET,
    precision_id=0,
    status_id=1,
    flight_id=2990,
    webcast_url=WEBCAST,
    page_url=None,
    planned_net=NET,
    net_seen_at=NOW.timestamp() - 86_400,
    first_seen=NOW.timestamp() - 86_400,
    last_seen=NOW.timestamp(),
)
HOSTILE = dataclasses.replace(
    LAUNCH,
    name="@everyone <@&1> [x](https://evil.example) " + "🚀" * 10_000,
    webcast_url="javascript:alert(1)",
    page_url="not a url",
)
REMINDER = LaunchNotice(
    LAUNCH, f"reminder:3600@{int(NET)}", None, NOW, Reminder(3600, NET), webcast=True
)


def _without_role(body: dict[str, object]) -> dict[str, object]:
    """The body with the one allowed mention (the chosen role) taken out."""
    return {**body, "content": None, "allowed_mentions": {"parse": []}}


NOTICES = [
    REMINDER,
    dataclasses.replace(REMINDER, launch=dataclasses.replace(LAUNCH, planned_net=NET + 86_400)),
    *(
        LaunchNotice(
            LAUNCH,
            "change:1",
            3001,
            NOW,
            change=LaunchChange(kind, NET, NET + 5000, LaunchStatus.GO),
        )
        for kind in ChangeKind
    ),
    LaunchNotice(LAUNCH, "outcome", None, NOW, outcome=LaunchStatus.FAILURE),
]


@pytest.mark.parametrize(
    "notice", NOTICES, ids=lambda n: n.key + (n.change.kind if n.change else "")
)
@pytest.mark.parametrize("launch", [LAUNCH, HOSTILE], ids=["crew12", "hostile"])
@pytest.mark.parametrize("locale", LOCALES)
def test_every_launch_notice_fits_discord_and_pings_only_the_role(
    notice: LaunchNotice, launch: WatchedLaunch, locale: str
) -> None:
    notice = dataclasses.replace(
        notice, launch=dataclasses.replace(launch, planned_net=notice.launch.planned_net)
    )
    message = render_launch_notice(notice, lang_for(locale))
    body = message.to_dict()
    if notice.role_id is not None:
        assert body["content"] == f"<@&{notice.role_id}>"
        assert body["allowed_mentions"] == {"parse": [], "roles": [notice.role_id]}
        body = _without_role(body)
    assert_within_discord_limits(body)


def test_the_last_reminder_links_the_webcast_and_an_out_of_date_one_strikes_its_time() -> None:
    embed = render_launch_notice(REMINDER, ENGLISH).embeds[0]
    assert embed.title == "⏰ Falcon 9 Block 5 \\| Crew-12 launches in 1 hour"
    assert f"NET <t:{int(NET)}:F>" in (embed.description or "")
    assert [field.value for field in embed.fields] == ["Go for launch", f"[Webcast]({WEBCAST})"]
    moved = dataclasses.replace(LAUNCH, planned_net=NET + 86_400)
    stale = render_launch_notice(dataclasses.replace(REMINDER, launch=moved), ENGLISH).embeds[0]
    assert stale.title == "⏰ Falcon 9 Block 5 \\| Crew-12: this reminder is out of date"
    assert stale.description is not None
    assert stale.description.startswith(f"~~<t:{int(NET)}:F>~~ → now NET <t:{int(NET) + 86_400}:F>")
    assert [field.name for field in stale.fields] == ["Status"]  # no webcast for a stale time
    held = dataclasses.replace(LAUNCH, status_id=LaunchStatus.HOLD.value)
    on_hold = render_launch_notice(dataclasses.replace(REMINDER, launch=held), ENGLISH).embeds[0]
    assert "→ on hold" in (on_hold.description or "")
    up = dataclasses.replace(LAUNCH, status_id=LaunchStatus.SUCCESS.value, planned_net=NET + 600)
    launched = render_launch_notice(dataclasses.replace(REMINDER, launch=up), lang_for("ru"))
    when = f"<t:{int(NET)}:F> (<t:{int(NET)}:R>)"
    assert launched.embeds[0].description == f"~~<t:{int(NET)}:F>~~ → Успешный запуск · {when}"


def test_alerts_status_shows_the_reminder_times_and_whether_they_ping() -> None:
    status = AlertStatus(
        channel_id=2001,
        role_id=3001,
        event_types=frozenset({EventType.LANDING}),
        ping_types=frozenset({EventType.LANDING}),
        since=NOW,
        paused_reason=None,
        sent=0,
        reminders=frozenset({86_400, 3_600, 600}),
        pinged_reminders=True,
    )
    english = render_alert_status(status, EVENTS_OFF, "en-US", ENGLISH)
    fields = {f.name: f.value for f in english.embeds[0].fields}
    assert fields["Reminders"] == "24 h, 1 h, and 10 min before each crewed launch, and its changes"
    assert fields["Mentions the role for"] == "landings and reminders"
    without = dataclasses.replace(status, reminders=frozenset(), pinged_reminders=False)
    shown = render_alert_status(without, EVENTS_OFF, "en-US", ENGLISH).embeds[0].fields
    assert "Reminders" not in {f.name for f in shown}
    german = render_alert_status(status, EVENTS_OFF, "en-US", lang_for("de"))
    fields = {f.name: f.value for f in german.embeds[0].fields}
    assert (
        fields["Erinnerungen"]
        == "24 h, 1 h und 10 min vor jedem bemannten Start, dazu seine Änderungen"
    )
    assert fields["Erwähnt die Rolle bei"] == "Landungen und Erinnerungen"


def test_a_reminder_and_a_change_in_german_and_japanese() -> None:
    german = render_launch_notice(REMINDER, lang_for("de")).embeds[0]
    assert german.title == "⏰ Falcon 9 Block 5 \\| Crew-12 startet in 1 Stunde"
    assert [field.name for field in german.fields] == ["Status", "Ansehen"]
    assert german.fields[0].value == "Startfreigabe"
    scrub = LaunchNotice(
        LAUNCH,
        "change:1",
        None,
        NOW,
        change=LaunchChange(ChangeKind.SCRUB, NET, NET + 90_000, LaunchStatus.GO),
    )
    japanese = render_launch_notice(scrub, lang_for("ja")).embeds[0]
    assert japanese.title == "🛑 Falcon 9 Block 5 \\| Crew-12 は打ち上げ中止：新しい打ち上げ日時"
    assert "リマインダーは新しい日時に合わせて届きます。" in (japanese.description or "")
