"""Live boards: one per channel (whichever process of a fleet keeps it), each the one
message Capcom posted there and edits from then on.

A board row is written when a server asks for it, before anything is posted. Its
`message_id` is what keeps it to one message: set once Discord confirms the post, it is
edited from then on and only cleared when Discord says the message is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database, Row


@dataclass(frozen=True, slots=True)
class Board:
    guild_id: int
    channel_id: int
    message_id: int | None = None
    """The board's message, once posted; None: it is to be posted."""
    content_key: str | None = None
    """The key of what the message shows now (None: nothing posted yet)."""
    paused_reason: str | None = None
    """Why Capcom stopped keeping it (a permission lost), in words; None: it is kept."""


_COLUMNS = "guild_id, channel_id, message_id, content_key, paused_reason"


def _board(row: Row) -> Board:
    return Board(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        message_id=row["message_id"],
        content_key=row["content_key"],
        paused_reason=row["paused_reason"],
    )


class BoardStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def place(self, guild_id: int, channel_id: int, now: float) -> Board:
        """A board in `channel_id`: a new one, or the one there (un-paused, its message
        kept, so asking again never posts a second)."""
        await self._db.execute(
            "INSERT INTO boards (channel_id, guild_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET"
            " paused_reason = NULL, updated_at = excluded.updated_at",
            (channel_id, guild_id, now, now),
        )
        board = await self.board(channel_id)
        assert board is not None  # just written
        return board

    async def remove(self, guild_id: int) -> list[Board]:
        """Stop every board of a server; the boards that were there."""
        gone = await self.of_guild(guild_id)
        await self._db.execute("DELETE FROM boards WHERE guild_id = ?", (guild_id,))
        return gone

    async def board(self, channel_id: int) -> Board | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM boards WHERE channel_id = ?", (channel_id,)
        )
        return None if row is None else _board(row)

    async def of_guild(self, guild_id: int) -> list[Board]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM boards WHERE guild_id = ? ORDER BY channel_id", (guild_id,)
        )
        return [_board(row) for row in rows]

    async def active(self) -> list[Board]:
        """The boards Capcom keeps (not paused)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM boards WHERE paused_reason IS NULL ORDER BY channel_id"
        )
        return [_board(row) for row in rows]

    async def posted(self, board: Board, message_id: int, content_key: str, now: float) -> bool:
        """Record the message just posted for a board that had none; False if the board
        was removed (or got a message) meanwhile: the caller deletes nothing, the row
        says what is true."""
        async with self._db.transaction() as transaction:
            changed = await transaction.execute(
                "UPDATE boards SET message_id = ?, content_key = ?, updated_at = ?"
                " WHERE channel_id = ? AND message_id IS NULL",
                (message_id, content_key, now, board.channel_id),
            )
        return changed == 1

    async def shown(self, board: Board, content_key: str, now: float) -> None:
        """The board's message now shows what `content_key` names."""
        await self._db.execute(
            "UPDATE boards SET content_key = ?, updated_at = ? WHERE channel_id = ?"
            " AND message_id = ?",
            (content_key, now, board.channel_id, board.message_id),
        )

    async def gone(self, board: Board, now: float) -> None:
        """The board's message was deleted: a new one is to be posted (once)."""
        await self._db.execute(
            "UPDATE boards SET message_id = NULL, content_key = NULL, updated_at = ?"
            " WHERE channel_id = ? AND message_id = ?",
            (now, board.channel_id, board.message_id),
        )

    async def pause(self, board: Board, reason: str, now: float) -> None:
        await self._db.execute(
            "UPDATE boards SET paused_reason = ?, updated_at = ? WHERE channel_id = ?",
            (reason, now, board.channel_id),
        )
