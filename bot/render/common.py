"""Pieces every renderer shares: Discord's limits, safe text and URLs, times, the final fit.

Renderers build embeds with these helpers and pass the result through
`fit_message`, which enforces every Discord limit whatever LL2 sent and says so
where something had to be cut.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote, urlsplit

import discord

from bot.ll2.freshness import Freshness
from bot.ll2.models import Astronaut
from bot.render.message import Button, Component, Message, Select, SelectOption

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
EMBED_COUNT_LIMIT = 10
EMBEDS_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 80
SELECT_OPTION_COUNT_LIMIT = 25
SELECT_TEXT_LIMIT = 100
SELECT_PLACEHOLDER_LIMIT = 150
URL_LIMIT = 2048

NAME_LIMIT = 100
"""How much of one LL2 name (person, craft, pad) goes into a line or a field name."""

CREDIT = "Data: Launch Library 2 (The Space Devs)"
EMPTY = "—"
ELLIPSIS = "…"

FLIGHT_COLOUR = discord.Colour(0x1F6FEB)
FLIGHTS_COLOUR = discord.Colour(0x6E40C9)
ASTRONAUT_COLOUR = discord.Colour(0x2DA44E)
IN_SPACE_COLOUR = discord.Colour(0x0E8A9E)
ERROR_COLOUR = discord.Colour(0xCF222E)

_NOTE_RESERVE = 64
"""Room kept free in the first embed for the line that says how many embeds were left out."""
_SHRINK_FLOOR = 16
"""No text is shrunk below this many characters while fitting the 6000-character total."""
_ZERO_WIDTH_SPACE = "\u200b"
_ATTACHMENT_URL = re.compile(r"attachment://[A-Za-z0-9_.-]{1,200}")
_HOST = re.compile(r"[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]")
_URL_SAFE = "".join(chr(code) for code in range(33, 127) if chr(code) not in '"<>\\^`{|}')
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]\"'\u201d\u2019])[.!?][\"')\]\u201d\u2019]?(?=\s)")
_LAST_WORD = re.compile(r"(\w+)\W*$")
_ABBREVIATIONS = frozenset(
    {"capt", "cmdr", "col", "dr", "gen", "jr", "lt", "maj", "mr", "mrs", "ms", "no", "sr", "st"}
    | {"prof", "rev", "sgt", "vs", "etc", "approx", "inc", "co", "ltd", "mt"}
)


@functools.lru_cache(maxsize=4096)
def safe_url(value: str | None) -> str | None:
    """An absolute http(s) URL Discord accepts, or None.

    Empty, relative, non-http schemes, whitespace or control characters anywhere,
    hosts that do not IDNA-encode and anything longer than 2048 characters are
    dropped; non-ASCII characters outside the host are percent-encoded.
    """
    if not value or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
        host = parts.hostname
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        ascii_host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return None
    if ":" in ascii_host:
        ascii_host = f"[{ascii_host}]"
    if parts.username is not None or not _HOST.fullmatch(ascii_host):
        return None
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    rest = quote(value[len(parts.scheme) + 3 + len(parts.netloc) :], safe=_URL_SAFE)
    url = f"{parts.scheme.lower()}://{netloc}{rest}"
    return url if len(url) <= URL_LIMIT else None


def media_url(value: str | None) -> str | None:
    """An embed image or thumbnail: an `attachment://` link to a file sent with the
    message (a name Discord can match: ASCII letters, digits, `_`, `-`, `.`), else
    `safe_url`."""
    if value and _ATTACHMENT_URL.fullmatch(value):
        return value
    return safe_url(value)


def first_url(*values: str | None) -> str | None:
    """The first of `values` that `safe_url` accepts."""
    return next((url for url in map(safe_url, values) if url), None)


def neutralise_mentions(text: str) -> str:
    """Break every `@` (and `<@`) so `@everyone`, `@here`, `<@123>` and `<@&123>` never ping."""
    return text.replace("@", "@" + _ZERO_WIDTH_SPACE).replace("<@", "<" + _ZERO_WIDTH_SPACE + "@")


def clean(text: str | None, limit: int = FIELD_VALUE_LIMIT) -> str:
    """LL2 text for a place that renders markdown: cut to `limit` (at most a field
    value), escaped, and unable to ping.

    The cut comes first: `escape_markdown`'s regular expression takes time cubic in
    the length of text such as `[a](` repeated (10,000 characters: 9 s), so it is
    never given more than `FIELD_VALUE_LIMIT` characters (about 10 ms at worst)."""
    if not text:
        return ""
    cut = shorten(text.strip(), min(limit, FIELD_VALUE_LIMIT))
    return neutralise_mentions(discord.utils.escape_markdown(cut))


def clean_name(text: str | None, limit: int = NAME_LIMIT) -> str:
    """An LL2 name for a line, title or field name: cut to `limit`, escaped, unable to ping."""
    return clean(text, limit)


def plain(text: str | None) -> str:
    """LL2 text for a place that shows no markdown (select options, footers): unable to ping."""
    return neutralise_mentions(text.strip()) if text else ""


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a line or word break with a final "…".

    A cut never leaves half a `<t:…>` token or a dangling escape backslash.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    newline = cut.rfind("\n")
    space = max(newline, cut.rfind(" "))
    if newline >= limit // 2:
        cut = cut[:newline]
    elif space >= limit // 2:
        cut = cut[:space]
    opening = cut.rfind("<")
    if opening > cut.rfind(">"):
        cut = cut[:opening]
    return cut.rstrip().rstrip("\\").rstrip() + ELLIPSIS


def shorten_at_sentence(text: str, limit: int) -> str:
    """`text` cut after the last whole sentence that fits, ending in "…" when cut.

    Falls back to a word break when no sentence ends in the last two thirds.
    Abbreviations such as "Col." and initials such as "U.S." do not end a sentence.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS) - 1
    ends = [
        match.end()
        for match in _SENTENCE_END.finditer(text, 0, room + 1)
        if match.end() <= room and not _is_abbreviation(text[: match.start()])
    ]
    if ends and ends[-1] >= limit // 3:
        return f"{text[: ends[-1]]} {ELLIPSIS}"
    return shorten(text, limit)


