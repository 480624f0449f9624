"""Page-button and crew-select custom_ids: built, parsed, and usable as a DynamicItem template."""

from __future__ import annotations

import re

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.custom_ids import (
    CREW_SELECT_CUSTOM_ID,
    FLIGHTS_PAGE_PATTERN,
    disabled_flights_page_custom_id,
    flights_page_custom_id,
    parse_flights_page_custom_id,
)


def test_format() -> None:
    assert flights_page_custom_id(None, 2) == "capcom:flights:0:2"
    assert flights_page_custom_id(78, 3) == "capcom:flights:78:3"
    assert disabled_flights_page_custom_id(78, 1, "prev") == "capcom:flights:78:1:prev-disabled"
    assert CREW_SELECT_CUSTOM_ID == "capcom:crew:select"


@given(st.one_of(st.none(), st.integers(1, 10**12 - 1)), st.integers(1, 10**6 - 1))
@settings(max_examples=50, derandomize=True)
def test_round_trip(spacecraft: int | None, page: int) -> None:
    custom_id = flights_page_custom_id(spacecraft, page)
    assert len(custom_id) <= 100
    assert re.fullmatch(FLIGHTS_PAGE_PATTERN, custom_id)
    assert parse_flights_page_custom_id(custom_id) == (spacecraft, page)
    disabled = disabled_flights_page_custom_id(spacecraft, page, "next")
    assert disabled != custom_id
    assert parse_flights_page_custom_id(disabled) == (spacecraft, page)


@pytest.mark.parametrize(
    "custom_id",
    [
        "",
        "capcom:flights:x:1",
        "capcom:flights:1:0",
        "capcom:flights:1:2:extra",
        "capcom:crew:select",
    ],
)
def test_parse_rejects_other_ids(custom_id: str) -> None:
    assert parse_flights_page_custom_id(custom_id) is None


@pytest.mark.parametrize(("spacecraft", "page"), [(0, 1), (-1, 1), (1, 0), (None, 10**6)])
def test_out_of_range_ids_are_refused(spacecraft: int | None, page: int) -> None:
    with pytest.raises(ValueError):
        flights_page_custom_id(spacecraft, page)


def test_pattern_is_a_dynamic_item_template() -> None:
    class PageButton(
        discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=FLIGHTS_PAGE_PATTERN
    ):
        pass

    assert PageButton.__discord_ui_compiled_template__.fullmatch("capcom:flights:0:4")
    match = re.fullmatch(FLIGHTS_PAGE_PATTERN, "capcom:flights:12:4")
    assert match is not None
    assert (match["spacecraft"], match["page"]) == ("12", "4")
