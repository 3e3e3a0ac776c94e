"""Export for the core systems' file-based batch import: CSV per template, or JSONL.

CSV columns follow the template's export mapping (`export:` in the YAML), read through
`forms.fill` exactly as the form prints them; an application made with an older version of
the template fills the columns of its own version, matched by column name. JSONL carries one
application per line: metadata, the session record and the mapped columns (never the PDF).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backoffice.errors import BadExportRequest
from backoffice.models import Application
from backoffice.registry import TemplateRegistry
from forms.fill import fill
from forms.private_files import open_private_text
from forms.record import SessionRecord
from forms.template import Template
from sync.protocol.vocabulary import Status

FIXED_COLUMNS = ["受付番号", "状態", "受付日時", "様式ID", "様式版", "端末", "窓口番号"]
_BATCH = 200


def open_export_file(path: Path) -> IO[str]:
    """An export file holds personal data: 0600 in a folder created 0700, whatever the umask."""
    return open_private_text(path)


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


def column_values(template: Template, app: Application) -> dict[str, str]:
    form = fill(template, SessionRecord.model_validate_json(app.record_json))
    return {c.column: form.text(c.field, c.part) for c in template.export}


def _fixed(app: Application) -> list[str]:
    return [
        app.receipt_number,
        app.status,
        app.received_at.isoformat(),
        app.template_id,
        str(app.template_version),
        app.terminal,
        app.reception_number,
    ]


def _select(template_id: str | None, status: Status | None):
    query = select(Application).order_by(Application.id)
    if template_id is not None:
        query = query.where(Application.template_id == template_id)
    if status is not None:
        query = query.where(Application.status == status.value)
    return query


def _applications(
    sessions: sessionmaker[Session], template_id: str | None, status: Status | None
) -> Iterator[tuple[Session, Application]]:
    """Page through by id so no transaction stays open across the whole export."""
    last_id = 0
    while True:
        with sessions() as session, session.begin():
            page = list(
                session.scalars(
                    _select(template_id, status).where(Application.id > last_id).limit(_BATCH)
                )
            )
            for app in page:
                yield session, app
        if len(page) < _BATCH:
            return
        last_id = page[-1].id


def csv_header(session: Session, registry: TemplateRegistry, template_id: str) -> list[str]:
    versions = registry.versions(session, template_id)
    if not versions:
        raise BadExportRequest(
            f"様式 {template_id} は登録されていません", f"unknown template {template_id}"
        )
    columns: list[str] = []
    for version in reversed(versions):  # newest first decides the order
        for column in (c.column for c in registry.get(session, template_id, version).export):
            if column not in columns and column not in FIXED_COLUMNS:
                columns.append(column)
    return [*FIXED_COLUMNS, *columns]


def csv_lines(
    sessions: sessionmaker[Session],
    registry: TemplateRegistry,
    template_id: str,
    status: Status | None,
) -> Iterator[str]:
    """Checks the template now (so a bad request fails before streaming starts)."""
    with sessions() as session, session.begin():
        header = csv_header(session, registry, template_id)
    return _csv_rows(sessions, registry, header, template_id, status)


def _csv_rows(
    sessions: sessionmaker[Session],
    registry: TemplateRegistry,
    header: list[str],
    template_id: str,
    status: Status | None,
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield flush()
    mapped = header[len(FIXED_COLUMNS) :]
    for session, app in _applications(sessions, template_id, status):
        template = registry.get(session, app.template_id, app.template_version)
        values = column_values(template, app)
        writer.writerow([*_fixed(app), *(values.get(c, "") for c in mapped)])
        yield flush()


def jsonl_lines(
    sessions: sessionmaker[Session],
    registry: TemplateRegistry,
    template_id: str | None,
    status: Status | None,
) -> Iterator[str]:
    for session, app in _applications(sessions, template_id, status):
        template = registry.get(session, app.template_id, app.template_version)
        line = {
            "receipt_number": app.receipt_number,
            "uuid": str(app.uuid),
            "status": app.status,
            "return_reason": app.return_reason,
            "received_at": app.received_at.isoformat(),
            "created_at": app.created_at.isoformat(),
            "template_id": app.template_id,
            "template_version": app.template_version,
            "kiosk_id": app.kiosk_id,
            "terminal": app.terminal,
            "mode": app.mode,
            "reception_number": app.reception_number,
            "record": json.loads(app.record_json),
            "columns": column_values(template, app),
        }
        yield json.dumps(line, ensure_ascii=False) + "\n"


def lines(
    sessions: sessionmaker[Session],
    registry: TemplateRegistry,
    fmt: ExportFormat,
    template_id: str | None,
    status: Status | None,
) -> Iterator[str]:
    if fmt is ExportFormat.CSV:
        if template_id is None:
            raise BadExportRequest(
                "CSV 出力には様式ID（template）の指定が必要です",
                "CSV export needs a template id (its export mapping decides the columns)",
            )
        return csv_lines(sessions, registry, template_id, status)
    return jsonl_lines(sessions, registry, template_id, status)
