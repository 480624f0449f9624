"""Where the LL2 fixtures and reference files the tests use live: in the project itself.

They are byte-for-byte copies of real LL2 answers and LL2's 2.3.0 OpenAPI schema (see
`tests/fixtures/README.md`), so a clone runs its tests with nothing beside it.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_ROOT = PROJECT_ROOT / "tests" / "fixtures"
FIXTURES = FIXTURES_ROOT / "ll2"
OPENAPI_SCHEMA = FIXTURES_ROOT / "reference" / "ll2-2.3.0-openapi.json"


def fixture(name: str) -> Path:
    """Path of one LL2 fixture file, e.g. `fixture("2.2.0_spacecraft_flight_219_detail.json")`."""
    return FIXTURES / name
