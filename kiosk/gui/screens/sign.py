"""Sign on screen (finger or pen)."""

from __future__ import annotations

from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QHBoxLayout

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiButton
from kiosk.gui.widgets.signature_pad import SignaturePad


class SignScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "sign.title")
        tr = self.i18n
        self.pad = SignaturePad(tr.both("sign.pad"))
        self.pad.changed.connect(self._changed)
        self.layout_.addWidget(self.pad, 1)
        row = QHBoxLayout()
        self.clear_button = BiButton(tr.pair("sign.clear"), role="secondary")
        self.clear_button.clicked.connect(self.pad.clear)
        self.back_button = BiButton(tr.pair("common.back"), role="secondary")
        self.back_button.clicked.connect(self.flow.back)
        self.ok_button = BiButton(tr.pair("sign.ok"))
        self.ok_button.clicked.connect(self._ok)
        row.addWidget(self.back_button)
        row.addWidget(self.clear_button)
        row.addWidget(self.ok_button)
        self.layout_.addLayout(row)
        self._changed()

    def _changed(self) -> None:
        self.flow.touch()
        self.ok_button.setEnabled(not self.pad.is_empty())

    def entered(self) -> None:
        self.pad.clear()
        self.pad.setFocus()

    def keep(self) -> list[QPainterPath]:
        return self.pad.strokes()

    def restore(self, kept: list[QPainterPath]) -> None:
        self.pad.set_strokes(kept)

    def _ok(self) -> None:
        self.flow.signed(self.pad.to_png())
