"""`render_terminal`: what `capcom preview` prints."""

from __future__ import annotations

from bot.ll2.models import SpacecraftFlight, SpacecraftFlightSummary
from bot.ll2.results import FlightPage
from bot.render.errors import render_error
from bot.render.flight import render_flight
from bot.render.flights import render_flight_list
from bot.render.lang import ENGLISH
from bot.render.terminal import render_terminal
from tests.bot.render.data import FLIGHT_186, FLIGHT_219, FRESH, NOW, load


def test_flight_219_in_the_terminal() -> None:
    flight = SpacecraftFlight.model_validate(load(FLIGHT_219))
    text = render_terminal(render_flight(flight, FRESH, NOW, ENGLISH))
    lines = text.splitlines()
    assert lines[0] == "Soyuz TMA-15"
    assert lines[1] == "<https://en.wikipedia.org/wiki/Soyuz_TMA>"
    assert "Launch: 2009-05-27 10:34 UTC (2009-05-27 10:34 UTC)" in lines
    assert (
        "Docking: International Space Station (Zarya nadir): docked 2009-05-29 12:43 UTC,"
        " departed 2009-12-01 03:56 UTC · 185d 15h 13m"
    ) in lines
    assert "Mission end: Ended 2009-12-01 07:17 UTC" in lines
    assert "    Duration: 187d 20h 42m" in lines
    assert "Flight 219 · Data: Launch Library 2 (The Space Devs) · 2024-12-31 23:00 UTC" in lines
    assert "[Open a crew member… ▾]" in lines
    assert "  • Roman Romanenko (233) — Commander" in lines
    assert "<t:" not in text
    assert "Image: attachment://timeline-219.png" in lines
    assert lines[-1].startswith("Attached: timeline-219.png (")
    assert "Mission timeline of Soyuz TMA-15 (3 crew)" in lines[-1]


def test_buttons_and_dates() -> None:
    page = FlightPage((SpacecraftFlightSummary.model_validate(load(FLIGHT_186)),), 1, 2, 2)
    text = render_terminal(render_flight_list(page, FRESH, NOW, ENGLISH))
    assert "[◀ Previous (disabled)] [Next ▶]" in text
    assert "**Space Shuttle Endeavour** (STS-123) · 2008-03-11 · landed 2008-03-27" in text


def test_escapes_removed_and_odd_tokens_kept() -> None:
    text = render_terminal(
        render_error("a \\*b\\* <t:99999999999999999:F> <t:0:t> <t:-1:D>", ENGLISH)
    )
    assert "a *b* <t:99999999999999999:F> 00:00 UTC 1969-12-31" in text
