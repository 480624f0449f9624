"""The mission timeline picture of `/flight`: launch, each docking and undocking, and the
landing on a time axis, with dates and durations, drawn locally with Pillow into a PNG.

Pure: a `SpacecraftFlight` and the time in, PNG bytes out; nothing here talks to Discord.
The flight is first reduced to a `Timeline` (texts, times, lanes: everything the picture
shows and nothing else), and pictures are cached per `Timeline` in a small LRU, so a
repeated `/flight` for the same document draws nothing. The time only enters a `Timeline`
for a flight in space ("now", the time elapsed), rounded down to the hour.

The picture is an opaque dark-blue card, 800 px wide (Discord shows it about 400 px wide
on a phone, so no text is smaller than 24 px), legible on Discord's dark and light themes
alike. Its font is the one Pillow ships (`ImageFont.load_default`), so it looks the same
on any machine; that font covers ASCII only, so LL2 text is folded to ASCII first
(accents dropped, anything else shown as "?"). Every LL2 text is cut, with "…", to the
room it has.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

from bot.ll2.models import DockingEvent, SpacecraftFlight
from bot.render.message import Attachment
from bot.render.text import ELLIPSIS, More, format_duration, more_marker

WIDTH = 800
MAX_LANES = 4
"""Dockings drawn as their own lane; the rest are counted in a note."""
CACHE_SIZE = 64
"""Pictures kept: 6-22 KB each as palette PNGs, so about 1 MB."""
DESCRIPTION_LIMIT = 1024
"""Discord's limit on an attachment's description (its alt text)."""
_TEXT_CAP = 160
"""No LL2 text longer than this reaches the font: a name that long is cut anyway."""

Colour = tuple[int, int, int]

_BACKGROUND = (19, 35, 58)
_BORDER = (47, 74, 107)
_TEXT = (240, 244, 248)
_MUTED = (159, 179, 200)
_AXIS = (91, 112, 131)
_GUIDE = (41, 62, 90)
_LAUNCH = (255, 159, 67)
_LANDING = (46, 204, 113)
_DOCKED = (78, 168, 255)
_DOCKED_OPEN = (52, 98, 148)
_NOW = (255, 209, 102)

_COLOURS = 64
_MARGIN = 28
_AXIS_LEFT = 48
_AXIS_RIGHT = WIDTH - 48
_OPEN_END = 64
"""Room right of "now" on the axis of a flight in space: the dashed line of what is to come."""
_TITLE_SIZE = 38
_BODY_SIZE = 26
_SMALL_SIZE = 24
_AXIS_Y = 158
_LANE_HEIGHT = 70
_NOTE_HEIGHT = 36
_BAR = 14
_FOLD = str.maketrans(dict.fromkeys("\u2013\u2014\u2212", "-") | dict.fromkeys("\u2018\u2019", "'"))
_KEEP = frozenset("·…°")
_CAPTIONS = {"landing": "LANDING", "now": "NOW"}
_END_COLOURS = {"landing": _LANDING, "now": _NOW}


@dataclass(frozen=True, slots=True)
class Lane:
    """One docking: where (station and port), when, and for how long."""

    where: str
    when: str
    docked: datetime | None
    departed: datetime | None
    open_end: bool
    """True when the departure is not known: still docked, or not recorded."""


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything the picture shows; equal timelines draw the same picture."""

    title: str
    crew: str
    headline: str
    launch: datetime | None
    launch_label: str
    end: datetime | None
    end_label: str
    end_kind: str
    """"landing", "now" (in space), or "unknown"."""
    lanes: tuple[Lane, ...]
    notes: tuple[str, ...]


def timeline_filename(flight_id: int) -> str:
    """The attachment's name: ASCII letters, digits and dashes, as `attachment://` needs."""
    return f"timeline-{flight_id}.png"


