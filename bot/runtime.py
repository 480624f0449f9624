"""The composition root: one aiohttp session, one database, and what is built on them.

Shared by the bot (`capcom run`) and the command line (`capcom preview`, …), so
both use the same settings, database, budget and cache.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.alerts.detector import LandingDetector
from bot.alerts.service import AlertService
from bot.ll2.api import Endpoints
from bot.ll2.budget import Budget
from bot.ll2.client import LL2Client
from bot.ll2.fairness import Shares
from bot.ll2.repository import LL2Repository
from bot.service import SpaceService
from bot.settings import Settings
from bot.sync import CatalogSync
from storage.alerts import AlertStore
from storage.database import Database
from storage.documents import DocumentCache
from storage.flights import FlightListing
from storage.index import SearchIndex
from storage.state import StateStore
from storage.upstream import UpstreamLedger

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=5)
RECHECK_POLLS = 3
"""The alert poll's slower checks (dockings, an unconfirmed landing, looking for someone's
flight) run at most every third poll: once an hour at the default 20 minutes."""


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    service: SpaceService
    state: StateStore
    alerts: AlertService
    sync: CatalogSync


def database_changes(path: Path) -> Callable[[], Hashable]:
    """A stamp of the SQLite files, different once any process wrote to them: in WAL mode
    a commit grows or rewrites the `-wal` file, a checkpoint the database file. Two
    `stat` calls, no query: a cache hit compares it instead of reading SQLite."""
    files = (path, path.with_name(path.name + "-wal"))

    def stamp() -> Hashable:
        seen: list[tuple[int, int, int] | None] = []
        for file in files:
            try:
                status = os.stat(file)
            except OSError:
                seen.append(None)
            else:
                seen.append((status.st_ino, status.st_size, status.st_mtime_ns))
        return tuple(seen)

    return stamp


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with (
        Database(settings.database_path) as db,
        aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session,
    ):
        budget = Budget(UpstreamLedger(db), settings.ll2_requests_per_hour)
        api_key = settings.ll2_api_key.get_secret_value() if settings.ll2_api_key else None
        client = LL2Client(session, settings.ll2_base_url, budget, api_key=api_key)
        cache = DocumentCache(db)
        index = SearchIndex(db)
        shares = Shares(
            settings.ll2_user_requests_per_hour,
            settings.ll2_server_requests_per_hour,
            settings.ll2_requests_per_hour,
        )
        repository = LL2Repository(
            client,
            Endpoints(settings.ll2_version),
            cache,
            index,
            shares=shares,
            changes=database_changes(settings.database_path),
        )
        state = StateStore(db)
        sync = CatalogSync(repository, state, index, budget)
        alert_store = AlertStore(db)
        service = SpaceService(
            repository,
            index,
            cache,
            budget,
            listing=FlightListing(db),
            catalog_complete=sync.complete,
            crewed_flights=alert_store.crewed_in_space,
        )
        runtime = Runtime(
            settings=settings,
            service=service,
            state=state,
            alerts=AlertService(
                repository,
                alert_store,
                detector=LandingDetector(
                    repository,
                    alert_store,
                    recheck_seconds=max(RECHECK_POLLS * settings.alert_poll_seconds, 1.0),
                ),
            ),
            sync=sync,
        )
        try:
            yield runtime
        finally:
            await repository.close()
