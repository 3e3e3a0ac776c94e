"""Scanning a printed form's data QR: a USB scanner in keyboard mode types the digits into the
focused field and presses Enter; or an image file (a photo or a scan of the page) is decoded
with `devices.qr.images` on the QR lane. Either way `scanned(digits)` is emitted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from staff.background import QR
from staff.reception.messages import ja, tr

ImageChooser = Callable[[QWidget], Path | None]


class NoQrInImage(MadoguchiError):
    code = "no_qr_in_image"

    def __init__(self) -> None:
        super().__init__(ja("scan.no_code"), "no QR code found in the image")


def choose_image(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, tr("scan.image_title"), "", "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)"
    )
    return Path(name) if name else None


def read_image(path: Path) -> str:
    """The text of the first QR code in the image (runs on the QR lane)."""
    from devices.qr.images import scan_images

    [codes] = scan_images([path])
    if not codes:
        raise NoQrInImage()
    return codes[0].text


class ScanBox(QWidget):
    scanned = Signal(str)  # the QR's text (digits)
    failed = Signal(object)  # MadoguchiError

    def __init__(
        self,
        ops: Lanes,
        *,
        chooser: ImageChooser = choose_image,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._chooser = chooser
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(tr("scan.placeholder"))
        self.field.setAccessibleName(tr("scan.placeholder"))
        self.field.setMaxLength(8000)
        self.field.returnPressed.connect(self._typed)
        self.image_button = QPushButton(tr("scan.image"), self)
        self.image_button.clicked.connect(self.from_image)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.image_button)

    def _typed(self) -> None:
        text = self.field.text().strip()
        self.field.clear()  # the digits are personal data in ciphertext: do not keep them
        if text:
            self.scanned.emit(text)

    def from_image(self) -> None:
        path = self._chooser(self)
        if path is None:
            return
        self._ops.run(
            QR, lambda: read_image(path), on_success=self.scanned.emit, on_failure=self.failed.emit
        )