def timeline_attachment(flight: SpacecraftFlight, now: datetime) -> Attachment:
    """The flight's timeline as a PNG file to attach, with the picture in words as its
    alt text (drawn once per distinct timeline)."""
    timeline = build_timeline(flight, now)
    return Attachment(timeline_filename(flight.id), draw(timeline), describe(timeline))


def build_timeline(flight: SpacecraftFlight, now: datetime) -> Timeline:
    """What the picture of `flight` shows at `now`."""
    launch = flight.launched_at
    launched = launch is not None and launch <= now
    in_space = flight.is_in_space(now)
    hour = now.replace(minute=0, second=0, microsecond=0)
    end: datetime | None
    if in_space:
        end, end_kind, end_label = hour, "now", _day(hour)
    elif flight.mission_end is not None and launched:
        end, end_kind, end_label = flight.mission_end, "landing", _day(flight.mission_end)
    else:
        end, end_kind = None, "unknown"
        end_label = "not recorded" if launched else "not launched yet"
    if launch is None:
        end_label = "not known"
        launch_label = "date not known"
    else:
        launch_label = _day(launch) if launched else f"{_day(launch)} (planned)"
    headline = _headline(flight, launch if launched else None, end, end_kind)
    events = flight.docking_events
    lanes = tuple(_lane(event, hour, in_space) for event in events[:MAX_LANES])
    notes: list[str] = []
    if not events and launched:
        notes.append("No docking recorded")
    if len(events) > MAX_LANES:
        notes.append(more_marker(len(events) - MAX_LANES, what=More.DOCKINGS))
    crew = len(flight.crew)
    return Timeline(
        title=_ascii(flight.name) or f"Flight {flight.id}",
        crew=f"{crew} crew" if crew else "Crew not listed",
        headline=headline,
        launch=launch,
        launch_label=launch_label,
        end=end,
        end_label=end_label,
        end_kind=end_kind,
        lanes=lanes,
        notes=tuple(notes),
    )


def _headline(
    flight: SpacecraftFlight,
    launch: datetime | None,
    end: datetime | None,
    end_kind: str,
) -> str:
    if flight.launched_at is None:
        return "Dates not known yet"
    if launch is None:
        return f"Launch planned {_day(flight.launched_at)}"
    if end_kind == "now" and end is not None:
        return f"In space {_span(end - launch)} so far"
    duration = flight.mission_duration if end_kind == "landing" else None
    if duration is not None:
        return f"Mission {_span(duration)}"
    return "Mission length not known"


def _lane(event: DockingEvent, hour: datetime, in_space: bool) -> Lane:
    station = event.spacestation.name if event.spacestation else None
    port = event.docking_location.name if event.docking_location else None
    where = " · ".join(part for part in (_station(station), _ascii(port)) if part)
    docked, departed = event.docking, event.departure
    if docked is None:
        when = "docking time unknown"
    elif departed is not None:
        when = f"{_range(docked, departed)} · {_span(departed - docked)}"
    elif in_space:
        when = f"since {_day(docked)} · {_span(hour - docked)} so far"
    else:
        when = f"from {_day(docked)} · undocking not recorded"
    return Lane(
        where=where or "Unknown station",
        when=when,
        docked=docked,
        departed=departed,
        open_end=departed is None,
    )


def _station(name: str | None) -> str:
    folded = _ascii(name)
    return "ISS" if folded.lower() == "international space station" else folded


