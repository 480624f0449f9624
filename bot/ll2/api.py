"""Every request Capcom makes to LL2, per API version, in one table.

LL2 is built on Django REST Framework and django-filter: a query parameter an
endpoint does not declare is dropped without a word, an `ordering` field it does
not declare is ignored, and `/spacecraft_flights/` declares no ordering fields at
all. So each endpoint below lists the parameters it declares for that version
(LL2's 2.3.0 OpenAPI schema; the 2.2.0 documentation pages), and building a
request with anything else is a programming error, raised at once. A version
that lacks an endpoint (2.2.0 has no `/spacecraft/` list) simply has no row: the
code asks `Endpoints.has(...)` and does without.

Adding a version (2.4.0: `/detailed/` sub-paths instead of `mode=`) is one more
entry in `_VERSIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Resource(StrEnum):
    FLIGHT = "flight"
    FLIGHT_LIST = "flights"
    ASTRONAUT = "astronaut"
    ASTRONAUT_LIST = "astronauts"
    SPACECRAFT_LIST = "spacecraft"
    DOCKING_EVENT_LIST = "docking_events"
    UPCOMING_LAUNCH_LIST = "upcoming_launches"


@dataclass(frozen=True, slots=True)
class Request:
    """One LL2 GET: `path` relative to the base URL, `key` the same across versions."""

    resource: Resource
    key: str
    path: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint of one version: its path, declared filters and ordering fields."""

    path: str
    params: frozenset[str] = frozenset()
    orderings: frozenset[str] = frozenset()


_PAGING = frozenset({"limit", "offset"})
_ASTRONAUT_ORDERINGS = frozenset(
    {
        "age",
        "date_of_birth",
        "eva_time",
        "flights_count",
        "id",
        "landings_count",
        "last_flight",
        "name",
        "spacewalks_count",
        "status",
        "time_in_space",
    }
)
_DOCKING_ORDERINGS = frozenset({"docking", "departure"})
_UPCOMING = _PAGING | {"is_crewed", "mode", "ordering"}
"""Upcoming launches declare `mode` in 2.2.0 too (`?mode=detailed` is how the recordings in
tests/fixtures/ll2 were asked for); facts.md, *Upcoming launches*."""
_LAUNCH_ORDERINGS = frozenset({"id", "last_updated", "name", "net"})

_VERSIONS: dict[str, dict[Resource, Route]] = {
    "2.2.0": {
        Resource.FLIGHT: Route("spacecraft/flight/"),
        Resource.FLIGHT_LIST: Route(
            "spacecraft/flight/", _PAGING | {"spacecraft", "search", "ordering"}
        ),
        Resource.ASTRONAUT: Route("astronaut/"),
        Resource.ASTRONAUT_LIST: Route(
            "astronaut/",
            _PAGING | {"search", "in_space", "status", "ordering"},
            _ASTRONAUT_ORDERINGS,
        ),
        Resource.DOCKING_EVENT_LIST: Route(
            "docking_event/", _PAGING | {"ordering"}, _DOCKING_ORDERINGS
        ),
        Resource.UPCOMING_LAUNCH_LIST: Route("launch/upcoming/", _UPCOMING, _LAUNCH_ORDERINGS),
    },
    "2.3.0": {
        Resource.FLIGHT: Route("spacecraft_flights/"),
        Resource.FLIGHT_LIST: Route(
            "spacecraft_flights/", _PAGING | {"spacecraft", "search", "mode", "ordering"}
        ),
        Resource.ASTRONAUT: Route("astronauts/"),
        Resource.ASTRONAUT_LIST: Route(
            "astronauts/",
            _PAGING | {"search", "in_space", "status_ids", "mode", "ordering"},
            _ASTRONAUT_ORDERINGS,
        ),
        Resource.SPACECRAFT_LIST: Route(
            "spacecraft/", _PAGING | {"in_space", "is_placeholder", "mode", "ordering"}
        ),
        Resource.DOCKING_EVENT_LIST: Route(
            "docking_events/", _PAGING | {"mode", "ordering"}, _DOCKING_ORDERINGS
        ),
        Resource.UPCOMING_LAUNCH_LIST: Route("launches/upcoming/", _UPCOMING, _LAUNCH_ORDERINGS),
    },
}

VERSIONS = tuple(_VERSIONS)
LIST_LIMIT = 100
"""LL2's largest page: one request fetches ten `/flights` pages of ten."""
UPCOMING_LIMIT = 30
"""Upcoming crewed launches asked for at once, soonest first: LL2 lists about two dozen
(New Shepard included), each about 50 KB in detail, so one page holds them all."""


