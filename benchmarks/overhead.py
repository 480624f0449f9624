"""Benchmark 2, bot overhead: 200 concurrent `/flight` commands answered from the cache.

Latency is the Discord stand-in's (`InteractionResponse.latency`): from sending
INTERACTION_CREATE on the gateway to receiving the interaction callback. The floor is
`benchmarks.floor_bot`, a minimal discord.py bot that answers each `/flight` with the
message Capcom sent for that flight (captured from Capcom's warm-up answers: body and file
bytes), against its own instance of the same stand-in, in the same run: rounds of the two
alternate, so both see the same machine.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import re
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from benchmarks import botload, workload
from benchmarks.common import PROJECT_ROOT, SEED, Report, Table, machine, median, ms, percentile
from benchmarks.floor_bot import CapturedReply, capture, reply_key, save_replies
from benchmarks.workload import Command, Zipf
from tests.e2e.harness import TOKEN, BotProcess
from tests.stubs.discord import DiscordStub

CONCURRENT = 200
ROUNDS = 10
LOCALES = ("en-US", "de", "ja", "ru", "pt-BR", "vi")
"""The readers' Discord languages, drawn evenly: Capcom's answers are translated (its
catalogs), and `vi` has no catalog (English)."""
TARGET_P99_RATIO = 1.25
TARGET_P50_RATIO = 1.5
_SERVICE_MS = re.compile(r"capcom\.commands: /flight in guild \S+: (\d+) ms, from cache")


@asynccontextmanager
async def floor_bot(
    discord: DiscordStub, workdir: Path, replies: Mapping[str, CapturedReply]
) -> AsyncIterator[None]:
    """`python -m benchmarks.floor_bot` against `discord`, replaying `replies` (by the
    `flight` option), started and ready."""
    log_path = workdir / "floor.log"
    replies_path = workdir / "floor-replies.json"
    save_replies(replies_path, replies)
    env = os.environ | {
        "PYTHONPATH": str(PROJECT_ROOT),
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE_URL": discord.api_base_url,
        "DISCORD_GATEWAY_URL": discord.gateway_url,
        "FLOOR_REPLIES": str(replies_path),
    }
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.floor_bot",
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
    try:
        async with asyncio.timeout(30):
            while "floor ready" not in log_path.read_text(errors="replace"):
                if process.returncode is not None:
                    raise RuntimeError(f"the floor bot exited:\n{log_path.read_text()}")
                await asyncio.sleep(0.05)
        yield
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(10):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def captured_reply(discord: DiscordStub, command: Command) -> CapturedReply:
    """What the bot behind `discord` answers to `command`: the message body of its
    callback and the bytes of its files, as the stand-in received them."""
    handle = await discord.send_command(command.name, command.options, locale=command.locale)
    response = await handle.wait_response(30)
    if not response.ok or response.type != 4 or response.message is None:
        raise RuntimeError(f"{command.label} was not answered at once: {response}")
    return capture(response.data, response.message.get("attachments") or [], discord.uploads)


async def burst(discord: DiscordStub, commands: Sequence[Command]) -> list[float]:
    """All `commands` sent at once; each one's callback latency (seconds)."""
    handles = await asyncio.gather(
        *(discord.send_command(c.name, c.options, locale=c.locale) for c in commands)
    )
    responses = await asyncio.gather(*(h.wait_response(30) for h in handles))
    bad = [r for r in responses if not r.ok or r.type != 4]
    if bad:
        raise RuntimeError(f"{len(bad)} commands were not answered at once: {bad[0]}")
    return [r.latency for r in responses]


