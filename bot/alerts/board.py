"""Live boards: one message per channel that Capcom keeps current by editing it.

The service decides what a board shows (a `BoardView`) and when its message is posted,
edited or left alone; the Discord edge renders the view and sends it.

- **No LL2 request of its own.** A view is drawn from the cached copies the alert poll
  (who is in space), the upcoming launches (the launch poll or `/upcoming`) and the alert
  store (launches and landings seen) already hold; a copy past its freshness is read too.
- **An edit only for a change.** `BoardView.key` is a hash of what the board shows, and
  only that: relative times (`<t:…:R>`) keep themselves current, and the time each copy
  was fetched is not part of it, so a poll that refreshes the same facts changes nothing.
  The board's "checked" line therefore names no fetch time while the data is current
  (it says how often Capcom checks); only when a copy is older than expected (LL2 not
  reached) does it show that copy's age, a fact that then stays the same until LL2 answers
  again. Each turn builds one view for every board: a burst of changes between two
  turns is one edit.
- **One message per board.** The stored message id is edited; a new message is posted only
  when there is none (a new board, or Discord says the old one was deleted). Only the
  process holding the background lease runs turns.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from bot.alert_kinds import LANDING
from bot.alerts.outcomes import EditOutcome, EditResult, Reason, stored_reason
from bot.alerts.service import DeliveryError
from bot.ll2.launches import UpcomingLaunch
from bot.ll2.results import CraftCrew
from bot.service import SpaceService
from storage.alerts import AlertStore
from storage.boards import Board, BoardStore

log = logging.getLogger(__name__)

POLL_MARGIN_SECONDS = 60.0
"""Who is in space counts as not refreshed (LL2 not reached) once older than two alert
poll intervals and this margin (a slow poll is not an outage)."""

NEXT_LAUNCHES = 3
"""Upcoming crewed launches a board shows."""
ENGLISH_LOCALE = "en-US"


@dataclass(frozen=True, slots=True)
class Recent:
    """A launch or landing Capcom saw: the flight's name (None: no cached copy names
    it) and id, and when it happened."""

    flight: str | None
    at: datetime
    flight_id: int


@dataclass(frozen=True, slots=True)
class BoardView:
    """What every board shows at `now`."""

    now: datetime
    check_minutes: int
    """How often the alert poll checks who is in space against LL2."""
    crews: tuple[CraftCrew, ...] | None
    """Who is in space by craft; None: no copy fetched yet."""
    launches: tuple[UpcomingLaunch, ...] | None
    """The next crewed launches not yet lifted off; None: no copy fetched yet."""
    last_landing: Recent | None = None
    last_launch: Recent | None = None
    crews_as_of: datetime | None = None
    """Set when who is in space is older than the alert poll keeps it (LL2 not reached)."""
    launches_as_of: datetime | None = None
    """Set when the launches are older than `ALERT_BOARD_STALE_SECONDS`."""

    @property
    def key(self) -> str:
        """A hash of everything the board shows but `now`: equal views, no edit."""
        facts = {
            "check": self.check_minutes,
            "crews": None if self.crews is None else [_crew_facts(c) for c in self.crews],
            "launches": (
                None if self.launches is None else [_launch_facts(x) for x in self.launches]
            ),
            "recent": [_recent_facts(self.last_landing), _recent_facts(self.last_launch)],
            "as_of": [_time(self.crews_as_of), _time(self.launches_as_of)],
        }
        text = json.dumps(facts, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def key_in(self, language: str) -> str:
        """The key of the board as written in `language` (a Discord locale): a board whose
        server changes language is edited too. English keeps the view's own key, the one
        boards were stored with before they had a language."""
        if language == ENGLISH_LOCALE:
            return self.key
        return hashlib.sha256(f"{self.key}:{language}".encode()).hexdigest()


def _time(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _crew_facts(crew: CraftCrew) -> list[object]:
    people = sorted((a.id, a.name) for a in crew.astronauts)
    return [crew.craft, crew.station, crew.flight_id, _time(crew.launched_at), people]


def _launch_facts(launch: UpcomingLaunch) -> list[object]:
    """What a board shows of a launch: name, NET with its precision, status, crew, webcast."""
    precision = launch.net_precision
    status = launch.status
    videos = launch.videos
    video = videos[0] if videos else None
    return [
        launch.id,
        launch.title,
        launch.suborbital,
        _time(launch.net),
        None if precision is None else [precision.id, precision.name, precision.abbrev],
        None if status is None else [status.id, status.name],
        [member.astronaut.name for member in launch.launch_crew],
        None if video is None else [video.url, video.publisher, video.title],
    ]


def _recent_facts(recent: Recent | None) -> list[object] | None:
    return None if recent is None else [recent.flight, recent.at.timestamp()]


class BoardSender(Protocol):
    """The Discord edge: renders a view and posts or edits the board's message."""

    def language(self, guild_id: int, picked: str | None) -> str:
        """The Discord locale a server's board is written in: `picked` (the admin's choice
        in `/alerts channel`), else the server's own, English where Capcom has none."""

    async def post(self, channel_id: int, view: BoardView, language: str) -> int:
        """The new message's id; raises `DeliveryError` (permanent: pause)."""

    async def edit(
        self, channel_id: int, message_id: int, view: BoardView, language: str
    ) -> EditResult: ...


