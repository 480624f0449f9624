"""The scheduled-event store on a real database: a server's opt-in and pause, and the
record of which event Capcom keeps for which launch, with Discord's 64-bit ids."""

from __future__ import annotations

import dataclasses

import pytest

from storage.database import Database
from storage.events import EventRecord, EventSetting, EventStore, RecordState

pytestmark = pytest.mark.every_backend

NOW = 1_800_000_000.25
GUILD = 1_576_535_697_735_680_000
EVENT = 1_576_535_697_735_680_009


async def test_opting_in_pausing_and_turning_on_again_resumes(db: Database) -> None:
    store = EventStore(db)
    assert await store.setting(GUILD) is None
    await store.enable(GUILD, True, NOW)
    await store.enable(GUILD + 1, False, NOW)
    assert await store.active() == [EventSetting(GUILD, True)]
    await store.pause(GUILD, "Capcom lacks Create Events in Launch fans", NOW + 1)
    assert await store.active() == []
    paused = EventSetting(GUILD, True, "Capcom lacks Create Events in Launch fans")
    assert await store.setting(GUILD) == paused
    await store.enable(GUILD, True, NOW + 2)
    assert await store.active() == [EventSetting(GUILD, True)]


async def test_a_record_is_written_before_creating_and_replaced_once_made(db: Database) -> None:
    store = EventStore(db)
    creating = EventRecord(
        GUILD, "crew-12", None, "Crew-12 launch", NOW, "d1", RecordState.CREATING
    )
    await store.save(creating, NOW)
    assert await store.records(GUILD) == [creating]
    made = dataclasses.replace(creating, event_id=EVENT, state=RecordState.OPEN)
    await store.save(made, NOW + 1)
    later = EventRecord(
        GUILD, "crew-13", EVENT + 1, "Crew-13 launch", NOW + 9, "d2", RecordState.OPEN
    )
    await store.save(later, NOW + 1)
    assert await store.records(GUILD) == [made, later]
    assert await store.records(GUILD + 1) == []
    await store.forget(GUILD, ["crew-12"])
    assert await store.records(GUILD) == [later]
