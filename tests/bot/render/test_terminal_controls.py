"""LL2 text never reaches the operator's terminal as control characters: an escape
sequence in a name could retitle the window, clear the screen or hide lines."""

from __future__ import annotations

import json
import unicodedata

from bot.ll2.models import SpacecraftFlight
from bot.render.flight import render_flight
from bot.render.lang import ENGLISH
from bot.render.terminal import render_terminal
from tests.bot.render.data import FLIGHT_219, FRESH, NOW, load

HOSTILE = "Soyuz\x1b]0;pwned\x07\x1b[2J\r\x9b31m\x7f\x00\x85 TMA-15"


def _hostile_flight() -> SpacecraftFlight:
    data = load(FLIGHT_219)
    data["destination"] = HOSTILE
    data["launch"]["mission"]["description"] = HOSTILE
    data["launch_crew"][0]["role"] = {"id": 1, "role": HOSTILE}
    return SpacecraftFlight.model_validate(data | {"name": HOSTILE})


def _controls(text: str) -> set[str]:
    return {ch for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n"}


def test_the_readable_preview_has_no_control_characters() -> None:
    text = render_terminal(render_flight(_hostile_flight(), FRESH, NOW, ENGLISH))
    assert _controls(text) == set()
    # The printable rest survives (a lone carriage return is read as a line break).
    assert "Soyuz]0;pwned[2J" in text and "31m TMA-15" in text


def test_the_json_preview_has_no_raw_control_characters() -> None:
    from bot.render.terminal import json_line

    message = render_flight(_hostile_flight(), FRESH, NOW, ENGLISH).to_dict()
    line = json_line(message)
    assert _controls(line) == set()
    assert json.loads(line) == message
