"""How fresh an answer is: every reply built from LL2 data carries one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class StaleReason(StrEnum):
    """Why a cached copy was served instead of a fresh one (shown to users)."""

    THROTTLED = "LL2 is rate-limiting"
    UNREACHABLE = "LL2 is unreachable"
    BUDGET = "Capcom's hourly LL2 budget is spent"
    ERROR = "LL2 sent an unusable answer"
    STORAGE = "Capcom's storage is not working right now"
    SHARE = "your share of LL2 requests this hour is used"


@dataclass(frozen=True, slots=True)
class Freshness:
    """When the data was fetched from LL2, and why it is stale if it is."""

    fetched_at: datetime
    stale_reason: StaleReason | None = None
    from_cache: bool = False

    @property
    def stale(self) -> bool:
        return self.stale_reason is not None


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """A value from LL2 (or the cache) with its freshness."""

    value: T
    freshness: Freshness
