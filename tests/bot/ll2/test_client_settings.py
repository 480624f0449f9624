"""What the LL2 client says about how it is set up."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.ll2.budget import Budget
from bot.ll2.client import LL2Client
from storage.database import Database
from storage.upstream import UpstreamLedger

KEY = "s3cret-ll2-key"


@pytest.mark.parametrize(
    ("base_url", "api_key", "warned"),
    [
        ("http://ll2.example/2.2.0", KEY, True),
        ("HTTP://ll2.example/2.2.0", KEY, True),
        ("https://ll.thespacedevs.com/2.2.0", KEY, False),
        ("http://127.0.0.1:8000/2.2.0", None, False),
    ],
)
async def test_an_api_key_over_plain_http_is_warned_about(
    db: Database,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    base_url: str,
    api_key: str | None,
    warned: bool,
) -> None:
    budget = Budget(UpstreamLedger(db), 15)
    with caplog.at_level(logging.WARNING, logger="bot.ll2.client"):
        LL2Client(session, base_url, budget, api_key=api_key)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    if warned:
        assert len(warnings) == 1
        assert "LL2_API_KEY" in warnings[0] and "unencrypted" in warnings[0]
    else:
        assert warnings == []
    assert KEY not in caplog.text
