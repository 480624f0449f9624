"""Who gets an alert: the one rule, and the reason the ledger notes when it says no."""

from __future__ import annotations

import dataclasses

import pytest

from bot.alert_kinds import AlertKind, EventType
from bot.alerts.detector import refusal, wants
from storage.alerts import FlightEvent, Subscription

NOW = 1_800_000_000.0
SUBSCRIBED = Subscription(guild_id=1, channel_id=2, role_id=None, subscribed_at=NOW - 3600)
LANDING = FlightEvent(
    flight_id=7, kind=AlertKind(EventType.LANDING), occurred_at=NOW - 600, detected_at=NOW - 60
)


@pytest.mark.parametrize(
    ("subscription", "event", "note"),
    [
        (SUBSCRIBED, LANDING, None),
        (None, LANDING, "subscription removed"),
        (
            dataclasses.replace(SUBSCRIBED, paused_reason="missing Send Messages"),
            LANDING,
            "missing Send Messages",
        ),
        (
            dataclasses.replace(SUBSCRIBED, event_types=frozenset({EventType.LAUNCH})),
            LANDING,
            "a kind this server no longer wants",
        ),
        (SUBSCRIBED, dataclasses.replace(LANDING, occurred_at=NOW - 25 * 3600), "older than 24 h"),
        (
            dataclasses.replace(SUBSCRIBED, subscribed_at=NOW - 30),
            LANDING,
            "learned of before this server subscribed",
        ),
    ],
)
def test_the_ledger_notes_the_rule_that_said_no(
    subscription: Subscription | None, event: FlightEvent, note: str | None
) -> None:
    assert refusal(subscription, event, NOW) == note
    if subscription is not None:
        assert wants(subscription, event, NOW) is (note is None)