@dataclass(slots=True)
class BoardTurn:
    """What one turn did, by channel."""

    posted: list[int] = field(default_factory=list)
    edited: list[int] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)
    unchanged: int = 0
    settling: int = 0
    """Boards whose change waits for the next turn (the view changed since the last)."""


@dataclass(frozen=True, slots=True)
class BoardStatus:
    """One board as `/alerts status` shows it."""

    channel_id: int
    posted: bool
    paused_reason: Reason | None


class BoardService:
    def __init__(
        self,
        store: BoardStore,
        space: SpaceService,
        alerts: AlertStore,
        clock: Callable[[], float] = time.time,
        *,
        poll_seconds: float,
        launches_stale_seconds: float,
    ) -> None:
        """`poll_seconds`: the alert poll's interval (who is in space is older than two
        of them, and a margin, only when LL2 could not be reached);
        `launches_stale_seconds`: the age from which the launches' copy is shown with it."""
        self._store = store
        self._space = space
        self._alerts = alerts
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._launches_stale_seconds = launches_stale_seconds
        self._seen: str | None = None
        """The view's key at the last turn."""
        self.posts = 0
        """Board messages this process posted (since it started)."""
        self.edits = 0
        """Board messages this process edited (since it started): one per change."""

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    async def start(self, guild_id: int, channel_id: int) -> Board:
        """A board in this channel; asked again, the same board (never a second message)."""
        return await self._store.place(guild_id, channel_id, self._clock())

    async def stop(self, guild_id: int) -> list[Board]:
        """No more boards in this server (their messages stay, no longer edited)."""
        return await self._store.remove(guild_id)

    async def status(self, guild_id: int) -> list[BoardStatus]:
        return [
            BoardStatus(
                board.channel_id, board.message_id is not None, stored_reason(board.paused_reason)
            )
            for board in await self._store.of_guild(guild_id)
        ]

    async def view(self) -> BoardView:
        """What a board shows now, from cached copies only (never an LL2 request)."""
        now = self._clock()
        crews = await self._space.cached_in_space()
        upcoming = await self._space.cached_upcoming()
        crews_as_of = launches_as_of = None
        if crews is not None:
            fetched = crews[0].freshness.fetched_at
            if now - fetched.timestamp() > 2 * self._poll_seconds + POLL_MARGIN_SECONDS:
                crews_as_of = fetched
        launches = None
        if upcoming is not None:
            fetched = upcoming[0].freshness.fetched_at
            if now - fetched.timestamp() > self._launches_stale_seconds:
                launches_as_of = fetched
            launches = tuple(
                launch
                for launch in upcoming[0].value
                if launch.launch_status is None or not launch.launch_status.has_lifted_off
            )[:NEXT_LAUNCHES]
        return BoardView(
            now=datetime.fromtimestamp(now, UTC),
            check_minutes=max(1, round(self._poll_seconds / 60)),
            crews=None if crews is None else tuple(crews[0].value),
            launches=launches,
            last_landing=await self._last_landing(),
            last_launch=await self._last_launch(),
            crews_as_of=crews_as_of,
            launches_as_of=launches_as_of,
        )

    async def _last_landing(self) -> Recent | None:
        event = await self._alerts.latest_event(LANDING)
        if event is None:
            return None
        name = await self._flight_name(event.flight_id)
        return Recent(name, _at(event.occurred_at), event.flight_id)

    async def _last_launch(self) -> Recent | None:
        """The crewed flight the alert poll knows that launched last."""
        launched = [
            flight
            for flight in (await self._alerts.tracked()).values()
            if flight.crewed and flight.launched_at is not None
        ]
        if not launched:
            return None
        last = max(launched, key=lambda flight: (flight.launched_at or 0.0, flight.flight_id))
        name = await self._flight_name(last.flight_id)
        return Recent(name, _at(last.launched_at or 0.0), last.flight_id)

    async def _flight_name(self, flight_id: int) -> str | None:
        cached = await self._space.repository.cached_flight(flight_id)
        return cached[0].value.name if cached is not None else None

    async def turn(self, sender: BoardSender) -> BoardTurn:
        """Bring every board up to date: post the ones without a message, edit the ones
        whose message shows something else, leave the rest alone. A change is edited in
        once the view is the same two turns in a row: the steps of one poll (who is in
        space, then the landing it confirms) and a burst of changes are one edit."""
        done = BoardTurn()
        boards = await self._store.active()
        if not boards:
            return done
        view = await self.view()
        settled = view.key == self._seen
        self._seen = view.key
        picked = {s.guild_id: s.language for s in await self._alerts.subscriptions()}
        for board in boards:
            language = sender.language(board.guild_id, picked.get(board.guild_id))
            if board.message_id is None:
                await self._post(board, view, language, sender, done)
            elif board.content_key == view.key_in(language):
                done.unchanged += 1
            elif settled:
                await self._edit(board, view, language, sender, done)
            else:
                done.settling += 1
        return done

    async def _post(
        self, board: Board, view: BoardView, language: str, sender: BoardSender, done: BoardTurn
    ) -> None:
        try:
            message_id = await sender.post(board.channel_id, view, language)
        except DeliveryError as error:
            if error.permanent:
                await self._pause(board, error.reason, done)
            else:
                log.info("board in channel %d not posted yet: %s", board.channel_id, error)
            return
        self.posts += 1
        if await self._store.posted(board, message_id, view.key_in(language), self._clock()):
            done.posted.append(board.channel_id)
        else:
            log.info("board in channel %d was turned off while it was posted", board.channel_id)

    async def _edit(
        self, board: Board, view: BoardView, language: str, sender: BoardSender, done: BoardTurn
    ) -> None:
        assert board.message_id is not None
        result = await sender.edit(board.channel_id, board.message_id, view, language)
        if result.outcome is EditOutcome.EDITED:
            self.edits += 1
            await self._store.shown(board, view.key_in(language), self._clock())
            done.edited.append(board.channel_id)
        elif result.outcome is EditOutcome.GONE:
            log.info("board in channel %d was deleted: posting a new one", board.channel_id)
            await self._store.gone(board, self._clock())
            new = Board(board.guild_id, board.channel_id)
            await self._post(new, view, language, sender, done)
        elif result.outcome in (EditOutcome.FORBIDDEN, EditOutcome.REFUSED):
            await self._pause(board, result.reason, done)
        else:
            log.info("board in channel %d not edited yet: %s", board.channel_id, result.reason)

    async def _pause(self, board: Board, reason: Reason, done: BoardTurn) -> None:
        log.warning("board paused in channel %d: %s", board.channel_id, reason)
        await self._store.pause(board, reason.stored(), self._clock())
        done.paused.append(board.channel_id)


def _at(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)
