"""The composition root: one aiohttp session, one database, and what is built on them.

Shared by the bot (`capcom run`) and the command line (`capcom preview`, …), so
both use the same settings, database, budget and cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import aiohttp

from bot.alerts.board import BoardService
from bot.alerts.detector import EventDetector
from bot.alerts.event_plan import EventPolicy
from bot.alerts.event_sync import EventSync
from bot.alerts.launch_watch import LaunchWatch, upcoming_from
from bot.alerts.reminders import Cadence
from bot.alerts.service import AlertService
from bot.catalog import CatalogSync
from bot.lease import BackgroundLease, lease_seconds
from bot.ll2.api import Endpoints
from bot.ll2.budget import Budget
from bot.ll2.client import LL2Client
from bot.ll2.fairness import Shares
from bot.ll2.repository import LL2Repository
from bot.metrics import Metrics
from bot.service import SpaceService
from bot.settings import Settings
from storage.alerts import AlertStore
from storage.boards import BoardStore
from storage.database import Database
from storage.documents import DocumentCache
from storage.events import EventStore
from storage.index import SearchIndex
from storage.launches import LaunchStore
from storage.leases import LeaseStore
from storage.open import open_database
from storage.state import StateStore
from storage.upstream import UpstreamLedger

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=5)
RECHECK_POLLS = 3
"""The alert poll's slower checks (dockings, an unconfirmed landing, looking for someone's
flight) run at most every third poll: once an hour at the default 20 minutes."""


Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    repository: LL2Repository
    budget: Budget
    service: SpaceService
    state: StateStore
    alerts: AlertService
    launches: LaunchWatch
    boards: BoardService
    catalog: CatalogSync
    events: EventSync
    lease: BackgroundLease
    database: Database
    metrics: Metrics


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    clock: Clock = time.time,
    sleep: Sleep = asyncio.sleep,
    session: aiohttp.ClientSession | None = None,
    db: Database | None = None,
    budget: Budget | None = None,
) -> AsyncIterator[Runtime]:
    """Everything Capcom runs on, built once. The bot and the command line pass only
    settings; tests and benchmarks hand in their clock (and the sleep that goes with
    it), an HTTP session, an open database or a budget on it (one that counts, say),
    and get the same object graph."""
    async with contextlib.AsyncExitStack() as stack:
        if db is None:
            db = await stack.enter_async_context(open_database(settings.database))
        if session is None:
            session = await stack.enter_async_context(aiohttp.ClientSession(timeout=HTTP_TIMEOUT))
        if budget is None:
            budget = Budget(UpstreamLedger(db), settings.ll2_requests_per_hour, clock)
        runtime = _build(settings, db, session, budget, clock, sleep)
        try:
            yield runtime
        finally:
            await runtime.repository.close()


async def _launches_read(events: EventStore, boards: BoardStore) -> bool:
    """Whether a server wants scheduled events or keeps a live board: both show the
    upcoming launches the launch watch fetches."""
    return bool(await events.active()) or bool(await boards.active())


def _build(
    settings: Settings,
    db: Database,
    session: aiohttp.ClientSession,
    budget: Budget,
    clock: Clock,
    sleep: Sleep,
) -> Runtime:
    api_key = settings.ll2_api_key.get_secret_value() if settings.ll2_api_key else None
    metrics = Metrics()
    metrics.count_database_errors(lambda: db.failures)
    client = LL2Client(
        session,
        settings.ll2_base_url,
        budget,
        api_key=api_key,
        clock=clock,
        sleep=sleep,
        metrics=metrics,
    )
    cache = DocumentCache(db)
    index = SearchIndex(db)
    shares = Shares(
        settings.user_share,
        settings.server_share,
        settings.ll2_requests_per_hour,
        clock,
    )
    # Cache hits check the SQLite files' stamp instead of asking SQLite. PostgreSQL has no
    # files to stat: there a parsed copy still fresh is trusted (see `LL2Repository`).
    write_stamp = db.write_stamp()
    endpoints = Endpoints(settings.ll2_version)
    leases = LeaseStore(db)
    repository = LL2Repository(
        client,
        endpoints,
        cache,
        index,
        clock,
        leases=leases,
        shares=shares,
        write_stamp=write_stamp,
        metrics=metrics,
    )
    state = StateStore(db)
    sync = CatalogSync(repository, state, index, budget, clock)
    alert_store = AlertStore(db)
    event_store = EventStore(db)
    board_store = BoardStore(db)
    service = SpaceService(
        repository,
        index,
        cache,
        budget,
        clock,
        catalog_complete=sync.complete,
        crewed_in_space=alert_store.crewed_in_space,
    )
    detector = EventDetector(
        repository,
        alert_store,
        clock,
        recheck_seconds=max(RECHECK_POLLS * settings.alert_poll_seconds, 1.0),
    )
    cadence = Cadence(
        far=settings.upcoming_poll_seconds,
        near=settings.upcoming_near_poll_seconds,
        near_window=settings.upcoming_near_seconds,
        lead=settings.upcoming_lead_seconds,
    )
    return Runtime(
        settings=settings,
        repository=repository,
        budget=budget,
        service=service,
        state=state,
        alerts=AlertService(repository, alert_store, clock, detector=detector),
        launches=LaunchWatch(
            upcoming_from(repository, clock, cadence),
            LaunchStore(db),
            alert_store,
            cadence,
            clock,
            readers=lambda: _launches_read(event_store, board_store),
        ),
        boards=BoardService(
            board_store,
            service,
            alert_store,
            clock,
            poll_seconds=settings.alert_poll_seconds,
            launches_stale_seconds=settings.alert_board_stale_seconds,
        ),
        catalog=sync,
        events=EventSync(
            repository,
            event_store,
            EventPolicy(timedelta(days=settings.events_horizon_days), settings.events_per_server),
            clock,
        ),
        lease=BackgroundLease(leases, lease_seconds(settings.alert_poll_seconds), clock),
        database=db,
        metrics=metrics,
    )
