"""Faults end to end: LL2 failing in every way the stand-in can, and SQLite failing under
the bot; `capcom run` as a process, the real discord.py client, both stand-ins.

For every fault and every command (`/flight`, `/flights`, `/crew`, `/inspace`,
autocomplete, the alert poll) the user gets a first response inside Discord's 3 s and
then data, stale data with its age, or a plain-language error; the bot logs no traceback
(storage faults log one ERROR line saying what is wrong, which is expected); retries
never overspend the budget; a 429 stops every upstream call until its time is up; and
once the fault is gone the next command is served normally.

The LL2 faults share one bot process (module-scoped). Before each fault every cached
document is aged past its freshness window (in the SQLite file, from this process: WAL
lets two processes share it), so each command must ask LL2, meets the fault, and has a
stale copy to fall back on; one astronaut nobody fetched before has none.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import resource
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.ll2.client import INTERACTIVE_DEADLINE
from storage.sqlite import BUSY_TIMEOUT_MS
from tests.e2e.harness import BotProcess, running_bot
from tests.stubs.discord import InteractionHandle
from tests.stubs.ll2 import Catalog, Fault, RequestRecord

NOW = datetime.now(UTC)
VERSION = "2.2.0"
"""The fault suite runs on LL2 2.2.0, whose catalog-sync pages do not stand in for each
flight's and person's detail: something can then be 'never fetched' while the bot runs.
(On 2.3.0 one detailed page caches a hundred of them; see tests/bot/test_catalog.py.)"""
DAY = 86_400.0
ATTEMPTS = 3
"""The LL2 client's attempts per request, retries included."""
ANSWER_WITHIN = INTERACTIVE_DEADLINE + 4.0
"""A deferred user has the reply this long after the command at the latest: the LL2
client gives up on a command's request (retries included) after INTERACTIVE_DEADLINE."""
MATRIX_BUDGET = 200
RETRY_AFTER = 3
CALLBACK_DEFER = 5
CALLBACK_AUTOCOMPLETE = 8
POLL_SKIPPED = "alert poll skipped"
BAD_LOG = re.compile(r"Traceback|Task exception was never retrieved| ERROR ")
STALE = re.compile(r"⚠️ Data from <t:\d+:R> — (?P<reason>[^\n]+)")
UNREACHABLE = "LL2 is unreachable"
THROTTLED = "LL2 is rate-limiting"
UNUSABLE = "LL2 sent an unusable answer"
BUDGET_SPENT = "Capcom's hourly LL2 budget is spent"
STORAGE_DOWN = (
    "error: Capcom's storage is not working right now and nothing is cached yet;"
    " try again in 60 seconds."
)
BACKGROUND_ENV = {"ALERT_POLL_SECONDS": "2", "SYNC_INTERVAL_SECONDS": "86400"}
"""A poll every 2 s (it asks LL2 only when its copy is over 5 minutes old); one sync
step, at start."""


# --- what a user saw ----------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One interaction: its first response, and what the user ended up seeing when."""

    command: str
    status: int
    latency: float
    deferred: bool
    outcome: str
    """What the user saw: data, stale data (`stale: <reason>`), an error (`error: <text>`),
    autocomplete choices (`choices: <n>`), or nothing (`no answer: …`)."""
    answered_after: float

    def __str__(self) -> str:
        defer = ", deferred" if self.deferred else ""
        return (
            f"{self.command}: first response {self.status} after {self.latency:.2f} s{defer}; "
            f"{self.outcome} after {self.answered_after:.1f} s"
        )


def embeds_text(message: dict[str, Any]) -> str:
    return "\n".join(
        str(part)
        for embed in message.get("embeds") or []
        for part in (embed.get("title"), embed.get("description"))
        if part
    )


def outcome_of(message: dict[str, Any]) -> str:
    text = embeds_text(message)
    if text.startswith("❌"):
        return "error: " + text.removeprefix("❌ ")
    stale = STALE.search(text)
    return f"stale: {stale['reason']}" if stale else "data"


