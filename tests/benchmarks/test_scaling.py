"""The scaling benchmark's plan: servers on every shard, the same commands for both setups."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from benchmarks import scaling, workload
from tests.stubs.discord.gateway import guild_ids, shard_of


def test_guild_ids_are_spread_evenly_over_the_shards() -> None:
    ids = guild_ids(3, shards=2)
    assert len(set(ids)) == 6
    assert Counter(shard_of(i, 2) for i in ids) == {0: 3, 1: 3}
    assert Counter((i >> 22) % 4 for i in guild_ids(2, shards=4)) == {
        0: 2,
        1: 2,
        2: 2,
        3: 2,
    }


def test_each_uncached_flight_is_asked_once_on_each_shard_and_never_before() -> None:
    catalog = workload.synthetic_catalog(7, now=datetime(2026, 11, 29, tzinfo=UTC))
    guilds = guild_ids(4, scaling.SHARDS)
    plan = scaling.plan(catalog, guilds, rounds=3, commands=50, uncached=5, seed=7)
    earlier = {str(c.options.get("flight")) for c in plan.hot + plan.warmup}
    for batch in plan.rounds:
        assert len(batch) == 50 + 2 * 5
        asked: dict[str, list[int]] = {}
        for command in batch:
            flight = str(command.options.get("flight"))
            if command.name == "flight" and flight not in earlier:
                assert command.guild_id is not None
                asked.setdefault(flight, []).append(shard_of(command.guild_id, scaling.SHARDS))
        assert len(asked) == 5
        assert all(sorted(shards) == [0, 1] for shards in asked.values())
        earlier |= set(asked)
    assert plan == scaling.plan(catalog, guilds, rounds=3, commands=50, uncached=5, seed=7)
