"""A Message as readable plain text, for `capcom preview` without `--json`."""

from __future__ import annotations

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


def render_terminal(message: Message) -> str:
    """Content, each embed (title, link, text, fields, images, footer), the components, then
    the attached files."""
    blocks: list[str] = []
    if message.content:
        blocks.append(_readable(message.content))
    blocks += [_embed(embed) for embed in message.embeds]
    blocks += [" ".join(_component(item) for item in row) for row in message.rows]
    blocks += [
        f"Attached: {a.filename} ({len(a.data):,} bytes)"
        + (f" — {a.description}" if a.description else "")
        for a in message.attachments
    ]
    return f"\n{_RULE}\n".join(blocks) + "\n"


def _readable(text: str) -> str:
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
        lines.append(f"[{_readable(embed.author.name)}]")
    if embed.title:
        lines.append(_readable(embed.title))
    if embed.url:
        lines.append(f"<{embed.url}>")
    if embed.description:
        lines += ["", _readable(embed.description)]
    for field in embed.fields:
        value = _readable(field.value or "").replace("\n", "\n    ")
        lines.append(f"{_readable(field.name or '')}: {value}")
    if embed.thumbnail.url:
        lines.append(f"Thumbnail: {embed.thumbnail.url}")
    if embed.image.url:
        lines.append(f"Image: {embed.image.url}")
    footer = [_readable(embed.footer.text)] if embed.footer.text else []
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
