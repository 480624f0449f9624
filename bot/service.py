"""What the commands ask for, answered from the index and the LL2 repository.

Knows nothing of Discord: the cogs and `capcom preview` both call it.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.ll2.api import LIST_LIMIT
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import NotFound, Unavailable
from bot.ll2.fairness import Asker
from bot.ll2.freshness import Fetched
from bot.ll2.launches import UpcomingLaunch, upcoming_order
from bot.ll2.models import Astronaut, Page, SpacecraftFlight, same_launch
from bot.ll2.repository import LL2Repository
from bot.ll2.results import CraftCrew, FlightPage, Status
from storage.alerts import TrackedFlight
from storage.documents import DocumentCache
from storage.index import Entity, EntityKind, SearchIndex

PAGE_SIZE = 10
AUTOCOMPLETE_LIMIT = 25


@dataclass(frozen=True, slots=True)
class _LocalPage:
    page: Fetched[FlightPage]
    fresh: bool


class UnknownQuery(Exception):
    """The user's text names nothing Capcom or LL2 knows: the user's input, not LL2's
    failure. Its text is the answer the user sees: `message`, English with `{name}`
    placeholders for `values`, is the id a renderer translates it by."""

    def __init__(self, message: str, /, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values))


def _as_id(text: str) -> int | None:
    """An LL2 id typed as ASCII digits ("219", "#219"), else None (a name to look up).

    Not `isdigit`: "²" is a digit that `int` refuses. Not 0 either: no LL2 object has
    it, and the `/flights` page buttons use it for "every spacecraft"."""
    text = text.strip().lstrip("#")
    if not (text.isascii() and text.isdecimal()) or len(text) >= 12:
        return None
    return int(text) or None


class SpaceService:
    def __init__(
        self,
        repository: LL2Repository,
        index: SearchIndex,
        cache: DocumentCache,
        budget: Budget,
        clock: Callable[[], float] = time.time,
        *,
        catalog_complete: Callable[[], Awaitable[bool]] | None = None,
        crewed_in_space: Callable[[], Awaitable[dict[int, TrackedFlight]]] | None = None,
    ) -> None:
        self.repository = repository
        self.index = index
        self._cache = cache
        self._budget = budget
        self._clock = clock
        self._catalog_complete = catalog_complete
        self._crewed_in_space = crewed_in_space

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    async def suggest(self, kind: EntityKind, text: str) -> list[Entity]:
        """Autocomplete: the local index only, never LL2."""
        return await self.index.search(kind, text, AUTOCOMPLETE_LIMIT)

    async def flight(self, query: str, *, asker: Asker | None) -> Fetched[SpacecraftFlight]:
        """A flight by id or name; what LL2 is asked is charged to `asker`."""
        flight_id = _as_id(query)
        if flight_id is None:
            matches = await self.index.search(EntityKind.FLIGHT, query, 1)
            if not matches:
                raise UnknownQuery(
                    "No flight matches “{query}”. Pick one from the list, or give its id.",
                    query=query[:80],
                )
            flight_id = matches[0].id
        held = self.repository.fresh_flight(flight_id)
        if held is not None:  # a cache hit: known to exist, no I/O
            return held
        missing = UnknownQuery("LL2 has no spacecraft flight with id {id}.", id=flight_id)
        if await self._not_in_catalog(EntityKind.FLIGHT, flight_id):
            raise missing
        try:
            return await self.repository.flight(flight_id, Priority.INTERACTIVE, asker=asker)
        except NotFound:
            raise missing from None

    async def spacecraft_id(self, query: str) -> int:
        """A spacecraft id from an id or a name the index knows."""
        spacecraft_id = _as_id(query)
        if spacecraft_id is not None:
            return spacecraft_id
        matches = await self.index.search(EntityKind.SPACECRAFT, query, 1)
        if not matches:
            raise UnknownQuery(
                "No spacecraft matches “{query}”. Pick one from the list.", query=query[:80]
            )
        return matches[0].id

    async def flight_page(
        self, spacecraft_id: int | None, page: int, *, asker: Asker | None
    ) -> Fetched[FlightPage]:
        """Page `page` (1-based, 10 a page) of the flights: from the synced catalog when
        every flight on the page is cached, else one LL2 request per 100."""
        page = max(1, page)
        local = await self._local_flight_page(spacecraft_id, page)
        if local is not None and local.fresh:
            return local.page
        first = (page - 1) * PAGE_SIZE
        offset = first // LIST_LIMIT * LIST_LIMIT
        try:
            fetched = await self.repository.flight_list(
                spacecraft_id, offset, Priority.INTERACTIVE, asker=asker
            )
        except Unavailable as error:
            if local is None:
                raise
            page_value, freshness = local.page.value, local.page.freshness
            return Fetched(page_value, replace(freshness, stale_reason=error.reason))
        listing = fetched.value
        pages = max(1, math.ceil(listing.count / PAGE_SIZE))
        if page > pages and listing.count:
            return await self.flight_page(spacecraft_id, pages, asker=asker)
        flights = tuple(listing.results[first - offset : first - offset + PAGE_SIZE])
        spacecraft_name = await self._spacecraft_name(spacecraft_id)
        return Fetched(
            FlightPage(
                flights=flights,
                page=page,
                pages=pages,
                total=listing.count,
                spacecraft_id=spacecraft_id,
                spacecraft_name=spacecraft_name,
            ),
            fetched.freshness,
        )

    async def _local_flight_page(self, spacecraft_id: int | None, page: int) -> _LocalPage | None:
        """The page from the synced catalog, if it is complete and every flight on it is
        cached; `fresh` says whether all of them are still inside their freshness."""
        if not await self._complete():
            return None
        ids, total = await self.index.flight_ids(spacecraft_id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if not ids:
            return None if page <= pages else await self._local_flight_page(spacecraft_id, pages)
        cached = [await self.repository.cached_flight(flight_id) for flight_id in ids]
        flights = [entry for entry in cached if entry is not None]
        if len(flights) < len(ids):
            return None
        oldest = min((fetched for fetched, _ in flights), key=lambda f: f.freshness.fetched_at)
        listing = FlightPage(
            flights=tuple(fetched.value for fetched, _ in flights),
            page=page,
            pages=pages,
            total=total,
            spacecraft_id=spacecraft_id,
            spacecraft_name=await self._spacecraft_name(spacecraft_id),
        )
        return _LocalPage(Fetched(listing, oldest.freshness), all(fresh for _, fresh in flights))

    async def _spacecraft_name(self, spacecraft_id: int | None) -> str | None:
        if spacecraft_id is None:
            return None
        spacecraft = await self.index.get(EntityKind.SPACECRAFT, spacecraft_id)
        return spacecraft.name if spacecraft else None

    async def astronaut(self, query: str, *, asker: Asker | None) -> Fetched[Astronaut]:
        astronaut_id = _as_id(query)
        if astronaut_id is None:
            astronaut_id = await self._find_astronaut(query, asker)
        missing = UnknownQuery("LL2 has no astronaut with id {id}.", id=astronaut_id)
        if await self._not_in_catalog(EntityKind.ASTRONAUT, astronaut_id):
            raise missing
        try:
            return await self.repository.astronaut(astronaut_id, Priority.INTERACTIVE, asker=asker)
        except NotFound:
            raise missing from None

    async def _find_astronaut(self, query: str, asker: Asker | None) -> int:
        matches = await self.index.search(EntityKind.ASTRONAUT, query, 1)
        if matches:
            return matches[0].id
        # A complete catalog knows every name LL2 could find: asking would cost a request.
        found = None
        if not await self._complete():
            found = await self.repository.astronaut_search(
                query.strip()[:100], Priority.INTERACTIVE, asker=asker
            )
        if found is None or not found.value.results:
            raise UnknownQuery("No astronaut matches “{query}”.", query=query[:80])
        return found.value.results[0].id

    async def _complete(self) -> bool:
        """Whether a catalog sync pass finished lately: the index knows every flight
        and astronaut LL2 had then."""
        return self._catalog_complete is not None and await self._catalog_complete()

    async def _not_in_catalog(self, kind: EntityKind, entity_id: int) -> bool:
        """Whether the complete catalog shows LL2 has no such id, without asking it.
        An id above the highest known may be new since the sync: LL2 is asked."""
        if await self.index.get(kind, entity_id) is not None or not await self._complete():
            return False
        highest = await self.index.highest_id(kind)
        return highest is not None and entity_id < highest

    async def in_space(self, *, asker: Asker | None) -> Fetched[list[CraftCrew]]:
        """Who is in space, grouped by the spacecraft that took them up, with the
        station it is docked to.

        One LL2 request (the astronauts in space), kept fresh by the alert poll. The
        poll has matched people to their crewed flights; each flight's cached detail
        names the craft and its open docking the station. Anyone not on a known flight
        is grouped by the launch that took them up.
        """
        fetched = await self.repository.astronauts_in_space(Priority.INTERACTIVE, asker=asker)
        return await self._grouped(fetched)

    async def cached_in_space(self) -> tuple[Fetched[list[CraftCrew]], bool] | None:
        """Who is in space as `in_space` groups them, from the copy last fetched (by the
        alert poll), never asking LL2; whether that copy is still fresh. None: no copy."""
        cached = await self.repository.cached_astronauts_in_space()
        if cached is None:
            return None
        fetched, fresh = cached
        return await self._grouped(fetched), fresh

    async def cached_upcoming(self) -> tuple[Fetched[list[UpcomingLaunch]], bool] | None:
        """The next crewed launches as `upcoming` orders them, from the copy last
        fetched, never asking LL2; whether that copy is still fresh. None: no copy."""
        cached = await self.repository.cached_upcoming()
        if cached is None:
            return None
        fetched, fresh = cached
        return Fetched(upcoming_order(fetched.value.results), fetched.freshness), fresh

    async def _grouped(self, fetched: Fetched[Page[Astronaut]]) -> Fetched[list[CraftCrew]]:
        """The people in space of `fetched`, grouped by craft (see `in_space`)."""
        people = {astronaut.id: astronaut for astronaut in fetched.value.results}
        crews: list[CraftCrew] = []
        tracked = await self._crewed_in_space() if self._crewed_in_space else {}
        for flight in sorted(tracked.values(), key=lambda f: f.launched_at or math.inf):
            aboard = [people.pop(a) for a in sorted(flight.crew) if a in people]
            if aboard:
                crews.append(await self._flight_crew(flight, aboard))
        groups: dict[float | None, list[Astronaut]] = defaultdict(list)
        for astronaut in people.values():
            launched = astronaut.last_flight
            groups[launched.timestamp() if launched else None].append(astronaut)
        flights = await self.index.in_space(EntityKind.FLIGHT)
        crews += [
            await self._launch_crew(launched, astronauts, flights)
            for launched, astronauts in sorted(
                groups.items(), key=lambda item: item[0] if item[0] is not None else math.inf
            )
        ]
        return Fetched(crews, fetched.freshness)

    async def _flight_crew(self, flight: TrackedFlight, aboard: list[Astronaut]) -> CraftCrew:
        cached = await self.repository.cached_flight(flight.flight_id)
        detail = cached[0].value if cached else None
        launched = flight.launched_at
        return CraftCrew(
            craft=detail.name if detail else None,
            astronauts=tuple(sorted(aboard, key=lambda a: a.name)),
            flight_id=flight.flight_id,
            station=_docked_to(detail) if detail else None,
            launched_at=datetime.fromtimestamp(launched, UTC) if launched else None,
        )

    async def _launch_crew(
        self, launched: float | None, astronauts: list[Astronaut], flights: list[Entity]
    ) -> CraftCrew:
        launched_at = datetime.fromtimestamp(launched, UTC) if launched is not None else None
        flight = next(
            (
                f
                for f in flights
                if launched is not None
                and f.sort_time is not None
                and same_launch(f.sort_time, launched)
            ),
            None,
        )
        cached = await self.repository.cached_flight(flight.id) if flight else None
        return CraftCrew(
            craft=cached[0].value.name if cached is not None else None,
            astronauts=tuple(sorted(astronauts, key=lambda a: a.name)),
            flight_id=flight.id if flight else None,
            launched_at=launched_at,
        )

    async def upcoming(self, *, asker: Asker | None) -> Fetched[list[UpcomingLaunch]]:
        """The next crewed launches, orbital first then suborbital, each by NET: one LL2
        document, cached for `UPCOMING_TTL` and served stale with its age."""
        fetched = await self.repository.upcoming_launches(Priority.INTERACTIVE, asker=asker)
        return Fetched(upcoming_order(fetched.value.results), fetched.freshness)

    async def status(self) -> Status:
        newest = await self._cache.newest_fetch()
        return Status(
            budget=await self._budget.status(),
            ll2_version=self.repository.endpoints.version,
            documents=await self._cache.count(),
            newest_fetch=datetime.fromtimestamp(newest, UTC) if newest else None,
            astronauts=await self.index.count(EntityKind.ASTRONAUT),
            spacecraft=await self.index.count(EntityKind.SPACECRAFT),
            flights=await self.index.count(EntityKind.FLIGHT),
        )


def _docked_to(flight: SpacecraftFlight) -> str | None:
    """The station of the flight's docking still open (no departure), if any."""
    for event in reversed(flight.docking_events):
        if event.departure is None and event.spacestation is not None:
            return event.spacestation.name or None
    return None
