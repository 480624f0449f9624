"""The reminder and change rules, over real launch histories (Crew-12 as LL2's 2.2.0
answers recorded it: tests/fixtures/ll2 … crew12_*) and the shapes facts.md describes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from bot.alerts.reminders import (
    Cadence,
    ChangeKind,
    LaunchChange,
    Observation,
    Reminder,
    due_reminders,
    next_due,
    next_poll,
    observe,
    offsets_text,
    parse_offsets,
    superseded,
)
from bot.ll2.launches import LaunchSnapshot, LaunchStatus, LaunchTime
from storage.launches import WatchedLaunch

HOUR = 3600.0
DAY = 24 * HOUR
REACH = DAY  # a server chose 24 h (and 1 h)
OFFSETS = (86_400, 3_600)
CREW12 = "862b54e3-7bf8-48e5-8cd1-d77257d5fde9"
WEBCAST = "https://www.youtube.com/watch?v=zCM-Kwq91cc"
SECOND, MINUTE, DAY_PRECISION, MONTH = 0, 1, 5, 7


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def snap(net: float | None, precision: int | None, status: LaunchStatus | None) -> LaunchSnapshot:
    time = LaunchTime(None if net is None else datetime.fromtimestamp(net, UTC), precision, status)
    return LaunchSnapshot(CREW12, "Falcon 9 Block 5 | Crew-12", time, 2990, WEBCAST, None)


def history(steps: list[tuple[float, LaunchSnapshot]], reach: float = REACH) -> list[Observation]:
    """Each look in turn, each from the state the one before left."""
    watch: WatchedLaunch | None = None
    seen = []
    for now, snapshot in steps:
        observation = observe(watch, snapshot, now, reach)
        watch = observation.watch
        seen.append(observation)
    return seen


def changes(observations: list[Observation]) -> list[LaunchChange | None]:
    return [o.change for o in observations]


GO, TBC, TBD, HOLD = LaunchStatus.GO, LaunchStatus.TBC, LaunchStatus.TBD, LaunchStatus.HOLD
T0 = at("2026-03-01T00:00:00")


# Crew-12: TBD day placeholder -> Go to the second -> a 23.6 h slip (Go, minute) -> liftoff.
PLACEHOLDER = at("2026-02-15T00:00:00")
FIRST_GO = at("2026-02-11T11:01:04")
SLIPPED = at("2026-02-12T10:38:00")
CREW12_STEPS = [
    (at("2026-01-13T06:00:26"), snap(PLACEHOLDER, DAY_PRECISION, TBD)),
    (at("2026-02-08T17:13:55"), snap(FIRST_GO, SECOND, GO)),
    (at("2026-02-09T14:52:36"), snap(SLIPPED, MINUTE, GO)),
]


def test_crew12_placeholder_to_a_time_is_no_news_far_out_and_the_slip_is_told() -> None:
    observations = history(CREW12_STEPS)
    assert changes(observations) == [
        None,
        None,  # a time 66 h away: beyond the 24 h reminder's reach
        LaunchChange(ChangeKind.LATER, FIRST_GO, SLIPPED, GO),
    ]
    first_go = observations[1].watch
    assert (first_go.planned_net, first_go.net_seen_at) == (FIRST_GO, at("2026-02-08T17:13:55"))
    slipped = observations[2].watch
    assert (slipped.planned_net, slipped.revision) == (SLIPPED, 1)


def test_crew12_reminders_follow_the_slip_and_the_old_ones_are_superseded() -> None:
    before_slip, after_slip = (o.watch for o in history(CREW12_STEPS)[1:])
    old_24h = Reminder(86_400, FIRST_GO)
    assert due_reminders(before_slip, OFFSETS, old_24h.due, since=0) == (old_24h, ())
    assert superseded(old_24h.key, after_slip, old_24h.due) is not None
    assert superseded(old_24h.key, before_slip, old_24h.due) is None
    # after the slip, nothing is due at the old time; the new ones come at the new NET
    assert due_reminders(after_slip, OFFSETS, old_24h.due, since=0) == (None, ())
    new_1h = Reminder(3_600, SLIPPED)
    assert due_reminders(after_slip, OFFSETS, SLIPPED - HOUR + 30, since=0) == (
        new_1h,
        (Reminder(86_400, SLIPPED),),  # Capcom was down at T-24 h: overtaken, not sent late
    )
    assert new_1h.key == f"reminder:3600@{int(SLIPPED)}"


def test_crew12_liftoff_rewrites_net_by_seconds_without_news_then_success() -> None:
    liftoff = SLIPPED + 7
    steps = [
        *CREW12_STEPS,
        (SLIPPED + 300, snap(liftoff, SECOND, LaunchStatus.IN_FLIGHT)),
        (SLIPPED + 1500, snap(liftoff + 3, SECOND, LaunchStatus.IN_FLIGHT)),
        (SLIPPED + 4000, snap(liftoff + 3, SECOND, LaunchStatus.SUCCESS)),
    ]
    observations = history(steps)[3:]
    assert changes(observations) == [None, None, None]
    assert [o.lifted_off for o in observations] == [True, False, False]
    assert [o.outcome for o in observations] == [None, None, LaunchStatus.SUCCESS]


def test_a_success_seen_straight_after_go_is_liftoff_and_outcome_at_once() -> None:
    (_, last) = history(
        [
            (T0, snap(T0 + HOUR, MINUTE, GO)),
            (T0 + 3 * HOUR, snap(T0 + HOUR, SECOND, LaunchStatus.SUCCESS)),
        ]
    )
    assert (last.lifted_off, last.outcome, last.change) == (True, LaunchStatus.SUCCESS, None)


def test_a_launch_first_seen_in_flight_is_history_not_news() -> None:
    (first,) = history([(T0, snap(T0 - HOUR, SECOND, LaunchStatus.IN_FLIGHT))])
    assert (first.lifted_off, first.outcome, first.change) == (False, None, None)


def test_a_scrub_is_a_jump_of_half_a_day_close_to_launch() -> None:
    steps = [
        (T0, snap(T0 + 5 * HOUR, MINUTE, GO)),
        (T0 + HOUR, snap(T0 + 5 * HOUR + 23.6 * HOUR, MINUTE, GO)),
    ]
    assert changes(history(steps))[1] == LaunchChange(
        ChangeKind.SCRUB, T0 + 5 * HOUR, T0 + 28.6 * HOUR, GO
    )
    # the same jump, with the old NET already past (LL2 late to update), is still a scrub
    late = [(T0, snap(T0 + HOUR, MINUTE, GO)), (T0 + 2 * HOUR, snap(T0 + 25 * HOUR, MINUTE, GO))]
    assert changes(history(late))[1] == LaunchChange(
        ChangeKind.SCRUB, T0 + HOUR, T0 + 25 * HOUR, GO
    )


def test_a_launch_pulled_in_85_hours_is_told_and_its_reminders_armed() -> None:
    steps = [(T0, snap(T0 + 120 * HOUR, MINUTE, GO)), (T0 + HOUR, snap(T0 + 35 * HOUR, MINUTE, GO))]
    observations = history(steps)
    assert changes(observations)[1] == LaunchChange(
        ChangeKind.EARLIER, T0 + 120 * HOUR, T0 + 35 * HOUR, GO
    )
    watch = observations[1].watch
    assert due_reminders(watch, OFFSETS, T0 + 11 * HOUR, since=0) == (
        Reminder(86_400, T0 + 35 * HOUR),
        (),
    )


def test_a_move_far_beyond_the_horizon_is_not_news_but_moves_the_reminders() -> None:
    steps = [(T0, snap(T0 + 10 * DAY, MINUTE, GO)), (T0 + HOUR, snap(T0 + 12 * DAY, MINUTE, GO))]
    observations = history(steps)
    assert changes(observations)[1] is None
    assert observations[1].watch.planned_net == T0 + 12 * DAY


def test_a_hold_then_tbc_then_go_tells_the_hold_and_the_resumption_once() -> None:
    net = T0 + 3 * HOUR
    steps = [
        (T0, snap(net, MINUTE, GO)),
        (T0 + 1200, snap(net, MINUTE, HOLD)),
        (T0 + 2400, snap(net, MINUTE, HOLD)),
        (T0 + 3600, snap(net + 1800, MINUTE, TBC)),
        (T0 + 4800, snap(net + 1800, MINUTE, GO)),
    ]
    observations = history(steps)
    assert changes(observations) == [
        None,
        LaunchChange(ChangeKind.HOLD, net, net, HOLD),
        None,
        LaunchChange(ChangeKind.RESUMED, net, net + 1800, TBC),
        None,
    ]
    held = observations[1].watch
    # no reminder while on hold, even at its time
    assert due_reminders(held, OFFSETS, net - HOUR, since=0) == (None, ())
    resumed = observations[3].watch
    assert due_reminders(resumed, OFFSETS, net + 1800 - HOUR, since=0) == (
        Reminder(3_600, net + 1800),
        (),
    )


def test_back_to_tbd_by_status_or_by_a_coarse_net_is_told() -> None:
    net = T0 + 10 * HOUR
    by_status = [(T0, snap(net, MINUTE, GO)), (T0 + HOUR, snap(net, MINUTE, TBD))]
    assert changes(history(by_status))[1] == LaunchChange(ChangeKind.TBD, net, net, TBD)
    month_end = at("2026-03-31T00:00:00")
    by_precision = [(T0, snap(net, MINUTE, GO)), (T0 + HOUR, snap(month_end, MONTH, GO))]
    observations = history(by_precision)
    assert changes(observations)[1] == LaunchChange(ChangeKind.TBD, net, None, GO)
    assert due_reminders(observations[1].watch, OFFSETS, net - HOUR, since=0) == (None, ())


def test_a_placeholder_becoming_a_time_is_news_only_within_a_reminders_reach() -> None:
    near = [
        (T0, snap(T0 + 2 * DAY, DAY_PRECISION, TBC)),
        (T0 + HOUR, snap(T0 + 20 * HOUR, MINUTE, GO)),
    ]
    assert changes(history(near))[1] == LaunchChange(ChangeKind.CONFIRMED, None, T0 + 20 * HOUR, GO)
    far = [
        (T0, snap(T0 + 2 * DAY, DAY_PRECISION, TBC)),
        (T0 + HOUR, snap(T0 + 30 * HOUR, MINUTE, GO)),
    ]
    assert changes(history(far))[1] is None
    # with only 1 h reminders chosen, 20 h away is out of reach too
    assert changes(history(near, reach=HOUR))[1] is None


def test_small_moves_are_not_news_until_they_add_up_to_15_minutes() -> None:
    net = T0 + 5 * HOUR
    steps = [
        (T0, snap(net, MINUTE, GO)),
        (T0 + 600, snap(net + 600, MINUTE, GO)),
        (T0 + 1200, snap(net + 840, SECOND, GO)),
        (T0 + 1800, snap(net + 960, MINUTE, GO)),
    ]
    observations = history(steps)
    assert changes(observations) == [
        None,
        None,
        None,
        LaunchChange(ChangeKind.LATER, net, net + 960, GO),
    ]
    assert [o.watch.planned_net for o in observations] == [net, net, net, net + 960]


def test_reminders_are_armed_only_after_the_net_was_learned_and_the_server_subscribed() -> None:
    net = T0 + 5 * HOUR
    (first,) = history([(T0, snap(net, MINUTE, GO))])
    watch = first.watch
    # the 24 h reminder's time had passed when Capcom first saw this NET: never sent
    assert due_reminders(watch, OFFSETS, net - HOUR, since=0) == (Reminder(3_600, net), ())
    # a server that subscribed after the 1 h reminder's time does not get it
    assert due_reminders(watch, OFFSETS, net - 1800, since=net - 2000) == (None, ())
    # never at or after NET
    assert due_reminders(watch, OFFSETS, net, since=0) == (None, ())


def test_offsets_round_trip_and_unknown_ones_are_dropped() -> None:
    assert offsets_text({3_600, 86_400}) == "86400,3600"
    assert parse_offsets("86400,3600,42,x,") == frozenset({86_400, 3_600})


CADENCE = Cadence(far=7200, near=1200, near_window=3 * HOUR, lead=300)


def test_polls_are_rare_far_from_launch_frequent_near_it_and_just_before_each_reminder() -> None:
    net = T0 + 30 * HOUR
    (first,) = history([(T0, snap(net, MINUTE, GO))])
    watch = first.watch
    assert next_poll([], OFFSETS, None, CADENCE) == float("-inf")
    assert next_poll([], OFFSETS, T0, CADENCE) == T0 + 7200
    assert next_poll([], OFFSETS, T0, CADENCE, failed=True) == T0 + 1200  # tried again soon
    # the 24 h reminder at T0 + 6 h: a poll 5 minutes before it
    assert next_poll([watch], OFFSETS, T0 + 5 * HOUR, CADENCE) == T0 + 6 * HOUR - 300
    assert next_poll([watch], OFFSETS, T0 + 6 * HOUR - 200, CADENCE) == T0 + 8 * HOUR - 200
    # inside the last 3 h: every 20 minutes (the 1 h reminder's lead poll comes sooner)
    assert next_poll([watch], OFFSETS, net - 2 * HOUR, CADENCE) == net - 2 * HOUR + 1200
    assert next_poll([watch], OFFSETS, net - HOUR - 400, CADENCE) == net - HOUR - 300
    # entering the window
    assert next_poll([watch], (), net - 4 * HOUR, CADENCE) == net - 3 * HOUR
    # after NET, until the window after it ends, still every 20 minutes (liftoff, outcome)
    assert next_poll([watch], OFFSETS, net + HOUR, CADENCE) == net + HOUR + 1200
    assert next_poll([watch], OFFSETS, net + 3 * HOUR, CADENCE) == net + 5 * HOUR
    done = dataclasses.replace(watch, status_id=LaunchStatus.SUCCESS.value)
    assert next_poll([done], OFFSETS, net - 2 * HOUR, CADENCE) == net


def test_the_next_reminder_time_skips_those_not_armed() -> None:
    net = T0 + 5 * HOUR
    (first,) = history([(T0, snap(net, MINUTE, GO))])
    assert next_due([first.watch], OFFSETS, T0) == net - HOUR
    assert next_due([first.watch], OFFSETS, net - HOUR) is None
