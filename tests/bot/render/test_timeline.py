"""The mission timeline picture: what it shows, its size, hostile LL2 text, the cache."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image

from bot.ll2.models import SpacecraftFlight
from bot.render import timeline
from bot.render.flight import render_flight
from bot.render.timeline import (
    DESCRIPTION_LIMIT,
    MAX_LANES,
    WIDTH,
    build_timeline,
    describe,
    fit_text,
    timeline_attachment,
)
from tests.bot.render.data import (
    FLIGHT_219,
    FRESH,
    NOW,
    in_space,
    load,
    nulls_everywhere,
    three_dockings,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE_LIMIT = 150_000
HOSTILE = ("@everyone **x** <@1> 神舟 Ünïcödé \n\t 🚀 " * 300)[:10_000]


def flight(data: dict[str, Any]) -> SpacecraftFlight:
    return SpacecraftFlight.model_validate(data)


def picture(data: dict[str, Any], now: Any = NOW) -> Image.Image:
    png = timeline_attachment(flight(data), now).data
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) <= SIZE_LIMIT
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode in ("RGB", "P")
    assert "transparency" not in image.info, "opaque: it brings its own background"
    assert image.width == WIDTH and 200 <= image.height <= 600
    return image


def test_flight_219_launch_docking_landing() -> None:
    shown = build_timeline(flight(load(FLIGHT_219)), NOW)
    assert (shown.title, shown.crew, shown.headline) == (
        "Soyuz TMA-15",
        "3 crew",
        "Mission 187d 20h",
    )
    assert (shown.launch_label, shown.end_kind, shown.end_label) == (
        "27 May 2009",
        "landing",
        "1 Dec 2009",
    )
    [lane] = shown.lanes
    assert lane.where == "ISS · Zarya nadir"
    assert lane.when == "29 May - 1 Dec 2009 · 185d 15h"
    assert shown.notes == ()
    picture(load(FLIGHT_219))


def test_three_dockings_are_three_lanes() -> None:
    shown = build_timeline(flight(three_dockings()), NOW)
    assert [lane.where for lane in shown.lanes] == [
        "ISS · Zarya nadir",
        "ISS · Poisk zenith",
        "ISS · Rassvet nadir",
    ]
    assert shown.lanes[1].when == "2 Jul - 20 Oct 2009 · 109d 21h"
    assert picture(three_dockings()).height > picture(load(FLIGHT_219)).height


def test_a_flight_in_space_shows_now_and_the_time_so_far() -> None:
    shown = build_timeline(flight(in_space()), NOW)
    assert shown.end_kind == "now" and shown.end == NOW
    assert shown.headline == "In space 42d 5h so far"
    assert shown.end_label == "1 Jan 2025"
    assert shown.lanes[0].when == "since 21 Nov 2024 · 40d 5h so far"
    assert shown.lanes[0].open_end
    picture(in_space())


def test_now_counts_by_the_hour() -> None:
    data = flight(in_space())
    assert build_timeline(data, NOW + timedelta(minutes=59)) == build_timeline(data, NOW)
    assert build_timeline(data, NOW + timedelta(hours=1)) != build_timeline(data, NOW)


def test_a_flight_with_nulls_everywhere_says_what_is_not_known() -> None:
    shown = build_timeline(flight(nulls_everywhere()), NOW)
    assert (shown.title, shown.crew, shown.headline) == (
        "Flight 4242",
        "Crew not listed",
        "Dates not known yet",
    )
    assert (shown.launch_label, shown.end_label, shown.lanes) == ("date not known", "not known", ())
    picture(nulls_everywhere())


def test_no_docking_and_no_landing_recorded() -> None:
    data = load(FLIGHT_219) | {"docking_events": [], "mission_end": None, "landing": None}
    data["spacecraft"]["in_space"] = False
    shown = build_timeline(flight(data), NOW)
    assert shown.end_kind == "unknown" and shown.end_label == "not recorded"
    assert shown.headline == "Mission length not known"
    assert shown.notes == ("No docking recorded",)
    picture(data)


def test_a_planned_flight() -> None:
    data = load(FLIGHT_219) | {"docking_events": [], "mission_end": None, "landing": None}
    data["launch"]["net"] = (NOW + timedelta(days=30)).isoformat()
    shown = build_timeline(flight(data), NOW)
    assert shown.launch_label == "31 Jan 2025 (planned)"
    assert shown.headline == "Launch planned 31 Jan 2025"
    assert shown.end_label == "not launched yet" and shown.notes == ()
    picture(data)


def test_a_docking_without_times_or_departure() -> None:
    data = three_dockings()
    data["docking_events"][0] |= {"docking": None}
    data["docking_events"][2] |= {"departure": None}
    shown = build_timeline(flight(data), NOW)
    assert shown.lanes[0].when == "docking time unknown"
    assert shown.lanes[2].when == "from 20 Oct 2009 · undocking not recorded"
    picture(data)


def test_many_dockings_are_counted_not_drawn() -> None:
    data = three_dockings()
    data["docking_events"] = data["docking_events"] * 14
    shown = build_timeline(flight(data), NOW)
    assert len(shown.lanes) == MAX_LANES
    assert shown.notes == (f"… and {42 - MAX_LANES} more dockings",)
    picture(data)


def test_hostile_10k_names_are_cut_and_drawn() -> None:
    data = three_dockings()
    data["spacecraft"]["name"] = HOSTILE
    for event in data["docking_events"]:
        event["spacestation"]["name"] = HOSTILE
        event["docking_location"]["name"] = HOSTILE
    shown = build_timeline(flight(data), NOW)
    assert len(shown.title) <= 160 and shown.title.isascii()
    assert "\n" not in shown.title and "神" not in shown.title
    assert all(len(lane.where) <= 2 * 160 + 3 for lane in shown.lanes)
    picture(data)
    assert len(describe(shown)) <= DESCRIPTION_LIMIT


@pytest.mark.parametrize("width", [40, 300, 700])
def test_text_is_cut_to_its_room(width: int) -> None:
    cut = fit_text(HOSTILE.encode("ascii", "replace").decode(), 38, width)
    assert cut.endswith("…")
    assert timeline._font(38).getlength(cut) <= width


def test_the_attachment_names_itself_and_describes_the_picture() -> None:
    attachment = timeline_attachment(flight(load(FLIGHT_219)), NOW)
    assert attachment.filename == "timeline-219.png"
    assert attachment.url == "attachment://timeline-219.png"
    assert attachment.description == (
        "Mission timeline of Soyuz TMA-15 (3 crew). Mission 187d 20h. Launch: 27 May 2009. "
        "Docked to ISS · Zarya nadir: 29 May - 1 Dec 2009 · 185d 15h. Landing: 1 Dec 2009."
    )


def test_a_repeated_flight_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[timeline.Timeline] = []
    painter = timeline._Painter

    class Counting(painter):  # type: ignore[valid-type, misc]
        def __init__(self, shown: timeline.Timeline) -> None:
            drawn.append(shown)
            super().__init__(shown)

    monkeypatch.setattr(timeline, "_Painter", Counting)
    timeline.draw.cache_clear()
    same = flight(three_dockings())
    first = render_flight(same, FRESH, NOW)
    second = render_flight(flight(three_dockings()), FRESH, NOW + timedelta(hours=3))
    assert len(drawn) == 1, "the same document draws once, whenever it is shown"
    assert first.attachments == second.attachments
    changed = three_dockings()
    changed["docking_events"][0]["docking_location"]["name"] = "Zvezda aft"
    render_flight(flight(changed), FRESH, NOW)
    assert len(drawn) == 2, "a new document version is drawn again"
