"""The mission timeline picture of `/flight`: launch, each docking and undocking, and the
landing on a time axis, with dates and durations, drawn locally with Pillow into a PNG.

Pure: a `SpacecraftFlight`, the time and the reader's language in, PNG bytes out; nothing
here talks to Discord. The flight is first reduced to a `Timeline` (every text in the
reader's language, times, lanes: everything the picture shows and nothing else), and
pictures are cached per `Timeline` in a small LRU, so a repeated `/flight` for the same
document in the same language draws nothing; a reader of another language gets another
`Timeline`, so another picture. The time only enters a `Timeline` for a flight in space
("now", the time elapsed), rounded down to the hour.

The picture is an opaque dark-blue card, 800 px wide (Discord shows it about 400 px wide
on a phone, so no text is smaller than 24 px), legible on Discord's dark and light themes
alike. Each text is drawn in the first font of the machine's (`installed_fonts`, found
once per process among `FONT_FILES`) that has all its characters: DejaVu or Noto Sans for
Latin, Cyrillic and Greek, WenQuanYi Micro Hei or Noto Sans CJK for Chinese, Japanese and
Korean; a character no font has (an emoji) is shown as "?". Without such fonts a text
falls back to the font Pillow ships (`ImageFont.load_default`), which covers ASCII only,
so that text is folded to ASCII (accents dropped, anything else shown as "?"). Every LL2
text is cut, with "…", to the room it has.
"""

from __future__ import annotations

import functools
import io
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from babel.dates import format_interval
from PIL import Image, ImageDraw, ImageFont

from bot.ll2.models import DockingEvent, SpacecraftFlight
from bot.render.lang import Lang
from bot.render.message import Attachment
from bot.render.text import ELLIPSIS, More, format_duration, more_marker, sentences

WIDTH = 800
MAX_LANES = 4
"""Dockings drawn as their own lane; the rest are counted in a note."""
CACHE_SIZE = 64
"""Pictures kept: 6-22 KB each as palette PNGs, so about 1 MB."""
DESCRIPTION_LIMIT = 1024
"""Discord's limit on an attachment's description (its alt text)."""
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
"""Where `installed_fonts` looks (and in their subfolders), as fontconfig does on Linux."""
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "DejaVuSans.ttf",
    "NotoSansCJK-Regular.ttc",
    "wqy-microhei.ttc",
)
"""The fonts a text may be drawn in, first choice first: Latin, Cyrillic and Greek
(Debian's fonts-noto-core, fonts-dejavu-core), then Chinese, Japanese and Korean, whose
fonts cover Latin and Cyrillic too (fonts-noto-cjk, fonts-wqy-microhei)."""
_TEXT_CAP = 160
"""No LL2 text longer than this reaches the font: a name that long is cut anyway."""

Colour = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

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
_MISSING = "\U0010fffd"
"""A private-use character no font has: a font draws it as its "missing glyph" box."""
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
    """Everything the picture shows, in the reader's language; equal timelines draw the
    same picture."""

    title: str
    crew: str
    headline: str
    launch: datetime | None
    launch_caption: str
    launch_label: str
    end: datetime | None
    end_caption: str
    end_label: str
    end_kind: str
    """"landing", "now" (in space), or "unknown"."""
    lanes: tuple[Lane, ...]
    notes: tuple[str, ...]


def timeline_filename(flight_id: int) -> str:
    """The attachment's name: ASCII letters, digits and dashes, as `attachment://` needs."""
    return f"timeline-{flight_id}.png"


def timeline_attachment(flight: SpacecraftFlight, now: datetime, lang: Lang) -> Attachment:
    """The flight's timeline as a PNG file to attach, with the picture in words as its
    alt text (drawn once per distinct timeline), in the reader's language."""
    timeline = build_timeline(flight, now, lang)
    return Attachment(timeline_filename(flight.id), draw(timeline), describe(timeline, lang))


def build_timeline(flight: SpacecraftFlight, now: datetime, lang: Lang) -> Timeline:
    """What the picture of `flight` shows at `now`, in `lang`."""
    launch = flight.launched_at
    launched = launch is not None and launch <= now
    in_space = flight.is_in_space(now)
    hour = now.replace(minute=0, second=0, microsecond=0)
    end: datetime | None
    if in_space:
        end, end_kind, end_label = hour, "now", _day(hour, lang)
        end_caption = lang.say("NOW")
    else:
        end_caption = lang.say("LANDING")
        if flight.mission_end is not None and launched:
            end, end_kind, end_label = flight.mission_end, "landing", _day(flight.mission_end, lang)
        else:
            end, end_kind = None, "unknown"
            end_label = lang.say("not recorded") if launched else lang.say("not launched yet")
    if launch is None:
        end_label = lang.say("not known")
        launch_label = lang.say("date not known")
    elif launched:
        launch_label = _day(launch, lang)
    else:
        launch_label = lang.say("{day} (planned)", day=_day(launch, lang))
    headline = _headline(flight, launch if launched else None, end, end_kind, lang)
    events = flight.docking_events
    lanes = tuple(_lane(event, hour, in_space, lang) for event in events[:MAX_LANES])
    notes: list[str] = []
    if not events and launched:
        notes.append(lang.say("No docking recorded"))
    if len(events) > MAX_LANES:
        notes.append(more_marker(len(events) - MAX_LANES, lang, More.DOCKINGS))
    crew = len(flight.crew)
    return Timeline(
        title=_title(flight, lang),
        crew=lang.say_n("{count} crew", "{count} crew", crew)
        if crew
        else lang.say("Crew not listed"),
        headline=headline,
        launch=launch,
        launch_caption=lang.say("LAUNCH"),
        launch_label=launch_label,
        end=end,
        end_caption=end_caption,
        end_label=end_label,
        end_kind=end_kind,
        lanes=lanes,
        notes=tuple(notes),
    )


