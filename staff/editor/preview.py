"""The live preview: debounced, rendered on a background lane, newest edit wins.

Every edit calls `request(template)`; after `DEBOUNCE_MS` without another edit, the template is
rendered with a sample resident off the GUI thread (`staff.background`). While one render runs,
further requests only mark the preview stale; when it finishes, the newest state renders next,
so a burst of edits costs at most two renders and the view never ends on an old state.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from forms.template import Template
from staff.background import RENDER
from staff.editor.sample_render import render_sample
from staff.widgets.pdf_view import PdfUnreadable, PdfView

log = logging.getLogger(__name__)

PREVIEW_LANE = RENDER
DEBOUNCE_MS = 250
INVALID_TEXT = "様式に誤りがあるためプレビューできません / fix the problems to see the preview"


class PreviewController(QObject):
    rendered = Signal(int)  # page count of the PDF now shown
    failed = Signal(str)  # "ja / en" of why nothing is shown

    def __init__(self, operations: Lanes, view: PdfView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._operations = operations
        self._view = view
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._template: Template | None = None
        self._sample: str | None = None
        self._running = False
        self._stale = False
        self.renders = 0  # renders started (tests check the debounce)
        self.last_pdf: bytes | None = None  # the PDF on show (sample data only)

    def request(self, template: Template | None, sample: str | None = None) -> None:
        """Preview `template` (None: the draft does not validate) soon."""
        self._template = template
        self._sample = sample
        self._timer.start()

    @property
    def busy(self) -> bool:
        return self._running or self._timer.isActive()

    def _start(self) -> None:
        if self._running:
            self._stale = True
            return
        template = self._template
        if template is None:
            self.last_pdf = None
            self._view.clear(INVALID_TEXT)
            self.failed.emit(INVALID_TEXT)
            return
        self._running = True
        self.renders += 1
        sample = self._sample
        self._operations.run(
            PREVIEW_LANE,
            lambda: render_sample(template, sample),
            on_success=self._show,
            on_failure=self._fail,
        )

    def _finish(self) -> None:
        self._running = False
        if self._stale:
            self._stale = False
            self._start()

    def _show(self, pdf: object) -> None:
        try:
            if isinstance(pdf, bytes):
                pages = self._view.load_bytes(pdf)
                self.last_pdf = pdf
                self.rendered.emit(pages)
            else:  # pragma: no cover - render_sample returns bytes
                raise PdfUnreadable()
        except PdfUnreadable as exc:
            self._report(exc)
        self._finish()

    def _fail(self, error: MadoguchiError) -> None:
        self._report(error)
        self._finish()

    def _report(self, error: MadoguchiError) -> None:
        self.last_pdf = None
        text = f"{error.ja} / {error.en}"
        log.info("preview not rendered: %s", error.code)
        self._view.clear(text)
        self.failed.emit(text)
