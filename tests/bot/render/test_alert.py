"""Crew alerts as Discord gets them, in the server's language: within Discord's limits for
flight 219 and hostile variants of it (up to 60 crew, 10,000-character names) in every
language, and pinging only the chosen role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.alert_kinds import AlertKind, EventType
from bot.alerts.event_sync import EVENTS_OFF, EventsStatus
from bot.alerts.outcomes import Reason, ReasonKind
from bot.alerts.service import AlertStatus, Notice
from bot.ll2.freshness import Fetched
from bot.ll2.models import SpacecraftFlight
from bot.render.alert import (
    language_text,
    posting_lang,
    render_alert,
    render_alert_status,
    render_test_alert,
)
from bot.render.lang import ENGLISH, catalogs, lang_for
from tests.bot.render.data import FLIGHT_219, FRESH, NOW, hostile_flight, load
from tests.bot.render.limits import assert_within_discord_limits

LOCALES = ["en-US", *sorted(catalogs())]
ROLE = 3001


def notice(data: dict[str, Any], kind: EventType, role_id: int | None = None) -> Notice:
    flight = SpacecraftFlight.model_validate(data)
    docking = flight.docking_events[0].id if flight.docking_events else None
    alert_kind = AlertKind(
        kind, docking if kind in (EventType.DOCKING, EventType.UNDOCKING) else None
    )
    return Notice(Fetched(flight, FRESH), alert_kind, role_id, late=True, now=NOW)


def body(alert: Notice, locale: str) -> dict[str, Any]:
    """The alert's message body with the role's one allowed mention checked and taken out."""
    message = render_alert(alert, lang_for(locale)).to_dict()
    if alert.role_id is not None:
        assert message["content"] == f"<@&{alert.role_id}>"
        assert message["allowed_mentions"] == {"parse": [], "roles": [alert.role_id]}
        message = {**message, "content": None, "allowed_mentions": {"parse": []}}
    assert_within_discord_limits(message)
    return message


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    hostile_flight(),
    st.sampled_from(list(EventType)),
    st.sampled_from(LOCALES),
    st.sampled_from([None, ROLE]),
)
def test_hostile_alerts_fit_discord_in_every_language(
    data: dict[str, Any], kind: EventType, locale: str, role_id: int | None
) -> None:
    body(notice(data, kind, role_id), locale)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(EventType))
def test_a_twelve_person_crew_with_long_names_fits_in_every_language(
    locale: str, kind: EventType
) -> None:
    data = load(FLIGHT_219)
    member = data["launch_crew"][0]
    data["launch_crew"] = [
        {**member, "id": n, "astronaut": {**member["astronaut"], "id": 500 + n, "name": "Ж" * 200}}
        for n in range(12)
    ]
    data["name"] = "Soyuz " + "Ш" * 300
    message = body(notice(data, kind, ROLE), locale)
    assert len(message["embeds"]) == 10


def test_a_landing_in_german_and_a_docking_in_japanese() -> None:
    german = body(notice(load(FLIGHT_219), EventType.LANDING, ROLE), "de")["embeds"][0]
    assert german["title"] == "🪂 Soyuz TMA-15 ist gelandet"
    names = [field["name"] for field in german["fields"]]
    assert names == ["Landung", "Missionsdauer", "Andocken"]
    assert "⏰ Verspätete Meldung" in german["description"]
    assert "Crew: Roman Romanenko, Frank De Winne und Robert Thirsk" in german["description"]
    japanese = body(notice(load(FLIGHT_219), EventType.DOCKING), "ja")["embeds"][0]
    assert japanese["title"] == "🔗 Soyuz TMA-15 がドッキングしました"
    assert [field["name"] for field in japanese["fields"]] == ["ステーションとポート"]


def test_the_language_posted_in_is_the_picked_one_else_the_servers_else_english() -> None:
    assert posting_lang("ja", "de").code == "ja"
    assert posting_lang(None, "de").code == "de"
    assert posting_lang(None, "vi") is ENGLISH
    assert posting_lang(None, None) is ENGLISH
    german = lang_for("de")
    assert language_text("ja", "de", german) == "日本語, gewählt mit /alerts channel"
    assert language_text(None, "de", german) == "Deutsch, die Sprache des Servers"
    assert language_text(None, "vi", ENGLISH) == (
        "English: Capcom has no translation for the server's language (vi)"
    )
    assert language_text(None, "es-419", ENGLISH) == "Español, the server's language"
    assert language_text(None, "en-GB", ENGLISH) == (
        "English: Capcom has no translation for the server's language (en-GB)"
    )


def _status(paused_reason: Reason | None) -> AlertStatus:
    return AlertStatus(  # no role: the check refuses any mention, even a harmless one
        channel_id=2001,
        role_id=None,
        event_types=frozenset(EventType),
        ping_types=frozenset(EventType),
        since=NOW,
        paused_reason=paused_reason,
        sent=123_456,
        reminders=frozenset({86_400, 21_600, 3_600, 600}),
        pinged_reminders=True,
        language="ru",
    )


LACKING = Reason(ReasonKind.MISSING_PERMISSIONS, "<#2001>", ("Send Messages", "Embed Links"))
NO_EVENTS = Reason(ReasonKind.MISSING_PERMISSIONS, "Launch fans", ("Create Events",))


@pytest.mark.parametrize(
    ("locale", "alerts", "events"),
    [
        (
            "de",
            "Capcom fehlen Berechtigungen in <#2001>: Nachrichten senden und Links einbetten",
            "Capcom fehlen Berechtigungen in Launch fans: Events erstellen",
        ),
        (
            "ja",
            "Capcom には <#2001> での権限がありません: メッセージを送信、埋め込みリンク",
            "Capcom には Launch fans での権限がありません: イベントを作成",
        ),
    ],
)
def test_why_alerts_and_events_are_paused_reads_in_the_readers_language(
    locale: str, alerts: str, events: str
) -> None:
    paused = EventsStatus(enabled=True, paused_reason=NO_EVENTS)
    message = render_alert_status(_status(LACKING), paused, "en-US", lang_for(locale))
    fields = {field["value"].split("\n")[0] for field in message.to_dict()["embeds"][0]["fields"]}
    assert alerts in fields
    assert any(events in value for value in fields)
    assert "Send Messages" not in str(message.to_dict())


def test_a_pause_stored_in_english_before_reasons_had_kinds_is_shown_as_it_was() -> None:
    old = Reason(ReasonKind.TEXT, detail="Capcom lacks Send Messages in #launches")
    message = render_alert_status(_status(old), EVENTS_OFF, "de", lang_for("de")).to_dict()
    assert "Capcom lacks Send Messages in #launches" in str(message)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_status_and_the_sample_alert_fit_in_every_language(locale: str) -> None:
    lang = lang_for(locale)
    long_names = Reason(ReasonKind.MISSING_PERMISSIONS, "x" * 2000, ("View Channel",), "y" * 2000)
    old = EventsStatus(enabled=True, paused_reason=Reason(ReasonKind.TEXT, detail="y" * 2000))
    for status in (_status(long_names), _status(Reason(ReasonKind.TEXT, detail="x" * 5000))):
        for events in (EVENTS_OFF, old, EventsStatus(enabled=True, paused_reason=long_names)):
            message = render_alert_status(status, events, "vi", lang).to_dict()
            assert_within_discord_limits(message)
    sample = render_test_alert(None, NOW - timedelta(days=1), lang).to_dict()
    assert_within_discord_limits(sample)


@pytest.mark.parametrize(
    ("locale", "footer"),
    [("de", "Capcom-Testalarm · Daten: "), ("ru", "Тестовое оповещение Capcom · ")],
)
def test_the_sample_alerts_footer_reads_in_the_posting_language(locale: str, footer: str) -> None:
    sample = render_test_alert(None, NOW, lang_for(locale)).to_dict()
    assert sample["embeds"][0]["footer"]["text"].startswith(footer)
