"""LL2 data through the cache: fresh when possible, stale with its age when not.

`load` is the one path every read takes: the cached document if it is still
fresh; else one upstream request shared by every concurrent caller; else, when
LL2 cannot answer, the cached copy marked stale with the reason. Every fresh
answer is stored and fed to the search index.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, ValidationError

from bot.ll2.api import Endpoints, Request, Resource
from bot.ll2.budget import Priority
from bot.ll2.client import MIN_ATTEMPT_SECONDS, LL2Client, NotFound, Unavailable
from bot.ll2.fairness import NOTHING_SENT, Asker, OverShare, Shares
from bot.ll2.freshness import Fetched, Freshness, StaleReason
from bot.ll2.indexing import astronaut_entity, flight_entities, flights_entities
from bot.ll2.launches import UpcomingLaunch
from bot.ll2.lru import LRU
from bot.ll2.models import (
    Astronaut,
    DockingEvent,
    Page,
    SpacecraftFlight,
    SpacecraftFlightSummary,
    SpacecraftInSpace,
)
from bot.ll2.policy import (
    IN_SPACE_LIST_TTL,
    LIST_KEEP,
    LIST_TTL,
    NOT_FOUND_TTL,
    UPCOMING_TTL,
    astronaut_ttl,
    flight_ttl,
)
from bot.ll2.singleflight import SingleFlight
from bot.metrics import Metrics
from storage.database import StorageError
from storage.documents import MISSING_PREFIX, Document, DocumentCache
from storage.index import Entity, SearchIndex
from storage.leases import LeaseStore

log = logging.getLogger(__name__)

CLAIM_SECONDS = 30.0
"""A claim on fetching a document lasts this long: past it, the holder is taken for dead."""
FETCH_LEASE = "fetch:"
"""A process about to ask LL2 for a document claims the lease `fetch:<key>`: another
process missing the same document waits for that answer instead of asking too."""
CLAIM_WAIT_SECONDS = 5.0
"""How long a process waits for another's fetch of the same document before its own."""
_CLAIM_POLL_SECONDS = 0.1

PARSED_CACHE_SIZE = 192
"""Parsed documents kept in memory with their fetch time (an `LRU`): right while the
database's copy has that fetch time, so a copy is parsed again only once a newer one is
read. One still fresh is served
without asking SQLite: another process can only have written a newer copy since, which a
fresh one does not need; past its freshness SQLite is asked again, and a newer copy is
found there. The `write_stamp`, when given, makes SQLite asked sooner."""

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A parsed document, its fetch time, and the `write_stamp` when it was last known
    to be the database's copy."""

    fetched_at: float
    value: BaseModel
    stamp: Hashable


@dataclass(frozen=True, slots=True)
class Kind(Generic[M]):
    """How to read one kind of document: its model, freshness and index entries."""

    model: type[M]
    ttl: Callable[[M, datetime], timedelta]
    entities: Callable[[M, datetime], Iterable[Entity]]
    item_key: Callable[[Endpoints, dict[str, Any]], str | None] | None = None
    """For list pages: the document key a list item can stand in for, when it is
    complete (a `mode=detailed` item is the detail), so one page fills the cache."""


def _flight_item(endpoints: Endpoints, item: dict[str, Any]) -> str | None:
    complete = "launch_crew" in item and isinstance(item.get("id"), int)
    return endpoints.flight(item["id"]).key if complete else None


def _astronaut_item(endpoints: Endpoints, item: dict[str, Any]) -> str | None:
    complete = "flights" in item and isinstance(item.get("id"), int)
    return endpoints.astronaut(item["id"]).key if complete else None


FLIGHT = Kind(SpacecraftFlight, flight_ttl, flight_entities)
FLIGHT_PAGE = Kind(
    Page[SpacecraftFlightSummary],
    lambda _page, _now: LIST_TTL,
    lambda page, now: flights_entities(page.results, now),
    _flight_item,
)
ASTRONAUT = Kind(Astronaut, astronaut_ttl, lambda astronaut, _now: [astronaut_entity(astronaut)])


def _astronauts_entities(page: Page[Astronaut], _now: datetime) -> list[Entity]:
    return [astronaut_entity(astronaut) for astronaut in page.results]


