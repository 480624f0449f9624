"""`python -m benchmarks [economy|overhead|autocomplete|memory|timeline|scaling|week ...]
[--quick] [--no-record] [--database sqlite|postgresql]`.

With no names, all seven. Each prints its tables, appends its run to
benchmarks/history.jsonl and writes BENCHMARKS.md again from that history (never with
--quick, which shrinks every run to try the machinery).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import time
from collections.abc import Sequence

from benchmarks import (
    autocomplete,
    economy,
    memory,
    overhead,
    scaling,
    session,
    timeline,
    week,
    workload,
)
from benchmarks.common import SEED, Report, record

NAMES = ("economy", "overhead", "autocomplete", "memory", "timeline", "scaling", "week")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=", ".join(NAMES) + " (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="small runs, nothing recorded")
    parser.add_argument(
        "--no-record", action="store_true", help="record nothing (history, BENCHMARKS.md)"
    )
    parser.add_argument("--commands", type=int, help="commands in the workload (10,000)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="what the scaling benchmark's processes share (postgresql: a throwaway cluster)",
    )
    return parser


def _emit(report: Report, command: str | None) -> None:
    """Print `report`, and record it as run by `command` unless that is None."""
    print(report.markdown(), flush=True)
    if command is not None:
        record(report, command)


async def _main(
    names: Sequence[str],
    quick: bool,
    command: str | None,
    count: int,
    seed: int,
    database: str,
) -> bool:
    verdicts: dict[str, bool] = {}
    if "economy" in names or "memory" in names:
        started = time.perf_counter()
        print(f"bot process: {count:,} commands, then the full catalog…", flush=True)
        run = await session.run_session(count, seed)
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
        if "economy" in names:
            report = economy.new_report()
            verdicts["economy"] = economy.uncompressed_report(run, report)
            print("service layer: a simulated day at 15 requests an hour…", flush=True)
            catalog = workload.synthetic_catalog(seed)
            load = workload.build(catalog, count, seed)
            hours = 4 if quick else economy.SIMULATED_HOURS
            result = await economy.compressed(catalog, load, seed, hours=hours)
            compressed_ok = economy.compressed_report(result, report, hours)
            verdicts["economy (compressed): no 429, none unanswered"] = compressed_ok
            print("service layer: LL2 2.3.0, a simulated day at 15 requests an hour…", flush=True)
            result = await economy.compressed(catalog, load, seed, hours=hours, version="2.3.0")
            report.note("The same simulated day with LL2 2.3.0 (detailed sync pages):")
            economy.compressed_report(result, report, hours)
            verdicts["economy (2.3.0, first day)"] = economy.first_day_targets(result, report)
            if not quick:
                print("service layer: the same with slower LL2 pages…", flush=True)
                slower = [
                    await economy.compressed(
                        catalog, load, seed, hours=hours, version="2.3.0", page_seconds=seconds
                    )
                    for seconds in (10.0, 30.0)
                ]
                economy.sensitivity_report([result, *slower], report)
            print("service layer: LL2 2.3.0 after one catalog-sync pass…", flush=True)
            synced = await economy.synced(catalog, load)
            verdicts["economy (2.3.0, synced)"] = economy.synced_report(synced, report)
            _emit(report, command)
        if "memory" in names:
            report, verdicts["memory"] = memory.report(run)
            _emit(report, command)
    if "overhead" in names:
        print("bot overhead: Capcom and the floor bot…", flush=True)
        report, verdicts["overhead"] = await overhead.run(rounds=2 if quick else overhead.ROUNDS)
        _emit(report, command)
    if "autocomplete" in names:
        print("autocomplete: filling and searching indexes…", flush=True)
        sizes = (1_000, 10_000) if quick else autocomplete.SIZES
        report, verdicts["autocomplete"] = await autocomplete.run(
            sizes, 200 if quick else autocomplete.QUERIES, seed, draw=not quick
        )
        _emit(report, command)
    if "timeline" in names:
        print("timeline picture: rendering…", flush=True)
        report, verdicts["timeline"] = timeline.run(rounds=30 if quick else timeline.ROUNDS)
        _emit(report, command)
    if "scaling" in names:
        print(f"scaling: one process against two on {database}, alternating rounds…", flush=True)
        async with scaling.backend(database) as shared:
            report, verdicts["scaling: same LL2 requests"] = await scaling.run(
                rounds=2 if quick else scaling.ROUNDS,
                commands=200 if quick else scaling.COMMANDS,
                seed=seed,
                database=shared,
            )
        _emit(report, command)
    if "week" in names:
        print("a simulated week of reminders at the default settings, free tier…", flush=True)
        days = week.QUICK_DAYS if quick else week.DAYS
        boards = await week.simulate(days, seed=seed)
        print("the same week without live boards, for its LL2 requests…", flush=True)
        without = await week.simulate(days, seed=seed, boards=False)
        report, verdicts["week"] = week.report(boards, without)
        _emit(report, command)
    print("targets: " + ", ".join(f"{k} {'met' if v else 'missed'}" for k, v in verdicts.items()))
    return all(verdicts.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    names = [n for n in NAMES if n in args.names] or list(NAMES)
    count = args.commands or (1_000 if args.quick else 10_000)
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join(["python", "-m", "benchmarks", *arguments])
    recorded = None if args.quick or args.no_record else command
    started = time.perf_counter()
    asyncio.run(_main(names, args.quick, recorded, count, args.seed, args.database))
    print(f"benchmarks done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
