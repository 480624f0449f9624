"""Only valid http(s) URLs reach an embed: LL2's strings are checked, not trusted."""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, urlsplit

from bot.render.limits import URL_LIMIT

_ATTACHMENT_URL = re.compile(r"attachment://[A-Za-z0-9_.-]{1,200}")


_HOST = re.compile(r"[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]")


_URL_SAFE = "".join(chr(code) for code in range(33, 127) if chr(code) not in '"<>\\^`{|}')


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
