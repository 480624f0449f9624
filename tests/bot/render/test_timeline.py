"""The mission timeline picture: what it shows in each language, its size, hostile LL2
text, the fonts it is drawn in, the cache."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.ll2.models import SpacecraftFlight
from bot.render import timeline
from bot.render.flight import render_flight
from bot.render.lang import ENGLISH, Lang, catalogs, lang_for
from bot.render.timeline import (
    DESCRIPTION_LIMIT,
    MAX_LANES,
    WIDTH,
    build_timeline,
    choose_font,
    describe,
    draw,
    find_fonts,
    fit_text,
    fold_ascii,
    installed_fonts,
    load_font,
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
LANGUAGES = ["en-US", *catalogs()]
TO = "\u2009–\u2009"
"""Between the days of a range in English (CLDR: thin spaces round an en dash)."""
NAMES = {
    "Cyrillic": "Союз ТМА-15",
    "Chinese": "神舟十三号",
    "Japanese": "こうのとり",
    "Korean": "누리호",
    "accented": "Crew Dragon Résilience",
}


def flight(data: dict[str, Any]) -> SpacecraftFlight:
    return SpacecraftFlight.model_validate(data)


def named(name: str) -> dict[str, Any]:
    data = three_dockings()
    data["spacecraft"]["name"] = name
    return data


@pytest.fixture
def real_fonts() -> tuple[Path, ...]:
    """The machine's fonts, which must draw Cyrillic and CJK: on CI (which installs
    them) their absence fails, elsewhere it skips with what to install."""
    fonts = installed_fonts()
    if all(choose_font(text, fonts)[0] is not None for text in ("Союз", "神舟", "누리호")):
        return fonts
    reason = "no font for Cyrillic and CJK: apt-get install fonts-dejavu-core fonts-wqy-microhei"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def picture(data: dict[str, Any], now: Any = NOW, lang: Lang = ENGLISH) -> Image.Image:
    png = timeline_attachment(flight(data), now, lang).data
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) <= SIZE_LIMIT
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode in ("RGB", "P")
    assert "transparency" not in image.info, "opaque: it brings its own background"
    assert image.width == WIDTH and 200 <= image.height <= 600
    return image


def test_flight_219_launch_docking_landing() -> None:
    shown = build_timeline(flight(load(FLIGHT_219)), NOW, ENGLISH)
    assert (shown.title, shown.crew, shown.headline) == (
        "Soyuz TMA-15",
        "3 crew",
        "Mission 187d 20h",
    )
    assert (shown.launch_label, shown.end_kind, shown.end_label) == (
        "May 27, 2009",
        "landing",
        "Dec 1, 2009",
    )
    assert (shown.launch_caption, shown.end_caption) == ("LAUNCH", "LANDING")
    [lane] = shown.lanes
    assert lane.where == "ISS · Zarya nadir"
    assert lane.when == f"May 29{TO}Dec 1, 2009 · 185d 15h"
    assert shown.notes == ()
    picture(load(FLIGHT_219))


def test_three_dockings_are_three_lanes() -> None:
    shown = build_timeline(flight(three_dockings()), NOW, ENGLISH)
    assert [lane.where for lane in shown.lanes] == [
        "ISS · Zarya nadir",
        "ISS · Poisk zenith",
        "ISS · Rassvet nadir",
    ]
    assert shown.lanes[1].when == f"Jul 2{TO}Oct 20, 2009 · 109d 21h"
    assert picture(three_dockings()).height > picture(load(FLIGHT_219)).height


def test_a_flight_in_space_shows_now_and_the_time_so_far() -> None:
    shown = build_timeline(flight(in_space()), NOW, ENGLISH)
    assert shown.end_kind == "now" and shown.end == NOW
    assert shown.headline == "In space 42d 5h so far"
    assert (shown.end_caption, shown.end_label) == ("NOW", "Jan 1, 2025")
    assert shown.lanes[0].when == "since Nov 21, 2024 · 40d 5h so far"
    assert shown.lanes[0].open_end
    picture(in_space())


def test_now_counts_by_the_hour() -> None:
    data = flight(in_space())
    assert build_timeline(data, NOW + timedelta(minutes=59), ENGLISH) == build_timeline(
        data, NOW, ENGLISH
    )
    assert build_timeline(data, NOW + timedelta(hours=1), ENGLISH) != build_timeline(
        data, NOW, ENGLISH
    )


def test_a_flight_with_nulls_everywhere_says_what_is_not_known() -> None:
    shown = build_timeline(flight(nulls_everywhere()), NOW, ENGLISH)
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
    shown = build_timeline(flight(data), NOW, ENGLISH)
    assert shown.end_kind == "unknown" and shown.end_label == "not recorded"
    assert shown.headline == "Mission length not known"
    assert shown.notes == ("No docking recorded",)
    picture(data)


def test_a_planned_flight() -> None:
    data = load(FLIGHT_219) | {"docking_events": [], "mission_end": None, "landing": None}
    data["launch"]["net"] = (NOW + timedelta(days=30)).isoformat()
    shown = build_timeline(flight(data), NOW, ENGLISH)
    assert shown.launch_label == "Jan 31, 2025 (planned)"
    assert shown.headline == "Launch planned Jan 31, 2025"
    assert shown.end_label == "not launched yet" and shown.notes == ()
    picture(data)


def test_a_docking_without_times_or_departure() -> None:
    data = three_dockings()
    data["docking_events"][0] |= {"docking": None}
    data["docking_events"][2] |= {"departure": None}
    shown = build_timeline(flight(data), NOW, ENGLISH)
    assert shown.lanes[0].when == "docking time unknown"
    assert shown.lanes[2].when == "from Oct 20, 2009 · undocking not recorded"
    picture(data)


def test_many_dockings_are_counted_not_drawn() -> None:
    data = three_dockings()
    data["docking_events"] = data["docking_events"] * 14
    shown = build_timeline(flight(data), NOW, ENGLISH)
    assert len(shown.lanes) == MAX_LANES
    assert shown.notes == (f"… and {42 - MAX_LANES} more dockings",)
    picture(data)


@pytest.mark.parametrize("code", LANGUAGES)
def test_hostile_10k_names_are_cut_and_drawn_in_every_language(code: str) -> None:
    data = three_dockings()
    data["spacecraft"]["name"] = HOSTILE
    for event in data["docking_events"]:
        event["spacestation"]["name"] = HOSTILE
        event["docking_location"]["name"] = HOSTILE
    shown = build_timeline(flight(data), NOW, lang_for(code))
    assert len(shown.title) <= 160 and shown.title.startswith("@everyone **x** <@1> 神舟 Ünïcödé")
    assert "\n" not in shown.title and "\t" not in shown.title
    assert all(len(lane.where) <= 2 * 160 + 3 for lane in shown.lanes)
    picture(data, lang=lang_for(code))
    assert len(describe(shown, lang_for(code))) <= DESCRIPTION_LIMIT


@pytest.mark.parametrize("code", LANGUAGES)
def test_many_dockings_and_a_flight_in_space_fit_in_every_language(code: str) -> None:
    data = three_dockings()
    data["docking_events"] = data["docking_events"] * 14
    assert picture(data, lang=lang_for(code)).height > picture(load(FLIGHT_219)).height
    picture(in_space(), lang=lang_for(code))
    picture(nulls_everywhere(), lang=lang_for(code))


@pytest.mark.parametrize(
    ("code", "labels", "when", "alt"),
    [
        (
            "de",
            ("3 Crewmitglieder", "START", "27. Mai 2009", "LANDUNG", "1. Dez. 2009"),
            f"29. Mai{TO}1. Dez. 2009 · 185",
            "Missionsverlauf von Soyuz TMA-15 (3 Crewmitglieder). Missionsdauer 187",
        ),
        (
            "ja",
            ("クルー3名", "打ち上げ", "2009年5月27日", "帰還", "2009年12月1日"),
            "2009年5月29日～12月1日 · 185",
            "Soyuz TMA-15 のミッションタイムライン（クルー3名）。ミッション期間 187",
        ),
    ],
)
def test_flight_219_in_german_and_japanese(
    code: str, labels: tuple[str, ...], when: str, alt: str
) -> None:
    lang = lang_for(code)
    shown = build_timeline(flight(load(FLIGHT_219)), NOW, lang)
    assert labels == (
        shown.crew,
        shown.launch_caption,
        shown.launch_label,
        shown.end_caption,
        shown.end_label,
    )
    assert shown.lanes[0].when.startswith(when)
    assert describe(shown, lang).startswith(alt)
    assert describe(shown, lang).endswith(f"{labels[4]}{'。' if code == 'ja' else '.'}")


def test_notes_and_what_is_not_known_in_german_and_russian() -> None:
    german = lang_for("de")
    many = three_dockings()
    many["docking_events"] = many["docking_events"] * 3
    assert build_timeline(flight(many), NOW, german).notes == ("… und 5 weitere Andockvorgänge",)
    planned = build_timeline(flight(nulls_everywhere()), NOW, german)
    assert (planned.title, planned.headline) == ("Flug 4242", "Termine noch unbekannt")
    russian = build_timeline(flight(in_space()), NOW, lang_for("ru"))
    assert (russian.end_caption, russian.end_label) == ("СЕЙЧАС", "1 янв. 2025\u202fг.")
    assert russian.headline == "В космосе уже 42 д. 5 ч"
    assert russian.lanes[0].where.startswith("МКС · ")


def test_a_sentence_that_ends_with_a_full_stop_gets_no_second() -> None:
    alt = describe(build_timeline(flight(load(FLIGHT_219)), NOW, lang_for("ru")), lang_for("ru"))
    assert alt.endswith("Посадка: 1 дек. 2009\u202fг.") and ".." not in alt


@pytest.mark.parametrize("width", [40, 300, 700])
def test_text_is_cut_to_its_room(width: int) -> None:
    font = load_font(None, 38)
    cut = fit_text(fold_ascii(HOSTILE), font, width)
    assert cut.endswith("…")
    assert font.getlength(cut) <= width


def test_fonts_are_found_by_name_in_the_folders_given(tmp_path: Path) -> None:
    assert find_fonts([tmp_path]) == ()
    assert find_fonts([tmp_path / "missing"]) == ()
    (tmp_path / "truetype" / "wqy").mkdir(parents=True)
    (tmp_path / "truetype" / "dejavu").mkdir(parents=True)
    cjk = tmp_path / "truetype" / "wqy" / "wqy-microhei.ttc"
    latin = tmp_path / "truetype" / "dejavu" / "DejaVuSans.ttf"
    for path in (cjk, latin, tmp_path / "truetype" / "dejavu" / "DejaVuSerif.ttf"):
        path.write_bytes(b"")
    assert find_fonts([tmp_path]) == (latin, cjk), "in the order of preference, others left"


@pytest.mark.parametrize("script", NAMES)
def test_names_are_drawn_as_written_with_the_fonts_installed(
    script: str, real_fonts: tuple[Path, ...]
) -> None:
    name = NAMES[script]
    path, shown = choose_font(name, real_fonts)
    assert path is not None and shown == name
    written = build_timeline(flight(named(name)), NOW, ENGLISH)
    folded = build_timeline(flight(named(fold_ascii(name))), NOW, ENGLISH)
    assert written.title == name
    assert draw(written, real_fonts) != draw(folded, real_fonts), "not drawn as folded text"


def test_each_text_gets_the_first_font_that_has_all_of_it(real_fonts: tuple[Path, ...]) -> None:
    latin, _ = choose_font("Résilience", real_fonts)
    cyrillic, _ = choose_font("Союз", real_fonts)
    chinese, _ = choose_font("神舟 Союз Résilience", real_fonts)
    assert latin == cyrillic == real_fonts[0], "one font for Latin and Cyrillic"
    assert chinese is not None and chinese != latin, "a CJK font for the text with Chinese"
    assert choose_font("🚀 Союз", real_fonts) == (latin, "? Союз"), "no font has the emoji"
    assert choose_font("神舟 🚀", real_fonts) == (chinese, "神舟 ?")


@pytest.mark.parametrize("code", ["en-US", "ru", "ja"])
def test_without_fonts_the_picture_is_drawn_in_folded_ascii(code: str) -> None:
    shown = build_timeline(flight(named(NAMES["Cyrillic"])), NOW, lang_for(code))
    assert choose_font(shown.title, ()) == (None, "???? ???-15")
    png = draw(shown, ())
    image = Image.open(io.BytesIO(png))
    assert image.width == WIDTH and 200 <= image.height <= 600
    as_folded = build_timeline(flight(named("???? ???-15")), NOW, lang_for(code))
    assert png == draw(as_folded, ()), "the name is drawn as its ASCII folding"


def test_the_attachment_names_itself_and_describes_the_picture() -> None:
    attachment = timeline_attachment(flight(load(FLIGHT_219)), NOW, ENGLISH)
    assert attachment.filename == "timeline-219.png"
    assert attachment.url == "attachment://timeline-219.png"
    assert attachment.description == (
        "Mission timeline of Soyuz TMA-15 (3 crew). Mission 187d 20h. Launch: May 27, 2009. "
        f"Docked to ISS · Zarya nadir: May 29{TO}Dec 1, 2009 · 185d 15h. Landing: Dec 1, 2009."
    )


def test_a_repeated_flight_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[timeline.Timeline] = []
    painter = timeline._Painter

    class Counting(painter):  # type: ignore[valid-type, misc]
        def __init__(self, shown: timeline.Timeline, fonts: tuple[Path, ...]) -> None:
            drawn.append(shown)
            super().__init__(shown, fonts)

    monkeypatch.setattr(timeline, "_Painter", Counting)
    timeline.draw.cache_clear()
    same = flight(three_dockings())
    first = render_flight(same, FRESH, NOW, ENGLISH)
    second = render_flight(flight(three_dockings()), FRESH, NOW + timedelta(hours=3), ENGLISH)
    assert len(drawn) == 1, "the same document draws once, whenever it is shown"
    assert first.attachments == second.attachments
    changed = three_dockings()
    changed["docking_events"][0]["docking_location"]["name"] = "Zvezda aft"
    render_flight(flight(changed), FRESH, NOW, ENGLISH)
    assert len(drawn) == 2, "a new document version is drawn again"
    german = timeline_attachment(same, NOW, lang_for("de"))
    assert len(drawn) == 3, "another language is another picture"
    assert german.data != first.attachments[0].data
    assert timeline_attachment(same, NOW, lang_for("de")) == german
    assert len(drawn) == 3, "the same language again draws nothing"