ASTRONAUT_PAGE = Kind(
    Page[Astronaut], lambda _page, _now: LIST_TTL, _astronauts_entities, _astronaut_item
)
IN_SPACE_PAGE = Kind(Page[Astronaut], lambda _page, _now: IN_SPACE_LIST_TTL, _astronauts_entities)
SPACECRAFT_PAGE = Kind(
    Page[SpacecraftInSpace],
    lambda _page, _now: IN_SPACE_LIST_TTL,
    lambda page, now: flights_entities(
        [flight for craft in page.results for flight in craft.flights], now
    ),
)
DOCKING_PAGE = Kind(Page[DockingEvent], lambda _page, _now: IN_SPACE_LIST_TTL, lambda _p, _n: [])
UPCOMING_PAGE = Kind(Page[UpcomingLaunch], lambda _page, _now: UPCOMING_TTL, lambda _p, _n: [])


class LL2Repository:
    def __init__(
        self,
        client: LL2Client,
        endpoints: Endpoints,
        cache: DocumentCache,
        index: SearchIndex,
        clock: Callable[[], float] = time.time,
        *,
        leases: LeaseStore,
        shares: Shares | None = None,
        write_stamp: Callable[[], Hashable] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        """`leases`: where fetches are claimed, so that a fleet asks LL2 once per
        document. `write_stamp`: a cheap stamp of the database, different once anyone wrote to it
        (no I/O through the database): while it stays the same, a fresh parsed copy
        is certainly still the database's. Without it, a fresh one is trusted anyway."""
        self._client = client
        self._shares = shares
        self.endpoints = endpoints
        self._cache = cache
        self._leases = leases
        self.index = index
        self._clock = clock
        self._shared_fetches: SingleFlight[Fetched[Any]] = SingleFlight()
        self._parsed: LRU[str, _Parsed] = LRU(PARSED_CACHE_SIZE)
        self._write_stamp = write_stamp
        self._metrics = metrics or Metrics()

    async def close(self) -> None:
        """Stop fetches still under way; nothing is written after this returns."""
        await self._shared_fetches.close()

    async def flight(
        self,
        flight_id: int,
        priority: Priority,
        *,
        asker: Asker | None = None,
        fetched_after: float | None = None,
        allow_stale: bool = True,
    ) -> Fetched[SpacecraftFlight]:
        request = self.endpoints.flight(flight_id)
        return await self.load(
            request,
            FLIGHT,
            priority,
            asker=asker,
            fetched_after=fetched_after,
            allow_stale=allow_stale,
        )

    async def astronauts_in_space(
        self,
        priority: Priority,
        *,
        asker: Asker | None = None,
        fetched_after: float | None = None,
        allow_stale: bool = True,
    ) -> Fetched[Page[Astronaut]]:
        """Who is in space: `/inspace` takes any fresh copy; the alert poll asks for one
        fetched after the poll began (its interval is the rate). One document, so every
        poll keeps `/inspace`'s answer fresh, and the two share a fetch under way."""
        request = self.endpoints.astronauts(in_space=True)
        return await self.load(
            request,
            IN_SPACE_PAGE,
            priority,
            asker=asker,
            fetched_after=fetched_after,
            allow_stale=allow_stale,
        )

    async def spacecraft_in_space(self, priority: Priority) -> Fetched[Page[SpacecraftInSpace]]:
        """Every spacecraft in space with its flights (LL2 2.3.0), asked of LL2 now."""
        request = self.endpoints.spacecraft_in_space()
        return await self.load(
            request, SPACECRAFT_PAGE, priority, fetched_after=self._clock(), allow_stale=False
        )

    async def recent_dockings(self, priority: Priority) -> Fetched[Page[DockingEvent]]:
        """The latest docking events, asked of LL2 now."""
        request = self.endpoints.recent_dockings()
        return await self.load(
            request, DOCKING_PAGE, priority, fetched_after=self._clock(), allow_stale=False
        )

    async def upcoming_launches(
        self,
        priority: Priority,
        *,
        asker: Asker | None = None,
        fetched_after: float | None = None,
        allow_stale: bool = True,
    ) -> Fetched[Page[UpcomingLaunch]]:
        """The next crewed launches (one page, soonest first), fresh for `UPCOMING_TTL`;
        `fetched_after` (UNIX time) asks for a copy newer than that (a poll before a
        reminder), and without `allow_stale` LL2's failure is raised, not an old copy."""
        request = self.endpoints.upcoming_crewed_launches()
        return await self.load(
            request,
            UPCOMING_PAGE,
            priority,
            asker=asker,
            fetched_after=fetched_after,
            allow_stale=allow_stale,
        )

    async def cached_flight(self, flight_id: int) -> tuple[Fetched[SpacecraftFlight], bool] | None:
        """The cached copy of a flight, however old, without asking LL2, and whether it
        is still fresh; None if there is none."""
        return await self._cached(self.endpoints.flight(flight_id), FLIGHT)

    async def cached_astronauts_in_space(self) -> tuple[Fetched[Page[Astronaut]], bool] | None:
        """The copy of who is in space the alert poll (or `/inspace`) last fetched,
        without asking LL2, and whether it is still fresh; None if there is none."""
        return await self._cached(self.endpoints.astronauts(in_space=True), IN_SPACE_PAGE)

    async def cached_upcoming(self) -> tuple[Fetched[Page[UpcomingLaunch]], bool] | None:
        """The cached copy of the upcoming crewed launches, however old, without asking
        LL2 (whoever fetched it last: a command, the launch watch), and whether it is
        still fresh; None if there is none."""
        return await self._cached(self.endpoints.upcoming_crewed_launches(), UPCOMING_PAGE)

    async def _cached(self, request: Request, kind: Kind[M]) -> tuple[Fetched[M], bool] | None:
        stamp = self._stamp()
        document = await self._cache.get(request.key)
        if document is None:
            return None
        value = self._parsed_copy(kind, request, document, stamp)
        if value is None:
            return None
        fetched_at = datetime.fromtimestamp(document.fetched_at, UTC)
        fresh = self._fresh(kind, value, document.fetched_at, None)
        return Fetched(value, Freshness(fetched_at, from_cache=True)), fresh

    async def flight_list(
        self,
        spacecraft_id: int | None,
        offset: int,
        priority: Priority,
        *,
        asker: Asker | None = None,
    ) -> Fetched[Page[SpacecraftFlightSummary]]:
        request = self.endpoints.flights(spacecraft_id=spacecraft_id, offset=offset)
        return await self.load(request, FLIGHT_PAGE, priority, asker=asker)

    async def astronaut(
        self, astronaut_id: int, priority: Priority, *, asker: Asker | None = None
    ) -> Fetched[Astronaut]:
        request = self.endpoints.astronaut(astronaut_id)
        return await self.load(request, ASTRONAUT, priority, asker=asker)

    async def astronaut_search(
        self, text: str, priority: Priority, *, asker: Asker | None = None
    ) -> Fetched[Page[Astronaut]]:
        request = self.endpoints.astronauts(search=text)
        return await self.load(request, ASTRONAUT_PAGE, priority, asker=asker)

    async def prune(self) -> int:
        """Delete the list pages fetched more than `LIST_KEEP` ago and the notes of 404s
        past `NOT_FOUND_TTL`, both keyed by what users typed; how many went. Details
        (one flight, one astronaut) are kept: their number is LL2's catalog."""
        now = self._clock()
        lists = [f"{kind.value}:" for kind in (Resource.FLIGHT_LIST, Resource.ASTRONAUT_LIST)]
        pruned = await self._cache.prune(lists, now - LIST_KEEP.total_seconds())
        missing = now - NOT_FOUND_TTL.total_seconds()
        return pruned + await self._cache.prune([MISSING_PREFIX], missing)

    async def load(
        self,
        request: Request,
        kind: Kind[M],
        priority: Priority,
        *,
        asker: Asker | None = None,
        fetched_after: float | None = None,
        allow_stale: bool = True,
    ) -> Fetched[M]:
        """The document for `request`; `fetched_after` (UNIX time) makes an older cached
        copy count as out of date whatever its kind's freshness says. Without
        `allow_stale`, an out-of-date copy is never served: LL2's failure is raised.
        A request to LL2 is charged to `asker`'s share, when there is an asker."""
        remembered = self._remembered(request, kind, fetched_after)
        if remembered is not None:  # the cache hit: nothing to wait for
            self._metrics.cache_lookup(request.resource, hit=True)
            return remembered
        deadline = self._client.deadline(priority)
        while True:
            # Keyed by the document alone, not by how fresh or how sure each caller needs
            # it: an answer LL2 gives after a caller began is newer than any `fetched_after`
            # that caller can ask for (a time it had seen), so the alert poll and `/inspace`
            # asking together cost one request. A joined answer that does not serve this
            # caller (an older cached copy, another asker's share used) is loaded again.
            running, started = self._shared_fetches.start(
                request.key,
                lambda: self._load(
                    request, kind, priority, asker, fetched_after, allow_stale, deadline
                ),
            )
            if started:
                return cast(Fetched[M], await asyncio.shield(running))
            joined = await self._joined(
                request, kind, running, fetched_after, allow_stale, deadline
            )
            if joined is not None:
                return joined

    async def _joined(
        self,
        request: Request,
        kind: Kind[M],
        running: asyncio.Task[Fetched[Any]],
        fetched_after: float | None,
        allow_stale: bool,
        deadline: float,
    ) -> Fetched[M] | None:
        """The answer of another caller's load of the same document, waited for until
        this caller's own `deadline`, if it serves this caller too; None: load again."""
        try:
            async with asyncio.timeout(max(0.0, self._client.seconds_left(deadline))):
                answer = cast(Fetched[M], await asyncio.shield(running))
        except OverShare:
            return None  # the other asker's share, not this caller's
        except TimeoutError:
            waited = Unavailable(StaleReason.UNREACHABLE, self._clock() + 60, "LL2 is slow")
            return await self._stale_copy(request, kind, waited, allow_stale)
        except Unavailable as error:
            return await self._stale_copy(request, kind, error, allow_stale)
        reason = answer.freshness.stale_reason
        if reason is not None:
            return answer if allow_stale and reason is not StaleReason.SHARE else None
        fetched_at = answer.freshness.fetched_at.timestamp()
        if answer.freshness.from_cache and not self._fresh(
            kind, answer.value, fetched_at, fetched_after
        ):
            return None
        return answer

    async def _stale_copy(
        self, request: Request, kind: Kind[M], error: Unavailable, allow_stale: bool
    ) -> Fetched[M]:
        """The cached copy, however old, marked stale with `error`'s reason; `error`
        itself when stale copies are not wanted or there is none."""
        if not allow_stale:
            raise error
        try:
            document = await self._cache.get(request.key)
        except StorageError:
            raise error from None
        value = None if document is None else self._parse(kind, document.body, request)
        if document is None or value is None:
            raise error
        return _stale(request, value, document, error)

    def _fresh(
        self, kind: Kind[M], value: M, fetched_at: float, fetched_after: float | None
    ) -> bool:
        now = datetime.fromtimestamp(self._clock(), UTC)
        if fetched_after is not None and fetched_at <= fetched_after:
            return False
        return now - datetime.fromtimestamp(fetched_at, UTC) < kind.ttl(value, now)

    def fresh_flight(self, flight_id: int) -> Fetched[SpacecraftFlight] | None:
        """The flight, if a fresh copy of it is parsed in memory: no I/O at all."""
        return self._remembered(self.endpoints.flight(flight_id), FLIGHT, None)

    def _stamp(self) -> Hashable:
        return self._write_stamp() if self._write_stamp is not None else None

    def _remembered(
        self, request: Request, kind: Kind[M], fetched_after: float | None
    ) -> Fetched[M] | None:
        """The parsed copy in memory, if still fresh and nobody wrote to the database
        since it was read from there (as far as the `write_stamp` can tell)."""
        entry = self._parsed.get(request.key)
        if entry is None or not isinstance(entry.value, kind.model) or entry.stamp != self._stamp():
            return None
        value = entry.value
        if not self._fresh(kind, value, entry.fetched_at, fetched_after):
            return None
        fetched_at = datetime.fromtimestamp(entry.fetched_at, UTC)
        return Fetched(value, Freshness(fetched_at, from_cache=True))

    def _parsed_copy(
        self, kind: Kind[M], request: Request, document: Document, stamp: Hashable
    ) -> M | None:
        """The document parsed: reused from memory when this exact copy (same fetch
        time) was parsed before, so a hot document is not parsed again per command.
        `stamp`: the `write_stamp` taken before `document` was read."""
        entry = self._parsed.get(request.key)
        if (
            entry is not None
            and entry.fetched_at == document.fetched_at
            and isinstance(entry.value, kind.model)
        ):
            self._remember(request.key, document.fetched_at, entry.value, stamp)
            return entry.value
        value = self._parse(kind, document.body, request)
        if value is not None:
            self._remember(request.key, document.fetched_at, value, stamp)
        return value

    def _remember(self, key: str, fetched_at: float, value: BaseModel, stamp: Hashable) -> None:
        self._parsed.put(key, _Parsed(fetched_at, value, stamp))

    async def _claim(self, request: Request, holder: str) -> float | None:
        """Claim the fetch for `holder` (one load); since when another holds it, if one
        does. A database that cannot be written makes LL2 unavailable here, as the budget
        slot the fetch needs would: a cached copy is then served with its age."""
        try:
            return await self._take(request, holder)
        except StorageError as error:
            retry_at = self._clock() + 60
            raise Unavailable(StaleReason.STORAGE, retry_at, str(error), retryable=False) from error

    async def _take(self, request: Request, holder: str) -> float | None:
        """None if `holder` holds the fetch's lease now, else since when another does."""
        name = FETCH_LEASE + request.key
        claim = await self._leases.claim(name, holder, self._clock(), CLAIM_SECONDS)
        return None if claim.held or claim.until is None else claim.until - CLAIM_SECONDS

    async def _release(self, request: Request, holder: str) -> None:
        """Give up `holder`'s claim, if it has one; a database in trouble lets it lapse."""
        with contextlib.suppress(StorageError):
            await self._leases.release(FETCH_LEASE + request.key, holder)

    async def _stored_since(
        self,
        request: Request,
        kind: Kind[M],
        seen: Document | None,
        fetched_after: float | None,
    ) -> Fetched[M] | None:
        """A fresh copy stored after `seen` (the copy this load started from), if any."""
        try:
            document = await self._cache.get(request.key)
        except StorageError:
            return None
        if document is None or (seen is not None and document.fetched_at <= seen.fetched_at):
            return None
        return self._usable(request, kind, document, fetched_after)

    def _usable(
        self, request: Request, kind: Kind[M], document: Document, fetched_after: float | None
    ) -> Fetched[M] | None:
        """A copy another process stored, as an answer, if it reads and is fresh enough."""
        value = self._parse(kind, document.body, request)
        if value is None or not self._fresh(kind, value, document.fetched_at, fetched_after):
            return None
        fetched_at = datetime.fromtimestamp(document.fetched_at, UTC)
        return Fetched(value, Freshness(fetched_at, from_cache=True))

    async def _answer_from_elsewhere(
        self,
        request: Request,
        kind: Kind[M],
        since: float,
        fetched_after: float | None,
        deadline: float,
        holder: str,
    ) -> Fetched[M] | None:
        """Wait (a few seconds at most, and never past the point where this load's own
        attempt would no longer fit before `deadline`) for another process's fetch of the
        same document, and answer with what it stored; None if it gave up or failed:
        fetch then."""
        spare = self._client.seconds_left(deadline) - MIN_ATTEMPT_SECONDS
        for _ in range(int(min(CLAIM_WAIT_SECONDS, spare) / _CLAIM_POLL_SECONDS)):
            await asyncio.sleep(_CLAIM_POLL_SECONDS)
            try:
                document = await self._cache.get(request.key)
                if document is not None and document.fetched_at >= since:
                    return self._usable(request, kind, document, fetched_after)
                if await self._take(request, holder) is None:
                    return None  # the other let go: ours to fetch now
            except StorageError:
                return None
        return None

    async def _load(
        self,
        request: Request,
        kind: Kind[M],
        priority: Priority,
        asker: Asker | None,
        fetched_after: float | None,
        allow_stale: bool,
        deadline: float,
    ) -> Fetched[M]:
        now = self._clock()
        stamp = self._stamp()
        document = await self._cache.get(request.key)
        cached: M | None = None
        if document is not None:
            cached = self._parsed_copy(kind, request, document, stamp)
            if cached is not None and self._fresh(kind, cached, document.fetched_at, fetched_after):
                self._metrics.cache_lookup(request.resource, hit=True)
                fetched_at = datetime.fromtimestamp(document.fetched_at, UTC)
                return Fetched(cached, Freshness(fetched_at, from_cache=True))
        self._metrics.cache_lookup(request.resource, hit=False)
        newer_than = max(fetched_after or 0.0, document.fetched_at if document else 0.0)
        if await self._known_missing(request, newer_than):
            raise NotFound(f"LL2 has no {request.resource.value} at {request.path}")
        holder = secrets.token_hex(8)
        claimed = False  # a claim could not even be asked for: nothing to give up
        try:
            elsewhere = await self._claim(request, holder)
            claimed = True
            if elsewhere is not None:
                answered = await self._answer_from_elsewhere(
                    request, kind, elsewhere, fetched_after, deadline, holder
                )
                if answered is not None:
                    return answered
            # Another process may have stored it since our miss, and let go of its claim
            # just before we took it.
            stored = await self._stored_since(request, kind, document, fetched_after)
            if stored is not None:
                await self._release(request, holder)
                return stored
            body = await self._fetch(request, priority, deadline, asker)
            value = self._parse(kind, body, request)
            if value is None:
                raise Unavailable(StaleReason.ERROR, now + 60, "unexpected shape")
        except NotFound:
            await self._store(Document(_missing_key(request), "", self._clock()))
            await self._release(request, holder)
            raise
        except Unavailable as error:
            if claimed:
                await self._release(request, holder)
            if cached is None or document is None or not allow_stale:
                raise
            return _stale(request, cached, document, error)
        fetched = self._clock()
        fetched_dt = datetime.fromtimestamp(fetched, UTC)
        # Stamped before storing: the next read checks this process's own write once. A
        # page of whole details (the catalog sync's) is not kept parsed: it is read for its
        # items, each stored as its own document, and a hundred details would crowd out
        # what commands are answered from.
        if not (_is_detailed(request) and kind.item_key is not None):
            self._remember(request.key, fetched, value, self._stamp())
        try:
            await self._cache.put(request.key, body, fetched)
            if kind.item_key is not None:
                item_key = partial(kind.item_key, self.endpoints)
                await self._cache.put_many(_item_documents(body, item_key, fetched))
            await self.index.upsert(kind.entities(value, fetched_dt), fetched)
            await self._release(request, holder)
        except StorageError:
            # The database has said what is wrong in the log; the answer is still good (the
            # claim, if it could not be given up, lapses by itself).
            log.debug("not cached: %s", request.key)
        return Fetched(value, Freshness(fetched_dt))

    async def _fetch(
        self, request: Request, priority: Priority, deadline: float, asker: Asker | None
    ) -> str:
        """LL2's answer, charged to the share of the command's asker, if any."""
        shares = self._shares
        charge = shares.take(asker) if shares is not None and asker is not None else None
        try:
            return await self._client.get(request, priority, deadline=deadline)
        except Unavailable as error:
            if shares is not None and charge is not None and error.reason in NOTHING_SENT:
                shares.give_back(charge)
            raise

    async def _known_missing(self, request: Request, newer_than: float) -> bool:
        """Whether LL2 answered 404 for `request` lately, after `newer_than`: asking
        again for the same missing id would cost a request for the same answer."""
        missing = await self._cache.get(_missing_key(request))
        if missing is None or missing.fetched_at <= newer_than:
            return False
        return self._clock() - missing.fetched_at < NOT_FOUND_TTL.total_seconds()

    async def _store(self, document: Document) -> None:
        try:
            await self._cache.put(document.key, document.body, document.fetched_at)
        except StorageError:
            log.debug("not cached: %s", document.key)

    @staticmethod
    def _parse(kind: Kind[M], body: str, request: Request) -> M | None:
        try:
            return kind.model.model_validate_json(body)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the top level"
            log.warning(
                "LL2 answer for %s has an unexpected shape: %d errors, first at %s: %s",
                request.key,
                error.error_count(),
                where,
                first["msg"],
            )
            return None


def _stale(request: Request, value: M, document: Document, error: Unavailable) -> Fetched[M]:
    """`document`'s `value` served because LL2 could not be asked, marked with why."""
    log.info("serving %s from cache: %s", request.key, error.reason.value)
    stale_at = datetime.fromtimestamp(document.fetched_at, UTC)
    return Fetched(value, Freshness(stale_at, stale_reason=error.reason, from_cache=True))


def _missing_key(request: Request) -> str:
    """The cache key under which LL2's 404 for `request` is remembered."""
    return MISSING_PREFIX + request.key


def _item_documents(
    body: str, item_key: Callable[[dict[str, Any]], str | None], fetched: float
) -> list[Document]:
    """The complete items of a list page, each as its own document."""
    results = json.loads(body).get("results") or []
    documents = []
    for item in results:
        key = item_key(item) if isinstance(item, dict) else None
        if key is not None:
            documents.append(Document(key, json.dumps(item, separators=(",", ":")), fetched))
    return documents


def _is_detailed(request: Request) -> bool:
    return ("mode", "detailed") in request.params
