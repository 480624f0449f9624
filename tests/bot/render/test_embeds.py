"""The shared embed pieces: the age notice of stale data, in the reader's language."""

from __future__ import annotations

from bot.render.embeds import stale_notice
from bot.render.lang import ENGLISH, lang_for
from tests.bot.render.data import FRESH, STALE


def test_stale_notice() -> None:
    assert stale_notice(FRESH, ENGLISH) is None
    notice = stale_notice(STALE, ENGLISH)
    assert notice == f"⚠️ Data from <t:{int(STALE.fetched_at.timestamp())}:R> — LL2 is rate-limiting"


def test_stale_notice_in_german_keeps_the_timestamp_for_discord() -> None:
    notice = stale_notice(STALE, lang_for("de"))
    when = f"<t:{int(STALE.fetched_at.timestamp())}:R>"
    assert notice == f"⚠️ Daten von {when} — LL2 drosselt gerade die Anfragen"