def _title(flight: SpacecraftFlight, lang: Lang) -> str:
    """The spacecraft's name, else the launch's, else "Flight 4242" in `lang`."""
    return _one_line(flight.name) or lang.say("Flight {id}", id=flight.id)


def _headline(
    flight: SpacecraftFlight,
    launch: datetime | None,
    end: datetime | None,
    end_kind: str,
    lang: Lang,
) -> str:
    if flight.launched_at is None:
        return lang.say("Dates not known yet")
    if launch is None:
        return lang.say("Launch planned {day}", day=_day(flight.launched_at, lang))
    if end_kind == "now" and end is not None:
        return lang.say("In space {duration} so far", duration=_span(end - launch, lang))
    duration = flight.mission_duration if end_kind == "landing" else None
    if duration is not None:
        return lang.say("Mission {duration}", duration=_span(duration, lang))
    return lang.say("Mission length not known")


def _lane(event: DockingEvent, hour: datetime, in_space: bool, lang: Lang) -> Lane:
    station = event.spacestation.name if event.spacestation else None
    port = event.docking_location.name if event.docking_location else None
    where = " · ".join(part for part in (_station(station, lang), _one_line(port)) if part)
    docked, departed = event.docking, event.departure
    if docked is None:
        when = lang.say("docking time unknown")
    elif departed is not None:
        when = f"{_range(docked, departed, lang)} · {_span(departed - docked, lang)}"
    elif in_space:
        when = lang.say(
            "since {day} · {duration} so far",
            day=_day(docked, lang),
            duration=_span(hour - docked, lang),
        )
    else:
        when = lang.say("from {day} · undocking not recorded", day=_day(docked, lang))
    return Lane(
        where=where or lang.say("Unknown station"),
        when=when,
        docked=docked,
        departed=departed,
        open_end=departed is None,
    )


def _station(name: str | None, lang: Lang) -> str:
    text = _one_line(name)
    return lang.say("ISS") if text.lower() == "international space station" else text


def _one_line(text: str | None) -> str:
    """LL2 text as one line of at most `_TEXT_CAP` characters."""
    if not text:
        return ""
    return " ".join(text[: _TEXT_CAP * 2].split())[:_TEXT_CAP].strip()


def fold_ascii(text: str) -> str:
    """`text` as Pillow's own font can draw it: accents dropped, the rest as "?"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    kept = (
        ch if (" " <= ch <= "~") or ch in _KEEP else "?"
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    return "".join(kept).strip()


def _day(moment: datetime, lang: Lang) -> str:
    return lang.day(moment.date())


def _range(start: datetime, end: datetime, lang: Lang) -> str:
    """Two days as the language writes a range of days (CLDR's interval formats)."""
    return format_interval(start.date(), end.date(), "yMMMd", locale=lang.locale)


def _span(delta: timedelta, lang: Lang) -> str:
    """ "187d 20h", "9h 56m": minutes only for spans under a day."""
    return format_duration(delta, lang, minutes=delta < timedelta(days=1))


def describe(timeline: Timeline, lang: Lang) -> str:
    """The alt text: the same facts as the picture, in one paragraph."""
    parts = [
        lang.say("Mission timeline of {title} ({crew})", title=timeline.title, crew=timeline.crew),
        timeline.headline,
        lang.say("Launch: {day}", day=timeline.launch_label),
    ]
    parts += [
        lang.say("Docked to {station}: {dates}", station=lane.where, dates=lane.when)
        for lane in timeline.lanes
    ]
    if timeline.end_kind == "now":
        parts.append(lang.say("Now: {day}", day=timeline.end_label))
    else:
        parts.append(lang.say("Landing: {day}", day=timeline.end_label))
    parts += list(timeline.notes)
    text = sentences([_sentence(part, lang) for part in parts])
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + ELLIPSIS


def _sentence(text: str, lang: Lang) -> str:
    """`text` ending as a sentence ends in `lang`, unless it already ends with a full stop
    (a Russian date does: "... 2009 g.")."""
    return text if text.endswith(".") else lang.say("{sentence}.", sentence=text)


def find_fonts(
    folders: Iterable[Path] = FONT_FOLDERS, names: tuple[str, ...] = FONT_FILES
) -> tuple[Path, ...]:
    """The font files named `names` found in `folders` (or below), in the order of `names`."""
    found: dict[str, Path] = {}
    for folder in folders:
        for root, _, files in os.walk(folder):
            for name in sorted(set(files).intersection(names)):
                found.setdefault(name, Path(root, name))
    return tuple(found[name] for name in names if name in found)


@functools.cache
def installed_fonts() -> tuple[Path, ...]:
    """The machine's fonts among `FONT_FILES`, looked up once per process."""
    return find_fonts()


@functools.lru_cache(maxsize=CACHE_SIZE)
def draw(timeline: Timeline, fonts: tuple[Path, ...] | None = None) -> bytes:
    """The picture of `timeline` as PNG bytes, in `fonts` (the installed ones unless
    given); the same timeline is drawn once."""
    return _Painter(timeline, installed_fonts() if fonts is None else fonts).png()


@functools.cache
def load_font(path: Path | None, size: int) -> Font:
    """The font file at `path` (Pillow's own font for None) at `size` pixels."""
    if path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size)


