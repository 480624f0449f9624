"""What the database reported: its one-line storage errors, as an operator reads them."""

from __future__ import annotations

import logging

import pytest


def storage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "storage.database" and record.levelno >= logging.ERROR
    ]
