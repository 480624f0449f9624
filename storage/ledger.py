"""What every ledger of messages shares (crew alerts, launch reminders and notices): a
row per (guild, subject, key), written 'pending' before anything is sent; its attempts
counted before each send, so that after a crash a row with attempts is looked for in
the channel before it is sent again; finished 'sent' with the message id, or
'dropped' with a note."""

from __future__ import annotations

from enum import StrEnum

from storage.database import Database


class LedgerState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DROPPED = "dropped"


LedgerKey = tuple[int, int | str, str]
"""(guild id, subject, kind or key): a flight id and a kind, or a launch id and a key."""


class LedgerTable:
    """The statements on one ledger table. `table` and `columns` are fixed names from
    the code, never input; every value is a parameter."""

    def __init__(self, db: Database, table: str, subject: str, key: str) -> None:
        self._db = db
        self._table = table
        self._where = f"WHERE guild_id = ? AND {subject} = ? AND {key} = ?"

    async def attempt(self, row: LedgerKey, now: float) -> None:
        """Count an attempt before sending: after a crash, attempts > 0 means 'look first'."""
        await self._db.execute(
            f"UPDATE {self._table} SET attempts = attempts + 1, updated_at = ? {self._where}",
            (now, *row),
        )

    async def finish(
        self,
        row: LedgerKey,
        state: LedgerState,
        now: float,
        *,
        message_id: int | None = None,
        note: str | None = None,
    ) -> None:
        await self._db.execute(
            f"UPDATE {self._table} SET state = ?, message_id = ?, note = ?, updated_at = ? "
            + self._where,
            (state.value, message_id, note, now, *row),
        )

    async def sent_count(self, guild_id: int) -> int:
        row = await self._db.fetchone(
            f"SELECT COUNT(*) AS n FROM {self._table} WHERE guild_id = ? AND state = ?",
            (guild_id, LedgerState.SENT.value),
        )
        return int(row["n"]) if row else 0
