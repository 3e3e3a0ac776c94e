"""Pre-entry QR: a keyboard-wedge / serial scanner field (input method off, digits only) and,
where the kiosk has a camera, its preview with frames decoded off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from kiosk.screens.base import Controller, Screen
from kiosk.widgets.controls import make_label


class QrScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "qr.title")
        tr = self.tr
        self.scanner = QLineEdit()
        self.scanner.setAccessibleName(tr("qr.scanner"))
        self.scanner.setPlaceholderText(tr("qr.scanner"))
        # A wedge scanner types digits as keystrokes: an input method would turn them into
        # kana, so it is off here, and only digits are accepted.
        self.scanner.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scanner.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d*"), self.scanner)
        )
        self.scanner.setMaxLength(8000)
        self.scanner.setEchoMode(QLineEdit.EchoMode.Password)  # the payload is personal data
        self.scanner.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.scanner.returnPressed.connect(self._scanned)
        self.layout_.addWidget(self.scanner)
        self.status = make_label("")
        self.layout_.addWidget(self.status)
        self.camera_area = controller.make_camera_view()
        if self.camera_area is not None:
            self.layout_.addWidget(self.camera_area, 1)
        else:
            self.layout_.addWidget(make_label(tr("qr.camera_none")))
        self.layout_.addStretch(1)

    def _scanned(self) -> None:
        digits = self.scanner.text()
        self.scanner.clear()
        if not digits or self.c.busy("qr"):
            return
        self.status.setText(self.tr("qr.decoding"))
        self.c.decode_qr_digits(digits)

    def entered(self) -> None:
        self.scanner.clear()
        self.status.setText("")
        self.scanner.setFocus()
