"""The composition root: one aiohttp session, one database, and what is built on them.

Shared by the bot (`capcom run`) and the command line (`capcom preview`, …), so
both use the same settings, database, budget and cache.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

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


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    service: SpaceService
    state: StateStore
    alerts: AlertService
    sync: CatalogSync


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
            client, Endpoints(settings.ll2_version), cache, index, shares=shares
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
            alerts=AlertService(repository, alert_store),
            sync=sync,
        )
        try:
            yield runtime
        finally:
            await repository.close()