def _key(resource: Resource, params: dict[str, str]) -> str:
    return ":".join(
        [resource.value, *(f"{name}={value}" for name, value in sorted(params.items()))]
    )


class UndeclaredParameter(ValueError):
    """A request with a parameter (or ordering field) its endpoint does not declare:
    LL2 would drop it silently, so Capcom never sends it."""


class Endpoints:
    def __init__(self, version: str) -> None:
        self.version = version
        self._routes = _VERSIONS[version]
        self._mode = version != "2.2.0"

    def has(self, resource: Resource) -> bool:
        return resource in self._routes

    @property
    def lists_in_detail(self) -> bool:
        """2.3.0 lists can carry whole detail objects (`mode=detailed`): one request
        then fills the cache for a hundred flights or astronauts."""
        return self._mode

    def flight(self, flight_id: int) -> Request:
        return self._detail(Resource.FLIGHT, flight_id)

    def astronaut(self, astronaut_id: int) -> Request:
        return self._detail(Resource.ASTRONAUT, astronaut_id)

    def flights(self, *, spacecraft_id: int | None, offset: int, detailed: bool = False) -> Request:
        """A page of flights in LL2's own order (no ordering is declared), optionally
        of one spacecraft."""
        query = {"limit": str(LIST_LIMIT), "offset": str(offset)}
        if spacecraft_id is not None:
            query["spacecraft"] = str(spacecraft_id)
        return self._list(Resource.FLIGHT_LIST, query, detailed=detailed)

    def astronauts(
        self,
        *,
        search: str | None = None,
        in_space: bool | None = None,
        offset: int = 0,
        detailed: bool = False,
    ) -> Request:
        """A page of astronauts by id (a stable order to page through)."""
        query = {"limit": str(LIST_LIMIT), "offset": str(offset), "ordering": "id"}
        if search is not None:
            query["search"] = search
        if in_space is not None:
            query["in_space"] = "true" if in_space else "false"
        return self._list(Resource.ASTRONAUT_LIST, query, detailed=detailed)

    def spacecraft_in_space(self) -> Request:
        """Every real (not placeholder) spacecraft in space, each with its flights
        (2.3.0 only: check `has(Resource.SPACECRAFT_LIST)`)."""
        query = {"limit": str(LIST_LIMIT), "in_space": "true", "is_placeholder": "false"}
        return self._list(Resource.SPACECRAFT_LIST, query, detailed=True)

    def recent_dockings(self, limit: int = 20) -> Request:
        """The latest docking events, newest docking first: every vehicle docked now
        is among them, and an undocking shows as a departure appearing."""
        query = {"limit": str(limit), "ordering": "-docking"}
        return self._list(Resource.DOCKING_EVENT_LIST, query)

    def upcoming_crewed_launches(self, *, offset: int = 0) -> Request:
        """The next crewed launches in detail (crew, webcasts, probability), soonest first,
        suborbital ones included, and those of the past 24 hours (LL2's default)."""
        query = {
            "is_crewed": "true",
            "limit": str(UPCOMING_LIMIT),
            "offset": str(offset),
            "ordering": "net",
            "mode": "detailed",
        }
        return self._list(Resource.UPCOMING_LAUNCH_LIST, query, detailed=True)

    def _detail(self, resource: Resource, object_id: int) -> Request:
        path = f"{self._routes[resource].path}{object_id}/"
        return Request(resource, f"{resource.value}:{object_id}", path)

    def _list(
        self, resource: Resource, query: dict[str, str], *, detailed: bool = False
    ) -> Request:
        if self._mode:
            query = query | {"mode": "detailed" if detailed else "normal"}
        route = self._routes.get(resource)
        if route is None:
            raise UndeclaredParameter(f"LL2 {self.version} has no {resource.value} list")
        undeclared = set(query) - route.params
        if undeclared:
            raise UndeclaredParameter(
                f"LL2 {self.version} {route.path} does not declare {sorted(undeclared)}"
            )
        ordering = query.get("ordering")
        if ordering is not None and ordering.removeprefix("-") not in route.orderings:
            raise UndeclaredParameter(
                f"LL2 {self.version} {route.path} cannot be ordered by {ordering}"
            )
        key_query = {name: value for name, value in query.items() if name != "mode" or detailed}
        return Request(
            resource, _key(resource, key_query), route.path, tuple(sorted(query.items()))
        )


def routes(version: str) -> dict[Resource, Route]:
    """The table for one version (for the README's request table and its test)."""
    return dict(_VERSIONS[version])
