"""The editor's retention screen: per template, the period it declares, the one in force, and
what `madoguchi backoffice retention run` would erase now (the dry run's counts).

An admin may shorten a period, never lengthen it past the template's declaration (the back
office refuses with `retention_longer`; the spin boxes stop at the declaration as well, so the
refusal is only met if the declaration changed meanwhile). "Back to the declaration" clears the
admin's setting. Every call runs on the editor's office lane (`office(call, done, failed)`),
never on the GUI thread. Staff-facing: Japanese with English beside it, as the rest of the
editor. Counts only: no receipt number or personal data is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.errors import MadoguchiError
from forms.text import Text
from sync.client import OfficeClient
from sync.protocol.retention import RetentionChange, RetentionPeriod, RetentionPreview

Office = Callable[
    [Callable[[OfficeClient], Any], Callable[[Any], None], Callable[[MadoguchiError], None]],
    None,
]

COLUMNS = [
    "様式 / Template",
    "定め / Declared",
    "適用 / In force",
    "個人番号 定め / No. declared",
    "個人番号 適用 / No. in force",
    "削除予定 / Would delete",
    "番号消去予定 / Would erase No.",
    "根拠 / Legal basis",
]
NOT_DECLARED = "定めなし（保存） / none (kept)"


def _years(value: int | None) -> str:
    return NOT_DECLARED if value is None else f"{value} 年 / y"


def _days(value: int | None) -> str:
    return "—" if value is None else f"{value} 日 / d"


class RetentionDialog(QDialog):
    loaded = Signal()  # the periods and the dry run's counts are shown
    saved = Signal(str)  # template id
    failed = Signal(str)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("保存期間 / Retention")
        self._office = office
        self.periods: list[RetentionPeriod] = []
        self.preview: RetentionPreview | None = None

        self.table = self._build_table()

        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("試行の結果 / dry run")

        self.chosen = QLabel("", self)
        self.years_box = QSpinBox(self)
        self.years_box.setSuffix(" 年 / y")
        self.years_box.setAccessibleName("保存年数 / years kept")
        self.days_box = QSpinBox(self)
        self.days_box.setSuffix(" 日 / d")
        self.days_box.setAccessibleName("個人番号の保存日数 / days the individual number is kept")
        form = QFormLayout()
        form.addRow("選択した様式 / Template", self.chosen)
        form.addRow("保存期間 / Keep records", self.years_box)
        form.addRow("個人番号 / Individual number", self.days_box)

        self.save_button = QPushButton("短くする / Shorten", self)
        self.save_button.clicked.connect(lambda _c=False: self.save_selected())
        self.reset_button = QPushButton("定めに戻す / Back to the declaration", self)
        self.reset_button.clicked.connect(lambda _c=False: self.reset_selected())
        self.reload_button = QPushButton("再読込・試行 / Reload and dry run", self)
        self.reload_button.clicked.connect(lambda _c=False: self.reload())
        close = QPushButton("閉じる / Close", self)
        close.clicked.connect(self.accept)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("状態 / status")

        buttons = QHBoxLayout()
        for button in (self.save_button, self.reset_button, self.reload_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        note = QLabel(
            "保存期間は様式が定める期間より短くできます（長くはできません）。"
            "件数は「retention run」の試行で、何も削除していません。\n"
            "A period may be shortened, never lengthened past the template's declaration. "
            "The counts are a dry run of `retention run`: nothing has been erased.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._selected()
        for box in (self.years_box, self.days_box):
            box.setMaximumWidth(180)
        self.resize(1280, 600)

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS), self)
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.setAccessibleName("保存期間の一覧 / retention per template")
        table.itemSelectionChanged.connect(self._selected)
        return table

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """The periods, then the dry run (both on the office lane)."""
        self._busy("読込中… / loading…")

        def with_preview(client: OfficeClient) -> tuple[list[RetentionPeriod], RetentionPreview]:
            return client.retention(), client.retention_preview()

        self._office(with_preview, self._show, self._show_error)

    def _show(self, answer: tuple[list[RetentionPeriod], RetentionPreview]) -> None:
        periods, preview = answer
        chosen = self.selected_template()
        self.periods, self.preview = list(periods), preview
        self.table.setRowCount(len(self.periods))
        for row, period in enumerate(self.periods):
            counts = preview.by_template.get(period.template_id, {})
            in_force = _years(period.years) + (" ＊短縮 / shortened" if period.shortened else "")
            cells = [
                period.template_id,
                _years(period.declared_years),
                in_force,
                _days(period.declared_individual_number_days),
                _days(period.individual_number_days),
                str(counts.get("records_deleted", 0)),
                str(counts.get("numbers_erased", 0)),
                period.basis or "—",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if 5 <= column <= 6:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.summary.setText(
            f"試行（変更なし）: 削除 {preview.records_deleted} 件（PDF {preview.pdfs_deleted}）、"
            f"個人番号の消去 {preview.numbers_erased} 件、定めなしで保存 {preview.no_period} 件\n"
            f"Dry run (nothing changed): {preview.records_deleted} record(s) would be deleted "
            f"({preview.pdfs_deleted} PDF(s)), individual numbers erased in "
            f"{preview.numbers_erased}, {preview.no_period} kept without a declared period"
        )
        if chosen is not None:
            self.select(chosen)
        self._idle("")
        self._selected()
        self.loaded.emit()

    # -- choosing and saving -----------------------------------------------------------------

    def select(self, template_id: str) -> None:
        for row, period in enumerate(self.periods):
            if period.template_id == template_id:
                self.table.selectRow(row)
                return

    def selected_template(self) -> str | None:
        period = self._period()
        return period.template_id if period else None

    def _period(self) -> RetentionPeriod | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.periods):
            return None
        return self.periods[rows[0].row()]

    def _selected(self) -> None:
        period = self._period()
        editable = period is not None and period.declared_years is not None
        self.chosen.setText(period.template_id if period else "—")
        for widget in (self.years_box, self.save_button, self.reset_button):
            widget.setEnabled(editable)
        has_number = editable and period is not None and period.declared_individual_number_days
        self.days_box.setEnabled(bool(has_number))
        if period is None or period.declared_years is None:
            return
        # never past the declaration: the boxes stop there
        self.years_box.setRange(1, period.declared_years)
        self.years_box.setValue(period.years or period.declared_years)
        declared_days = period.declared_individual_number_days or 0
        self.days_box.setRange(0, declared_days)
        in_force_days = period.individual_number_days
        self.days_box.setValue(declared_days if in_force_days is None else in_force_days)

    def save_selected(self) -> None:
        period = self._period()
        if period is None:
            return
        days = self.days_box.value() if self.days_box.isEnabled() else None
        self.save(period.template_id, self.years_box.value(), days)

    def reset_selected(self) -> None:
        period = self._period()
        if period is not None:
            self.save(period.template_id, None, None)

    def save(self, template_id: str, years: int | None, days: int | None) -> None:
        """Shorten `template_id` (both None: back to its declaration); then reload."""
        change = RetentionChange(years=years, individual_number_days=days)
        self._busy("保存中… / saving…")

        def done(_period: Any) -> None:
            self.saved.emit(template_id)
            self.reload()

        self._office(lambda c: c.set_retention(template_id, change), done, self._show_error)

    # -- state -------------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        for button in (self.save_button, self.reset_button, self.reload_button):
            button.setEnabled(False)
        self.status.setText(text)

    def _idle(self, text: str) -> None:
        self.reload_button.setEnabled(True)
        self.status.setText(text)
        self._selected()

    def _show_error(self, error: MadoguchiError) -> None:
        text = str(Text(ja=error.ja, en=error.en))
        self._idle(text)
        self.failed.emit(text)
