"""A launch's NET and status in words, as precisely as LL2 knows them: `/upcoming`,
`/flight` of a flight not launched yet, and anything else that shows when a launch is.

Only a NET at hour precision or finer is a time (`<t:…:F>` and a countdown); a coarser one
is a placeholder at the end of its period and is named as the period ("NET March 2026"),
never shown as a time (a fake midnight).
"""

from __future__ import annotations

from datetime import datetime

from discord.utils import format_dt

from bot.ll2.launches import (
    DAY_PRECISION_ID,
    MONTH_PRECISION_ID,
    LaunchStatus,
    launch_status,
    launch_time,
)
from bot.ll2.models import Launch
from bot.render.text import clean_name

STATUS_WORDS = {
    LaunchStatus.GO: "Go",
    LaunchStatus.TBC: "To be confirmed",
    LaunchStatus.TBD: "To be determined",
    LaunchStatus.HOLD: "Hold",
    LaunchStatus.IN_FLIGHT: "In flight",
    LaunchStatus.PAYLOAD_DEPLOYED: "Payload deployed",
    LaunchStatus.SUCCESS: "Launched successfully",
    LaunchStatus.FAILURE: "Launch failed",
    LaunchStatus.PARTIAL_FAILURE: "Partial failure",
}


def net_text(launch: Launch, now: datetime) -> str:
    """When the launch is, as precisely as LL2 says: "<t:…:F> (<t:…:R>)" for a time,
    "NET 15 Feb 2026 (day not final)", "NET March 2026", or LL2's own period name."""
    time = launch_time(launch)
    net = time.net
    if net is None:
        return "NET not set"
    if time.exact:
        text = f"{format_dt(net, 'F')} ({format_dt(net, 'R')})"
        status = time.status
        if net < now and (status is None or not status.has_lifted_off):
            text += " — passed, not yet updated by LL2"
        return text
    day = f"{net.day} {net:%b %Y}"
    if time.precision_id == DAY_PRECISION_ID:
        return f"NET {day} (day not final)"
    if time.precision_id == MONTH_PRECISION_ID:
        return f"NET {net:%B %Y}"
    precision = launch.net_precision
    period = clean_name((precision.abbrev or precision.name) if precision else None, 40)
    if period:
        return f"NET {period} {net.year} (LL2's estimate)"
    return f"NET {day} (time not set)"


def status_text(launch: Launch) -> str:
    """The status in words; one LL2 added later by its own name."""
    status = launch_status(launch)
    if status is not None:
        return STATUS_WORDS[status]
    name = clean_name(launch.status.name if launch.status else None)
    return name or "Status unknown"