async def watch(name: str, handle: InteractionHandle, message_timeout: float) -> Seen:
    try:
        first = await handle.wait_response(timeout=5)
    except TimeoutError:
        return Seen(name, 0, 99.0, False, "no answer: no first response", 99.0)
    if first.type == CALLBACK_AUTOCOMPLETE:
        choices = first.data.get("choices") if isinstance(first.data, dict) else None
        outcome = f"choices: {len(choices or [])}"
        return Seen(name, first.status, first.latency, False, outcome, first.latency)
    deferred = first.type == CALLBACK_DEFER
    try:
        message = await handle.wait_message(timeout=message_timeout)
    except TimeoutError:
        return Seen(name, first.status, first.latency, deferred, "no answer: no message", 99.0)
    after = time.monotonic() - handle.dispatched_at
    return Seen(name, first.status, first.latency, deferred, outcome_of(message), after)


Command = tuple[str, Callable[[], Awaitable[InteractionHandle]]]


def commands(bot: BotProcess, uncached: int) -> list[Command]:
    """The four cached commands, one astronaut never fetched, and two autocompletes."""
    discord = bot.discord
    return [
        ("/flight 219", lambda: discord.send_command("flight", {"flight": "219"})),
        ("/flights", lambda: discord.send_command("flights")),
        ("/crew 545", lambda: discord.send_command("crew", {"astronaut": "545"})),
        ("/inspace", lambda: discord.send_command("inspace")),
        (
            f"/crew {uncached} (never fetched)",
            lambda: discord.send_command("crew", {"astronaut": str(uncached)}),
        ),
        (
            "autocomplete /crew",
            lambda: discord.send_autocomplete("crew", {"astronaut": "rom"}, "astronaut"),
        ),
        (
            "autocomplete /flight",
            lambda: discord.send_autocomplete("flight", {"flight": "soyuz"}, "flight"),
        ),
    ]


CACHED = slice(0, 4)
UNCACHED = 4
AUTOCOMPLETE = slice(5, 7)


async def run_all(todo: Sequence[Command], message_timeout: float = 20.0) -> list[Seen]:
    """Every command at once, as several users would send them."""
    handles = [await send() for _, send in todo]
    return list(
        await asyncio.gather(
            *(
                watch(name, handle, message_timeout)
                for (name, _), handle in zip(todo, handles, strict=True)
            )
        )
    )


def answered_in_time(seen: Seen, within: float = ANSWER_WITHIN) -> list[str]:
    """Discord's rule (a first response within 3 s) and a reply in bounded time."""
    problems = []
    if seen.status != 200 or seen.latency >= 3.0:
        problems.append(f"late or refused first response: {seen}")
    if seen.outcome.startswith("no answer") or seen.answered_after > within:
        problems.append(f"no timely answer: {seen}")
    return problems


# --- the bot's files and log ---------------------------------------------------------------


def _age_documents(database: Path, fetched_before: float) -> None:
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db, db:
        db.execute("UPDATE documents SET fetched_at = MIN(fetched_at, ?)", (fetched_before,))


async def age_cache(bot: BotProcess, days: float = 40) -> None:
    """Every cached document `days` old: past every freshness window, so LL2 is asked."""
    await asyncio.to_thread(_age_documents, bot.database, time.time() - days * DAY)


def bad_log_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if BAD_LOG.search(line)]


