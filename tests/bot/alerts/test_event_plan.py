"""The scheduled-event planner on Crew-12's recording: which launches get an event, when
it moves, when it goes, and never two for one launch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.alerts.event_plan import (
    EventPolicy,
    EventSpec,
    Step,
    event_spec,
    plan,
    wanted,
)
from bot.alerts.outcomes import OwnEvent
from bot.ll2.launches import UpcomingLaunch
from bot.render.event import EventWording
from bot.render.lang import ENGLISH, lang_for
from storage.events import EventRecord, RecordState
from tests.stubs.ll2.convert import UPCOMING_CREW12_GO, load_fixture

NET = datetime(2026, 2, 11, 11, 1, 4, tzinfo=UTC)  # Crew-12's recorded NET
NOW = NET - timedelta(days=2)
GUILD = 1_576_535_697_735_680_000
POLICY = EventPolicy()
EN = EventWording(ENGLISH)
GO, TBD, HOLD, TBC = 1, 2, 5, 8


def launch(launch_id: str = "crew-12", *, net: datetime = NET, **changes: Any) -> UpcomingLaunch:
    data = load_fixture(UPCOMING_CREW12_GO) | {"id": launch_id, "net": net.isoformat()}
    return UpcomingLaunch.model_validate(data | changes)


def status(status_id: int) -> dict[str, Any]:
    return {"status": {"id": status_id, "name": str(status_id)}}


def day_precision() -> dict[str, Any]:
    return {"net_precision": {"id": 5, "name": "Day"}}


def same(event: OwnEvent, name: str, start: datetime) -> bool:
    return event.name == name and event.start == start


def own(event_id: int, spec: EventSpec, *, active: bool = False) -> OwnEvent:
    return OwnEvent(event_id, spec.name, spec.start, spec.end, spec.locations[0], active)


def record(spec: EventSpec, event_id: int | None, state: RecordState) -> EventRecord:
    return EventRecord(
        GUILD, spec.launch_id, event_id, spec.name, spec.start.timestamp(), spec.digest, state
    )


def steps(actions: list[Any]) -> list[tuple[Step, str]]:
    return [(action.step, action.launch_id) for action in actions]


def test_only_a_firm_go_or_tbc_time_inside_the_horizon_gets_an_event() -> None:
    launches = [
        launch("go"),
        launch("tbc", **status(TBC)),
        launch("tbd", **status(TBD)),
        launch("day", **day_precision()),
        launch("far", net=NOW + timedelta(days=15)),
        launch("past", net=NOW - timedelta(minutes=1)),
    ]
    assert [spec.launch_id for spec in wanted(launches, NOW, POLICY, EN)] == ["go", "tbc"]


def test_soonest_first_and_at_most_the_limit() -> None:
    launches = [launch(str(n), net=NET + timedelta(hours=n)) for n in (5, 1, 3, 2, 4)]
    chosen = wanted(launches, NOW, EventPolicy(limit=3), EN)
    assert [spec.launch_id for spec in chosen] == ["1", "2", "3"]
    assert len(wanted(launches * 30, NOW, EventPolicy(limit=10**6), EN)) <= 100


def test_an_event_says_status_spacecraft_and_crew_and_links_the_webcast() -> None:
    spec = event_spec(launch(), EN)
    assert spec.name == "Crew-12 launch"
    assert (spec.start, spec.end) == (NET, NET + timedelta(hours=1))
    assert "Status: Go for launch" in spec.description
    assert "Jessica Meir, Jack Hathaway, Sophie Adenot, and Andrei Fedyaev" in spec.description
    assert spec.locations[0] == "https://www.youtube.com/watch?v=zCM-Kwq91cc"
    no_video = event_spec(launch(vidURLs=[]), EN)
    assert no_video.locations == (
        "https://ll.thespacedevs.com/2.2.0/launch/862b54e3-7bf8-48e5-8cd1-d77257d5fde9/",
    )


def test_an_event_is_worded_in_the_servers_language_and_edited_when_it_changes() -> None:
    german = event_spec(launch(), EventWording(lang_for("de")))
    assert german.name == "Start von Crew-12"
    assert "Status: Startfreigabe" in german.description
    assert "Jessica Meir, Jack Hathaway, Sophie Adenot und Andrei Fedyaev" in german.description
    russian = event_spec(launch(), EventWording(lang_for("ru")))
    assert russian.name == "Запуск Crew-12"
    assert "Статус: Готов к запуску" in russian.description
    assert (german.nowhere, russian.nowhere) == ("Online", "Онлайн")
    english = event_spec(launch(), EN)
    made = record(english, 7, RecordState.OPEN)
    actions = plan([german], ["crew-12"], [made], [own(7, english)], NOW, same)
    assert [(a.step, a.spec) for a in actions] == [(Step.EDIT, german)]


def test_created_then_moved_when_net_moves_then_deleted_when_tbd() -> None:
    first = wanted([launch()], NOW, POLICY, EN)
    assert steps(plan(first, ["crew-12"], [], [], NOW, same)) == [(Step.CREATE, "crew-12")]
    made = record(first[0], 7, RecordState.OPEN)
    assert plan(first, ["crew-12"], [made], [own(7, first[0])], NOW, same) == []
    moved = wanted([launch(net=NET + timedelta(hours=23.6))], NOW, POLICY, EN)
    actions = plan(moved, ["crew-12"], [made], [own(7, first[0])], NOW, same)
    assert [(a.step, a.event_id, a.spec) for a in actions] == [(Step.EDIT, 7, moved[0])]
    tbd = wanted([launch(**status(TBD))], NOW, POLICY, EN)
    assert steps(plan(tbd, ["crew-12"], [made], [own(7, first[0])], NOW, same)) == [
        (Step.DELETE, "crew-12")
    ]


def test_a_hold_keeps_an_event_and_moves_it_but_makes_none() -> None:
    spec = event_spec(launch(), EN)
    made = record(spec, 7, RecordState.OPEN)
    held = wanted([launch(**status(HOLD))], NOW, POLICY, EN)
    actions = plan(held, ["crew-12"], [made], [own(7, spec)], NOW, same)
    assert steps(actions) == [(Step.EDIT, "crew-12")]
    assert actions[0].spec is not None and "Status: Hold" in actions[0].spec.description
    assert plan(held, ["crew-12"], [], [], NOW, same) == []


def test_a_started_event_is_left_to_discord_and_a_new_net_after_it_ends_gets_a_new_one() -> None:
    spec = event_spec(launch(), EN)
    made = record(spec, 7, RecordState.OPEN)
    after = NET + timedelta(minutes=10)
    scrubbed = wanted([launch(net=NET + timedelta(hours=23.6))], after, POLICY, EN)
    assert plan(scrubbed, ["crew-12"], [made], [own(7, spec, active=True)], after, same) == []
    ended = NET + timedelta(hours=2)
    actions = plan(scrubbed, ["crew-12"], [made], [], ended, same)
    assert steps(actions) == [(Step.CLOSE, "crew-12"), (Step.CREATE, "crew-12")]


def test_an_event_deleted_by_someone_before_it_started_is_not_made_again() -> None:
    spec = event_spec(launch(), EN)
    made = record(spec, 7, RecordState.OPEN)
    specs = wanted([launch()], NOW, POLICY, EN)
    assert steps(plan(specs, ["crew-12"], [made], [], NOW, same)) == [(Step.REMOVE, "crew-12")]
    removed = record(spec, 7, RecordState.REMOVED)
    assert plan(specs, ["crew-12"], [removed], [], NOW, same) == []
    assert steps(plan([], [], [removed], [], NOW, same)) == [(Step.FORGET, "crew-12")]


def test_a_crash_between_create_and_record_adopts_the_event_instead_of_a_second() -> None:
    specs = wanted([launch()], NOW, POLICY, EN)
    creating = record(specs[0], None, RecordState.CREATING)
    actions = plan(specs, ["crew-12"], [creating], [own(9, specs[0])], NOW, same)
    assert [(a.step, a.event_id) for a in actions] == [(Step.ADOPT, 9)]
    # No record at all (a lost database row): an own event with the name and start is adopted.
    actions = plan(specs, ["crew-12"], [], [own(9, specs[0])], NOW, same)
    assert [(a.step, a.event_id) for a in actions] == [(Step.ADOPT, 9)]
    # Never created after all: create it now.
    actions = plan(specs, ["crew-12"], [creating], [], NOW, same)
    assert steps(actions) == [(Step.CREATE, "crew-12")]


def test_a_sooner_launch_past_the_limit_pushes_the_latest_event_out() -> None:
    late = event_spec(launch("late", net=NET + timedelta(days=3)), EN)
    made = record(late, 7, RecordState.OPEN)
    launches = [launch("late", net=NET + timedelta(days=3)), launch("soon")]
    specs = wanted(launches, NOW, EventPolicy(limit=1), EN)
    actions = plan(specs, ["late", "soon"], [made], [own(7, late)], NOW, same)
    assert steps(actions) == [(Step.DELETE, "late"), (Step.CREATE, "soon")]
