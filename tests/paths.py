"""Where the shared, read-only LL2 fixtures and reference files live."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures" / "ll2"
OPENAPI_SCHEMA = SHARED / "reference" / "ll2-2.3.0-openapi.json"


def fixture(name: str) -> Path:
    """Path of one LL2 fixture file, e.g. `fixture("2.2.0_spacecraft_flight_219_detail.json")`."""
    return FIXTURES / name
