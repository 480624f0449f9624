"""LL2's paths per API version, and the version-neutral cache key of each request."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Resource(StrEnum):
    FLIGHT = "flight"
    FLIGHT_LIST = "flights"
    ASTRONAUT = "astronaut"
    ASTRONAUT_LIST = "astronauts"
    THROTTLE = "throttle"


@dataclass(frozen=True, slots=True)
class Request:
    """One LL2 GET: `path` relative to the base URL, `key` the same across versions."""

    resource: Resource
    key: str
    path: str
    params: tuple[tuple[str, str], ...] = ()


_PATHS = {
    "2.2.0": {
        Resource.FLIGHT: "spacecraft/flight/",
        Resource.FLIGHT_LIST: "spacecraft/flight/",
        Resource.ASTRONAUT: "astronaut/",
        Resource.ASTRONAUT_LIST: "astronaut/",
        Resource.THROTTLE: "api-throttle/",
    },
    "2.3.0": {
        Resource.FLIGHT: "spacecraft_flights/",
        Resource.FLIGHT_LIST: "spacecraft_flights/",
        Resource.ASTRONAUT: "astronauts/",
        Resource.ASTRONAUT_LIST: "astronauts/",
        Resource.THROTTLE: "api-throttle/",
    },
}

LIST_LIMIT = 100
"""LL2's largest page: one request fetches ten `/flights` pages of ten."""


def _key(resource: Resource, params: dict[str, str]) -> str:
    return ":".join(
        [resource.value, *(f"{name}={value}" for name, value in sorted(params.items()))]
    )


class Endpoints:
    def __init__(self, version: str) -> None:
        self.version = version
        self._paths = _PATHS[version]
        self._list_mode: dict[str, str] = {"mode": "normal"} if version == "2.3.0" else {}

    def flight(self, flight_id: int) -> Request:
        return Request(
            Resource.FLIGHT, f"flight:{flight_id}", f"{self._paths[Resource.FLIGHT]}{flight_id}/"
        )

    @property
    def lists_in_detail(self) -> bool:
        """2.3.0 lists can carry whole detail objects (`mode=detailed`): one request
        then fills the cache for a hundred flights or astronauts."""
        return self.version == "2.3.0"

    def flights(self, *, spacecraft_id: int | None, offset: int, detailed: bool = False) -> Request:
        query = {"limit": str(LIST_LIMIT), "offset": str(offset)}
        if spacecraft_id is not None:
            query["spacecraft"] = str(spacecraft_id)
        return self._list(Resource.FLIGHT_LIST, query, detailed=detailed)

    def recent_flights(self, limit: int = 20) -> Request:
        """The most recently launched flights: every crewed flight in space is among them."""
        return self._list(Resource.FLIGHT_LIST, {"limit": str(limit), "ordering": "-launch__net"})

    def astronaut(self, astronaut_id: int) -> Request:
        return Request(
            Resource.ASTRONAUT,
            f"astronaut:{astronaut_id}",
            f"{self._paths[Resource.ASTRONAUT]}{astronaut_id}/",
        )

    def astronauts(
        self,
        *,
        search: str | None = None,
        in_space: bool | None = None,
        offset: int = 0,
        detailed: bool = False,
    ) -> Request:
        query = {"limit": str(LIST_LIMIT), "offset": str(offset)}
        if search is not None:
            query["search"] = search
        if in_space is not None:
            query["in_space"] = "true" if in_space else "false"
        return self._list(Resource.ASTRONAUT_LIST, query, detailed=detailed)

    def throttle(self) -> Request:
        return Request(Resource.THROTTLE, "throttle", self._paths[Resource.THROTTLE])

    def _list(
        self, resource: Resource, query: dict[str, str], *, detailed: bool = False
    ) -> Request:
        if detailed and self.lists_in_detail:
            query = query | {"mode": "detailed"}
        return Request(
            resource,
            _key(resource, query),
            self._paths[resource],
            tuple(sorted((self._list_mode | query).items())),
        )
