"""Ingest: idempotent on the kiosk's UUID, in the same transaction as the write.

For each record of a batch, in order:

1. a key the database already holds answers DUPLICATE (same body: the original receipt) or
   CONFLICT (different body: refused, the stored application unchanged) — a conflict is a
   per-record result inside a 200 answer, like every other per-record outcome, so one bad
   record never fails the batch;
2. otherwise the record is opened and checked (known template version, seal opens, session
   record valid, its UUID is the one the record and template imply, form validates against
   its template, PDF present); a failure answers REJECTED and stores nothing;
3. the rest are inserted in one transaction that first locks the year's receipt counter: the
   lock orders concurrent ingests, so of two requests with the same key exactly one inserts
   (ACCEPTED) and the other reads it back (DUPLICATE). The UNIQUE constraint on `uuid` and
   `INSERT … ON CONFLICT DO NOTHING` stay the last word; receipt numbers are given out only
   to rows actually inserted, so conflicts and replays leave no gaps.

A key held by a **paper import** (`services.paper`: the printed form's data QR was scanned
before the kiosk's sync delivered) is neither a conflict nor a duplicate application: the
kiosk's copy is opened and checked like a new one, then its PDF, measurement and kiosk
details are attached to the paper-imported application (status and history untouched) and
the answer is DUPLICATE with the existing receipt. Later replays answer DUPLICATE as usual.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import String, Table, any_, bindparam, insert, literal, null, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from backoffice.db import rows_changed
from backoffice.errors import TemplateNotFound
from backoffice.models import Application, StatusChange, UTCDateTime
from backoffice.services.receipts import ReceiptIssuer
from forms.errors import MadoguchiError, UnknownTemplate
from forms.fill import fill
from forms.record import RecordError, SessionRecord
from sync.protocol import (
    IngestBatch,
    IngestRecord,
    IngestResponse,
    IngestResult,
    RecordRefusal,
    ResultStatus,
    WireError,
    ingest_key,
)
from sync.protocol.vocabulary import Status

log = logging.getLogger(__name__)

_INSERT_ATTEMPTS = 3
# `body_sha256` of a paper-imported application until the kiosk's own copy is attached.
PAPER_DIGEST = "paper"
_UUID = TypeAdapter(uuid.UUID)
# SQLAlchemy types a mapped class's `__table__` as any FromClause; declared classes have a Table.
_APPLICATIONS = cast(Table, Application.__table__)
_STATUS_CHANGES = cast(Table, StatusChange.__table__)


class FormInvalid(MadoguchiError):
    code = "validation_failed"

    def __init__(self, paths: list[str]) -> None:
        where = ", ".join(paths[:20]) + (" …" if len(paths) > 20 else "")
        super().__init__(
            f"様式の検証に失敗しました: {where}", f"the form does not validate: {where}"
        )


class PdfInvalid(MadoguchiError):
    code = "pdf_invalid"

    def __init__(self) -> None:
        super().__init__("PDF がないか壊れています", "the PDF is missing or not a PDF")


class IndividualNumberNotAllowed(MadoguchiError):
    """番号法 §19: a form without a declared legal need must not carry the individual number."""

    code = "individual_number_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "この様式は個人番号を扱えません（法令上の根拠がありません）",
            "this form may not carry the individual number (no legal basis declared)",
        )


class RecordInvalid(MadoguchiError):
    """A record outside the wire schema's bounds (refused with the whole batch, as 422)."""

    code = "record_invalid"

    def __init__(self, problems: list[str]) -> None:
        where = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        super().__init__(
            f"申請の送信データが規格に合いません: {where}",
            f"the record does not match the wire schema: {where}",
        )


class KeyMismatch(MadoguchiError):
    """The UUID is not `ingest_key(record id, template id)`: the same sealed application
    posted under another key would otherwise be stored twice, with two receipts."""

    code = "uuid_mismatch"

    def __init__(self) -> None:
        super().__init__(
            "UUID がこの申請の記録と様式から導かれるものと一致しません（受け付けません）",
            "the UUID is not the one this application's record and template imply "
            "(uuid5 of the session id and the template id); refused",
        )


