"""Leases on a real database: one holder at a time, taken over once expired."""

from __future__ import annotations

import asyncio

import pytest

from storage.database import Database
from storage.leases import Claim, LeaseStore
from tests.conftest import opened_together

pytestmark = pytest.mark.every_backend

NOW = 1_800_000_000.0


async def test_one_holder_until_it_expires_or_is_released(db: Database) -> None:
    leases = LeaseStore(db)
    assert (await leases.claim("background", "a", NOW, 60)).held
    assert not (await leases.claim("background", "b", NOW + 59, 60)).held
    assert (await leases.claim("background", "a", NOW + 59, 60)).held  # renewed: until NOW + 119
    assert not (await leases.claim("background", "b", NOW + 118, 60)).held
    assert (await leases.claim("background", "b", NOW + 119, 60)).held  # a stopped renewing
    assert not (await leases.claim("background", "a", NOW + 120, 60)).held
    assert await leases.claim("background", "a", NOW + 120, 60) == Claim(False, NOW + 179)
    await leases.release("background", "a")  # not a's to give up
    assert not (await leases.claim("background", "a", NOW + 121, 60)).held
    await leases.release("background", "b")
    assert (await leases.claim("background", "a", NOW + 122, 60)).held
    assert (await leases.claim("other", "b", NOW + 122, 60)).held  # another lease is another name


async def test_a_refused_claim_says_when_the_other_holder_s_lease_ends(db: Database) -> None:
    """What a process waiting for another's fetch of a document needs to know."""
    leases = LeaseStore(db)
    assert (await leases.claim("fetch:flight:219", "a", NOW, 30)).held
    assert await leases.claim("fetch:flight:219", "b", NOW + 5, 30) == Claim(False, NOW + 30)
    await leases.release("fetch:flight:219", "a")
    assert (await leases.claim("fetch:flight:219", "b", NOW + 6, 30)).held


async def test_processes_claiming_together_get_one_holder(database_url: str) -> None:
    async with opened_together(database_url, 4) as databases:
        claims = await asyncio.gather(
            *(
                LeaseStore(database).claim("background", f"process {n}", NOW, 60)
                for n, database in enumerate(databases)
            )
        )
    assert sorted(claim.held for claim in claims) == [False, False, False, True]
