"""`render_flight_list` on the list-shape fixtures (STS-123, STS-49) and hostile pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ll2.models import SpacecraftFlightSummary
from bot.ll2.results import FlightPage
from bot.render.custom_ids import flights_page_custom_id, parse_flights_page_custom_id
from bot.render.flights import render_flight_list
from bot.render.lang import ENGLISH, Lang, lang_for
from bot.render.text import More, more_marker
from tests.bot.render.data import FLIGHT_90, FLIGHT_186, FRESH, NAMES, NOW, READERS, STALE, load
from tests.bot.render.limits import assert_within_discord_limits


def summary(name: str, **changes: Any) -> SpacecraftFlightSummary:
    return SpacecraftFlightSummary.model_validate(load(name) | changes)


def render(page: FlightPage, lang: Lang = ENGLISH) -> dict[str, Any]:
    message = render_flight_list(page, FRESH, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    return message


def buttons(message: dict[str, Any]) -> list[tuple[str, str, bool]]:
    [row] = message["components"]
    return [(b["label"], b["custom_id"], b["disabled"]) for b in row["components"]]


def endeavour(page: int, pages: int, total: int) -> FlightPage:
    return FlightPage(
        flights=(summary(FLIGHT_186), summary(FLIGHT_90)),
        page=page,
        pages=pages,
        total=total,
        spacecraft_id=40,
        spacecraft_name="Space Shuttle Endeavour",
    )


@pytest.mark.parametrize(
    ("locale", "title", "landed", "footer", "labels"),
    [
        (
            "en-US",
            "Flights of Space Shuttle Endeavour",
            "landed",
            "Page 2 of 3 · 25 flights · Data: Launch Library 2 (The Space Devs)",
            ("◀ Previous", "Next ▶"),
        ),
        (
            "de",
            "Flüge von Space Shuttle Endeavour",
            "gelandet am",
            "Seite 2 von 3 · 25 Flüge · Daten: Launch Library 2 (The Space Devs)",
            ("◀ Zurück", "Weiter ▶"),
        ),
    ],
)
def test_one_line_per_flight(
    locale: str, title: str, landed: str, footer: str, labels: tuple[str, str]
) -> None:
    message = render(endeavour(2, 3, 25), lang_for(locale))
    [embed] = message["embeds"]
    assert embed["title"] == title
    assert embed["description"].splitlines() == [
        f"**Space Shuttle Endeavour** (STS-123) · <t:1205216894:D> · {landed} <t:1206578400:D>"
        " · `/flight 186`",
        f"**Space Shuttle Endeavour** (STS-49) · <t:705282000:D> · {landed} <t:706057020:D>"
        " · `/flight 90`",
    ]
    assert embed["footer"]["text"] == footer
    assert buttons(message) == [
        (labels[0], "capcom:flights:40:1", False),
        (labels[1], "capcom:flights:40:3", False),
    ]


def test_buttons_disabled_at_the_ends_with_distinct_ids() -> None:
    flights = (summary(FLIGHT_186),)
    first = buttons(render(FlightPage(flights, page=1, pages=2, total=2)))
    assert first == [
        ("◀ Previous", "capcom:flights:0:1:prev-disabled", True),
        ("Next ▶", flights_page_custom_id(None, 2), False),
    ]
    last = buttons(render(FlightPage(flights, page=2, pages=2, total=2)))
    assert last == [
        ("◀ Previous", flights_page_custom_id(None, 1), False),
        ("Next ▶", "capcom:flights:0:2:next-disabled", True),
    ]
    assert parse_flights_page_custom_id(first[1][1]) == (None, 2)


def test_single_page_has_no_buttons() -> None:
    message = render(FlightPage((summary(FLIGHT_186),), page=1, pages=1, total=1))
    assert message["components"] == []
    assert message["embeds"][0]["title"] == "Spacecraft flights"
    assert message["embeds"][0]["footer"]["text"].startswith("Page 1 of 1 · 1 flight ·")


def statuses() -> FlightPage:
    """One flight in space, one upcoming and one over without an end date."""
    in_space = summary(
        FLIGHT_186,
        id=1,
        mission_end=None,
        launch=load(FLIGHT_186)["launch"] | {"net": "2024-12-01T00:00:00Z"},
    )
    upcoming = summary(
        FLIGHT_186,
        id=2,
        mission_end=None,
        launch=load(FLIGHT_186)["launch"] | {"net": (NOW + timedelta(days=9)).isoformat()},
    )
    unknown_end = summary(
        FLIGHT_186,
        id=3,
        mission_end=None,
        spacecraft=load(FLIGHT_186)["spacecraft"] | {"in_space": False},
    )
    return FlightPage((in_space, upcoming, unknown_end), 1, 1, 3)


def test_status_in_space_and_upcoming() -> None:
    lines = render(statuses())["embeds"][0]["description"]
    first, second, third = lines.splitlines()
    assert " · in space · `/flight 1`" in first
    assert " · upcoming · `/flight 2`" in second
    assert " · ended, date unknown · `/flight 3`" in third


def test_empty_page_is_friendly() -> None:
    [embed] = render(FlightPage((), page=1, pages=0, total=0))["embeds"]
    assert embed["title"] == "No flights found"
    assert embed["description"] == "LL2 lists no flights for this search."


def test_stale_page_warns_first() -> None:
    page = FlightPage((summary(FLIGHT_186),), page=1, pages=1, total=1)
    [embed] = render_flight_list(page, STALE, NOW, ENGLISH).to_dict()["embeds"]
    assert embed["description"].startswith("⚠️ Data from <t:")


@pytest.mark.parametrize("locale", READERS)
@settings(max_examples=25, derandomize=True, deadline=None)
@given(name=NAMES, count=st.sampled_from([0, 1, 10, 100]), page=st.integers(1, 5))
def test_hostile_pages_stay_within_limits(locale: str, name: str, count: int, page: int) -> None:
    lang = lang_for(locale)
    data = load(FLIGHT_186)
    data["spacecraft"]["name"] = name
    data["launch"]["mission"]["name"] = name
    flights = tuple(SpacecraftFlightSummary.model_validate(data | {"id": n}) for n in range(count))
    message = render_flight_list(
        FlightPage(flights, page=page, pages=5, total=500, spacecraft_id=40, spacecraft_name=name),
        STALE,
        NOW,
        lang,
    ).to_dict()
    assert_within_discord_limits(message)
    description = message["embeds"][0]["description"]
    shown = description.count("`/flight ")
    if shown < count:
        assert description.endswith(more_marker(count - shown, lang, More.FLIGHTS))


def test_a_page_in_russian_counts_by_russian_plurals() -> None:
    footers = [
        render(endeavour(1, 2, total), lang_for("ru"))["embeds"][0]["footer"]["text"]
        for total in (21, 24, 25, 1234)
    ]
    assert [footer.split(" · Данные")[0] for footer in footers] == [
        "Страница 1 из 2 · 21 полёт",
        "Страница 1 из 2 · 24 полёта",
        "Страница 1 из 2 · 25 полётов",
        "Страница 1 из 2 · 1\xa0234 полёта",
    ]
    message = render(endeavour(1, 2, 2), lang_for("ru"))
    assert [label for label, _, _ in buttons(message)] == ["◀ Назад", "Далее ▶"]
    lines = render(statuses(), lang_for("ru"))["embeds"][0]["description"].splitlines()
    assert [line.split(" · ")[-2] for line in lines] == [
        "в космосе",
        "предстоит",
        "завершён, дата неизвестна",
    ]


def test_an_empty_page_in_japanese() -> None:
    [embed] = render(FlightPage((), page=1, pages=0, total=0), lang_for("ja"))["embeds"]
    assert embed["title"] == "フライトが見つかりません"
    assert embed["description"] == "この検索に該当するフライトは LL2 にありません。"
    assert embed["footer"]["text"].startswith("1/1ページ · フライト0件 · ")
    [beyond] = render(FlightPage((), page=7, pages=3, total=40), lang_for("ja"))["embeds"]
    assert beyond["description"] == "7ページにフライトはありません。"