class KeyConflict(MadoguchiError):
    code = "idempotency_conflict"

    def __init__(self) -> None:
        super().__init__(
            "同じ UUID で内容の異なる申請が既に届いています（上書きしません）",
            "an application with this UUID and a different body is already stored "
            "(never overwritten)",
        )


class _InsertRace(Exception):
    """A key appeared between the check and the insert; the transaction is retried."""


def body_sha256(record: IngestRecord) -> str:
    """What 'the same body' means: the metadata and the sealed text, byte for byte."""
    meta = record.model_dump(mode="json", exclude={"sealed"})
    if meta.get("call_number") is None:  # absent and null hash alike, as before the field
        meta.pop("call_number", None)
    digest = hashlib.sha256(json.dumps(meta, sort_keys=True).encode("utf-8"))
    digest.update(b"\n")
    digest.update(record.sealed.encode("utf-8"))
    return digest.hexdigest()


def wire_error(exc: MadoguchiError) -> WireError:
    return WireError(code=exc.code, ja=exc.ja, en=exc.en)


@dataclass
class _Candidate:
    index: int
    record: IngestRecord
    digest: str
    row: dict[str, object]


class IngestService(ReceiptIssuer):
    # One batch at a time per process. The work is CPU in Python (one GIL per process), so
    # running batches side by side in threads gains nothing; worse, the thread holding the
    # receipt counter's row lock then competes for the GIL with the checking threads, and
    # every other worker process waits on that lock meanwhile (measured: the same rate or a
    # little lower, and the two workers' loads far apart, without it).
    _one_at_a_time = threading.Lock()

    def ingest(self, batch: IngestBatch, terminal: str) -> IngestResponse:
        with self._one_at_a_time:
            return self._ingest(batch, terminal)

    def _ingest(self, batch: IngestBatch, terminal: str) -> IngestResponse:
        received_at = self._clock.now()
        self._keys.refresh()  # a rotation on this machine or another: new files are read
        digests = [body_sha256(r) for r in batch.records]
        results: list[IngestResult | None] = [None] * len(batch.records)

        first_index: dict[uuid.UUID, int] = {}
        repeats: list[int] = []
        for n, record in enumerate(batch.records):
            if record.uuid in first_index:
                repeats.append(n)
            else:
                first_index[record.uuid] = n

        # 1. Keys already stored: answer without opening anything.
        with self._sessions() as session, session.begin():
            known = self._stored(session, list(first_index))
        for key, n in first_index.items():
            if key in known and known[key][0] != PAPER_DIGEST:
                results[n] = _replay_result(key, digests[n], *known[key])

        # 2. Open and check the others (CPU only, no transaction held).
        candidates: list[_Candidate] = []
        for key, n in first_index.items():
            if results[n] is not None:
                continue
            record = batch.records[n]
            try:
                row = self._check(record)
            except MadoguchiError as exc:
                results[n] = IngestResult(
                    uuid=key, status=ResultStatus.REJECTED, error=wire_error(exc)
                )
                log.info("ingest rejected uuid=%s code=%s terminal=%s", key, exc.code, terminal)
                continue
            row.update(
                uuid=key,
                body_sha256=digests[n],
                terminal=terminal,
                received_at=received_at,
                status=Status.RECEIVED.value,
                status_changed_at=received_at,
                status_changed_by=f"terminal:{terminal}",
                updated_at=received_at,
                source="kiosk",
                has_pdf=True,
            )
            candidates.append(_Candidate(n, record, digests[n], row))

        # 3. Insert under the receipt counter's lock.
        if candidates:
            for attempt in range(_INSERT_ATTEMPTS):
                try:
                    outcome = self._insert(candidates, received_at)
                    break
                except _InsertRace:
                    if attempt == _INSERT_ATTEMPTS - 1:
                        raise
            for cand in candidates:
                results[cand.index] = outcome[cand.record.uuid]

        # 4. A key repeated inside the batch answers like a replay of its first occurrence.
        for n in repeats:
            key = batch.records[n].uuid
            first = results[first_index[key]]
            assert first is not None
            if digests[n] != digests[first_index[key]]:
                results[n] = IngestResult(
                    uuid=key, status=ResultStatus.CONFLICT, error=wire_error(KeyConflict())
                )
            elif first.status in (ResultStatus.ACCEPTED, ResultStatus.DUPLICATE):
                results[n] = IngestResult(
                    uuid=key, status=ResultStatus.DUPLICATE, receipt_number=first.receipt_number
                )
            else:
                results[n] = first

        final = [r for r in results if r is not None]
        counts = {s: sum(1 for r in final if r.status == s) for s in ResultStatus}
        log.info(
            "ingest batch terminal=%s records=%d accepted=%d duplicate=%d conflict=%d rejected=%d",
            terminal,
            len(final),
            counts[ResultStatus.ACCEPTED],
            counts[ResultStatus.DUPLICATE],
            counts[ResultStatus.CONFLICT],
            counts[ResultStatus.REJECTED],
        )
        return IngestResponse(results=final)

    # -- checks ---------------------------------------------------------------------------

    def _check(self, record: IngestRecord) -> dict[str, object]:
        template = self._registry.cached(record.template_id, record.template_version)
        if template is None:
            try:
                with self._sessions() as session:
                    template = self._registry.get(
                        session, record.template_id, record.template_version
                    )
            except TemplateNotFound:
                raise UnknownTemplate(record.template_id, record.template_version) from None
        content, _key = self._keys.open_sealed(record.sealed)  # SealError
        try:
            session_record = SessionRecord.model_validate(content.record)
        except ValidationError as exc:
            raise RecordError(exc) from None
        if record.uuid != ingest_key(session_record.id, record.template_id):
            raise KeyMismatch()
        if (
            not template.uses_individual_number
            and session_record.card is not None
            and session_record.card.individual_number
        ):
            raise IndividualNumberNotAllowed()
        form = fill(template, session_record)
        if form.errors:
            raise FormInvalid([e.path for e in form.errors])
        try:
            pdf = base64.b64decode(content.pdf, validate=True)
        except (binascii.Error, ValueError):
            raise PdfInvalid() from None
        if not pdf.startswith(b"%PDF-"):
            raise PdfInvalid()
        return {
            "template_id": record.template_id,
            "template_version": record.template_version,
            "kiosk_id": record.kiosk_id,
            "mode": record.mode.value,
            "reception_number": record.reception_number,
            "call_number": record.call_number,
            "visit_key": session_record.id,  # the visit: every form of the session shares it
            "created_at": _aware(record.created_at),
            "return_reason": None,
            "record_json": session_record.model_dump_json(),
            "measurement_json": json.dumps(content.measurement, ensure_ascii=False),
            "pdf": pdf,
        }

    # -- database -------------------------------------------------------------------------

    def _stored(self, session: Session, keys: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
        if not keys:
            return {}
        rows = session.execute(
            select(Application.uuid, Application.body_sha256, Application.receipt_number).where(
                self._one_of(Application.uuid, keys)
            )
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def _one_of(self, column, values: list):
        """`column IN values`. On PostgreSQL as `= ANY(array)`: one parameter, so the statement
        text stays short and psycopg caches its parsing (an IN list of 100 keys, re-parsed
        for every batch, cost ~4 ms a statement)."""
        if self._dialect == "postgresql":
            return column == any_(bindparam(None, values, type_=postgresql.ARRAY(column.type)))
        return column.in_(values)

    def _insert(
        self, candidates: list[_Candidate], received_at: dt.datetime
    ) -> dict[uuid.UUID, IngestResult]:
        year = self._clock.local(received_at).year
        out: dict[uuid.UUID, IngestResult] = {}
        with self._sessions() as session, session.begin():
            last = self._lock_counter(session, year)
            known = self._stored(session, [c.record.uuid for c in candidates])
            fresh: list[_Candidate] = []
            for cand in candidates:
                key = cand.record.uuid
                if key in known and known[key][0] == PAPER_DIGEST:
                    out[key] = self._attach(session, cand, known[key][1])
                elif key in known:
                    out[key] = _replay_result(key, cand.digest, *known[key])
                else:
                    fresh.append(cand)
            if not fresh:
                return out
            rows = []
            receipts = []
            for offset, cand in enumerate(fresh, 1):
                receipt = f"{year}-{last + offset:06d}"
                rows.append({**cand.row, "receipt_number": receipt})
                receipts.append(receipt)
                out[cand.record.uuid] = IngestResult(
                    uuid=cand.record.uuid, status=ResultStatus.ACCEPTED, receipt_number=receipt
                )
            # executemany of one short statement (as a plain batched INSERT does), not one
            # INSERT … VALUES of 100 rows with RETURNING, whose text the driver re-parses.
            session.execute(
                self._dialect_insert(_APPLICATIONS).on_conflict_do_nothing(index_elements=["uuid"]),
                rows,
            )
            # The history rows for exactly the rows inserted (found by their receipt numbers,
            # which only this transaction can have given out): one short of the batch means a
            # key appeared since the check (the insert skipped it), so everything is retried.
            history = session.execute(
                insert(_STATUS_CHANGES).from_select(
                    ["application_id", "from_status", "to_status", "reason", "actor", "at"],
                    select(
                        _APPLICATIONS.c.id,
                        null(),
                        literal(Status.RECEIVED.value, String),
                        null(),
                        literal(f"terminal:{fresh[0].row['terminal']}", String),
                        literal(received_at, UTCDateTime),
                    ).where(self._one_of(_APPLICATIONS.c.receipt_number, receipts)),
                ),
                execution_options={"preserve_rowcount": True},
            )
            if rows_changed(history) != len(rows):
                raise _InsertRace()
            self._set_counter(session, year, last + len(fresh))
        return out

    @staticmethod
    def _attach(session: Session, cand: _Candidate, receipt: str) -> IngestResult:
        """The kiosk's copy of a paper-imported application: attach, answer DUPLICATE."""
        key = cand.record.uuid
        row = cand.row
        attached = rows_changed(
            session.execute(
                update(Application)
                .where(
                    Application.uuid == key,
                    Application.body_sha256 == PAPER_DIGEST,
                    Application.template_id == row["template_id"],
                    Application.template_version == row["template_version"],
                )
                .values(
                    body_sha256=cand.digest,
                    pdf=row["pdf"],
                    has_pdf=True,
                    measurement_json=row["measurement_json"],
                    kiosk_id=row["kiosk_id"],
                    terminal=row["terminal"],
                    mode=row["mode"],
                    reception_number=row["reception_number"],
                    call_number=row["call_number"],
                    created_at=row["created_at"],
                    updated_at=row["received_at"],
                )
                .execution_options(synchronize_session=False)
            )
        )
        if attached != 1:  # another template version under the same key: never overwritten
            return IngestResult(
                uuid=key, status=ResultStatus.CONFLICT, error=wire_error(KeyConflict())
            )
        log.info("ingest attached the kiosk copy to paper import receipt=%s", receipt)
        return IngestResult(uuid=key, status=ResultStatus.DUPLICATE, receipt_number=receipt)


def record_refusals(errors: Sequence[Any], body: object) -> list[RecordRefusal]:
    """The records of an ingest body that failed the wire schema, one REJECTED each.

    `errors` are pydantic's (locations `body.records.<index>.<field>`), `body` the parsed JSON.
    The messages name fields and bounds, never the values sent."""
    problems: dict[int, list[str]] = {}
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if len(loc) >= 3 and loc[:2] == ("body", "records") and isinstance(loc[2], int):
            field = ".".join(str(p) for p in loc[3:]) or "record"
            problems.setdefault(loc[2], []).append(f"{field}: {err.get('msg', '')}")
    records = body.get("records") if isinstance(body, dict) else None
    out = []
    for index, found in sorted(problems.items()):
        key = None
        if isinstance(records, list) and index < len(records) and isinstance(records[index], dict):
            with contextlib.suppress(ValidationError):
                key = _UUID.validate_python(records[index].get("uuid"))
        out.append(RecordRefusal(index=index, uuid=key, error=wire_error(RecordInvalid(found))))
    return out


def _replay_result(key: uuid.UUID, digest: str, stored_digest: str, receipt: str) -> IngestResult:
    if digest == stored_digest:
        return IngestResult(uuid=key, status=ResultStatus.DUPLICATE, receipt_number=receipt)
    return IngestResult(uuid=key, status=ResultStatus.CONFLICT, error=wire_error(KeyConflict()))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
