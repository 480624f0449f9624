"""What `/alerts channel` answers it set up, in the admin's language."""

from __future__ import annotations

from bot.alert_kinds import EventType
from bot.render.alert import offsets_words, subscribed_text
from bot.render.lang import ENGLISH, lang_for

LAUNCH_LANDING = frozenset({EventType.LAUNCH, EventType.LANDING})
CHANNEL = ("<#5>", "<@&7>")


def test_alerts_and_reminders_with_the_role_for_both() -> None:
    text = subscribed_text(
        LAUNCH_LANDING, frozenset({3600}), frozenset({EventType.LANDING}), True, CHANNEL, ENGLISH
    )
    assert text == (
        "Alerts for launches and landings will be posted in <#5>. Reminders 1 h before each"
        " crewed launch will be posted in <#5>. <@&7> will be mentioned for landings and"
        " reminders."
    )


def test_no_role_mentions_nobody() -> None:
    text = subscribed_text(
        LAUNCH_LANDING, frozenset(), LAUNCH_LANDING, False, ("<#5>", None), ENGLISH
    )
    assert text == "Alerts for launches and landings will be posted in <#5>."


def test_reminders_alone_in_german_name_the_event_types_in_german() -> None:
    german = lang_for("de")
    assert subscribed_text(frozenset(), frozenset({3600}), frozenset(), True, CHANNEL, german) == (
        "Erinnerungen 1 Std. vor jedem bemannten Start werden in <#5> gepostet."
        " <@&7> wird bei Erinnerungen erwähnt."
    )
    text = subscribed_text(LAUNCH_LANDING, frozenset(), LAUNCH_LANDING, False, CHANNEL, german)
    assert text == (
        "Alarme für Starts und Landungen werden in <#5> gepostet. <@&7> wird bei Starts und"
        " Landungen erwähnt."
    )


def test_reminder_times_are_listed_in_the_readers_language() -> None:
    times = frozenset({600, 86_400, 3_600})
    assert offsets_words(times, ENGLISH) == "24 h, 1 h, and 10 min"
    assert offsets_words(times, lang_for("ru")) == "24 ч, 1 ч и 10 мин"
    assert offsets_words(times, lang_for("ja")) == "24時間、1時間、10分"
