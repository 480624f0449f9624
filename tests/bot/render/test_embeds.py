"""The shared embed pieces: the age notice of stale data."""

from __future__ import annotations

from bot.render.embeds import stale_notice
from tests.bot.render.data import FRESH, STALE


def test_stale_notice() -> None:
    assert stale_notice(FRESH) is None
    notice = stale_notice(STALE)
    assert notice == f"⚠️ Data from <t:{int(STALE.fetched_at.timestamp())}:R> — LL2 is rate-limiting"