def _ascii(text: str | None) -> str:
    """LL2 text the bundled font can draw: one line, accents dropped, the rest as "?"."""
    if not text:
        return ""
    text = " ".join(text[: _TEXT_CAP * 2].split())[:_TEXT_CAP].translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (
        ch if (" " <= ch <= "~") or ch in _KEEP else "?"
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    return "".join(kept).strip()


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _range(start: datetime, end: datetime) -> str:
    if start.year == end.year:
        return f"{start.day} {start:%b} - {_day(end)}"
    return f"{_day(start)} - {_day(end)}"


def _span(delta: timedelta) -> str:
    """ "187d 20h", "9h 56m": minutes only for spans under a day."""
    return format_duration(delta, minutes=delta < timedelta(days=1))


def describe(timeline: Timeline) -> str:
    """The alt text: the same facts as the picture, in one paragraph."""
    parts = [f"Mission timeline of {timeline.title} ({timeline.crew})", timeline.headline]
    parts.append(f"Launch: {timeline.launch_label}")
    parts += [f"Docked to {lane.where}: {lane.when}" for lane in timeline.lanes]
    parts.append(
        f"{_CAPTIONS.get(timeline.end_kind, 'LANDING').capitalize()}: {timeline.end_label}"
    )
    parts += list(timeline.notes)
    text = ". ".join(part for part in parts if part) + "."
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + ELLIPSIS


@functools.lru_cache(maxsize=CACHE_SIZE)
def draw(timeline: Timeline) -> bytes:
    """The picture of `timeline` as PNG bytes; the same timeline is drawn once."""
    return _Painter(timeline).png()


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def fit_text(text: str, size: int, width: float) -> str:
    """`text` cut with "…" to at most `width` pixels in the font of `size`."""
    font = _font(size)
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


class _Painter:
    """Draws one `Timeline` top to bottom: header, axis, a lane per docking, notes."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.lanes_top = _AXIS_Y + 68
        self.notes_top = self.lanes_top + _LANE_HEIGHT * len(timeline.lanes)
        height = self.notes_top + _NOTE_HEIGHT * len(timeline.notes) + 14
        self.image = Image.new("RGB", (WIDTH, height), _BACKGROUND)
        self.pen = ImageDraw.Draw(self.image)
        times = [
            *(t for t in (timeline.launch, timeline.end) if t is not None),
            *(t for lane in timeline.lanes for t in (lane.docked, lane.departed) if t is not None),
        ]
        self.start = min(times, default=None)
        self.stop = max(times, default=None)
        self.right = _AXIS_RIGHT - (_OPEN_END if timeline.end_kind != "landing" else 0)
        """Where the last known time sits: short of the edge when the flight goes on."""

    def png(self) -> bytes:
        width, height = self.image.size
        self.pen.rounded_rectangle((1, 1, width - 2, height - 2), 18, outline=_BORDER, width=2)
        self._header()
        self._axis()
        for index, lane in enumerate(self.timeline.lanes):
            self._lane(lane, self.lanes_top + index * _LANE_HEIGHT)
        for index, note in enumerate(self.timeline.notes):
            y = self.notes_top + index * _NOTE_HEIGHT
            self._text((_MARGIN, y), fit_text(note, _SMALL_SIZE, WIDTH - 2 * _MARGIN), _SMALL_SIZE)
        # The card has a few dozen colours: as a 64-colour palette it looks the same and
        # its PNG is a third of the size, and quicker to compress.
        palette = self.image.quantize(_COLOURS, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        palette.save(out, format="PNG")
        return out.getvalue()

    def _x(self, moment: datetime | None) -> float:
        if moment is None or self.start is None or self.stop is None:
            return float(self.right)
        span = (self.stop - self.start).total_seconds()
        share = (moment - self.start).total_seconds() / span if span > 0 else 0.0
        return _AXIS_LEFT + share * (self.right - _AXIS_LEFT)

    def _text(
        self,
        xy: tuple[float, float],
        text: str,
        size: int,
        fill: Colour = _MUTED,
        anchor: str = "la",
        bold: bool = False,
    ) -> None:
        stroke = 1 if bold else 0
        font = _font(size)
        self.pen.text(xy, text, font=font, fill=fill, anchor=anchor, stroke_width=stroke)

    def _header(self) -> None:
        timeline = self.timeline
        right = WIDTH - _MARGIN
        crew_width = _font(_BODY_SIZE).getlength(timeline.crew)
        self._text((right, 24), timeline.crew, _BODY_SIZE, _TEXT, anchor="ra")
        title = fit_text(timeline.title, _TITLE_SIZE, right - _MARGIN - crew_width - 24)
        self._text((_MARGIN, 18), title, _TITLE_SIZE, _TEXT, bold=True)
        headline = fit_text(timeline.headline, _BODY_SIZE, right - _MARGIN)
        self._text((_MARGIN, 68), headline, _BODY_SIZE, _NOW)

    def _axis(self) -> None:
        timeline, y = self.timeline, _AXIS_Y
        caption = _CAPTIONS.get(timeline.end_kind, "LANDING")
        end_colour = _END_COLOURS.get(timeline.end_kind, _MUTED)
        half = (WIDTH - 2 * _MARGIN) / 2 - 8
        self._text((_MARGIN, y - 42), "LAUNCH", _SMALL_SIZE, _LAUNCH)
        self._text((WIDTH - _MARGIN, y - 42), caption, _SMALL_SIZE, end_colour, anchor="ra")
        launch_label = fit_text(timeline.launch_label, _BODY_SIZE, half)
        self._text((_MARGIN, y + 18), launch_label, _BODY_SIZE, _TEXT)
        end_label = fit_text(timeline.end_label, _BODY_SIZE, half)
        self._text((WIDTH - _MARGIN, y + 18), end_label, _BODY_SIZE, _TEXT, anchor="ra")
        if self.start is None:
            self._dashes(_AXIS_LEFT, _AXIS_RIGHT, y)
            return
        left = self._x(timeline.launch) if timeline.launch is not None else _AXIS_LEFT
        right = self._x(timeline.end)
        self.pen.line((left, y, right, y), fill=_AXIS, width=4)
        if timeline.end_kind != "landing":
            self._dashes(right, _AXIS_RIGHT, y)
        for lane in timeline.lanes:
            for moment in (lane.docked, lane.departed):
                if moment is not None:
                    x = self._x(moment)
                    self.pen.polygon(((x, y - 8), (x + 8, y), (x, y + 8), (x - 8, y)), fill=_DOCKED)
        if timeline.launch is not None:
            self._dot(left, y, _LAUNCH)
        if timeline.end is not None:
            self._dot(right, y, end_colour)

    def _lane(self, lane: Lane, top: int) -> None:
        right = WIDTH - _MARGIN
        font = _font(_SMALL_SIZE)
        when_width = min(font.getlength(lane.when), (right - _MARGIN) * 0.6)
        when = fit_text(lane.when, _SMALL_SIZE, when_width)
        self._text((right, top), when, _SMALL_SIZE, anchor="ra")
        where = fit_text(lane.where, _SMALL_SIZE, right - _MARGIN - when_width - 20)
        self._text((_MARGIN, top), where, _SMALL_SIZE, _TEXT)
        bar = top + 38
        if self.timeline.end_kind == "now":
            x = self._x(self.timeline.end)
            self.pen.line((x, bar - 5, x, bar + _BAR + 5), fill=_NOW, width=2)
        if lane.docked is None or self.start is None:
            return
        left = self._x(lane.docked)
        if lane.departed is not None:
            end = max(self._x(lane.departed), left + _BAR)
            self.pen.rounded_rectangle((left, bar, end, bar + _BAR), _BAR // 2, fill=_DOCKED)
            return
        end = max(self._x(self.timeline.end), left + _BAR)
        self.pen.rounded_rectangle((left, bar, end, bar + _BAR), _BAR // 2, fill=_DOCKED_OPEN)
        self.pen.rounded_rectangle((left, bar, left + _BAR, bar + _BAR), _BAR // 2, fill=_DOCKED)

    def _dot(self, x: float, y: float, colour: Colour) -> None:
        box = (x - 11, y - 11, x + 11, y + 11)
        self.pen.ellipse(box, fill=colour, outline=_BACKGROUND, width=3)

    def _dashes(self, start: float, stop: float, y: float) -> None:
        x = start + 8
        while x < stop:
            self.pen.line((x, y, min(x + 8, stop), y), fill=_AXIS, width=4)
            x += 16