def _is_abbreviation(before: str) -> bool:
    word = _LAST_WORD.search(before)
    return word is not None and word.group(1).lower() in _ABBREVIATIONS


def format_duration(delta: timedelta) -> str:
    """ "187 d 20 h 42 m", "9 h 56 m", "0 m": leading zero units dropped, seconds ignored."""
    minutes = max(0, int(delta.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if days or hours:
        parts.append(f"{hours} h")
    parts.append(f"{minutes} m")
    return " ".join(parts)


def format_date(value: date) -> str:
    """A calendar date as `<t:…:D>`, anchored at noon UTC so it shows as the same day nearly
    everywhere."""
    return discord.utils.format_dt(datetime.combine(value, time(12), tzinfo=UTC), "D")


def years_between(start: date, end: date) -> int:
    """Whole years from `start` to `end` (an age)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 flight", "3 flights" ("2 people" with `nouns`)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def more_marker(count: int, noun: str = "") -> str:
    """The visible mark of a cut list: "… and 3 more" (or "… and 3 more crew")."""
    return f"{ELLIPSIS} and {count} more" + (f" {noun}" if noun else "")


def join_lines(lines: Sequence[str], limit: int, noun: str = "") -> str:
    """As many whole lines as fit in `limit` characters, then "… and N more" for the rest.

    A first line longer than the limit is shortened rather than dropped.
    """
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        left_after = len(lines) - index - 1
        reserve = len(more_marker(left_after, noun)) + 1 if left_after else 0
        room = limit - used - (1 if kept else 0) - reserve
        if len(line) <= room:
            kept.append(line)
            used += len(line) + (1 if len(kept) > 1 else 0)
            continue
        if kept:
            kept.append(more_marker(left_after + 1, noun))
        else:
            kept.append(shorten(line, max(1, room)))
            if left_after:
                kept.append(more_marker(left_after, noun))
        break
    return "\n".join(kept)


def stale_notice(freshness: Freshness) -> str | None:
    """The first line of a main embed built from data that may be old."""
    if freshness.stale_reason is None:
        return None
    fetched = discord.utils.format_dt(freshness.fetched_at, "R")
    return f"⚠️ Data from {fetched} — {freshness.stale_reason.value}"


def new_embed(
    title: str,
    colour: discord.Colour,
    *,
    url: str | None = None,
    description: str | None = None,
    thumbnail: str | None = None,
) -> discord.Embed:
    """An embed whose title (already escaped) and description are cut to Discord's limits."""
    embed = discord.Embed(
        title=shorten(title, TITLE_LIMIT) or None,
        url=safe_url(url),
        description=shorten(description, DESCRIPTION_LIMIT) if description else None,
        colour=colour,
    )
    thumbnail_url = safe_url(thumbnail)
    if thumbnail_url:
        embed.set_thumbnail(url=thumbnail_url)
    return embed


def main_embed(
    title: str,
    colour: discord.Colour,
    freshness: Freshness,
    *,
    url: str | None = None,
    description: str | None = None,
    thumbnail: str | None = None,
    footer: str | None = None,
) -> discord.Embed:
    """The first embed of a message: stale warning, LL2 credit and the when-fetched time."""
    text = "\n\n".join(part for part in (stale_notice(freshness), description) if part)
    embed = new_embed(title, colour, url=url, description=text or None, thumbnail=thumbnail)
    embed.set_footer(text=" · ".join(part for part in (footer, CREDIT) if part))
    embed.timestamp = freshness.fetched_at
    return embed


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    """A field cut to Discord's limits; an empty value shows as "—"."""
    embed.add_field(
        name=shorten(name.strip(), FIELD_NAME_LIMIT) or _ZERO_WIDTH_SPACE,
        value=shorten(value.strip(), FIELD_VALUE_LIMIT) or EMPTY,
        inline=inline,
    )


def add_astronaut_facts(embed: discord.Embed, astronaut: Astronaut) -> None:
    """Agency, nationality, status and time in space as inline fields, where known."""
    facts = (
        ("Agency", astronaut.agency.name if astronaut.agency else None),
        ("Nationality", astronaut.nationality),
        ("Status", astronaut.status.name if astronaut.status else None),
        (
            "Time in space",
            format_duration(astronaut.time_in_space) if astronaut.time_in_space else None,
        ),
    )
    for name, value in facts:
        if value:
            add_field(embed, name, clean_name(value), inline=True)


def select_menu(custom_id: str, placeholder: str, options: Sequence[SelectOption]) -> Select:
    """A select menu of at most 25 options with distinct values, each text cut to 100
    characters.

    When options are left out the placeholder says how many ("… and 35 more").
    """
    unique: dict[str, SelectOption] = {}
    for option in options:
        unique.setdefault(option.value[:SELECT_TEXT_LIMIT], option)
    fitted = [
        SelectOption(
            label=shorten(option.label.strip(), SELECT_TEXT_LIMIT) or EMPTY,
            value=value,
            description=(
                shorten(option.description.strip(), SELECT_TEXT_LIMIT) or None
                if option.description
                else None
            ),
        )
        for value, option in list(unique.items())[:SELECT_OPTION_COUNT_LIMIT]
    ]
    left_out = len(unique) - len(fitted)
    if left_out:
        note = f" ({more_marker(left_out)} not listed)"
        placeholder = shorten(placeholder, SELECT_PLACEHOLDER_LIMIT - len(note)) + note
    return Select(
        custom_id=custom_id,
        placeholder=shorten(placeholder, SELECT_PLACEHOLDER_LIMIT),
        options=tuple(fitted),
    )


def fit_message(message: Message, overflow_noun: str = "") -> Message:
    """The message within every Discord limit, with what was cut said visibly.

    Each embed is cut to its own limits; the first embed is kept, later embeds
    are dropped from the end while there are more than 10 or they exceed 6000
    characters together, and the first embed then ends with "… and N more
    <overflow_noun>". Components are cut to their limits too.
    """
    if not message.embeds:
        return _fit_components(message)
    first, *rest = (_fit_embed(embed) for embed in message.embeds)
    has_extra = bool(rest)
    first = _shrink_embed(first, EMBEDS_TOTAL_LIMIT - (_NOTE_RESERVE if has_extra else 0))
    used = len(first)
    kept: list[discord.Embed] = []
    for embed in rest:
        if len(kept) + 2 > EMBED_COUNT_LIMIT or used + len(embed) > EMBEDS_TOTAL_LIMIT - (
            _NOTE_RESERVE
        ):
            break
        kept.append(embed)
        used += len(embed)
    left_out = len(rest) - len(kept)
    if left_out:
        note = more_marker(left_out, overflow_noun)
        description = shorten(first.description or "", DESCRIPTION_LIMIT - len(note) - 2)
        first.description = f"{description}\n\n{note}" if description else note
    return _fit_components(replace(message, embeds=(first, *kept)))


@dataclass
class _Slot:
    text: str


def _fit_embed(embed: discord.Embed) -> discord.Embed:
    """A copy of `embed` with every text within its own limit and only http(s) URLs."""
    fitted = embed.copy()
    fitted.title = (shorten(fitted.title.strip(), TITLE_LIMIT) or None) if fitted.title else None
    fitted.url = safe_url(fitted.url)
    if fitted.description is not None:
        fitted.description = shorten(fitted.description.strip(), DESCRIPTION_LIMIT) or None
    fields = [(field.name or "", field.value or "", field.inline) for field in fitted.fields]
    if len(fields) > FIELD_COUNT_LIMIT:
        left_out = len(fields) - FIELD_COUNT_LIMIT + 1
        fields = [*fields[: FIELD_COUNT_LIMIT - 1], ("More", more_marker(left_out), False)]
    fitted.clear_fields()
    for name, value, inline in fields:
        add_field(fitted, name, value, inline=inline)
    if fitted.footer.text or fitted.footer.icon_url:
        fitted.set_footer(
            text=shorten(fitted.footer.text or "", FOOTER_LIMIT) or None,
            icon_url=safe_url(fitted.footer.icon_url),
        )
    author = fitted.author
    if author.name:
        fitted.set_author(
            name=shorten(author.name.strip(), AUTHOR_NAME_LIMIT) or EMPTY,
            url=safe_url(author.url),
            icon_url=safe_url(author.icon_url),
        )
    elif author.url or author.icon_url:
        fitted.remove_author()
    fitted.set_thumbnail(url=media_url(fitted.thumbnail.url))
    fitted.set_image(url=media_url(fitted.image.url))
    return fitted


def _shrink_embed(embed: discord.Embed, budget: int) -> discord.Embed:
    """Shorten the longest texts of an embed (already within its own limits) until the
    embed fits in `budget` characters."""
    if len(embed) <= budget:
        return embed
    title = _Slot(embed.title or "")
    description = _Slot(embed.description or "")
    fields = [
        (_Slot(field.name or ""), _Slot(field.value or ""), field.inline) for field in embed.fields
    ]
    footer = _Slot(embed.footer.text or "")
    author = _Slot(embed.author.name or "")
    slots = [title, description, footer, author, *(s for f in fields for s in f[:2])]
    excess = len(embed) - budget
    while excess > 0:
        longest = max(slots, key=lambda slot: len(slot.text))
        if len(longest.text) <= _SHRINK_FLOOR:
            break
        before = len(longest.text)
        longest.text = shorten(longest.text, max(_SHRINK_FLOOR, before - excess))
        excess -= before - len(longest.text)
    embed.title = title.text or None
    embed.description = description.text or None
    embed.clear_fields()
    for name, value, inline in fields:
        add_field(embed, name.text, value.text, inline=inline)
    if embed.footer.text:
        embed.set_footer(text=footer.text, icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(name=author.text, url=embed.author.url, icon_url=embed.author.icon_url)
    return embed


def _fit_components(message: Message) -> Message:
    rows = tuple(tuple(_fit_component(component) for component in row) for row in message.rows)
    content = shorten(message.content, CONTENT_LIMIT) if message.content else message.content
    return replace(message, rows=rows, content=content)


def _fit_component(component: Component) -> Component:
    if isinstance(component, Button):
        return replace(component, label=shorten(component.label, BUTTON_LABEL_LIMIT))
    return select_menu(component.custom_id, component.placeholder, component.options)
