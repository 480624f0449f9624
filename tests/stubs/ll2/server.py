"""A local stand-in for Launch Library 2 (aiohttp), serving a `Catalog` under 2.2.0 and 2.3.0.

In a test::

    async with LL2Stub(Catalog.from_fixtures(), requests_per_hour=15) as stub:
        base = stub.base_url("2.2.0")            # http://127.0.0.1:PORT/2.2.0
        stub.set_fault(Fault.ERROR_500, times=1)  # the next LL2 request answers 500
        ...
        assert stub.upstream_count() == 3

As a process (for code under test in another process)::

    python -m tests.stubs.ll2 [--port N] [--synthetic] [--requests-per-hour N]

prints `LL2 stub listening on http://127.0.0.1:PORT` and serves until SIGTERM/SIGINT;
the `/_control/...` routes then do what the methods do (see `_control`).

Like LL2 (Django REST Framework): lists page with `limit` (default 10, max 100) and
`offset` and absolute `next`/`previous` URLs; unknown paths and ids answer 404
`{"detail": "Not found."}`; a path without its trailing slash is redirected (301);
over `requests_per_hour` in a rolling hour a request answers 429 with DRF's body and
`Retry-After`. Like LL2 (django-filter), it applies only the filters and ordering
fields each endpoint declares and silently ignores every other parameter:
`/spacecraft_flights/` declares no ordering, so it answers in id order whatever
`ordering` says; `/spacecraft/` exists in 2.3.0 only. Faulted requests (other than
STALL, which answers normally once it has waited) do not count against the limit.
It serves only the endpoints Capcom requests (flights, astronauts, spacecraft, docking
events, upcoming launches from a scripted history in `upcoming.py`): LL2's
`/api-throttle/` and space-station lists answer 404 here.
Control routes are never limited, faulted or counted as upstream requests.

Connection refused: `await stub.stop_listening()` closes the listening socket (and open
connections) on the same port until `await stub.resume_listening()`; across processes,
`POST /_control/refuse {"seconds": N}` does both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import math
import re
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from types import TracebackType
from typing import Any, Literal, NamedTuple, Self, TypeVar
from urllib import parse

from aiohttp import web

from tests.stubs.ll2.catalog import Catalog
from tests.stubs.ll2.convert import AstronautMode, JsonObject, LaunchMode, upcoming_launch
from tests.stubs.ll2.upcoming import UpcomingHistory, crew_campaign

T = TypeVar("T")

HOUR = 3600
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
UNLIMITED = 1_000_000
"""`your_request_limit` in `throttle_status()` when there is no limit."""

NOT_FOUND: JsonObject = {"detail": "Not found."}
WRONG_SHAPE_BODY: JsonObject = {"unexpected": [1, 2]}
HTML_502_BODY = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class Fault(StrEnum):
    """What the next LL2 requests get instead of a normal answer."""

    THROTTLE = "throttle"
    """429 with DRF's body and `Retry-After: retry_after`."""
    ERROR_500 = "error_500"
    """500 with a JSON body."""
    HTML_502 = "html_502"
    """502 with an nginx HTML page (`text/html`)."""
    TRUNCATED_JSON = "truncated_json"
    """200, `application/json`, the first half of the normal body."""
    WRONG_SHAPE = "wrong_shape"
    """200 with valid JSON of the wrong shape: a list for a page, an object without `id`."""
    STALL = "stall"
    """Wait `stall_seconds`, then answer normally."""
    HANG = "hang"
    """Never answer (until the client gives up or the stub closes)."""


@dataclass(frozen=True)
class FaultSettings:
    fault: Fault
    retry_after: int = 60
    stall_seconds: float = 2.5
    times: int | None = None
    """How many more requests get the fault; None: all until `clear_fault()`."""


RequestKind = Literal["upstream", "control"]


@dataclass
class RequestRecord:
    """One request the stub received; `status` is None while (or if never) answered."""

    method: str
    path: str
    query: dict[str, str]
    version: str | None
    kind: RequestKind
    timestamp: float
    status: int | None = None
    fault: Fault | None = None


