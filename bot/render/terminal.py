"""A Message as readable plain text, for `capcom preview` without `--json`, and JSON lines
safe to print.

LL2 text reaches the operator's terminal through both: its control characters (an
escape sequence could retitle the window, clear the screen or hide lines) are
dropped from the text and escaped in JSON.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import discord

from bot.render.message import Button, Component, Message

_TIMESTAMP = re.compile(r"<t:(?P<unix>-?\d{1,13})(?::(?P<style>[tTdDfFsSR]))?>")
_ESCAPED = re.compile(r"\\([\\*_`~|>#\-\[\]()])")
_FORMATS = {
    "t": "%H:%M UTC",
    "T": "%H:%M:%S UTC",
    "d": "%Y-%m-%d",
    "D": "%Y-%m-%d",
}
_DEFAULT_FORMAT = "%Y-%m-%d %H:%M UTC"
_RULE = "─" * 40
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Control characters (C0 but the newline, DEL, C1)."""
_UNESCAPED_IN_JSON = re.compile(r"[\x7f-\x9f]")
"""What `json.dumps` leaves raw of `_CONTROLS` (it escapes C0 itself)."""


def terminal_safe(text: str) -> str:
    """`text` without control characters, newlines kept."""
    return _CONTROLS.sub("", text)


def json_line(value: object) -> str:
    """`value` as one line of JSON, non-ASCII kept readable, every control character
    escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return _UNESCAPED_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def render_terminal(message: Message) -> str:
    """Content, each embed (title, link, text, fields, images, footer), the components, then
    the attached files."""
    blocks: list[str] = []
    if message.content:
        blocks.append(readable(message.content))
    blocks += [_embed(embed) for embed in message.embeds]
    blocks += [" ".join(_component(item) for item in row) for row in message.rows]
    blocks += [
        f"Attached: {a.filename} ({len(a.data):,} bytes)"
        + (f" — {a.description}" if a.description else "")
        for a in message.attachments
    ]
    return terminal_safe(f"\n{_RULE}\n".join(blocks)) + "\n"


def readable(text: str) -> str:
    """Discord timestamps as UTC dates, markdown escapes removed."""
    return _ESCAPED.sub(r"\1", _TIMESTAMP.sub(_timestamp, text))


def _timestamp(match: re.Match[str]) -> str:
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=int(match["unix"]))
    except OverflowError:
        return match[0]
    return moment.strftime(_FORMATS.get(match["style"] or "f", _DEFAULT_FORMAT))


def _embed(embed: discord.Embed) -> str:
    lines: list[str] = []
    if embed.author.name:
        lines.append(f"[{readable(embed.author.name)}]")
    if embed.title:
        lines.append(readable(embed.title))
    if embed.url:
        lines.append(f"<{embed.url}>")
    if embed.description:
        lines += ["", readable(embed.description)]
    for field in embed.fields:
        value = readable(field.value or "").replace("\n", "\n    ")
        lines.append(f"{readable(field.name or '')}: {value}")
    if embed.thumbnail.url:
        lines.append(f"Thumbnail: {embed.thumbnail.url}")
    if embed.image.url:
        lines.append(f"Image: {embed.image.url}")
    footer = [readable(embed.footer.text)] if embed.footer.text else []
    if embed.timestamp:
        footer.append(embed.timestamp.astimezone(UTC).strftime(_DEFAULT_FORMAT))
    if footer:
        lines += ["", " · ".join(footer)]
    return "\n".join(lines)


def _component(component: Component) -> str:
    if isinstance(component, Button):
        return f"[{component.label}{' (disabled)' if component.disabled else ''}]"
    options = [
        f"  • {option.label} ({option.value})"
        + (f" — {option.description}" if option.description else "")
        for option in component.options
    ]
    return "\n".join([f"[{component.placeholder} ▾]", *options])