async def run(concurrent: int = CONCURRENT, rounds: int = ROUNDS) -> tuple[Report, bool]:
    catalog = workload.synthetic_catalog(SEED)
    rng = random.Random(SEED)
    popular = Zipf(sorted(catalog.flights), rng)
    commands = [
        Command("flight", {"flight": str(popular.draw())}, locale=rng.choice(LOCALES))
        for _ in range(concurrent)
    ]
    asked = sorted({(str(c.options["flight"]), c.locale) for c in commands})
    capcom: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory(prefix="capcom-bench-") as directory:
        workdir = Path(directory)
        async with (
            botload.stand_ins(catalog) as (ll2, capcom_discord),
            botload.stand_ins(catalog) as (_, floor_discord),
        ):
            bot = BotProcess(capcom_discord, ll2, workdir, env=dict(botload.QUIET_ENV))
            await bot.start()
            try:
                await botload.settle(bot)
                # Warm the cache (one /flight per id and language), keeping each answer for
                # the floor.
                replies: dict[str, CapturedReply] = {}
                for flight, locale in asked:
                    command = Command("flight", {"flight": flight}, locale=locale)
                    await botload.answer(capcom_discord, command)  # fetched from LL2
                    replies[reply_key(flight, locale)] = await captured_reply(
                        capcom_discord, command
                    )
                async with floor_bot(floor_discord, workdir, replies):
                    for flight, locale in asked:  # the floor sends what Capcom sent
                        command = Command("flight", {"flight": flight}, locale=locale)
                        if (
                            await captured_reply(floor_discord, command)
                            != replies[reply_key(flight, locale)]
                        ):
                            raise RuntimeError(f"the floor's answer to {command.label} differs")
                    before = ll2.upstream_count()
                    # This process runs both stand-ins: keep its collector's passes over the
                    # catalog out of the latencies.
                    gc.collect()
                    gc.freeze()
                    await burst(capcom_discord, commands)  # warm-up rounds, not counted
                    await burst(floor_discord, commands)
                    for _ in range(rounds):
                        floor += await burst(floor_discord, commands)
                        capcom += await burst(capcom_discord, commands)
                upstream = ll2.upstream_count() - before
                gc.unfreeze()
                await asyncio.sleep(0.5)
                service = [int(m) / 1000 for m in _SERVICE_MS.findall(bot.log())]
            finally:
                await bot.stop()
    distinct = len({flight for flight, _ in asked})
    return _report(capcom, floor, service, distinct, upstream, concurrent, rounds)


def _report(
    capcom: list[float],
    floor: list[float],
    service: list[float],
    distinct: int,
    upstream: int,
    concurrent: int,
    rounds: int,
) -> tuple[Report, bool]:
    result = Report("overhead", "2. Bot overhead", machine())
    table = Table(["", "median", "p90", "p99", "max"])
    for name, sample in (
        ("Capcom `/flight`, from cache", capcom),
        ("floor: discord.py bot replaying Capcom's message", floor),
    ):
        table.add(
            name,
            *(
                ms(v)
                for v in (
                    median(sample),
                    percentile(sample, 0.9),
                    percentile(sample, 0.99),
                    max(sample),
                )
            ),
        )
    p99_ratio = percentile(capcom, 0.99) / percentile(floor, 0.99)
    p50_ratio = median(capcom) / median(floor)
    table.add(
        "ratio Capcom / floor",
        *(
            f"{a / b:.2f}x"
            for a, b in (
                (median(capcom), median(floor)),
                (percentile(capcom, 0.9), percentile(floor, 0.9)),
                (percentile(capcom, 0.99), percentile(floor, 0.99)),
                (max(capcom), max(floor)),
            )
        ),
    )
    result.table(
        table,
        f"{rounds} rounds of {concurrent} concurrent `/flight` commands ({distinct} distinct "
        f"flights, Zipf), by readers in {', '.join(LOCALES)} (drawn evenly), after a warm-up "
        f"round; the floor answers each with the message Capcom sent for that flight in that "
        f"language (body and file bytes, checked equal before the rounds); "
        f"latency = INTERACTION_CREATE sent → callback received, at the Discord stand-in "
        f"({len(capcom)} samples each):",
    )
    if service:
        result.note(
            f"Capcom's own time per command (its log: from the interaction reaching `respond` "
            f"to the reply sent): median {median(service) * 1000:.0f} ms, p99 "
            f"{percentile(service, 0.99) * 1000:.0f} ms. "
            f"LL2 requests during the rounds: {upstream}."
        )
    met = result.target(
        f"p99 ≤ {TARGET_P99_RATIO}x and median ≤ {TARGET_P50_RATIO}x the floor's",
        f"p99 {p99_ratio:.2f}x, median {p50_ratio:.2f}x",
        p99_ratio <= TARGET_P99_RATIO and p50_ratio <= TARGET_P50_RATIO,
    )
    return result, met
