"""Benchmark 4, memory and start-up of the bot process (`python -m bot run`).

Peak RSS is the kernel's high-water mark (`VmHWM` in /proc/PID/status), read at each
stage of the session in `benchmarks.session`, plus the highest of the RSS samples taken
every 100 ms while commands ran. Start-up is timed from spawning the process.
"""

from __future__ import annotations

from benchmarks.common import MIB, Report, Table, machine, mib
from benchmarks.session import Session, StartTiming

TARGET_MIB = 120


def _timing(timing: StartTiming) -> tuple[str, str, str]:
    return (f"{timing.connected:.2f} s", f"{timing.identified:.2f} s", f"{timing.ready:.2f} s")


def report(session: Session) -> tuple[Report, bool]:
    result = Report("memory", "4. Memory and start-up", machine())
    flights, astronauts = session.catalog_size
    rss = Table(["bot process, stage", "peak RSS (VmHWM)"])
    rss.add(
        "started on an empty database, start-up sync step and alert poll done",
        mib(session.rss_idle),
    )
    rss.add(f"after the {session.count:,} commands of benchmark 1", mib(session.rss_after_run))
    rss.add(
        f"after every flight ({flights}), astronaut ({astronauts}) and `/flights` page once "
        f"more ({session.full_commands} commands, {session.full_requests} more LL2 requests): "
        f"full catalog cached, {session.cached_documents} documents",
        f"**{mib(session.rss_full)}**",
    )
    rss.add("highest RSS sample (every 100 ms) during the commands", mib(session.rss_sampled_peak))
    rss.add("restarted on that full database, idle", mib(session.rss_restart_idle))
    result.table(rss)
    start = Table(["start", "gateway connected", "READY from the stand-in", "bot ready (log line)"])
    start.add("empty database", *_timing(session.cold_start))
    start.add("full database (restart)", *_timing(session.warm_start))
    result.table(
        start,
        "Start-up, seconds from spawning `python -m bot run` (the harness's `start` ends at the "
        "last column: connected, commands synced, `ready as` logged):",
    )
    peak = max(session.rss_full, session.rss_after_run, session.rss_sampled_peak)
    met = result.target(f"peak RSS ≤ {TARGET_MIB} MiB", mib(peak), peak <= TARGET_MIB * MIB)
    for note in session.notes:
        result.note(note)
    return result, met
