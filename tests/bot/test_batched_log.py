"""`BatchedLog`: a log line costs the caller a queue put; a thread writes the lines."""

from __future__ import annotations

import io
import logging
import threading
import time

from bot.batched_log import BatchedLog


class _Stream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writers: set[str] = set()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writers.add(threading.current_thread().name)
        self.writes += 1
        return super().write(text)


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"test.batched.{id(handler)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return logger


def test_lines_are_written_in_order_in_one_batch_by_the_thread() -> None:
    stream = _Stream()
    handler = BatchedLog(stream, gather=0.5)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    log = _logger(handler)
    for number in range(100):
        log.info("/flight in guild %s: %d ms", 1, number)
    assert stream.getvalue() == "", "nothing is written by the caller"
    # The first line woke the thread; the other 99 came while the batch gathered.
    deadline = time.monotonic() + 5
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    handler.close()
    lines = stream.getvalue().splitlines()
    assert lines == [f"INFO /flight in guild 1: {n} ms" for n in range(100)]
    assert stream.writers == {"capcom-log"} and stream.writes == 1


def test_what_is_queued_is_written_on_flush_and_on_close() -> None:
    stream = _Stream()
    handler = BatchedLog(stream, gather=60)
    log = _logger(handler)
    log.warning("first")
    handler.flush()
    assert stream.getvalue() == "first\n"
    log.warning("last words")
    handler.close()
    assert stream.getvalue() == "first\nlast words\n"


def test_close_while_a_batch_gathers_writes_it_and_returns() -> None:
    """Closing at exit comes moments after the last line ("stopped"): whatever the
    thread is doing then, close writes the line and returns (it once waited forever)."""
    for number in range(200):
        stream = _Stream()
        handler = BatchedLog(stream, gather=0.001)
        handler.handle(
            logging.LogRecord("capcom", logging.INFO, __file__, 1, "%d", (number,), None)
        )
        time.sleep(number % 7 * 0.0003)
        started = time.monotonic()
        handler.close()
        assert time.monotonic() - started < 2
        assert stream.getvalue() == f"{number}\n"
