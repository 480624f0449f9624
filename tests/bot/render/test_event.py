"""A scheduled event's text fitted to Discord's limits (name, description, location)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.render.event import (
    EVENT_DESCRIPTION_LIMIT,
    EVENT_LOCATION_LIMIT,
    EVENT_NAME_LIMIT,
    EventWording,
    event_draft,
)
from bot.render.lang import lang_for

START = datetime(2026, 3, 1, 12, tzinfo=UTC)
END = START + timedelta(hours=1)
WEBCAST = "https://www.youtube.com/watch?v=abc"


def test_short_text_is_kept() -> None:
    draft = event_draft(
        "Crew-12", "To the ISS.", START, END, [WEBCAST, "https://ll2/page"], "Online"
    )
    assert (draft.name, draft.description, draft.location) == ("Crew-12", "To the ISS.", WEBCAST)
    assert (draft.start, draft.end) == (START, END)


def test_long_text_is_cut_to_discords_limits() -> None:
    draft = event_draft("Crew " * 100, "word " * 1000, START, END, ["x" * 500], "Online")
    assert len(draft.name) <= EVENT_NAME_LIMIT and draft.name.endswith("…")
    assert draft.description is not None and len(draft.description) <= EVENT_DESCRIPTION_LIMIT
    assert len(draft.location) <= EVENT_LOCATION_LIMIT


def test_a_link_too_long_gives_way_to_one_that_fits() -> None:
    long_link = "https://example.com/" + "a" * 100
    draft = event_draft("Crew-12", None, START, END, [long_link, None, "", WEBCAST], "Online")
    assert draft.location == WEBCAST


@pytest.mark.parametrize(
    ("locale", "online"),
    [("en-US", "Online"), ("de", "Online"), ("ja", "オンライン"), ("ru", "Онлайн")],
)
def test_an_event_without_a_link_is_online_in_the_servers_language(
    locale: str, online: str
) -> None:
    nowhere = EventWording(lang_for(locale)).nowhere()
    draft = event_draft("Crew-12", "", START, END, [None, " "], nowhere)
    assert (draft.name, draft.description, draft.location) == ("Crew-12", None, online)


def test_a_blank_name_is_refused_and_no_text_pings() -> None:
    with pytest.raises(ValueError, match="name"):
        event_draft(" \n ", None, START, END, [WEBCAST], "Online")
    loud = event_draft("@everyone\nCrew", "<@&123> go", START, END, ["@here"], "Online")
    assert "\n" not in loud.name
    for text in (loud.name, loud.description or "", loud.location):
        assert "@everyone" not in text and "<@&" not in text and "@here" not in text


def test_times_must_be_aware_and_in_order() -> None:
    with pytest.raises(ValueError, match="aware"):
        event_draft("Crew-12", None, START.replace(tzinfo=None), END, [WEBCAST], "Online")
    with pytest.raises(ValueError, match="after"):
        event_draft("Crew-12", None, END, START, [WEBCAST], "Online")
