"""The editor's right-hand side: the sample record chooser over the live PDF preview."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from forms.sample_records import sample_names
from staff.widgets.pdf_view import PdfView

AUTO_SAMPLE = "自動 / auto"


class PreviewPane(QWidget):
    sample_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sample_combo = QComboBox(self)
        self.sample_combo.setAccessibleName("見本データ / sample record")
        self.sample_combo.addItem(AUTO_SAMPLE, None)
        for name in sample_names():
            self.sample_combo.addItem(name, name)
        self.sample_combo.currentIndexChanged.connect(lambda _n: self.sample_changed.emit())
        self.pdf_view = PdfView(self, empty_text="プレビューなし / no preview")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("見本 / Sample", self))
        row.addWidget(self.sample_combo, 1)
        layout.addLayout(row)
        layout.addWidget(self.pdf_view, 1)

    def sample(self) -> str | None:
        """The sample record chosen (None: the renderer picks one that suits the template)."""
        return self.sample_combo.currentData()