class Endpoint(Enum):
    FLIGHTS = "flights"
    FLIGHT = "flight"
    ASTRONAUTS = "astronauts"
    ASTRONAUT = "astronaut"
    DOCKING_EVENTS = "docking_events"
    SPACECRAFT = "spacecraft"
    UPCOMING_LAUNCHES = "upcoming_launches"


_LIST_AND_DETAIL: dict[str, dict[str, tuple[Endpoint, Endpoint | None]]] = {
    "2.2.0": {
        "spacecraft/flight": (Endpoint.FLIGHTS, Endpoint.FLIGHT),
        "astronaut": (Endpoint.ASTRONAUTS, Endpoint.ASTRONAUT),
        "docking_event": (Endpoint.DOCKING_EVENTS, None),
        "launch/upcoming": (Endpoint.UPCOMING_LAUNCHES, None),
    },
    "2.3.0": {
        "spacecraft_flights": (Endpoint.FLIGHTS, Endpoint.FLIGHT),
        "astronauts": (Endpoint.ASTRONAUTS, Endpoint.ASTRONAUT),
        "docking_events": (Endpoint.DOCKING_EVENTS, None),
        "spacecraft": (Endpoint.SPACECRAFT, None),
        "launches/upcoming": (Endpoint.UPCOMING_LAUNCHES, None),
    },
}
_PATH = re.compile(r"^/(?P<version>2\.\d+\.\d+)/(?P<resource>[a-z_\-/]+?)/(?:(?P<id>\d+)/)?$")
_VERSION_PREFIX = re.compile(r"^/(2\.\d+\.\d+)/")


class Route(NamedTuple):
    version: str
    endpoint: Endpoint
    object_id: int | None


def match_route(path: str) -> Route | None:
    """The LL2 endpoint a path names, or None (404)."""
    found = _PATH.match(path)
    if found is None:
        return None
    endpoints = _LIST_AND_DETAIL.get(found["version"], {}).get(found["resource"])
    if endpoints is None:
        return None
    list_endpoint, detail_endpoint = endpoints
    if found["id"] is None:
        return Route(found["version"], list_endpoint, None)
    if detail_endpoint is None:
        return None
    return Route(found["version"], detail_endpoint, int(found["id"]))


class _BadRequest(Exception):
    """A filter value LL2 rejects: 400 with django-filter's body."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.body = {field: [message]}


class _Answer(NamedTuple):
    status: int
    payload: Any


def _json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer with `Content-Type: application/json` exactly, as LL2 sends it."""
    return web.Response(
        status=status,
        body=_json_bytes(payload),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def throttled_detail(wait: int) -> str:
    """DRF's `Throttled` message (singular for one second)."""
    unit = "second" if wait == 1 else "seconds"
    return f"Request was throttled. Expected available in {wait} {unit}."


def _throttled(wait: int) -> web.Response:
    return json_response(429, {"detail": throttled_detail(wait)}, {"Retry-After": str(wait)})


def replace_query_param(url: str, key: str, value: object) -> str:
    """DRF's `replace_query_param`: set one parameter, keep the others, sort them."""
    scheme, netloc, path, query, fragment = parse.urlsplit(url)
    params = parse.parse_qs(query, keep_blank_values=True)
    params[key] = [str(value)]
    query = parse.urlencode(sorted(params.items()), doseq=True)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))


def remove_query_param(url: str, key: str) -> str:
    scheme, netloc, path, query, fragment = parse.urlsplit(url)
    params = parse.parse_qs(query, keep_blank_values=True)
    params.pop(key, None)
    query = parse.urlencode(sorted(params.items()), doseq=True)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))


def _positive_int(value: str | None, *, strict: bool, default: int, cutoff: int | None) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    if number < 0 or (strict and number == 0):
        return default
    return min(number, cutoff) if cutoff is not None else number


def _boolean(value: str | None) -> bool | None:
    """django-filter's BooleanWidget: true/false/1/0, anything else means no filter."""
    if value is None:
        return None
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())


