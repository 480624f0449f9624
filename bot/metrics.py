"""What a process counts for Prometheus (`/metrics`, served by `bot/monitor.py`).

One `Metrics` per process (per runtime), each on a registry of its own, not
prometheus-client's global one: tests and benchmarks build several in one process. The
layers that count hold it (the LL2 client, the repository, the responder, the alert
poll); what is read rather than counted (the budget left, the lease, gateway latency,
database errors) is set when scraped. No `discord` import and no project import, so any
layer above storage may count.

Deliveries are labelled by `feature` (`alert` today), so reminders or a board can count
theirs in the same series.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FIRST_RESPONSE_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 2.5, 3.0, 5.0)
"""Seconds: fine below Discord's 3 s, where the answer must be."""
DELIVERY_BUCKETS = (1.0, 10.0, 60.0, 300.0, 1200.0, 2400.0, 3600.0, 6 * 3600.0, 86_400.0)
"""Seconds from noticing an event to delivering it: around the 20-minute poll."""


class _Counts(Collector):
    """A counter whose values are read from elsewhere when scraped (by label value)."""

    def __init__(self, name: str, documentation: str, label: str) -> None:
        self._family = (name, documentation, label)
        self.sources: list[Callable[[], Mapping[str, int]]] = []

    def collect(self) -> Iterator[CounterMetricFamily]:
        name, documentation, label = self._family
        family = CounterMetricFamily(name, documentation, labels=[label])
        totals: dict[str, int] = {}
        for source in self.sources:
            for value, count in source().items():
                totals[value] = totals.get(value, 0) + count
        for value, count in sorted(totals.items()):
            family.add_metric([value], count)
        yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.interactions = Counter(
            "capcom_interactions",
            "Commands and component uses answered, by outcome (answered, stale, refused, error)",
            ["command", "outcome"],
            registry=registry,
        )
        self.first_response = Histogram(
            "capcom_first_response_seconds",
            "Seconds from an interaction's arrival to its first response (reply or defer)",
            ["command"],
            buckets=FIRST_RESPONSE_BUCKETS,
            registry=registry,
        )
        self.cache = Counter(
            "capcom_cache_lookups",
            "Documents looked up in the cache: hit (fresh there) or miss (LL2 needed)",
            ["resource", "result"],
            registry=registry,
        )
        self.ll2_requests = Counter(
            "capcom_ll2_requests",
            "Requests sent to LL2, by endpoint, priority and HTTP status (or unreachable, timeout)",
            ["endpoint", "priority", "status"],
            registry=registry,
        )
        self.ll2_throttled = Counter("capcom_ll2_throttled", "LL2's 429 answers", registry=registry)
        self.budget_left = Gauge(
            "capcom_ll2_budget_left",
            "LL2 requests left in the rolling hour (the whole fleet's budget)",
            registry=registry,
        )
        self.deliveries = Counter(
            "capcom_deliveries",
            "Messages Capcom posts on its own, by feature and outcome"
            " (sent, already_sent, retry, dropped)",
            ["feature", "outcome"],
            registry=registry,
        )
        self.delivery_delay = Histogram(
            "capcom_delivery_delay_seconds",
            "Seconds from noticing an event to posting it, by feature",
            ["feature"],
            buckets=DELIVERY_BUCKETS,
            registry=registry,
        )
        self.lease_held = Gauge(
            "capcom_background_lease_held",
            "1 while this process holds the background lease (alert poll, catalog sync)",
            registry=registry,
        )
        self.gateway_latency = Gauge(
            "capcom_gateway_latency_seconds",
            "Discord gateway heartbeat latency, by shard this process runs",
            ["shard"],
            registry=registry,
        )
        self._database_errors = _Counts(
            "capcom_database_errors",
            "Database statements that failed because the database did, by problem",
            "problem",
        )
        registry.register(self._database_errors)

    def interaction(self, command: str, outcome: str) -> None:
        self.interactions.labels(command, outcome).inc()

    def first_responded(self, command: str, seconds: float) -> None:
        self.first_response.labels(command).observe(seconds)

    def cache_lookup(self, resource: str, *, hit: bool) -> None:
        self.cache.labels(resource, "hit" if hit else "miss").inc()

    def ll2_request(self, endpoint: str, priority: str, status: str) -> None:
        self.ll2_requests.labels(endpoint, priority, status).inc()
        if status == "429":
            self.ll2_throttled.inc()

    def delivered(self, feature: str, outcome: str, delay: float | None = None) -> None:
        """One delivery attempt's outcome; `delay` (seconds since the event was noticed)
        for one that went out."""
        self.deliveries.labels(feature, outcome).inc()
        if delay is not None:
            self.delivery_delay.labels(feature).observe(max(0.0, delay))

    def count_database_errors(self, source: Callable[[], Mapping[str, int]]) -> None:
        """Read `source` (failures by problem, as a database counts them) when scraped."""
        self._database_errors.sources.append(source)

    def exposition(self) -> bytes:
        """Everything, in Prometheus's text format."""
        return generate_latest(self.registry)
