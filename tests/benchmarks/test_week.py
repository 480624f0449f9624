"""The simulated week, shortened: the bot's object graph at the default settings on the
free tier, on a compressed clock, against the LL2 stand-in's week of crewed launches,
three servers keeping live boards (`benchmarks.week`; `python -m benchmarks week` runs
all seven days and records them)."""

from __future__ import annotations

import pytest

from benchmarks import week


async def test_two_days_of_launches_are_told_on_time_within_the_free_tier(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = await week.simulate(days=2.0, commands_per_day=150)
    # The boards cost LL2 nothing: the same two days without them ask for the same.
    without = await week.simulate(days=2.0, commands_per_day=150, boards=False)
    assert without.boards is None and without.requests == result.requests
    reminders = week.check_reminders(result)
    changes = week.check_changes(result)
    peak, _ = week.busiest_hour(result.request_times)
    refused, commands = week.failing(result)
    boards = week.check_boards(result)
    edits = {channel: sum(days.values()) for channel, days in boards.edits.items()}
    with capsys.disabled():
        print(
            f"\nsimulated 2 days: reminders {reminders.sent} sent, {reminders.expected} expected"
            f" | changes {changes.told} of {changes.expected} | busiest hour {peak}"
            f" | refused {refused} of {commands} | board edits {edits} for {boards.changes}"
        )
    assert reminders.expected >= 6 and reminders.sent >= reminders.expected
    assert reminders.missed == [] and reminders.late == [] and reminders.superseded == []
    assert changes.expected >= 12 and changes.slow == []
    assert peak <= 15 and result.throttled == 0
    assert refused <= 0.01 * commands
    # One message per board, edited for each change of what it shows (a burst between two
    # turns is one edit), never without one, and none left unshown.
    assert boards.posts == {channel: 1 for channel in week.BOARD_CHANNELS.values()}
    assert all(0 < edits[channel] <= boards.changes[channel] for channel in edits)
    assert boards.unchanged == [] and boards.unshown == []
