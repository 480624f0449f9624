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
from bot.render.lang import N_, Lang
from bot.render.text import clean_name

STATUS_WORDS = {
    LaunchStatus.GO: N_("Go"),
    LaunchStatus.TBC: N_("To be confirmed"),
    LaunchStatus.TBD: N_("To be determined"),
    LaunchStatus.HOLD: N_("Hold"),
    LaunchStatus.IN_FLIGHT: N_("In flight"),
    LaunchStatus.PAYLOAD_DEPLOYED: N_("Payload deployed"),
    LaunchStatus.SUCCESS: N_("Launched successfully"),
    LaunchStatus.FAILURE: N_("Launch failed"),
    LaunchStatus.PARTIAL_FAILURE: N_("Partial failure"),
}
"""Each status LL2 has, in English (`Lang.say` translates)."""


def net_text(launch: Launch, now: datetime, lang: Lang) -> str:
    """When the launch is, as precisely as LL2 says: "<t:…:F> (<t:…:R>)" for a time,
    "NET Feb 15, 2026 (day not final)", "NET March 2026", or LL2's own period name;
    calendar days and months in the language's own form."""
    time = launch_time(launch)
    net = time.net
    if net is None:
        return lang.say("NET not set")
    if time.exact:
        text = f"{format_dt(net, 'F')} ({format_dt(net, 'R')})"
        status = time.status
        if net < now and (status is None or not status.has_lifted_off):
            text += " — " + lang.say("passed, not yet updated by LL2")
        return text
    day = lang.day(net.date())
    if time.precision_id == DAY_PRECISION_ID:
        return lang.say("NET {day} (day not final)", day=day)
    if time.precision_id == MONTH_PRECISION_ID:
        return lang.say("NET {month}", month=lang.month(net.date()))
    precision = launch.net_precision
    period = clean_name((precision.abbrev or precision.name) if precision else None, 40)
    if period:
        return lang.say("NET {period} {year} (LL2's estimate)", period=period, year=net.year)
    return lang.say("NET {day} (time not set)", day=day)


def status_text(launch: Launch, lang: Lang) -> str:
    """The status in words; one LL2 added later by its own name."""
    status = launch_status(launch)
    if status is not None:
        return lang.say(STATUS_WORDS[status])
    name = clean_name(launch.status.name if launch.status else None)
    return name or lang.say("Status unknown")
