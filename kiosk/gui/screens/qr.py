"""Pre-entry QR: scan with a keyboard-wedge or serial scanner, or show the code to the camera.

Wedge scans normally never reach this screen's widgets: the application-wide key filter
(`kiosk.gui.wedge_filter`) swallows the burst and hands it to the window, which decodes it on the
QR lane (from this screen, and from welcome, procedures and identify too). The digits field
stays as the fallback for a scanner configured to type slower than a burst (its keys arrive as
typing): input method off, digits only, masked, no context menu. Where the kiosk has a camera,
its preview is shown and frames are decoded off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from kiosk.gui.screens.base import Controller, Screen
from kiosk.gui.widgets.bilingual import BiLabel
from kiosk.i18n import Pair


class QrScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "qr.title")
        tr = self.i18n
        self.layout_.addWidget(self.text(tr.pair("qr.hint")))
        self.scanner = QLineEdit()
        self.scanner.setAccessibleName(tr.both("qr.scanner"))
        self.scanner.setPlaceholderText(tr.both("qr.scanner"))
        # A scanner types digits as keystrokes: an input method would turn them into kana, so
        # it is off here, and only digits are accepted.
        self.scanner.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scanner.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d*"), self.scanner)
        )
        self.scanner.setMaxLength(8000)
        self.scanner.setEchoMode(QLineEdit.EchoMode.Password)  # the payload is personal data
        self.scanner.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.scanner.returnPressed.connect(self._scanned)
        self.layout_.addWidget(self.scanner)
        self.status = BiLabel()
        self.layout_.addWidget(self.status)
        self.camera_area = controller.make_camera_view()
        if self.camera_area is not None:
            self.layout_.addWidget(self.camera_area, 1)
        else:
            self.layout_.addWidget(self.text(tr.pair("qr.camera_none")))
        self.layout_.addStretch(1)

    def _scanned(self) -> None:
        digits = self.scanner.text()
        self.scanner.clear()
        if not digits or self.c.busy("qr"):
            return
        self.c.decode_qr_digits(digits)
        self.refresh()

    def refresh(self) -> None:
        self.status.set_pair(self.i18n.pair("qr.decoding") if self.c.busy("qr") else Pair(""))

    def entered(self) -> None:
        self.scanner.clear()
        self.refresh()
        self.scanner.setFocus()
