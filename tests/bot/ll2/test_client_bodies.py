"""What the LL2 client reads of an answer: at most `MAX_BODY_BYTES` once decompressed,
and JSON nested too deep to read is an unreadable answer like any other."""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.ll2.api import Endpoints
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import MAX_BODY_BYTES, LL2Client, Unavailable
from bot.ll2.freshness import StaleReason
from storage.database import Database
from storage.upstream import UpstreamLedger

FLIGHT = Endpoints("2.2.0").flight(219)
Answer = Callable[[], web.Response]


def _json(text: str, *, compressed: bool = False) -> Answer:
    def answer() -> web.Response:
        if not compressed:
            return web.Response(text=text, content_type="application/json")
        return web.Response(
            body=gzip.compress(text.encode()),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    return answer


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
async def serve(db: Database) -> AsyncIterator[Callable[[Answer], LL2Client]]:
    """An LL2 on loopback that sends the answer a test chooses to every request."""
    answers: list[Answer] = []

    async def handler(_: web.Request) -> web.Response:
        return answers[-1]()

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:

        def client(answer: Answer) -> LL2Client:
            answers.append(answer)
            base = str(server.make_url("/2.2.0/"))
            return LL2Client(session, base, Budget(UpstreamLedger(db), 100), sleep=_no_sleep)

        yield client


def _list_of(size: int) -> str:
    """A valid LL2-like list page of about `size` characters."""
    return '{"count":0,"results":[' + ",".join(["0"] * (size // 2)) + "]}"


@pytest.mark.parametrize("compressed", [False, True])
async def test_an_answer_past_the_cap_is_refused_and_said(
    serve: Callable[[Answer], LL2Client], caplog: pytest.LogCaptureFixture, compressed: bool
) -> None:
    client = serve(_json(_list_of(MAX_BODY_BYTES + 1_000), compressed=compressed))
    with caplog.at_level(logging.WARNING), pytest.raises(Unavailable) as failure:
        await client.get(FLIGHT, Priority.INTERACTIVE)
    assert failure.value.reason is StaleReason.ERROR
    assert "larger than 8 MB" in failure.value.detail
    assert "larger than 8 MB" in caplog.text


async def test_an_answer_under_the_cap_is_read(serve: Callable[[Answer], LL2Client]) -> None:
    body = _list_of(MAX_BODY_BYTES - 1_000)
    assert await serve(_json(body, compressed=True)).get(FLIGHT, Priority.INTERACTIVE) == body


@pytest.mark.parametrize("body", ["[" * 100_000, '{"results":' + '{"a":' * 50_000])
async def test_json_nested_too_deep_is_unreadable(
    serve: Callable[[Answer], LL2Client], body: str
) -> None:
    with pytest.raises(Unavailable) as failure:
        await serve(_json(body)).get(FLIGHT, Priority.INTERACTIVE)
    assert failure.value.reason is StaleReason.ERROR
    assert failure.value.detail == "unreadable JSON"
