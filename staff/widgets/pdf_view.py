"""A PDF preview (Qt PDF): `load_bytes(pdf)` shows a document from memory, `clear()` empties it.

QPdfDocument reads from a QIODevice that must stay open while the document is shown, so the
widget keeps the QBuffer (and its bytes) until the next load or clear. Nothing is written to
disk: the PDF carries a resident's data.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from forms.errors import MadoguchiError


class PdfUnreadable(MadoguchiError):
    code = "pdf_unreadable"

    def __init__(self) -> None:
        super().__init__("PDF を表示できません", "the PDF cannot be shown")


class PdfView(QWidget):
    """The page view with a one-line caption (page count, or why nothing is shown)."""

    loaded = Signal(int)  # page count

    def __init__(self, parent: QWidget | None = None, *, empty_text: str = "") -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self._document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._view = QPdfView(self)
        self._view.setDocument(self._document)
        self._view.setPageMode(QPdfView.PageMode.MultiPage)
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._view.setAccessibleName("PDF")
        self._caption = QLabel(empty_text, self)
        self._caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._caption.setWordWrap(True)  # a long "why nothing" never widens the window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view, 1)
        layout.addWidget(self._caption)

    @property
    def page_count(self) -> int:
        return self._document.pageCount()

    @property
    def caption(self) -> str:
        return self._caption.text()

    def load_bytes(self, pdf: bytes) -> int:
        """Show `pdf`; returns the page count. Raises PdfUnreadable (the view is then empty)."""
        self.clear()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(buffer)
        if self._document.error() != QPdfDocument.Error.None_ or self._document.pageCount() < 1:
            self._document.close()
            buffer.close()
            buffer.deleteLater()
            self._caption.setText(self._empty_text)
            raise PdfUnreadable()
        self._buffer = buffer
        pages = self._document.pageCount()
        self._caption.setText(f"{pages} ページ / {pages} page(s)")
        self.loaded.emit(pages)
        return pages

    def clear(self, text: str | None = None) -> None:
        self._document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._caption.setText(self._empty_text if text is None else text)
