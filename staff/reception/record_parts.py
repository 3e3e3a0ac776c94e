"""The parts of a form's record that the one-application view (`record_view`) and the visit's
form tabs (`visit_view`) both show: the field table, the identity-check entry, the history and
check lines, the record beside its PDF; and what both do alike: reprint, and say why an action
failed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.clock import office_clock
from forms.errors import MadoguchiError
from printing.spool import PrintResult, Spooler
from staff.background import PRINT
from staff.reception.messages import error_text, status_text, tr
from sync.errors import Refused
from sync.protocol.office import (
    DocumentKind,
    FieldText,
    IdentityCheckPublic,
    StatusChangePublic,
)


def fields_table(parent: QWidget, rows: int = 0) -> QTableWidget:
    """A read-only two-column table (field, value)."""
    table = QTableWidget(rows, 2, parent)
    table.setHorizontalHeaderLabels([tr("record.field"), tr("record.value")])
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setAccessibleName(tr("record.fields"))
    return table


def fill_fields(table: QTableWidget, fields: Sequence[FieldText], *, tips: bool = False) -> None:
    """One row a field; with `tips`, the value again as its tooltip (a long one is elided)."""
    table.setRowCount(len(fields))
    for row, field in enumerate(fields):
        table.setItem(row, 0, QTableWidgetItem(field.label))
        value = QTableWidgetItem(field.text)
        if tips:
            value.setToolTip(field.text)
        table.setItem(row, 1, value)


def identity_inputs(parent: QWidget) -> tuple[QComboBox, QLineEdit]:
    """The document shown and a note (required for "other")."""
    document = QComboBox(parent)
    document.setAccessibleName(tr("identity.document"))
    for kind in DocumentKind:
        document.addItem(tr(f"doc.{kind.value}"), kind.value)
    note = QLineEdit(parent)
    note.setMaxLength(100)
    note.setPlaceholderText(tr("identity.note"))
    return document, note


def identity_entry(
    document: QComboBox, note: QLineEdit, message: SignalInstance
) -> tuple[DocumentKind, str | None] | None:
    """What was entered; None (said on `message`, the note focused) when "other" has no note."""
    kind = DocumentKind(document.currentData())
    text = note.text().strip() or None
    if kind is DocumentKind.OTHER and text is None:
        message.emit(tr("identity.note_needed"), True)
        note.setFocus()
        return None
    return kind, text


def history_line(change: StatusChangePublic) -> str:
    before = status_text(change.from_status.value) if change.from_status else "—"
    line = (
        f"{office_clock().local(change.at):%m/%d %H:%M} {before} → "
        f"{status_text(change.to_status.value)} ({change.actor})"
    )
    if change.reason:
        line += f"：{change.reason}"
    return line


def check_line(check: IdentityCheckPublic) -> str:
    note = f"（{check.note}）" if check.note else ""
    at = f"{office_clock().local(check.at):%H:%M}"
    return f"✔ {tr(f'doc.{check.document.value}')}{note} — {check.actor} {at}"


def beside_pdf(
    widget: QWidget, left: QWidget, pdf: QWidget, stretch: tuple[int, int], margin: int
) -> None:
    """Lay `widget` out as `left` and the PDF side by side in a splitter."""
    splitter = QSplitter(widget)
    splitter.addWidget(left)
    splitter.addWidget(pdf)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(margin, margin, margin, margin)
    layout.addWidget(splitter)


def printed_text(result: PrintResult) -> str:
    where = str(result.path) if result.path else result.spooler
    return tr("reprint.done", where=where)


def reprint(
    run: Callable[..., None],
    spooler: Spooler,
    pdf: bytes | None,
    title: str,
    *,
    message: SignalInstance,
    on_failure: Callable[[MadoguchiError], Any],
) -> None:
    """Print the PDF on show again on the print lane (`run` is the view's `Lanes.run`) and say
    what the printer did; with no PDF, say there is nothing to reprint."""
    if pdf is None:
        message.emit(tr("reprint.none"), True)
        return
    run(
        PRINT,
        lambda: spooler.print_pdf(pdf, title=title),
        on_success=lambda result: message.emit(printed_text(result), False),
        on_failure=on_failure,
    )


def show_failure(message: SignalInstance, error: MadoguchiError) -> bool:
    """Say why an action failed; True when the back office refused it (someone else may have
    moved the record meanwhile: the view reloads it)."""
    message.emit(error_text(error), True)
    return isinstance(error, Refused)
