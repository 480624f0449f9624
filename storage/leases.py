"""Leases: work that one process of a fleet does at a time, held until an expiry.

A holder renews its lease before it expires; when it stops renewing (it died, or lost
the database), another process may take the lease once it has expired. Each claim is
one conditional upsert in a write transaction, so of processes claiming together
exactly one holds the lease. Times are UNIX times from each process's own clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database


@dataclass(frozen=True, slots=True)
class Claim:
    """The answer to a claim: `held` if the claimer holds the lease now (taken or
    renewed); if not, `until` is when the other holder's lease expires."""

    held: bool
    until: float | None = None


class LeaseStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, name: str, holder: str, now: float, seconds: float) -> Claim:
        """Take or renew lease `name` for `holder` until `now + seconds`, unless another
        holder's lease has not expired."""
        async with self._db.transaction() as transaction:
            changed = await transaction.execute(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET"
                " holder = excluded.holder, expires_at = excluded.expires_at"
                " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
                (name, holder, now + seconds, now),
            )
            if changed == 1:
                return Claim(held=True)
            row = await transaction.fetchone(
                "SELECT expires_at FROM leases WHERE name = ?", (name,)
            )
        assert row is not None  # the upsert met it in this transaction
        return Claim(held=False, until=float(row["expires_at"]))

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up at once (a clean stop), if `holder` has it."""
        await self._db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))
