"""Hostile LL2 text costs little to render: every string is cut to what can be shown
before discord.py's `escape_markdown` (whose regular expression is cubic on text such
as `[a](` repeated) ever sees it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import discord
import pytest

from bot.ll2.models import Astronaut, SpacecraftFlight
from bot.render.crew import render_crew
from bot.render.flight import render_flight
from bot.render.lang import ENGLISH
from bot.render.text import clean
from tests.bot.render.data import ASTRONAUT_545, FLIGHT_219, FRESH, NOW, load
from tests.bot.render.limits import assert_within_discord_limits

ESCAPED_AT_MOST = 1024
"""The longest text `escape_markdown` may be given (Discord's field value limit): about
10 ms of escaping at worst, where 10,000 characters of `[a](` took 9.4 s."""

LINKS = "[a](" * 2_500
BIG = "x" * 1_000_000


@pytest.fixture
def escaped() -> Iterator[list[int]]:
    """Fails a render the moment it asks to escape more than `ESCAPED_AT_MOST` characters
    (before the slow escape runs); yields the lengths it did escape."""
    real: Callable[..., str] = discord.utils.escape_markdown
    lengths: list[int] = []

    def bounded(text: str, **options: Any) -> str:
        assert len(text) <= ESCAPED_AT_MOST, f"{len(text)} characters sent to escape_markdown"
        lengths.append(len(text))
        return real(text, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(discord.utils, "escape_markdown", bounded)
        yield lengths


@pytest.mark.timeout(5)
@pytest.mark.parametrize("hostile", [LINKS, "A" * 6_000, BIG, "[" + "a" * 5_000 + "](" * 2_000])
def test_astronaut_facts_are_cut_before_escaping(escaped: list[int], hostile: str) -> None:
    data = load(ASTRONAUT_545)
    data.update(
        agency={"id": 1, "name": hostile, "abbrev": "X"},
        nationality=hostile,
        status={"id": 1, "name": hostile},
        bio=hostile,
        name=hostile,
    )
    message = render_crew(Astronaut.model_validate(data), FRESH, NOW, ENGLISH).to_dict()
    assert_within_discord_limits(message)
    assert escaped


@pytest.mark.timeout(5)
@pytest.mark.parametrize("hostile", [LINKS, BIG])
def test_crew_roles_and_flight_texts_are_cut_before_escaping(
    escaped: list[int], hostile: str
) -> None:
    data = load(FLIGHT_219)
    for member in data["launch_crew"]:
        member["role"] = {"id": 1, "role": hostile}
        member["astronaut"]["agency"] = {"id": 1, "name": hostile, "abbrev": "X"}
    data["destination"] = hostile
    data["launch"]["mission"]["description"] = hostile
    data["landing"]["description"] = hostile
    message = render_flight(SpacecraftFlight.model_validate(data), FRESH, NOW, ENGLISH).to_dict()
    assert_within_discord_limits(message)
    assert escaped


@pytest.mark.timeout(5)
def test_clean_cuts_a_megabyte_of_links(escaped: list[int]) -> None:
    text = clean("[a](" * 250_000)
    assert escaped == [ESCAPED_AT_MOST]
    assert len(text) <= 2 * ESCAPED_AT_MOST
    assert text.endswith("…")
