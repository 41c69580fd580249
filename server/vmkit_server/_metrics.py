"""`GET /metrics`: Prometheus metrics of requests, VMs and operations.

Requests are counted in plain dicts on the event loop (a few hundred nanoseconds per
request) and turned into Prometheus families only at scrape time; `prometheus_client`'s
own labelled metrics take locks per update, which showed on the GET hot path.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from .store import Store

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0, 60.0)


class _Collector(Collector):
    """Builds every family at scrape time: request counts, latencies, store gauges."""

    def __init__(self, metrics: Metrics, store: Store) -> None:
        self._metrics = metrics
        self._store = store

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "vmkit_http_requests",
            "HTTP requests by operation and status",
            labels=["operation", "status"],
        )
        for (operation, status), count in sorted(self._metrics.counts.items()):
            requests.add_metric([operation, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(
            "vmkit_http_request_duration_seconds",
            "Time to answer, by operation",
            labels=["operation"],
        )
        for operation, (buckets, total) in sorted(self._metrics.latency.items()):
            cumulative, running = [], 0
            for bound, count in zip((*BUCKETS, float("inf")), buckets, strict=True):
                running += count
                cumulative.append((str(bound) if bound != float("inf") else "+Inf", running))
            latency.add_metric([operation], cumulative, total)
        yield latency
        yield from self._store_gauges()

    def _store_gauges(self) -> Iterator[Metric]:
        vms = GaugeMetricFamily("vmkit_vms", "VMs by state", labels=["state"])
        ops = GaugeMetricFamily(
            "vmkit_operations_unfinished", "Operations not yet finished", labels=["kind"]
        )
        by_state: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        with self._store.read() as tx:
            for vm in tx.all_vms():
                by_state[vm.state] = by_state.get(vm.state, 0) + 1
            for op in tx.unfinished_operations():
                by_kind[op.kind] = by_kind.get(op.kind, 0) + 1
        for state, count in sorted(by_state.items()):
            vms.add_metric([state], count)
        for kind, count in sorted(by_kind.items()):
            ops.add_metric([kind], count)
        yield vms
        yield ops


class Metrics:
    """The server's metrics (one registry per app, so several apps can share a process).

    Args:
        store: Read at scrape time for the VM and operation gauges.
    """

    def __init__(self, store: Store) -> None:
        self.counts: dict[tuple[str, int], int] = {}
        #: operation -> (per-bucket counts, the last one for +Inf; sum of seconds)
        self.latency: dict[str, tuple[list[int], float]] = {}
        self.registry = CollectorRegistry()
        self.registry.register(_Collector(self, store))

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)

    def observe(self, operation: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        key = (operation, status)
        self.counts[key] = self.counts.get(key, 0) + 1
        entry = self.latency.get(operation)
        if entry is None:
            entry = ([0] * (len(BUCKETS) + 1), 0.0)
        buckets, total = entry
        buckets[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.latency[operation] = (buckets, total + seconds)
