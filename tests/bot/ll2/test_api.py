"""Every request Capcom builds uses only what LL2 declares for that endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.ll2.api import VERSIONS, Endpoints, Request, Resource, UndeclaredParameter, routes
from tests.paths import OPENAPI_SCHEMA


def _declared_230() -> dict[str, set[str]]:
    schema: dict[str, Any] = json.loads(OPENAPI_SCHEMA.read_text(encoding="utf-8"))
    return {
        path.removeprefix("/2.3.0/"): {p["name"] for p in item["get"].get("parameters", [])}
        for path, item in schema["paths"].items()
        if "get" in item
    }


def every_request(endpoints: Endpoints) -> list[Request]:
    requests = [
        endpoints.flight(219),
        endpoints.astronaut(545),
        endpoints.flights(spacecraft_id=None, offset=0),
        endpoints.flights(spacecraft_id=78, offset=100),
        endpoints.flights(spacecraft_id=None, offset=0, detailed=True),
        endpoints.astronauts(search="roman"),
        endpoints.astronauts(in_space=True),
        endpoints.astronauts(offset=200, detailed=True),
        endpoints.recent_dockings(),
        endpoints.upcoming_crewed_launches(),
    ]
    if endpoints.has(Resource.SPACECRAFT_LIST):
        requests.append(endpoints.spacecraft_in_space())
    return requests


def test_every_230_parameter_is_declared_by_ll2s_schema() -> None:
    declared = _declared_230()
    for resource, route in routes("2.3.0").items():
        assert route.path in declared, f"{resource}: no {route.path} in the schema"
        assert route.params <= declared[route.path], (resource, route.params - declared[route.path])
    for request in every_request(Endpoints("2.3.0")):
        sent = {name for name, _ in request.params}
        if sent:  # a detail (`.../{id}/`) sends none
            assert sent <= declared[request.path], (request.path, sent - declared[request.path])


@pytest.mark.parametrize("version", VERSIONS)
def test_lists_are_paged_in_a_declared_order_or_none(version: str) -> None:
    endpoints = Endpoints(version)
    for request in every_request(endpoints):
        params = dict(request.params)
        if request.resource is Resource.ASTRONAUT_LIST:
            assert params["ordering"] == "id", "astronauts page in a stable order"
        if request.resource is Resource.FLIGHT_LIST:
            assert "ordering" not in params, "spacecraft flights declare no ordering"


def test_an_undeclared_parameter_or_ordering_is_refused() -> None:
    endpoints = Endpoints("2.3.0")
    with pytest.raises(UndeclaredParameter):
        endpoints._list(Resource.FLIGHT_LIST, {"ordering": "-launch__net"})
    with pytest.raises(UndeclaredParameter):
        endpoints._list(Resource.FLIGHT_LIST, {"in_space": "true"})
    with pytest.raises(UndeclaredParameter):
        Endpoints("2.2.0").spacecraft_in_space()


@pytest.mark.parametrize("version", VERSIONS)
def test_upcoming_launches_are_crewed_and_detailed(version: str) -> None:
    request = Endpoints(version).upcoming_crewed_launches()
    params = dict(request.params)
    assert (params["is_crewed"], params["mode"], params["ordering"]) == ("true", "detailed", "net")
    assert request.path == {"2.2.0": "launch/upcoming/", "2.3.0": "launches/upcoming/"}[version]


def test_the_cache_key_is_the_same_across_versions() -> None:
    old, new = Endpoints("2.2.0"), Endpoints("2.3.0")
    assert old.upcoming_crewed_launches().key == new.upcoming_crewed_launches().key
    assert old.flight(219).key == new.flight(219).key
    assert old.astronauts(in_space=True).key == new.astronauts(in_space=True).key
    assert (
        old.flights(spacecraft_id=78, offset=0).key == new.flights(spacecraft_id=78, offset=0).key
    )
