"""`/metrics` and `/healthz` over HTTP, for whoever runs Capcom (`METRICS_PORT`).

One aiohttp server inside the bot's lifetime (`bot/serve.py`), started before the bot
logs in, so a process still waiting for Discord already says so: `/healthz` answers 200
while every shard of this process is connected to the gateway and the database
answers, else 503 with one line saying why. `/metrics` is this process's `Metrics`
(`bot/metrics.py`), with what is read rather than counted set as it is scraped.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
from aiohttp import web

from bot.metrics import CONTENT_TYPE
from bot.runtime import Runtime
from bot.settings import Settings
from storage.database import StorageError

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 2.0
"""Seconds the database has to answer a health check."""


class CannotServe(Exception):
    """The metrics server cannot listen where it was told to (one line, naming the setting)."""


async def health_problem(runtime: Runtime, bot: discord.AutoShardedClient) -> str | None:
    """Why this process is not healthy, in one line; None when it is."""
    if not bot.is_ready():
        return "not connected to Discord's gateway yet"
    down = sorted(shard_id for shard_id, shard in bot.shards.items() if shard.is_closed())
    if down:
        return f"shard {', '.join(map(str, down))} not connected to Discord's gateway"
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT):
            await runtime.database.fetchone("SELECT 1")
    except StorageError as error:
        return f"the database does not answer: {error}"
    except TimeoutError:
        return f"the database does not answer within {DATABASE_TIMEOUT:.0f} s"
    return None


async def _refresh(runtime: Runtime, bot: discord.AutoShardedClient) -> None:
    """Set what is read rather than counted: the lease, gateway latency, the budget."""
    metrics = runtime.metrics
    metrics.lease_held.set(1 if runtime.lease.held else 0)
    metrics.gateway_latency.clear()
    for shard_id, latency in bot.latencies:
        if math.isfinite(latency):  # infinite until the first heartbeat is answered
            metrics.gateway_latency.labels(str(shard_id)).set(latency)
    try:
        status = await runtime.budget.status()
    except StorageError:
        return  # the database has logged why; the last value stays
    metrics.budget_left.set(status.remaining)


def _app(runtime: Runtime, bot: discord.AutoShardedClient) -> web.Application:
    async def metrics(_: web.Request) -> web.Response:
        await _refresh(runtime, bot)
        body = runtime.metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    async def healthz(_: web.Request) -> web.Response:
        problem = await health_problem(runtime, bot)
        if problem is None:
            return web.Response(text="ok\n")
        return web.Response(status=503, text=problem + "\n")

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    return app


@asynccontextmanager
async def serving(
    settings: Settings, runtime: Runtime, bot: discord.AutoShardedClient
) -> AsyncIterator[None]:
    """The metrics server while the block runs; nothing unless `METRICS_PORT` is set."""
    if settings.metrics_port is None:
        yield
        return
    runner = web.AppRunner(_app(runtime, bot), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.metrics_host, settings.metrics_port)
        try:
            await site.start()
        except OSError as error:
            raise CannotServe(
                f"METRICS_PORT: cannot listen on {settings.metrics_host}:{settings.metrics_port}:"
                f" {error.strerror or error}"
            ) from error
        host, port = runner.addresses[0][:2]
        log.info("metrics on http://%s:%d/metrics, health on /healthz", host, port)
        yield
    finally:
        await runner.cleanup()
