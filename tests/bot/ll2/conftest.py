"""A real repository (client, budget, cache, index on a SQLite file) against the LL2 stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass

import aiohttp
import pytest

from bot.ll2.api import Endpoints
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import LL2Client
from bot.ll2.fairness import Shares
from bot.ll2.repository import LL2Repository
from storage.database import Database
from storage.documents import DocumentCache
from storage.index import SearchIndex
from storage.leases import LeaseStore
from storage.upstream import UpstreamLedger
from tests.conftest import FakeClock
from tests.stubs.ll2 import LL2Stub


async def _no_sleep(_: float) -> None:
    return None


@dataclass
class DataPath:
    repository: LL2Repository
    budget: Budget
    index: SearchIndex
    clock: FakeClock


@pytest.fixture
async def ll2() -> AsyncIterator[LL2Stub]:
    async with LL2Stub() as stub:
        yield stub


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


DataPathFactory = Callable[..., DataPath]


@pytest.fixture
def data_path(
    db: Database, ll2: LL2Stub, session: aiohttp.ClientSession, clock: FakeClock
) -> DataPathFactory:
    def build(
        version: str = "2.2.0",
        per_hour: int = 15,
        timeout: float = 10.0,
        shares: Shares | None = None,
        write_stamp: Callable[[], Hashable] | None = None,
        deadlines: dict[Priority, float] | None = None,
    ) -> DataPath:
        budget = Budget(UpstreamLedger(db), per_hour, clock)
        client = LL2Client(
            session,
            ll2.base_url(version),
            budget,
            clock=clock,
            sleep=_no_sleep,
            request_timeout=timeout,
            deadlines=deadlines,
        )
        index = SearchIndex(db)
        repository = LL2Repository(
            client,
            Endpoints(version),
            DocumentCache(db),
            index,
            clock,
            leases=LeaseStore(db),
            shares=shares,
            write_stamp=write_stamp,
        )
        return DataPath(repository, budget, index, clock)

    return build
