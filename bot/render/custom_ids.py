"""custom_ids of Capcom's persistent components, built and parsed in one place.

A page button of `/flights` is `capcom:flights:<spacecraft id, 0 for all>:<page>`
(1-based target page). At either end of the list the button is disabled and gets
`capcom:flights:<spacecraft>:<current page>:prev-disabled` (or `next-disabled`),
so the two buttons of a row never share an id and every id still matches
`FLIGHTS_PAGE_PATTERN` (a discord.py `DynamicItem` template).

A page button of `/upcoming` is `capcom:upcoming:<page>`, disabled
`capcom:upcoming:<page>:prev-disabled` (or `next-disabled`), matching `UPCOMING_PAGE_PATTERN`.
"""

from __future__ import annotations

import re
from typing import Literal

CREW_SELECT_CUSTOM_ID = "capcom:crew:select"

FLIGHTS_PAGE_PATTERN = (
    r"capcom:flights:(?P<spacecraft>[0-9]{1,12}):(?P<page>[0-9]{1,6})(?::(?:prev|next)-disabled)?"
)
_FLIGHTS_PAGE = re.compile(FLIGHTS_PAGE_PATTERN)
_MAX_SPACECRAFT = 10**12 - 1
_MAX_PAGE = 10**6 - 1


def _check(spacecraft_id: int | None, page: int) -> int:
    if spacecraft_id is not None and not 1 <= spacecraft_id <= _MAX_SPACECRAFT:
        raise ValueError(f"spacecraft id out of range: {spacecraft_id}")
    if not 1 <= page <= _MAX_PAGE:
        raise ValueError(f"page out of range: {page}")
    return spacecraft_id or 0


def flights_page_custom_id(spacecraft_id: int | None, page: int) -> str:
    """The id of a button that opens `page` (1-based) of the flights of `spacecraft_id`
    (None: every spacecraft)."""
    return f"capcom:flights:{_check(spacecraft_id, page)}:{page}"


def disabled_flights_page_custom_id(
    spacecraft_id: int | None, page: int, side: Literal["prev", "next"]
) -> str:
    """The id of the disabled Previous (on the first page) or Next (on the last) button."""
    return f"capcom:flights:{_check(spacecraft_id, page)}:{page}:{side}-disabled"


UPCOMING_PAGE_PATTERN = r"capcom:upcoming:(?P<page>[0-9]{1,6})(?::(?:prev|next)-disabled)?"


def upcoming_page_custom_id(page: int) -> str:
    """The id of a button that opens `page` (1-based) of `/upcoming`."""
    _check(None, page)
    return f"capcom:upcoming:{page}"


def disabled_upcoming_page_custom_id(page: int, side: Literal["prev", "next"]) -> str:
    _check(None, page)
    return f"capcom:upcoming:{page}:{side}-disabled"


def parse_flights_page_custom_id(custom_id: str) -> tuple[int | None, int] | None:
    """`(spacecraft id or None, page)` from a page button's id; None if it is not one."""
    match = _FLIGHTS_PAGE.fullmatch(custom_id)
    if match is None:
        return None
    spacecraft, page = int(match["spacecraft"]), int(match["page"])
    if page < 1:
        return None
    return (spacecraft or None), page
