"""What every ledger store does with a row, checked the same way for each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from storage.ledger import LedgerState


class Row(Protocol):
    @property
    def guild_id(self) -> int: ...
    @property
    def attempts(self) -> int: ...


R = TypeVar("R", bound=Row)


class LedgerStore(Protocol[R]):
    async def pending(self) -> Sequence[R]: ...
    async def attempt(self, entry: R, now: float) -> None: ...
    async def finish(
        self, entry: R, state: LedgerState, now: float, *, message_id: int | None = None
    ) -> None: ...
    async def sent_count(self, guild_id: int) -> int: ...


async def sends_once(store: LedgerStore[R], now: float) -> R:
    """The one pending row: its attempt counted before sending, then sent; nothing is
    pending any more and the server has one message sent. Returns the row as sent."""
    [entry] = await store.pending()
    assert entry.attempts == 0
    await store.attempt(entry, now)
    [entry] = await store.pending()
    assert entry.attempts == 1
    await store.finish(entry, LedgerState.SENT, now + 1, message_id=42)
    assert await store.pending() == []
    assert await store.sent_count(entry.guild_id) == 1
    return entry