def _number(query: Any, field: str) -> int | None:
    value = query.get(field)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise _BadRequest(field, "Enter a number.") from None


class LL2Stub:
    """The LL2 stand-in; see the module docstring."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        requests_per_hour: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        upcoming: UpcomingHistory | None = None,
    ) -> None:
        """`wall_clock` (UNIX time) is the present of the upcoming launches, moved on by
        `advance` with the rate limit's `clock`; `upcoming` is what they do over time
        (default: `crew_campaign` from the stand-in's start; assign another any time)."""
        self.catalog = catalog if catalog is not None else Catalog.from_fixtures()
        self.requests_per_hour = requests_per_hour
        self._clock = clock
        self._wall_clock = wall_clock
        self.upcoming = (
            upcoming
            if upcoming is not None
            else crew_campaign(datetime.fromtimestamp(wall_clock(), UTC))
        )
        self._offset = 0.0
        self._history: list[float] = []
        self._fault: FaultSettings | None = None
        self._log: list[RequestRecord] = []
        self._closing = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None

    # Lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        self._host = host
        self._site = web.TCPSite(self._runner, host, port)
        await self._site.start()
        self._port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        self._closing.set()
        for task in list(self._tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the stub is not started")
        return self._port

    def base_url(self, version: str = "2.2.0") -> str:
        """`http://127.0.0.1:PORT/2.2.0`: what the bot uses in place of `https://ll.thespacedevs.com/2.2.0`."""
        return f"http://{self._host}:{self.port}/{version}"

    @property
    def control_url(self) -> str:
        return f"http://{self._host}:{self.port}/_control"

    async def stop_listening(self) -> None:
        """Refuse connections (listening socket and open connections closed) until resumed."""
        if self._site is None or self._runner is None:
            return
        await self._site.stop()
        self._site = None
        if self._runner.server is not None:
            for connection in self._runner.server.connections:
                connection.force_close()

    async def resume_listening(self) -> None:
        """Listen again on the same port."""
        if self._site is not None or self._runner is None:
            return
        self._site = web.TCPSite(self._runner, self._host, self.port)
        await self._site.start()

    # Time and rate limit

    def now(self) -> float:
        """The stub's clock: the injected clock plus what `advance` added."""
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the stub's clock forward (the rate-limit window and the upcoming launches'
        present with it)."""
        self._offset += seconds

    def wall_time(self) -> datetime:
        """The present of the upcoming launches: the wall clock plus what `advance` added."""
        return datetime.fromtimestamp(self._wall_clock() + self._offset, UTC)

    def _window(self) -> list[float]:
        start = self.now() - HOUR
        self._history = [moment for moment in self._history if moment > start]
        return self._history

    def _wait(self) -> int | None:
        """Seconds until the next request is allowed, or None if allowed now."""
        if self.requests_per_hour is None:
            return None
        window = self._window()
        if len(window) < self.requests_per_hour:
            return None
        oldest = window[0] if window else self.now()
        return max(1, math.ceil(oldest + HOUR - self.now()))

    def throttle_status(self) -> JsonObject:
        """The budget as LL2's `/api-throttle/` reports one (shown in `stats()`)."""
        limit = self.requests_per_hour
        return {
            "your_request_limit": UNLIMITED if limit is None else limit,
            "limit_frequency_secs": HOUR,
            "current_use": len(self._window()),
            "next_use_secs": self._wait() or 0,
            "ident": "127.0.0.1",
        }

    # Faults

    def set_fault(
        self,
        fault: Fault | str,
        *,
        retry_after: int = 60,
        stall_seconds: float = 2.5,
        times: int | None = None,
    ) -> None:
        """Make the next LL2 requests (all, or the next `times`) fail with `fault`."""
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        self._fault = FaultSettings(Fault(fault), retry_after, stall_seconds, times)

    def clear_fault(self) -> None:
        self._fault = None

    @property
    def fault(self) -> FaultSettings | None:
        return self._fault

    def _take_fault(self) -> FaultSettings | None:
        fault = self._fault
        if fault is not None and fault.times is not None:
            left = fault.times - 1
            self._fault = dataclasses.replace(fault, times=left) if left > 0 else None
        return fault

    # Request log

    @property
    def requests(self) -> tuple[RequestRecord, ...]:
        return tuple(self._log)

    def upstream_count(self) -> int:
        """Requests to LL2 endpoints, not to control routes."""
        return sum(1 for record in self._log if record.kind == "upstream")

    def upstream_requests(self) -> list[RequestRecord]:
        return [record for record in self._log if record.kind == "upstream"]

    def reset_log(self) -> None:
        self._log.clear()

    def stats(self) -> JsonObject:
        upstream = self.upstream_requests()
        fault = self._fault
        return {
            "total": len(self._log),
            "upstream": len(upstream),
            "by_path": dict(Counter(record.path for record in upstream)),
            "by_status": {
                str(status): count
                for status, count in Counter(record.status for record in upstream).items()
            },
            "fault": None
            if fault is None
            else {**dataclasses.asdict(fault), "fault": fault.fault.value},
            "throttle": self.throttle_status(),
        }

    # Serving

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/_control/"):
            record = self._record(request, "control", None)
            response = await self._control(request)
        else:
            route = match_route(request.path)
            version = _VERSION_PREFIX.match(request.path)
            record = self._record(request, "upstream", version[1] if version else None)
            response = await self._ll2(request, route, record)
        record.status = response.status
        return response

    def _record(
        self, request: web.Request, kind: RequestKind, version: str | None
    ) -> RequestRecord:
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            version=version,
            kind=kind,
            timestamp=self.now(),
        )
        self._log.append(record)
        return record

    async def _ll2(
        self, request: web.Request, route: Route | None, record: RequestRecord
    ) -> web.Response:
        if route is None:
            if not request.path.endswith("/") and match_route(request.path + "/") is not None:
                target = (
                    request.path
                    + "/"
                    + (f"?{request.query_string}" if request.query_string else "")
                )
                return web.Response(status=301, headers={"Location": target})
            return json_response(404, NOT_FOUND)
        if request.method not in ("GET", "HEAD"):
            return json_response(405, {"detail": f'Method "{request.method}" not allowed.'})
        fault = self._take_fault()
        if fault is not None:
            record.fault = fault.fault
            if fault.fault is Fault.HANG:
                await self._closing.wait()
                return json_response(503, {"detail": "The stub is closing."})
            if fault.fault is Fault.STALL:
                await self._sleep(fault.stall_seconds)
            else:
                return self._faulted(fault, request, route)
        wait = self._wait()
        if wait is not None:
            return _throttled(wait)
        self._history.append(self.now())
        answer = self._answer(request, route)
        return json_response(answer.status, answer.payload)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _faulted(self, fault: FaultSettings, request: web.Request, route: Route) -> web.Response:
        if fault.fault is Fault.THROTTLE:
            return _throttled(fault.retry_after)
        if fault.fault is Fault.ERROR_500:
            return json_response(500, {"detail": "A server error occurred."})
        if fault.fault is Fault.HTML_502:
            return web.Response(
                status=502, body=HTML_502_BODY.encode(), headers={"Content-Type": "text/html"}
            )
        if fault.fault is Fault.WRONG_SHAPE:
            is_detail = route.object_id is not None
            return json_response(200, WRONG_SHAPE_BODY if is_detail else [WRONG_SHAPE_BODY])
        body = _json_bytes(self._answer(request, route).payload)
        return web.Response(
            status=200, body=body[: len(body) // 2], headers={"Content-Type": "application/json"}
        )

    def _answer(self, request: web.Request, route: Route) -> _Answer:
        try:
            return self._serve(request, route)
        except _BadRequest as error:
            return _Answer(400, error.body)
        except KeyError:
            return _Answer(404, NOT_FOUND)

    def _serve(self, request: web.Request, route: Route) -> _Answer:
        catalog = self.catalog
        query = request.query
        version = route.version
        mode = query.get("mode", "normal") if version == "2.3.0" else "normal"
        if route.endpoint is Endpoint.FLIGHT:
            assert route.object_id is not None
            return _Answer(200, catalog.flight_payload(route.object_id, version, detailed=True))
        if route.endpoint is Endpoint.ASTRONAUT:
            assert route.object_id is not None
            return _Answer(200, catalog.astronaut_payload(route.object_id, version, "detailed"))
        if route.endpoint is Endpoint.FLIGHTS:
            # `/spacecraft_flights/` declares no ordering fields: LL2 answers in its own
            # (id) order whatever `ordering` says, and has no `in_space` filter.
            flight_ids = catalog.query_flights(
                spacecraft=_number(query, "spacecraft"), search=query.get("search") or None
            )
            detailed = mode == "detailed"
            return self._page(
                request,
                flight_ids,
                lambda fid: catalog.flight_payload(fid, version, detailed=detailed),
            )
        if route.endpoint is Endpoint.ASTRONAUTS:
            astronaut_mode = _ASTRONAUT_MODES.get(mode, "normal")
            astronaut_ids = catalog.query_astronauts(
                search=query.get("search") or None,
                in_space=_boolean(query.get("in_space")),
                statuses=_statuses(query, version),
                has_flown=_boolean(query.get("has_flown")),
                ordering=query.get("ordering"),
            )
            return self._page(
                request,
                astronaut_ids,
                lambda aid: catalog.astronaut_payload(aid, version, astronaut_mode),
            )
        if route.endpoint is Endpoint.UPCOMING_LAUNCHES:
            # Both versions declare `mode` here; `include_suborbital`, `hide_recent_previous`
            # and `is_crewed` are django-filter booleans, `ordering` by id, name, net and
            # last_updated. Anything else is dropped, as LL2 does.
            launch_mode = _LAUNCH_MODES.get(query.get("mode", "normal"), "normal")
            launches = self.upcoming.listed(
                self.wall_time(),
                crewed=_boolean(query.get("is_crewed")),
                include_suborbital=_boolean(query.get("include_suborbital")),
                hide_recent_previous=_boolean(query.get("hide_recent_previous")),
                ordering=query.get("ordering"),
            )
            return self._page(
                request, launches, lambda launch: upcoming_launch(launch, version, launch_mode)
            )
        if route.endpoint is Endpoint.SPACECRAFT:
            craft_ids = catalog.query_spacecraft(
                in_space=_boolean(query.get("in_space")),
                is_placeholder=_boolean(query.get("is_placeholder")),
            )
            detailed = mode == "detailed"
            return self._page(
                request,
                craft_ids,
                lambda cid: catalog.spacecraft_payload(cid, detailed=detailed),
            )
        assert route.endpoint is Endpoint.DOCKING_EVENTS
        chaser = "flight_vehicle__id" if version == "2.2.0" else "flight_vehicle_chaser__id"
        events = catalog.query_docking_events(
            flight_id=_number(query, chaser),
            station_id=_number(query, "space_station_target__id") if version == "2.3.0" else None,
            ordering=query.get("ordering"),
        )
        return self._page(
            request, events, lambda event: catalog.docking_event_payload(event, version)
        )

    def _page(
        self, request: web.Request, items: Sequence[T], render: Callable[[T], JsonObject]
    ) -> _Answer:
        """DRF's LimitOffsetPagination over `items`."""
        limit = _positive_int(
            request.query.get("limit"), strict=True, default=DEFAULT_LIMIT, cutoff=MAX_LIMIT
        )
        offset = _positive_int(request.query.get("offset"), strict=False, default=0, cutoff=None)
        url = str(request.url)
        count = len(items)
        next_url = None
        if offset + limit < count:
            next_url = replace_query_param(
                replace_query_param(url, "limit", limit), "offset", offset + limit
            )
        previous_url = None
        if offset > 0:
            previous_url = replace_query_param(url, "limit", limit)
            previous_url = (
                remove_query_param(previous_url, "offset")
                if offset - limit <= 0
                else replace_query_param(previous_url, "offset", offset - limit)
            )
        return _Answer(
            200,
            {
                "count": count,
                "next": next_url,
                "previous": previous_url,
                "results": [render(item) for item in items[offset : offset + limit]],
            },
        )

    # Control API

    async def _control(self, request: web.Request) -> web.Response:
        """`/_control/...`: stats, fault, clear, land/{id}, undock/{id}, launch/{template id},
        dock/{id}, advance, reset-log, refuse, rate-limit. Bodies and answers are JSON;
        answers are the new `stats`."""
        action = request.path.removeprefix("/_control/").strip("/")
        if request.method == "GET" and action == "stats":
            return json_response(200, self.stats())
        if request.method != "POST":
            return json_response(405, {"detail": f'Method "{request.method}" not allowed.'})
        try:
            body = await request.json() if request.can_read_body else {}
            self._apply_control(action, body if isinstance(body, dict) else {})
        except KeyError as error:
            return json_response(404, {"detail": f"Not found: {error}."})
        except (ValueError, TypeError, LookupError) as error:
            return json_response(400, {"detail": str(error)})
        return json_response(200, self.stats())

    def _apply_control(self, action: str, body: JsonObject) -> None:
        name, _, argument = action.partition("/")
        if name == "fault":
            self.set_fault(
                body["fault"],
                retry_after=int(body.get("retry_after", 60)),
                stall_seconds=float(body.get("stall_seconds", 2.5)),
                times=None if body.get("times") is None else int(body["times"]),
            )
        elif name == "clear":
            self.clear_fault()
        elif name == "land":
            self.catalog.land_flight(
                int(argument), _control_time(body.get("at")), bool(body.get("success", True))
            )
        elif name == "undock":
            self.catalog.undock(int(argument), _control_time(body.get("at")))
        elif name == "launch":
            self.catalog.launch_crew(int(argument), _control_time(body.get("at")))
        elif name == "dock":
            self.catalog.dock(int(argument), _control_time(body.get("at")))
        elif name == "advance":
            self.advance(float(body["seconds"]))
        elif name == "reset-log":
            self.reset_log()
        elif name == "rate-limit":
            limit = body.get("requests_per_hour")
            self.requests_per_hour = None if limit is None else int(limit)
        elif name == "refuse":
            task = asyncio.create_task(self._refuse(float(body.get("seconds", 5))))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            raise KeyError(action)

    async def _refuse(self, seconds: float) -> None:
        await asyncio.sleep(0.05)
        await self.stop_listening()
        await self._sleep(seconds)
        await self.resume_listening()


_ASTRONAUT_MODES: dict[str, AstronautMode] = {"list": "list", "detailed": "detailed"}
_LAUNCH_MODES: dict[str, LaunchMode] = {"list": "list", "normal": "normal", "detailed": "detailed"}


def _statuses(query: Any, version: str) -> list[int] | None:
    """2.2.0 filters astronauts by `status`, 2.3.0 by `status_ids` (each ignores the other)."""
    raw = query.get("status" if version == "2.2.0" else "status_ids")
    if not raw:
        return None
    try:
        return [int(part) for part in str(raw).split(",") if part.strip()]
    except ValueError:
        raise _BadRequest("status", "Enter a number.") from None


def _control_time(value: object) -> datetime:
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, str):
        raise TypeError("`at` must be an ISO 8601 time")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def serve(arguments: argparse.Namespace) -> None:
    catalog = (
        Catalog.synthetic(seed=arguments.seed) if arguments.synthetic else Catalog.from_fixtures()
    )
    stub = LL2Stub(catalog, requests_per_hour=arguments.requests_per_hour)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    await stub.start(arguments.host, arguments.port)
    try:
        print(f"LL2 stub listening on http://{arguments.host}:{stub.port}", flush=True)
        await stop.wait()
    finally:
        await stub.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.stubs.ll2", description="A local Launch Library 2 stand-in."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--synthetic", action="store_true", help="fixtures plus generated data")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    parser.add_argument("--requests-per-hour", type=int, default=None, help="default: no limit")
    asyncio.run(serve(parser.parse_args(argv)))
