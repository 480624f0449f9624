"""The HTTP side of LL2: budget, 429 back-off, retries, and plain-language errors."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp

from bot.ll2.api import Request
from bot.ll2.budget import Budget, Priority
from bot.ll2.freshness import StaleReason
from bot.metrics import Metrics
from storage.database import StorageError

log = logging.getLogger(__name__)

_EXPECTED_IN = re.compile(r"available in (\d+(?:\.\d+)?) seconds?", re.IGNORECASE)
_DEFAULT_RETRY_AFTER = 60.0
_UNREACHABLE_RETRY = 60.0
INTERACTIVE_DEADLINE = 8.0
"""Seconds a command's request may take, retries and back-off included: a user whose
reply was deferred gets the cached copy or an error by then, however LL2 fails."""
BACKGROUND_DEADLINE = 30.0
"""The same for background work, which nobody waits on."""
MIN_ATTEMPT_SECONDS = 1.0
"""No retry is started with less than this left before the deadline."""
MAX_BODY_BYTES = 8 * 2**20
"""The most of an answer read, decompressed (LL2's largest real page is well under 1 MB):
anything longer is refused as an unusable answer before it fills the memory."""
_READ_CHUNK = 64 * 1024
USER_AGENT = "Capcom Discord bot (+https://github.com/capcom-bot)"


class LL2Error(Exception):
    """A failure to show to a user: `str(error)` is one plain-language sentence."""


class NotFound(LL2Error):
    pass


class Unavailable(LL2Error):
    """No fresh answer from LL2 now; `retry_at` (UNIX time) says when to try again."""

    def __init__(
        self,
        reason: StaleReason,
        retry_at: float | None,
        detail: str = "",
        *,
        retryable: bool = True,
    ) -> None:
        self.reason = reason
        self.retry_at = retry_at
        self.detail = detail
        self.retryable = retryable
        super().__init__(reason.value)


def parse_retry_after(retry_after: str | None, body: str) -> float:
    """Seconds to wait after a 429: `Retry-After`, else DRF's 'Expected available in N seconds'."""
    if retry_after is not None:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            pass
    match = _EXPECTED_IN.search(body)
    return float(match.group(1)) if match else _DEFAULT_RETRY_AFTER


class LL2Client:
    """GETs LL2 inside the hourly budget.

    Each attempt, retries included, takes a budget slot. 5xx answers, unreadable
    bodies and connection errors are retried with jittered exponential back-off,
    all inside one deadline per call (`INTERACTIVE_DEADLINE` for commands), so an
    LL2 that hangs costs a user seconds, not three full timeouts; a 429 blocks
    every process on the database until LL2's stated time.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        budget: Budget,
        *,
        api_key: str | None = None,
        attempts: int = 3,
        backoff: float = 0.5,
        request_timeout: float = 10.0,
        deadlines: dict[Priority, float] | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        timer: Callable[[], float] = time.monotonic,
        metrics: Metrics | None = None,
    ) -> None:
        self._session = session
        self._metrics = metrics or Metrics()
        self._base_url = base_url.rstrip("/") + "/"
        self._budget = budget
        self._headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if api_key:
            self._headers["Authorization"] = f"Token {api_key}"
            if urlsplit(base_url).scheme.lower() != "https":
                log.warning(
                    "LL2_BASE_URL is not https: LL2_API_KEY travels unencrypted with every "
                    "request to %s",
                    urlsplit(base_url).hostname,
                )
        self._attempts = attempts
        self._backoff = backoff
        self._request_timeout = request_timeout
        self._deadlines = {
            Priority.INTERACTIVE: INTERACTIVE_DEADLINE,
            Priority.BACKGROUND: BACKGROUND_DEADLINE,
            Priority.SPARE: BACKGROUND_DEADLINE,
            Priority.TIMELY: BACKGROUND_DEADLINE,
        } | (deadlines or {})
        self._clock = clock
        self._sleep = sleep
        self._timer = timer

    def deadline(self, priority: Priority) -> float:
        """When a call of this priority started now must be over (on the client's timer)."""
        return self._timer() + self._deadlines[priority]

    def seconds_left(self, deadline: float) -> float:
        return deadline - self._timer()

    async def get(
        self, request: Request, priority: Priority, *, deadline: float | None = None
    ) -> str:
        """The JSON text LL2 answers, or NotFound / Unavailable (at the latest when the
        priority's deadline has passed). `deadline` (from `deadline()`): one taken
        earlier, when what led to this call, such as a wait for another process's
        fetch, must fit in the same time."""
        if deadline is None:
            deadline = self.deadline(priority)
        failure: Unavailable | None = None
        for attempt in range(self._attempts):
            if attempt:
                pause = self._backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
                if self._timer() + pause + MIN_ATTEMPT_SECONDS > deadline:
                    break
                await self._sleep(pause)
            left = deadline - self._timer()
            if left <= 0:
                break
            try:
                denial = await self._budget.try_acquire(priority, request.path)
            except StorageError as error:
                # Without a record of the request, the hourly limit cannot be kept.
                raise Unavailable(
                    StaleReason.STORAGE, self._clock() + 60, str(error), retryable=False
                ) from error
            if denial is not None:
                reason = StaleReason.THROTTLED if denial.throttled else StaleReason.BUDGET
                raise Unavailable(reason, denial.retry_at)
            try:
                return await self._attempt(request, priority, min(self._request_timeout, left))
            except Unavailable as error:
                if error.reason is StaleReason.THROTTLED or not error.retryable:
                    raise
                log.warning(
                    "LL2 %s failed (attempt %d): %s", request.path, attempt + 1, error.detail
                )
                failure = error
        if failure is None:
            failure = Unavailable(
                StaleReason.UNREACHABLE, self._clock() + _UNREACHABLE_RETRY, "no time left"
            )
        raise failure

    async def _attempt(self, request: Request, priority: Priority, seconds: float) -> str:
        url = self._base_url + request.path
        endpoint = request.resource.value
        timeout = aiohttp.ClientTimeout(total=seconds, sock_connect=min(5.0, seconds))
        try:
            async with self._session.get(
                url, params=list(request.params), headers=self._headers, timeout=timeout
            ) as response:
                status = response.status
                headers = response.headers
                raw = await _read_capped(response, MAX_BODY_BYTES)
                charset = response.charset
        except (aiohttp.ClientError, TimeoutError) as error:
            timed_out = isinstance(error, TimeoutError)
            self._metrics.ll2_request(endpoint, priority, "timeout" if timed_out else "unreachable")
            detail = (
                f"no answer within {seconds:.1f} s"
                if timed_out
                else f"{type(error).__name__}: {error}"
            )
            raise Unavailable(
                StaleReason.UNREACHABLE, self._clock() + _UNREACHABLE_RETRY, detail
            ) from error
        self._metrics.ll2_request(endpoint, priority, str(status))
        if raw is None:
            raise Unavailable(
                StaleReason.ERROR,
                self._clock() + _UNREACHABLE_RETRY,
                f"answer larger than {MAX_BODY_BYTES // 2**20} MB, refused unread",
            )
        body = _decode(raw, charset)
        if status == 200:
            try:
                json.loads(body)
            except (ValueError, RecursionError) as error:  # nested past Python's stack
                raise Unavailable(
                    StaleReason.ERROR, self._clock() + _UNREACHABLE_RETRY, "unreadable JSON"
                ) from error
            return body
        if status == 404:
            raise NotFound(f"LL2 has no {request.resource.value} at {request.path}")
        if status == 429:
            wait = parse_retry_after(headers.get("Retry-After"), body)
            retry_at = self._clock() + wait
            await self._budget.block_until(retry_at)
            log.warning("LL2 throttled %s: no requests for %.0f s", request.path, wait)
            raise Unavailable(StaleReason.THROTTLED, retry_at, f"429, retry after {wait:.0f} s")
        retry_at = self._clock() + _UNREACHABLE_RETRY
        if status >= 500:
            raise Unavailable(StaleReason.UNREACHABLE, retry_at, f"HTTP {status}")
        raise Unavailable(StaleReason.ERROR, retry_at, f"HTTP {status}", retryable=False)


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes | None:
    """The (decompressed) body, or None as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(raw: bytes, charset: str | None) -> str:
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", errors="replace")
