"""A scheduled event's text fitted to Discord's limits (name, description, location)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.render.event import (
    EVENT_DESCRIPTION_LIMIT,
    EVENT_LOCATION_LIMIT,
    EVENT_NAME_LIMIT,
    FALLBACK_LOCATION,
    FALLBACK_NAME,
    event_draft,
)

START = datetime(2026, 3, 1, 12, tzinfo=UTC)
END = START + timedelta(hours=1)
WEBCAST = "https://www.youtube.com/watch?v=abc"


def test_short_text_is_kept() -> None:
    draft = event_draft("Crew-12", "To the ISS.", START, END, [WEBCAST, "https://ll2/page"])
    assert (draft.name, draft.description, draft.location) == ("Crew-12", "To the ISS.", WEBCAST)
    assert (draft.start, draft.end) == (START, END)


def test_long_text_is_cut_to_discords_limits() -> None:
    draft = event_draft("Crew " * 100, "word " * 1000, START, END, ["x" * 500])
    assert len(draft.name) <= EVENT_NAME_LIMIT and draft.name.endswith("…")
    assert draft.description is not None and len(draft.description) <= EVENT_DESCRIPTION_LIMIT
    assert len(draft.location) <= EVENT_LOCATION_LIMIT


def test_a_link_too_long_gives_way_to_one_that_fits() -> None:
    long_link = "https://example.com/" + "a" * 100
    draft = event_draft("Crew-12", None, START, END, [long_link, None, "", WEBCAST])
    assert draft.location == WEBCAST


def test_empty_text_falls_back_and_never_pings() -> None:
    draft = event_draft(" \n ", "", START, END, [None, " "])
    assert (draft.name, draft.description, draft.location) == (
        FALLBACK_NAME,
        None,
        FALLBACK_LOCATION,
    )
    loud = event_draft("@everyone\nCrew", "<@&123> go", START, END, ["@here"])
    assert "\n" not in loud.name
    for text in (loud.name, loud.description or "", loud.location):
        assert "@everyone" not in text and "<@&" not in text and "@here" not in text


def test_times_must_be_aware_and_in_order() -> None:
    with pytest.raises(ValueError, match="aware"):
        event_draft("Crew-12", None, START.replace(tzinfo=None), END, [WEBCAST])
    with pytest.raises(ValueError, match="after"):
        event_draft("Crew-12", None, END, START, [WEBCAST])