def _glyph(font: Font, char: str) -> tuple[tuple[int, int], bytes, float]:
    mask = font.getmask(char)
    return mask.size, bytes(mask), font.getlength(char)


@functools.lru_cache(maxsize=4096)
def _has(path: Path, char: str) -> bool:
    """Whether the font at `path` has a glyph for `char` (draws it other than its box for
    a missing one)."""
    font = load_font(path, _SMALL_SIZE)
    return _glyph(font, char) != _glyph(font, _MISSING)


def choose_font(text: str, fonts: tuple[Path, ...]) -> tuple[Path | None, str]:
    """The first of `fonts` that has every character of `text`, and the text as drawn
    (characters none of `fonts` has, an emoji say, as "?"); else None (Pillow's own
    font) and the text folded to ASCII."""
    text = " ".join(text.split())
    shown = "".join(
        char if char == " " or any(_has(path, char) for path in fonts) else "?" for char in text
    )
    needed = set(shown) - {" "}
    for path in fonts:
        if all(_has(path, char) for char in needed):
            return path, shown
    return None, fold_ascii(text)


def fit_text(text: str, font: Font, width: float) -> str:
    """`text` cut with "…" to at most `width` pixels in `font`."""
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

    def __init__(self, timeline: Timeline, fonts: tuple[Path, ...]) -> None:
        self.timeline = timeline
        self.fonts = fonts
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
            self._text((_MARGIN, y), note, _SMALL_SIZE, room=WIDTH - 2 * _MARGIN)
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

    def _typeset(self, text: str, size: int) -> tuple[Font, str]:
        path, shown = choose_font(text, self.fonts)
        return load_font(path, size), shown

    def _width(self, text: str, size: int) -> float:
        font, shown = self._typeset(text, size)
        return font.getlength(shown)

    def _text(
        self,
        xy: tuple[float, float],
        text: str,
        size: int,
        fill: Colour = _MUTED,
        anchor: str = "la",
        bold: bool = False,
        room: float | None = None,
    ) -> None:
        """`text` in the first font that has it, cut to `room` pixels if given."""
        font, shown = self._typeset(text, size)
        if room is not None:
            shown = fit_text(shown, font, room)
        stroke = 1 if bold else 0
        self.pen.text(xy, shown, font=font, fill=fill, anchor=anchor, stroke_width=stroke)

    def _header(self) -> None:
        timeline = self.timeline
        right = WIDTH - _MARGIN
        crew_width = self._width(timeline.crew, _BODY_SIZE)
        self._text((right, 24), timeline.crew, _BODY_SIZE, _TEXT, anchor="ra")
        title_room = right - _MARGIN - crew_width - 24
        self._text((_MARGIN, 18), timeline.title, _TITLE_SIZE, _TEXT, bold=True, room=title_room)
        self._text((_MARGIN, 68), timeline.headline, _BODY_SIZE, _NOW, room=right - _MARGIN)

    def _axis(self) -> None:
        timeline, y = self.timeline, _AXIS_Y
        end_colour = _END_COLOURS.get(timeline.end_kind, _MUTED)
        half = (WIDTH - 2 * _MARGIN) / 2 - 8
        right_edge = WIDTH - _MARGIN
        self._text((_MARGIN, y - 42), timeline.launch_caption, _SMALL_SIZE, _LAUNCH, room=half)
        self._text(
            (right_edge, y - 42), timeline.end_caption, _SMALL_SIZE, end_colour, "ra", room=half
        )
        self._text((_MARGIN, y + 18), timeline.launch_label, _BODY_SIZE, _TEXT, room=half)
        self._text((right_edge, y + 18), timeline.end_label, _BODY_SIZE, _TEXT, "ra", room=half)
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
        room = right - _MARGIN - 20
        when_room = max(room * 0.6, room - self._width(lane.where, _SMALL_SIZE))
        when_width = min(self._width(lane.when, _SMALL_SIZE), when_room)
        self._text((right, top), lane.when, _SMALL_SIZE, anchor="ra", room=when_width)
        where_room = room - when_width
        self._text((_MARGIN, top), lane.where, _SMALL_SIZE, _TEXT, room=where_room)
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
