"""The sync worker: pull the office's current key, push the outbox to the back office, pull
templates, purge what is done.

Delivery is at-least-once: the back office deduplicates on each record's UUID, which the
kiosk made before its own commit, and every retry resends the identical stored body. A row
is marked sent only after a 2xx whose answer names exactly the records sent, each with a
receipt; anything else marks nothing. A record the server refuses for its content
(REJECTED / CONFLICT, or named in a 422) is set aside and reported while the rest flow, and
so is a record the server keeps failing on while others go through (`_Isolation`).

Retries: exponential backoff with full jitter (delay = uniform(0, min(cap, base·2^n))),
within one pass (`run_once`) up to `max_attempts` per batch, and across passes in
`run_forever`, which keeps trying (capped) however long the server is down.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sync.client import OfficeClient
from sync.counter_link import CounterLink
from sync.errors import (
    AccessRefused,
    BatchTooLarge,
    OfficeError,
    ProtocolViolation,
    RecordsRefused,
    Refused,
    ServerFailed,
    ServerUnavailable,
    UntrustedServer,
)
from sync.heartbeat import HeartbeatSender
from sync.office_key import OfficeKeyPull, OfficeKeyPullReport
from sync.outbox import DEFAULT_RETENTION, Ack, Outbox, PendingItem, SetAside
from sync.protocol import MAX_BATCH, IngestResponse, ResultStatus
from sync.templates import TemplateCache, TemplatePullReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 0.5  # seconds
    cap: float = 300.0  # a server down for hours is retried at most every 5 minutes
    max_attempts: int = 5  # per batch within one pass

    def delay(self, failures: int, rng: random.Random) -> float:
        """Full jitter: uniform over [0, min(cap, base·2^(failures-1))]."""
        ceiling = min(self.cap, self.base * (2 ** max(0, failures - 1)))
        return rng.uniform(0.0, ceiling)


@dataclass
class SyncReport:
    """What one pass did. Counts and codes only: nothing personal."""

    sent: int = 0  # newly acknowledged (ACCEPTED or DUPLICATE with a receipt)
    duplicates: int = 0  # of which the server already had
    set_aside: list[SetAside] = field(default_factory=list)
    batches: int = 0  # batches answered by the server
    failures: int = 0  # attempts that failed (transient or refused)
    last_error: OfficeError | None = None
    pending_left: int = 0
    purged: int = 0
    templates: TemplatePullReport | None = None
    alerts_sent: int = 0  # call-staff alerts and machine faults delivered this pass
    routing_entries: int | None = None  # the routing pulled (None: not pulled or unreachable)
    office_key: OfficeKeyPullReport | None = None

    @property
    def ok(self) -> bool:
        """True when the outbox was drained (set-aside records do not count as failure)."""
        return self.pending_left == 0 and self.last_error is None

    def as_dict(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "duplicates": self.duplicates,
            "set_aside": [
                {"uuid": str(s.uuid), "code": s.code, "ja": s.ja, "en": s.en}
                for s in self.set_aside
            ],
            "batches": self.batches,
            "failures": self.failures,
            "last_error": None
            if self.last_error is None
            else {"code": self.last_error.code, "ja": self.last_error.ja, "en": self.last_error.en},
            "pending_left": self.pending_left,
            "purged": self.purged,
            "templates": None if self.templates is None else self.templates.as_dict(),
            "alerts_sent": self.alerts_sent,
            "routing_entries": self.routing_entries,
            "office_key": None if self.office_key is None else self.office_key.as_dict(),
        }


class _StopPass(Exception):
    """Internal: abandon this pass (stop requested, or a non-retryable refusal)."""


@dataclass
class _Isolation:
    """One pass's search for records that keep failing (a "poison" record must not hold
    back the records queued after it).

    A batch answered with a failure that may be a record's doing (500, 4xx) is split in two
    and each half sent alone, down to single records. A single record still failing after
    `RetryPolicy.max_attempts` tries (later ones in the same pass: one try) is a suspect.
    Suspects are set aside (state `rejected`, code `failed_alone`, shown by `sync status`,
    put back by `sync requeue`) only once another record has gone through in the same pass:
    that proves the server works and these records are what it fails on. Without that proof
    they stay pending, and after MAX_BATCH suspects the pass stops (the server is failing,
    not the records)."""

    suspects: list[tuple[PendingItem, OfficeError]] = field(default_factory=list)
    settled: int = 0  # suspects already set aside
    proven: bool = False  # a batch was answered 2xx in this pass


# 4xx answers that can be about what was sent (a batch is split to find the record);
# any other 4xx is about the route or the terminal, the same for every record.
_RECORD_STATUSES = (400, 422)


def _failed_alone_text(exc: OfficeError) -> tuple[str, str]:
    return (
        f"この申請だけ窓口サーバーで繰り返し失敗しました（{exc.ja}）。保留し、他の申請は送りました",
        f"the back office kept failing on this record alone ({exc.en}); set aside while "
        "the others went through",
    )


class SyncWorker:
    def __init__(
        self,
        outbox: Outbox,
        client: OfficeClient,
        *,
        batch_size: int = MAX_BATCH,
        retry: RetryPolicy | None = None,
        retention: dt.timedelta = DEFAULT_RETENTION,
        templates: TemplateCache | None = None,
        counter: CounterLink | None = None,
        office_key: OfficeKeyPull | None = None,
        heartbeat: HeartbeatSender | None = None,
        poll_interval: float = 10.0,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH}")
        self.outbox = outbox
        self.client = client
        self.batch_size = batch_size
        self.retry = retry or RetryPolicy()
        self.retention = retention
        self.templates = templates
        self.counter = counter
        self.office_key = office_key
        self.heartbeat = heartbeat
        self.poll_interval = poll_interval
        self._rng = rng or random.Random()
        self._stop = threading.Event()
        self._sleep = sleep or self._interruptible_sleep

    def _interruptible_sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    # --- one pass ---------------------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """Push everything pending, then pull templates and purge; never raises OfficeError."""
        report = SyncReport()
        if self.office_key is not None:  # first: a rotated key serves the next confirm at once
            report.office_key = self.office_key.pull(self.client)
            refused = report.office_key.error
            if isinstance(refused, UntrustedServer | AccessRefused):  # say so, even if idle
                report.failures += 1
                report.last_error = refused
        with contextlib.suppress(_StopPass):
            self._push_all(report)
        if self.templates is not None and not self._stop.is_set():
            report.templates = self.templates.pull(self.client)
        if self.counter is not None and not self._stop.is_set():
            report.alerts_sent = self.counter.send_alerts()
            pulled = self.counter.pull_routing()
            report.routing_entries = pulled if pulled >= 0 else None
        report.purged = self.outbox.purge(retention=self.retention)
        report.pending_left = self.outbox.status().pending
        if self.heartbeat is not None and not self._stop.is_set():
            if report.last_error is None:
                self.heartbeat.synced()
            self.heartbeat.send(self.client)  # every `interval`, whatever the pass did
        if report.set_aside:
            log.warning(
                "sync: %d record(s) set aside by the back office: %s",
                len(report.set_aside),
                ", ".join(f"{s.uuid} ({s.code})" for s in report.set_aside),
            )
        return report

    def _push_all(self, report: SyncReport) -> None:
        size = self.batch_size
        after = 0
        isolation = _Isolation()
        try:
            while not self._stop.is_set():
                batch = self.outbox.pending(limit=size, after_seq=after)
                if not batch:
                    return
                try:
                    self._deliver(batch, report, isolation)
                except BatchTooLarge:
                    if size == 1:
                        report.set_aside.extend(self._too_large(batch))
                        after = batch[-1].seq
                        continue
                    size = max(1, size // 2)
                    log.info("sync: batch too large, halving to %d", size)
                    continue
                after = batch[-1].seq
        finally:
            if isolation.suspects and not isolation.proven:
                # Nothing went through this pass: the server, not these records, is failing.
                if report.last_error is None:
                    report.last_error = isolation.suspects[-1][1]
                log.warning(
                    "sync: %d record(s) failed alone, but no other record went through to "
                    "tell them apart from a failing server; kept pending",
                    len(isolation.suspects),
                )

    def _too_large(self, batch: list[PendingItem]) -> list[SetAside]:
        items = [
            SetAside(
                item.uuid,
                "too_large",
                "サーバーの上限を超える大きさです",
                "larger than the server accepts",
            )
            for item in batch
        ]
        self.outbox.settle([], items)
        return items

    # --- isolating a record that keeps failing ------------------------------------------------

    def _deliver(self, batch: list[PendingItem], report: SyncReport, iso: _Isolation) -> None:
        """Send `batch`; when the answer may be one record's doing (a 500, a 4xx), send each
        half on its own, down to single records, so the rest go through (see `_Isolation`)."""
        try:
            self._push_with_retries(batch, report, iso)
        except RecordsRefused as exc:
            named = self._set_aside_named(batch, exc, report)
            rest = [item for item in batch if item.uuid not in named]
            if rest:
                self._deliver(rest, report, iso)
            return
        except BatchTooLarge:
            raise  # halved by the caller, never split as a suspect
        except (ServerFailed, Refused) as exc:
            if isinstance(exc, Refused) and exc.status not in _RECORD_STATUSES:
                raise _StopPass() from None  # 404, 405, 415…: the route, not a record
            if len(batch) > 1:
                half = len(batch) // 2
                log.info("sync: batch of %d failed (%s); splitting it", len(batch), exc.en)
                self._deliver(batch[:half], report, iso)
                self._deliver(batch[half:], report, iso)
                return
            iso.suspects.append((batch[0], exc))
            log.warning("sync: record %s failed on its own: %s", batch[0].uuid, exc.en)
            if len(iso.suspects) - iso.settled >= MAX_BATCH and not iso.proven:
                raise _StopPass() from None  # that many failing alone: the server is failing
        if iso.proven:
            self._isolate(iso, report)

    def _set_aside_named(
        self, batch: list[PendingItem], exc: RecordsRefused, report: SyncReport
    ) -> set[uuid.UUID]:
        items = []
        for refused in exc.refusal.results:  # checked against the batch in `_push`
            error = refused.error
            items.append(SetAside(batch[refused.index].uuid, error.code, error.ja, error.en))
        self.outbox.settle([], items)
        report.set_aside.extend(items)
        return {item.uuid for item in items}

    def _isolate(self, iso: _Isolation, report: SyncReport) -> None:
        """Set aside every record that failed alone: other records went through this pass."""
        items = [
            SetAside(item.uuid, "failed_alone", *_failed_alone_text(exc))
            for item, exc in iso.suspects[iso.settled :]
        ]
        if not items:
            return
        self.outbox.settle([], items)
        report.set_aside.extend(items)
        iso.settled = len(iso.suspects)

    def _push_with_retries(
        self, batch: list[PendingItem], report: SyncReport, iso: _Isolation
    ) -> None:
        failures = 0
        while True:
            if self._stop.is_set():
                raise _StopPass()
            try:
                self._push(batch, report)
                iso.proven = True
                return
            except (BatchTooLarge, RecordsRefused):
                raise
            except ServerFailed as exc:
                failures += 1
                report.failures += 1
                report.last_error = exc
                # A batch is split at once. A single record is tried `max_attempts` times;
                # once one has failed alone in this pass, later ones get a single try.
                if len(batch) > 1 or failures >= self._solo_attempts(iso):
                    raise
                log.warning("sync: record %s not delivered: %s", batch[0].uuid, exc.en)
                self._sleep(self.retry.delay(failures, self._rng))
            except (ServerUnavailable, ProtocolViolation) as exc:
                failures += 1
                report.failures += 1
                report.last_error = exc
                log.warning("sync: batch of %d not delivered: %s", len(batch), exc.en)
                if failures >= self.retry.max_attempts:
                    raise _StopPass() from None
                self._sleep(self.retry.delay(failures, self._rng))
            except Refused as exc:
                report.failures += 1
                report.last_error = exc
                log.warning("sync: batch of %d refused: %s", len(batch), exc.en)
                raise
            except AccessRefused as exc:
                report.failures += 1
                report.last_error = exc
                log.error("sync: %s", exc.en)
                raise _StopPass() from None

    def _solo_attempts(self, iso: _Isolation) -> int:
        return 1 if iso.suspects else self.retry.max_attempts

    def _push(self, batch: list[PendingItem], report: SyncReport) -> None:
        self.outbox.count_attempt(item.uuid for item in batch)
        try:
            response = self.client.ingest([item.body for item in batch])
        except RecordsRefused as exc:
            for refused in exc.refusal.results:
                if refused.index >= len(batch) or refused.uuid not in (
                    None,
                    batch[refused.index].uuid,
                ):
                    raise ProtocolViolation("a refusal names a record that was not sent") from None
            raise
        acks, set_aside, duplicates = _judge(batch, response)
        self.outbox.settle(acks, set_aside)
        report.batches += 1
        report.last_error = None
        report.sent += len(acks)
        report.duplicates += duplicates
        report.set_aside.extend(set_aside)

    # --- forever ----------------------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()

    def run_forever(self, stop_event: threading.Event) -> None:
        """Pass after pass until `stop_event` is set; back off (capped) while the server is down.

        Setting `stop_event` also interrupts a backoff wait inside a pass.
        """
        self._stop = stop_event
        failures = 0
        while not stop_event.is_set():
            started = time.monotonic()
            report = self.run_once()
            if report.last_error is not None:
                failures += 1
                wait = self.retry.delay(failures, self._rng)
            else:
                failures = 0
                wait = max(0.0, self.poll_interval - (time.monotonic() - started))
            stop_event.wait(wait)


def _judge(
    batch: list[PendingItem], response: IngestResponse
) -> tuple[list[Ack], list[SetAside], int]:
    """Check the answer against what was sent; refuse the whole answer if anything is off."""
    sent = [item.uuid for item in batch]
    answered = [r.uuid for r in response.results]
    if answered != sent:
        if sorted(answered) == sorted(sent):
            raise ProtocolViolation("results out of order")
        raise ProtocolViolation(
            f"results name {len(set(answered) - set(sent))} unknown and "
            f"{len(set(sent) - set(answered))} missing record(s)"
        )
    acks: list[Ack] = []
    set_aside: list[SetAside] = []
    duplicates = 0
    for result in response.results:
        if result.status in (ResultStatus.ACCEPTED, ResultStatus.DUPLICATE):
            if not result.receipt_number:
                raise ProtocolViolation("a receipt number is missing")
            acks.append(Ack(result.uuid, result.receipt_number))
            duplicates += result.status == ResultStatus.DUPLICATE
        else:
            error = result.error
            set_aside.append(
                SetAside(
                    result.uuid,
                    error.code if error else str(result.status),
                    error.ja if error else "窓口サーバーが受け付けませんでした",
                    error.en if error else f"refused by the back office ({result.status})",
                )
            )
    return acks, set_aside, duplicates
