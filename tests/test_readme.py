"""The README quotes numbers the code decides: each one agrees with the code."""

from __future__ import annotations

import re

import pytest

from bot.ll2.repository import PARSED_CACHE_SIZE
from bot.render.flight import RENDERED_CACHE_SIZE
from bot.render.timeline import CACHE_SIZE as PICTURE_CACHE_SIZE
from tests.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("pattern", "size"),
    [
        (r"pictures are cached in-process \(the last (\d+),", PICTURE_CACHE_SIZE),
        (
            r"built once per cached copy and language too, the last (\d+) flights",
            RENDERED_CACHE_SIZE,
        ),
        (r"A document already parsed \(the last (\d+) are kept\)", PARSED_CACHE_SIZE),
    ],
)
def test_the_readme_gives_the_memo_sizes_of_the_code(pattern: str, size: int) -> None:
    found = re.search(pattern, " ".join(README.split()))
    assert found is not None, f"the README no longer says {pattern!r}"
    assert int(found.group(1)) == size
