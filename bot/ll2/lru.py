"""The in-process memos: the last few values by key, the least recently used dropped.

Each memo is right only as long as what it depends on holds, and says so where it is
made: the parsed documents (`bot.ll2.repository`) on the database copy's fetch time, the
rendered flights (`bot.render.flight`) on the repository returning the same parsed
object for the same copy, the reply views (`bot.responder`) on the renderer returning
the same message object. The README quotes their sizes; a test checks it does so truly.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        """The value kept for `key`, now the most recently used; None if none is."""
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
