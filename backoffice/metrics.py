"""Prometheus metrics (prometheus-client) at GET /api/v1/metrics. Counts only: no personal data.

    madoguchi_http_requests_total{method, route, status}   route = the path template
    madoguchi_http_request_seconds{method, route}           histogram
    madoguchi_ingest_results_total{status}                  accepted/duplicate/conflict/rejected
    madoguchi_queue_depth{status}                           applications per state (at scrape)
    madoguchi_queue_oldest_waiting_seconds                  oldest application still 受付
    madoguchi_kiosk_heartbeat_age_seconds{kiosk}            since each kiosk's last heartbeat
    madoguchi_kiosks_silent                                 kiosks past kiosk_silent_after

The counters live in the process; the gauges are read from the database when scraped (so
every instance on one database reports the same queue). With `serve --workers N` the
workers share the counters through prometheus-client's multiprocess mode: `serve` points
PROMETHEUS_MULTIPROC_DIR at a fresh folder under the data folder before the workers start.

Who may read: an admin session, or the metrics token (`madoguchi backoffice metrics-token`:
printed once, only its SHA-256 kept in `metrics_token.sha256`), which reads nothing else — a
Prometheus server gets a static token that cannot open a record. Core and kiosk credentials
are refused: a core token reads records and must not sit in a monitoring system's config.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import API_PREFIX

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
TOKEN_FILE = "metrics_token.sha256"
TOKEN_PREFIX = "mdm_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


@dataclass
class Metrics:
    """One app's metric objects (a registry of their own, so apps in one process — tests —
    do not share counters)."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    requests: Counter = field(init=False)
    latency: Histogram = field(init=False)
    ingest_results: Counter = field(init=False)

    def __post_init__(self) -> None:
        # In multiprocess mode the values go to the shared folder whatever the registry.
        self.requests = Counter(
            "madoguchi_http_requests",
            "HTTP requests answered",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "madoguchi_http_request_seconds",
            "time to answer",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.ingest_results = Counter(
            "madoguchi_ingest_results",
            "ingested records by result",
            ["status"],
            registry=self.registry,
        )

    def exposition(self, database: Collector) -> bytes:
        if multiprocess():
            from prometheus_client import multiprocess as mp

            registry = CollectorRegistry()
            mp.MultiProcessCollector(registry)
        else:
            registry = CollectorRegistry()
            registry.register(_Forward(self.registry))
        registry.register(database)
        return generate_latest(registry)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


class DatabaseGauges(Collector):
    """Queue depth, oldest waiting, heartbeat ages: read at scrape time."""

    def __init__(self, context) -> None:
        self.context = context

    def collect(self) -> Iterator[Metric]:
        from backoffice.models import Application, KioskHeartbeat
        from sync.protocol.vocabulary import Status

        ctx = self.context
        now = ctx.clock.now()
        with ctx.sessions() as session:
            depth = dict(
                session.execute(
                    select(Application.status, func.count()).group_by(Application.status)
                ).all()
            )
            oldest = session.scalar(
                select(func.min(Application.received_at)).where(
                    Application.status == Status.RECEIVED.value
                )
            )
            beats = session.execute(
                select(KioskHeartbeat.terminal, KioskHeartbeat.received_at)
            ).all()
        queue = GaugeMetricFamily(
            "madoguchi_queue_depth", "applications per state", labels=["status"]
        )
        for status in Status:
            queue.add_metric([status.value], float(depth.get(status.value, 0)))
        yield queue
        waiting = GaugeMetricFamily(
            "madoguchi_queue_oldest_waiting_seconds",
            "age of the oldest application still waiting (受付); 0 when none",
        )
        if oldest is not None:
            waiting.add_metric([], max(0.0, (now - oldest).total_seconds()))
        else:
            waiting.add_metric([], 0.0)
        yield waiting
        ages = GaugeMetricFamily(
            "madoguchi_kiosk_heartbeat_age_seconds",
            "seconds since each kiosk's last heartbeat",
            labels=["kiosk"],
        )
        silent_after = ctx.settings.kiosk_silent_after.total_seconds()
        silent = 0
        for kiosk, at in beats:
            age = max(0.0, (now - at).total_seconds())
            silent += age > silent_after
            ages.add_metric([kiosk], age)
        yield ages
        yield GaugeMetricFamily(
            "madoguchi_kiosks_silent", "kiosks with no heartbeat for a while", value=silent
        )


class RequestMetrics:
    """Pure-ASGI middleware: counts each answer by method, route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def tracking(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route is None:
                route = "unmatched"  # 404s: never the raw path (it may be anything)
            elif not route.startswith(API_PREFIX):
                route = API_PREFIX + route  # routers are included under the prefix
            method = scope.get("method", "?")
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


# -- the metrics token -------------------------------------------------------------------


def token_path(data_dir: Path) -> Path:
    return data_dir / TOKEN_FILE


def new_token(data_dir: Path) -> str:
    """A new metrics token (the old one stops working); only its SHA-256 is kept."""
    from backoffice.security import new_token as make
    from backoffice.security import token_hash
    from forms.private_files import write_private

    token = make(TOKEN_PREFIX)
    write_private(token_path(data_dir), token_hash(token).encode("ascii"))
    return token


def token_matches(data_dir: Path, token: str) -> bool:
    import hmac

    from backoffice.security import token_hash

    try:
        kept = token_path(data_dir).read_text("ascii").strip()
    except OSError:
        return False
    return bool(kept) and hmac.compare_digest(kept, token_hash(token))
