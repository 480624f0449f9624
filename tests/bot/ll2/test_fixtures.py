"""The recorded LL2 answers are kept exactly as recorded: a change to one fails here."""

from __future__ import annotations

import hashlib

import pytest

from tests.paths import FIXTURES_ROOT


def _recorded() -> dict[str, str]:
    lines = (FIXTURES_ROOT / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split() for line in lines if line.strip())}


RECORDED = _recorded()


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recording_is_unchanged(name: str) -> None:
    digest = hashlib.sha256((FIXTURES_ROOT / name).read_bytes()).hexdigest()
    assert digest == RECORDED[name], f"{name} differs from the recording"


def test_every_recording_is_listed() -> None:
    present = {path.relative_to(FIXTURES_ROOT).as_posix() for path in FIXTURES_ROOT.rglob("*.json")}
    assert present == set(RECORDED)
    assert len(RECORDED) == 16
