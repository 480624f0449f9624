"""Discord's message rules, checked on a message body (`Message.to_dict()`).

Written from Discord's documentation, independently of `bot.render.limits`, so a
bug in the renderers' own limit handling cannot hide itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

_TIMESTAMP = re.compile(r"<t:-?\d+(?::[tTdDfFsSR])?>")
_PINGS = ("@everyone", "@here", "<@")
_FILENAME = re.compile(r"[A-Za-z0-9_.-]+")


def assert_within_discord_limits(message: Mapping[str, Any]) -> None:
    """Every size, count and URL rule Discord enforces on a message, and no possible ping."""
    content = message.get("content") or ""
    assert len(content) <= 2000, "content over 2000 characters"
    embeds: list[dict[str, Any]] = message.get("embeds") or []
    assert len(embeds) <= 10, f"{len(embeds)} embeds"
    assert content or embeds, "a message needs content or an embed"
    attachments: list[dict[str, Any]] = message.get("attachments") or []
    assert len(attachments) <= 10, f"{len(attachments)} attachments"
    files = {attachment["filename"] for attachment in attachments}
    for attachment in attachments:
        assert _FILENAME.fullmatch(attachment["filename"]), f"filename {attachment['filename']!r}"
        assert len(attachment.get("description") or "") <= 1024, "attachment description"
    total = 0
    for embed in embeds:
        total += _check_embed(embed, files)
    assert total <= 6000, f"embeds total {total} characters"
    _check_components(message.get("components") or [])
    assert message.get("allowed_mentions") == {"parse": []}, "allowed_mentions must parse nothing"
    for text in visible_texts(message):
        for ping in _PINGS:
            assert ping not in text, f"{ping!r} in {text[:80]!r}"


def visible_texts(message: Mapping[str, Any]) -> Iterator[str]:
    """Every text a reader sees: content, embed texts, button labels, select texts."""
    if message.get("content"):
        yield message["content"]
    for embed in message.get("embeds") or []:
        yield from (embed.get("title") or "", embed.get("description") or "")
        for field in embed.get("fields") or []:
            yield from (field["name"], field["value"])
        yield (embed.get("footer") or {}).get("text") or ""
        yield (embed.get("author") or {}).get("name") or ""
    for row in message.get("components") or []:
        for item in row["components"]:
            yield item.get("label") or ""
            yield item.get("placeholder") or ""
            for option in item.get("options") or []:
                yield from (option["label"], option.get("description") or "")


def is_valid_url(url: object) -> bool:
    """An absolute http(s) URL of at most 2048 ASCII characters with a host, no whitespace."""
    if not isinstance(url, str) or not url or len(url) > 2048 or not url.isascii():
        return False
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _check_embed(embed: Mapping[str, Any], files: set[str]) -> int:
    title = embed.get("title") or ""
    description = embed.get("description") or ""
    fields: list[dict[str, Any]] = embed.get("fields") or []
    footer = (embed.get("footer") or {}).get("text") or ""
    author = (embed.get("author") or {}).get("name") or ""
    assert len(title) <= 256, "title over 256"
    assert len(description) <= 4096, "description over 4096"
    assert len(fields) <= 25, f"{len(fields)} fields"
    assert len(footer) <= 2048, "footer over 2048"
    assert len(author) <= 256, "author name over 256"
    for field in fields:
        assert field["name"].strip() and len(field["name"]) <= 256, "bad field name"
        assert field["value"].strip() and len(field["value"]) <= 1024, "bad field value"
    for text in (title, footer, author):
        assert not _TIMESTAMP.search(text), f"timestamp where it does not render: {text!r}"
    assert title or description or fields or "image" in embed or "thumbnail" in embed
    urls: list[object] = [embed.get("url")]
    for part in ("thumbnail", "image", "author", "footer"):
        media = embed.get(part) or {}
        url, icon = media.get("url"), media.get("icon_url")
        if part in ("thumbnail", "image") and str(url).startswith("attachment://"):
            # An embed shows an attached file by naming it; the name must be one sent.
            assert str(url).removeprefix("attachment://") in files, f"{url!r} names no file"
            url = None
        urls += [url, icon]
    for url in urls:
        assert url is None or is_valid_url(url), f"bad url {url!r}"
    return (
        len(title)
        + len(description)
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len(footer)
        + len(author)
    )


def _check_components(rows: list[dict[str, Any]]) -> None:
    assert len(rows) <= 5, f"{len(rows)} component rows"
    custom_ids: list[str] = []
    for row in rows:
        assert row["type"] == 1
        items: list[dict[str, Any]] = row["components"]
        selects = [item for item in items if item["type"] == 3]
        assert 1 <= len(items) <= 5
        assert not selects or len(items) == 1, "a select menu fills its row alone"
        for item in items:
            custom_id = item["custom_id"]
            assert 1 <= len(custom_id) <= 100, f"custom_id {custom_id!r}"
            custom_ids.append(custom_id)
            if item["type"] == 2:
                assert 1 <= len(item["label"]) <= 80, f"button label {item['label']!r}"
        for select in selects:
            options: list[dict[str, Any]] = select["options"]
            assert 1 <= len(options) <= 25, f"{len(options)} select options"
            assert len(select.get("placeholder") or "") <= 150
            values = [option["value"] for option in options]
            assert len(set(values)) == len(values), "select values must be unique"
            for option in options:
                assert 1 <= len(option["label"]) <= 100
                assert 1 <= len(option["value"]) <= 100
                assert len(option.get("description") or "") <= 100
    assert len(set(custom_ids)) == len(custom_ids), "custom_ids must be unique in a message"