async def eventually(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition` holds within `seconds` (checked every 50 ms)."""
    for _ in range(round(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


async def settled(bot: BotProcess) -> None:
    """The start-up background work is done: the first alert poll and sync step."""
    await bot.wait_log("alert poll")
    await bot.wait_log("catalog sync")


def is_poll(record: RequestRecord) -> bool:
    """The alert poll's own request: who is in space (`in_space=true`), asked every poll
    (the same document `/inspace` reads, which commands may also ask for)."""
    return record.query.get("in_space") == "true"


def resource_key(record: RequestRecord) -> str:
    return record.path + "?" + "&".join(f"{k}={v}" for k, v in sorted(record.query.items()))


# --- LL2 faults, one bot for all --------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    fault: Fault | None
    """None: connection refused (the stand-in stops listening)."""
    reason: str | None
    """What a user with a cached copy is told; None: fresh data (the fault is survivable)."""
    attempts: int
    """Requests per resource LL2 may see during the fault."""


CASES = (
    Case("connection refused", None, UNREACHABLE, 0),
    Case("500", Fault.ERROR_500, UNREACHABLE, ATTEMPTS),
    Case("HTML 502", Fault.HTML_502, UNREACHABLE, ATTEMPTS),
    Case("429 with Retry-After", Fault.THROTTLE, THROTTLED, 1),
    Case("truncated JSON", Fault.TRUNCATED_JSON, UNUSABLE, ATTEMPTS),
    Case("JSON of the wrong shape", Fault.WRONG_SHAPE, UNUSABLE, 1),
    Case("2.5 s stall", Fault.STALL, None, 1),
    Case("hang", Fault.HANG, UNREACHABLE, 1),
)
UNCACHED_ASTRONAUTS = dict(zip(CASES, (1, 3, 6, 7, 8, 9, 12, 14), strict=True))
"""One astronaut per fault that no command fetched before: nothing cached to fall back on."""


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def matrix_bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    """One bot for every LL2 fault, its cache warmed by the four commands."""
    workdir = tmp_path_factory.mktemp("faults")
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=NOW)
    env = BACKGROUND_ENV | {"LL2_REQUESTS_PER_HOUR": str(MATRIX_BUDGET)}
    async with running_bot(workdir, catalog=catalog, env=env, version=VERSION) as bot:
        await settled(bot)
        warm = await run_all(commands(bot, 0)[CACHED])
        assert all(seen.outcome == "data" for seen in warm), warm
        yield bot


async def inject(bot: BotProcess, case: Case) -> None:
    if case.fault is None:
        await bot.ll2.stop_listening()
    else:
        bot.ll2.set_fault(case.fault, retry_after=RETRY_AFTER)


async def clear(bot: BotProcess, case: Case) -> None:
    if case.fault is None:
        await bot.ll2.resume_listening()
    bot.ll2.clear_fault()


def expected_problems(case: Case, seen: Sequence[Seen]) -> list[str]:
    """What each user should see under this fault, compared with what they saw."""
    problems = [problem for one in seen for problem in answered_in_time(one)]
    for one in seen[CACHED]:
        wanted = "data" if case.reason is None else f"stale: {case.reason}"
        # /inspace reads the alert poll's own document: a poll that ran between the cache
        # being aged and the fault refreshed it, and then it is rightly fresh.
        fresh_from_the_poll = one.command == "/inspace" and one.outcome == "data"
        if one.outcome != wanted and not fresh_from_the_poll:
            problems.append(f"{one.command}: wanted {wanted!r}, saw {one.outcome!r}")
    uncached = seen[UNCACHED]
    wanted = (
        "data"
        if case.reason is None
        else f"error: {case.reason} and nothing is cached yet; try again in"
    )
    if not uncached.outcome.startswith(wanted):
        problems.append(f"{uncached.command}: wanted {wanted!r}…, saw {uncached.outcome!r}")
    for one in seen[AUTOCOMPLETE]:
        if not one.outcome.startswith("choices: ") or one.outcome == "choices: 0":
            problems.append(f"{one.command}: no choices from the index ({one.outcome})")
    return problems


def budget_problems(case: Case, during: Sequence[RequestRecord]) -> list[str]:
    """No resource asked more often than the client's attempts allow under this fault."""
    counts: dict[str, int] = {}
    for record in during:
        if not is_poll(record):
            counts[resource_key(record)] = counts.get(resource_key(record), 0) + 1
    over = {key: count for key, count in counts.items() if count > case.attempts}
    return [f"asked more than {case.attempts} times: {over}"] if over else []


def throttle_problems(during: Sequence[RequestRecord], blocked_from: float) -> list[str]:
    """Nothing upstream from the moment the bot had its 429 until Retry-After ran out."""
    throttled = [record for record in during if record.status == 429]
    if not throttled:
        return ["LL2 never answered 429"]
    until = throttled[0].timestamp + RETRY_AFTER
    sneaked = [r.path for r in during if blocked_from <= r.timestamp < until]
    return [f"upstream requests while blocked by a 429: {sneaked}"] if sneaked else []


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_an_ll2_fault_for_every_command(matrix_bot: BotProcess, case: Case) -> None:
    bot, ll2 = matrix_bot, matrix_bot.ll2
    log_from = len(bot.log())
    skipped = bot.log().count(POLL_SKIPPED)
    await age_cache(bot)
    first_request = len(ll2.requests)
    started = ll2.now()
    todo = commands(bot, UNCACHED_ASTRONAUTS[case])
    seen: list[Seen] = []
    blocked_from = started
    await inject(bot, case)
    try:
        if case.fault is Fault.THROTTLE:  # the 429 first; then everyone while it holds
            seen += await run_all(todo[:1])
            blocked_from = ll2.now()
            todo = todo[1:]
        seen += await run_all(todo)
        if case.reason is not None and case.fault is not Fault.HANG:
            polled = await eventually(lambda: bot.log().count(POLL_SKIPPED) > skipped, 10)
        else:
            polled = True  # the poll waits out a hang, or a stall is only slow
    finally:
        during = [r for r in ll2.requests[first_request:] if r.kind == "upstream"]
        await clear(bot, case)
    print(f"\n{case.name}:", *seen, sep="\n  ")

    problems = expected_problems(case, seen) + budget_problems(case, during)
    if not polled:
        problems.append("the alert poll did not report the fault")
    if case.fault is Fault.THROTTLE:
        problems += throttle_problems(during, blocked_from)
        last = max(r.timestamp for r in during if r.status == 429)
        await asyncio.sleep(max(0.0, last + RETRY_AFTER - ll2.now()) + 0.2)

    after = await run_all(commands(bot, UNCACHED_ASTRONAUTS[case])[CACHED])
    problems += [f"after the fault, {one}" for one in after if one.outcome != "data"]
    poll_recovered = await eventually(
        lambda: any(
            is_poll(r) and r.status == 200 and r.timestamp >= started for r in ll2.requests
        ),
        15,
    )
    if not poll_recovered:
        problems.append("the alert poll did not fetch again after the fault")
    problems += [f"log: {line}" for line in bad_log_lines(bot.log()[log_from:])]
    if ll2.upstream_count() > MATRIX_BUDGET:
        problems.append(f"{ll2.upstream_count()} requests to LL2, over {MATRIX_BUDGET}")
    assert not problems, "\n".join(problems)


# --- a small budget -------------------------------------------------------------------------


async def test_retries_never_overspend_a_small_budget(tmp_path: Path) -> None:
    """9 an hour: 2 spent by the poll and the sync at start, 2 by warming the cache; LL2
    then fails every request, and five users at once leave retries only 5 slots."""
    budget = 9
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=NOW)
    env = BACKGROUND_ENV | {"LL2_REQUESTS_PER_HOUR": str(budget), "ALERT_POLL_SECONDS": "1"}
    async with running_bot(tmp_path, catalog=catalog, env=env, version=VERSION) as bot:
        ll2 = bot.ll2
        ll2.requests_per_hour = budget  # LL2 itself would say 429 past the budget
        await settled(bot)
        warm = await run_all(commands(bot, 0)[:3:2])
        assert [seen.outcome for seen in warm] == ["data", "data"], warm
        await age_cache(bot)
        ll2.set_fault(Fault.ERROR_500)
        seen = await run_all(commands(bot, 3)[: UNCACHED + 1])
        print(*seen, sep="\n")
        assert ll2.upstream_count() <= budget
        for one in seen:
            assert not answered_in_time(one)
            assert one.outcome.startswith(
                ("stale: ", f"error: {UNREACHABLE} and", f"error: {BUDGET_SPENT} and")
            ), one
        assert any(BUDGET_SPENT in one.outcome for one in seen), seen

        ll2.clear_fault()  # LL2 is back, but the hour's budget is gone
        again = await run_all(commands(bot, 3)[: UNCACHED + 1])
        print(*again, sep="\n")
        assert [one.outcome for one in again] == [
            f"stale: {BUDGET_SPENT}"
            # /inspace is the alert poll's own document: the poll keeps it cached
            if one.command in ("/flight 219", "/crew 545", "/inspace")
            else f"error: {BUDGET_SPENT} and nothing is cached yet; try again in 60 minutes."
            for one in again
        ]
        assert await eventually(lambda: f"{POLL_SKIPPED}: {BUDGET_SPENT}" in bot.log(), 5)
        assert ll2.upstream_count() <= budget
        assert not [r for r in ll2.requests if r.status == 429]
        assert not bad_log_lines(bot.log())


# --- SQLite faults --------------------------------------------------------------------------

HOLD_WRITE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


@contextlib.asynccontextmanager
async def write_lock_held(database: Path) -> AsyncIterator[None]:
    """Another process holds the database's write lock (as a long VACUUM or an open
    `sqlite3` shell transaction would) until the block ends."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLD_WRITE_LOCK,
        str(database),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert await asyncio.wait_for(process.stdout.readline(), 30) == b"locked\n"
        yield
    finally:
        process.stdin.close()
        await process.wait()


def storage_errors(log: str) -> list[str]:
    return [line for line in bad_log_lines(log) if "storage.database: storage: " in line]


@contextlib.asynccontextmanager
async def storage_bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    """A bot whose cache holds /flight 219 and /crew 545, fresh; background work ran at
    start only (the alert poll's own storage handling is in its own test)."""
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=NOW)
    env = {"ALERT_POLL_SECONDS": "86400", "SYNC_INTERVAL_SECONDS": "86400"}
    async with running_bot(tmp_path, catalog=catalog, env=env, version=VERSION) as bot:
        await settled(bot)
        warm = await run_all(commands(bot, 0)[:3:2])
        assert [seen.outcome for seen in warm] == ["data", "data"], warm
        yield bot


async def reads_and_a_write(bot: BotProcess, uncached: int) -> list[Seen]:
    """A command that must write (its budget slot) first, then, while it waits, what
    only reads: a cached flight, a cached astronaut, autocomplete."""
    todo = commands(bot, uncached)
    write = asyncio.ensure_future(run_all([todo[UNCACHED]]))
    await asyncio.sleep(0.5)
    reads = await run_all([todo[0], todo[2], *todo[AUTOCOMPLETE]])
    return [*await write, *reads]


async def test_a_database_locked_by_another_process(tmp_path: Path) -> None:
    async with storage_bot(tmp_path) as bot:
        async with write_lock_held(bot.database):
            seen = await reads_and_a_write(bot, 3)
        print(*seen, sep="\n")
        write, flight, crew, *completions = seen
        assert write.outcome == STORAGE_DOWN and write.deferred
        assert (flight.outcome, crew.outcome) == ("data", "data")
        assert all(one.outcome.startswith("choices: ") for one in completions)
        assert all(one.latency < 1.0 for one in (flight, crew, *completions))
        for one in seen:  # the write waited out SQLite's busy timeout, then gave up
            assert not answered_in_time(one, within=BUSY_TIMEOUT_MS / 1000 + 4)
        after = await run_all(commands(bot, 6)[UNCACHED : UNCACHED + 1])
        assert after[0].outcome == "data", after
        log = bot.log()
        assert len(storage_errors(log)) == 1, storage_errors(log)
        assert "the database is locked by another process" in storage_errors(log)[0]
        assert bad_log_lines(log) == storage_errors(log)


@contextlib.asynccontextmanager
async def disk_full(bot: BotProcess) -> AsyncIterator[None]:
    """Every database write fails: RLIMIT_FSIZE set on the bot below the WAL's end, so a
    write there fails with EFBIG (as a full disk fails with ENOSPC), with room left for
    the bot's log to grow. Only the soft limit moves, so it can be lifted again."""
    assert bot.process is not None
    wal = bot.database.with_name(bot.database.name + "-wal")
    limit = bot.log_path.stat().st_size + 64 * 1024
    assert wal.stat().st_size > limit, "the WAL is too small for the limit to catch writes"
    soft, hard = resource.prlimit(bot.process.pid, resource.RLIMIT_FSIZE)
    resource.prlimit(bot.process.pid, resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.prlimit(bot.process.pid, resource.RLIMIT_FSIZE, (soft, hard))


async def test_a_full_disk(tmp_path: Path) -> None:
    async with storage_bot(tmp_path) as bot:
        async with disk_full(bot):
            seen = await reads_and_a_write(bot, 3)
            again = await run_all(commands(bot, 6)[UNCACHED : UNCACHED + 1])
        print(*seen, *again, sep="\n")
        write, flight, crew, *completions = seen
        assert write.outcome == STORAGE_DOWN and again[0].outcome == STORAGE_DOWN
        assert (flight.outcome, crew.outcome) == ("data", "data")
        assert all(one.outcome.startswith("choices: ") for one in completions)
        for one in seen:
            assert not answered_in_time(one)
        after = await run_all(commands(bot, 7)[UNCACHED : UNCACHED + 1])
        assert after[0].outcome == "data", after
        log = bot.log()
        assert len(storage_errors(log)) == 1, storage_errors(log)
        assert "writing to the disk failed" in storage_errors(log)[0]
        assert bad_log_lines(log) == storage_errors(log)


async def test_the_database_file_deleted_while_running(tmp_path: Path) -> None:
    async with storage_bot(tmp_path) as bot:
        for path in bot.workdir.glob("capcom.db*"):
            path.unlink()
        seen = await run_all(commands(bot, 3)[: UNCACHED + 1])
        print(*seen, sep="\n")
        assert [one.outcome for one in seen] == ["data"] * 5
        for one in seen:
            assert not answered_in_time(one)
        again = await run_all(commands(bot, 6)[UNCACHED : UNCACHED + 1])
        assert again[0].outcome == "data"
        log = bot.log()
        assert len(storage_errors(log)) == 1, storage_errors(log)
        assert "was deleted or replaced while Capcom was running" in storage_errors(log)[0]
        assert bad_log_lines(log) == storage_errors(log)


async def test_background_work_under_a_full_disk(tmp_path: Path) -> None:
    """The alert poll and the catalog sync, every second, while no write succeeds: one
    line says what is wrong, no traceback; both carry on once the disk has room."""
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=NOW)
    env = {
        "ALERT_POLL_SECONDS": "1",
        "SYNC_INTERVAL_SECONDS": "1",
        "LL2_REQUESTS_PER_HOUR": "100000",  # a poll every second, all through the test
    }
    async with running_bot(tmp_path, catalog=catalog, env=env, version=VERSION) as bot:
        await settled(bot)
        await bot.wait_log(" people in space, ")
        async with disk_full(bot):
            await asyncio.sleep(3)
            log_from = len(bot.log())
        assert await eventually(lambda: " people in space, " in bot.log()[log_from:], 5)
        log = bot.log()
        assert len(storage_errors(log)) == 1, storage_errors(log)
        assert bad_log_lines(log) == storage_errors(log)
