"""`capcom preview` end to end: a separate process against the LL2 stand-in."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import _parser
from storage.alerts import AlertStore, TrackedFlight
from storage.sqlite import SqliteDatabase
from tests.paths import PROJECT_ROOT
from tests.stubs.ll2 import Catalog, LL2Stub

DOCKED = "<t:1243600980:f>"  # 2009-05-29 12:43 UTC
DEPARTED = "<t:1259639760:f>"  # 2009-12-01 03:56 UTC


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        value = json.loads(self.stdout)
        assert isinstance(value, dict)
        return value


@pytest.fixture
async def ll2() -> AsyncIterator[LL2Stub]:
    async with LL2Stub() as stub:
        yield stub


async def capcom(
    tmp_path: Path, base_url: str, *args: str, env: dict[str, str] | None = None
) -> Result:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LL2_", "DISCORD_"))}
    environment |= {
        "LL2_BASE_URL": base_url,
        "DATABASE_PATH": str(tmp_path / "capcom.db"),
        "PYTHONPATH": str(PROJECT_ROOT),
        "COLUMNS": "200",
    } | (env or {})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return Result(process.returncode, stdout.decode(), stderr.decode())


@pytest.mark.parametrize("version", ["2.2.0", "2.3.0"])
async def test_preview_flight_219_is_the_discord_message(
    tmp_path: Path, ll2: LL2Stub, version: str
) -> None:
    result = await capcom(tmp_path, ll2.base_url(version), "preview", "flight", "219", "--json")
    assert result.status == 0, result.stderr
    body = result.json()
    assert set(body) == {"content", "embeds", "components", "allowed_mentions", "attachments"}
    assert body["allowed_mentions"] == {"parse": []}
    [picture] = body["attachments"]
    assert picture["id"] == 0 and picture["filename"] == "timeline-219.png"
    assert 1_000 < picture["size"] <= 150_000
    assert picture["description"].startswith("Mission timeline of Soyuz TMA-15 (3 crew)")
    main, *cards = body["embeds"]
    assert main["image"] == {"url": "attachment://timeline-219.png"}
    fields = {field["name"]: field["value"] for field in main["fields"]}
    assert DOCKED in fields["Docking"] and DEPARTED in fields["Docking"]
    assert "International Space Station" in fields["Docking"]
    assert "Parachute Landing in Kazakhstan" in fields["Landing"]
    assert "187d 20h 42m" in fields["Mission end"]
    assert [card["title"] for card in cards] == [
        "Roman Romanenko",
        "Frank De Winne",
        "Robert Thirsk",
    ]
    assert all(card["thumbnail"]["url"].startswith("https://") for card in cards)
    select = body["components"][0]["components"][0]
    assert [option["value"] for option in select["options"]] == ["233", "91", "265"]


async def test_preview_png_writes_the_attached_picture(tmp_path: Path, ll2: LL2Stub) -> None:
    args = ("preview", "flight", "219", "--json", "--png", "timeline.png")
    result = await capcom(tmp_path, ll2.base_url(), *args)
    assert result.status == 0, result.stderr
    data = (tmp_path / "timeline.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) == result.json()["attachments"][0]["size"]
    unwritable = await capcom(tmp_path, ll2.base_url(), *args[:-1], "no/such/dir/t.png")
    assert unwritable.status == 1
    assert unwritable.stderr.startswith("capcom: cannot write no/such/dir/t.png")


async def test_a_second_preview_makes_no_upstream_request(tmp_path: Path, ll2: LL2Stub) -> None:
    first = await capcom(tmp_path, ll2.base_url(), "preview", "flight", "219", "--json")
    second = await capcom(tmp_path, ll2.base_url(), "preview", "flight", "219", "--json")
    assert first.status == second.status == 0
    assert ll2.upstream_count() == 1
    assert first.json()["embeds"] == second.json()["embeds"]


async def test_preview_crew_by_name_and_the_readable_form(tmp_path: Path, ll2: LL2Stub) -> None:
    await capcom(tmp_path, ll2.base_url(), "preview", "flight", "219")
    result = await capcom(tmp_path, ll2.base_url(), "preview", "crew", "de win")
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("Frank De Winne\n")
    assert "Agency: European Space Agency" in result.stdout


async def test_preview_in_a_readers_language(tmp_path: Path, ll2: LL2Stub) -> None:
    await capcom(tmp_path, ll2.base_url(), "preview", "flight", "219")
    result = await capcom(tmp_path, ll2.base_url(), "preview", "crew", "de win", "--locale", "de")
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("Frank De Winne\n")
    assert "Agentur: European Space Agency" in result.stdout


def test_preview_refuses_a_locale_without_a_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(["preview", "flight", "219", "--locale", "vi"])
    assert exited.value.code == 2
    assert "no catalog for 'vi'; known: en-US, de, es-ES" in capsys.readouterr().err


async def test_preview_flights_pages(tmp_path: Path) -> None:
    async with LL2Stub(Catalog.synthetic(flights=60, astronauts=120)) as stub:
        result = await capcom(
            tmp_path,
            stub.base_url(),
            "preview",
            "flights",
            "--spacecraft",
            "78",
            "--page",
            "2",
            "--json",
        )
        assert result.status == 0, result.stderr
        body = result.json()
        buttons = body["components"][0]["components"]
        assert [b["custom_id"] for b in buttons] == [
            "capcom:flights:78:1",
            "capcom:flights:78:3",
        ]
        assert "Page 2 of" in json.dumps(body["embeds"][0])
        again = await capcom(
            tmp_path, stub.base_url(), "preview", "flights", "--spacecraft", "78", "--page", "3"
        )
        assert again.status == 0
        assert stub.upstream_count() == 1  # one LL2 page of 100 serves every page of 10


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("preview", "flight", "999999"), "capcom: LL2 has no spacecraft flight with id 999999."),
        (("preview", "crew", "zzzz"), "capcom: No astronaut matches “zzzz”."),
    ],
)
async def test_a_failed_preview_is_one_line_and_status_1(
    tmp_path: Path, ll2: LL2Stub, args: tuple[str, ...], says: str
) -> None:
    result = await capcom(tmp_path, ll2.base_url(), *args)
    assert (result.status, result.stdout, result.stderr.strip()) == (1, "", says)


async def test_ll2_unreachable_with_nothing_cached(tmp_path: Path, ll2: LL2Stub) -> None:
    await ll2.stop_listening()
    result = await capcom(tmp_path, ll2.base_url(), "preview", "flight", "219")
    assert result.status == 1
    assert result.stderr.strip() == (
        "capcom: LL2 is unreachable and nothing is cached yet; try again in 60 seconds."
    )


async def test_alerts_dry_run_prints_each_recent_landing_once(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    catalog = Catalog.synthetic(flights=60, astronauts=120, now=now)
    landed = catalog.flights_in_space(crewed=True)[0]
    args = ("alerts", "poll", "--once", "--dry-run", "--json")
    budget = {"LL2_REQUESTS_PER_HOUR": "1000"}
    async with LL2Stub(catalog) as stub:
        first = await capcom(tmp_path, stub.base_url(), *args, env=budget)
        assert first.status == 0, first.stderr
        assert first.stdout == "" and "First poll" in first.stderr
        # What an earlier real poll recorded: this flight and its crew were up.
        crew = frozenset(m["astronaut"]["id"] for m in catalog.flights[landed]["launch_crew"])
        async with SqliteDatabase(tmp_path / "capcom.db") as db:
            up = TrackedFlight(
                landed, None, crewed=True, in_space=True, launched_at=None, crew=crew
            )
            await AlertStore(db).record([up], [], now.timestamp() - 3600)
        catalog.land_flight(landed, now - timedelta(minutes=30))
        result = await capcom(tmp_path, stub.base_url(), *args, env=budget)
        again = await capcom(tmp_path, stub.base_url(), *args, env=budget)
    assert result.status == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["flight_id"], line["kind"]) for line in lines] == [(landed, "landing")]
    assert lines[0]["guild_id"] is None and lines[0]["channel_id"] is None
    assert "has landed" in lines[0]["message"]["embeds"][0]["title"]
    assert lines[0]["message"]["allowed_mentions"] == {"parse": []}
    repeated = [json.loads(line) for line in again.stdout.splitlines()]
    assert [(line["flight_id"], line["kind"]) for line in repeated] == [(landed, "landing")]


async def test_sync_fills_the_index_with_a_summary(tmp_path: Path) -> None:
    async with LL2Stub(Catalog.synthetic(flights=150, astronauts=230)) as stub:
        env_budget = {"LL2_REQUESTS_PER_HOUR": "1000"}
        result = await capcom(tmp_path, stub.base_url(), "sync", env=env_budget)
        pages = stub.upstream_count()
    assert result.status == 0, result.stderr
    assert pages == 3 + 2
    assert "astronauts 0 → 230 (+230)" in result.stderr
    assert "flights 0 → 150 (+150)" in result.stderr
    assert "Catalog held: astronauts 230 of 230, flights 150 of 150" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "²"])
def test_preview_flights_refuses_what_is_no_spacecraft_id(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(["preview", "flights", "--spacecraft", value])
    assert exited.value.code == 2
    assert f"not a spacecraft id: {value!r}" in capsys.readouterr().err
