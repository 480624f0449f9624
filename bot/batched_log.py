"""Log lines written off the event loop, in batches.

The bot logs one line per command. Written by a plain `StreamHandler`, each line is
formatted and written (a system call, then a flush) on the event loop, between one
answer and the next; handed to a thread per line (`QueueHandler`), each line wakes that
thread, which then takes the interpreter's lock from the loop. `BatchedLog` only queues
the record, and wakes its thread for the first record of a batch only; the thread lets
the batch gather for a moment, formats it and writes it in one go. A burst of commands
costs the loop a queue put per line and one switch per batch; an idle bot, nothing.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import TextIO

GATHER = 0.005
"""Seconds a batch gathers after its first line: about how late a line appears."""


class BatchedLog(logging.Handler):
    """Queues records; a thread formats and writes each batch `gather` seconds after its
    first record, and what is left when closed (`logging.shutdown` closes it at exit)."""

    def __init__(self, stream: TextIO, gather: float = GATHER) -> None:
        super().__init__()
        self._stream = stream
        self._gather = gather
        self._records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        self._pending = threading.Event()
        self._closing = threading.Event()
        self._writing = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="capcom-log", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        self._records.put(record)
        if not self._pending.is_set():
            self._pending.set()

    def flush(self) -> None:
        """Writes what is queued now (from the calling thread)."""
        self._write()

    def close(self) -> None:
        self._closing.set()
        self._pending.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        self._write()
        super().close()

    def _run(self) -> None:
        while not self._closing.is_set():
            self._pending.wait()
            self._closing.wait(self._gather)  # the batch gathers (closing cuts it short)
            self._pending.clear()  # before draining: a record put from now on sets it again
            self._write()

    def _write(self) -> None:
        with self._writing:  # one writer at a time (not `self.lock`, which `emit` waits for)
            lines: list[str] = []
            while True:
                try:
                    record = self._records.get_nowait()
                except queue.Empty:
                    break
                try:
                    lines.append(self.format(record) + "\n")
                except Exception:
                    self.handleError(record)
            if lines:
                try:
                    self._stream.write("".join(lines))
                    self._stream.flush()
                except (OSError, ValueError):  # stderr closed or gone: nowhere to say it
                    pass
