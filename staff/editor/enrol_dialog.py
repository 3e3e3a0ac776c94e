"""The editor's "enrol a terminal" dialog: a one-time code and its QR code for a new machine.

The admin names the new kiosk or reception terminal; the back office makes a code that is good
once, for 10 minutes. The dialog shows it large, with a QR code that carries the server's URL
as well: on the new machine `madoguchi kiosk enrol` (or `staff enrol`) takes the code typed,
or reads the QR code from this screen. The code is not kept once the dialog closes.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.errors import MadoguchiError
from forms.text import Text
from sync.protocol.enrolment import EnrolmentCreated, qr_text

ROLES = [("kiosk", "窓口端末 / kiosk"), ("reception", "受付端末 / reception terminal")]
Request = Callable[
    [str, str, Callable[[EnrolmentCreated], None], Callable[[MadoguchiError], None]], None
]


def qr_pixmap(text: str, box_size: int = 8) -> QPixmap:
    """The QR code of `text` as a pixmap (qrcode + Pillow, as PNG)."""
    import qrcode

    code = qrcode.QRCode(box_size=box_size, border=4)
    code.add_data(text)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class EnrolDialog(QDialog):
    """`request(name, role, on_done, on_failed)` runs the back-office call off the GUI thread."""

    def __init__(self, server_url: str, request: Request, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("端末の登録 / Enrol a terminal")
        self.server_url = server_url
        self._request = request
        self.created: EnrolmentCreated | None = None

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("kiosk-2f-1")
        self.name_edit.setAccessibleName("端末名 / terminal name")
        self.role_box = QComboBox(self)
        for value, label in ROLES:
            self.role_box.addItem(label, value)
        self.create_button = QPushButton("コードを作る / Make the code", self)
        self.create_button.clicked.connect(self.create_code)
        form = QFormLayout()
        form.addRow("端末名 / Name", self.name_edit)
        form.addRow("種類 / Role", self.role_box)

        self.code_label = QLabel("", self)
        font = QFont(self.code_label.font())
        font.setPointSize(28)
        font.setFamily("monospace")
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.qr_label = QLabel(self)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info_label = QLabel("", self)
        self.info_label.setWordWrap(True)
        close = QPushButton("閉じる / Close", self)
        close.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        layout.addWidget(self.code_label, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.qr_label, 1)
        layout.addWidget(self.info_label)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def create_code(self) -> None:
        name = self.name_edit.text().strip()
        role = str(self.role_box.currentData())
        self.create_button.setEnabled(False)
        self.info_label.setText("作成中… / making the code…")
        self._request(name, role, self.show_code, self.show_error)

    def show_code(self, created: EnrolmentCreated) -> None:
        self.created = created
        self.create_button.setEnabled(True)
        self.code_label.setText(created.code)
        self.qr_label.setPixmap(qr_pixmap(qr_text(self.server_url, created.code)))
        command = "kiosk" if created.role.value == "kiosk" else "staff"
        expires = created.expires_at.astimezone().strftime("%H:%M")
        self.info_label.setText(
            f"{created.name}: 新しい端末で madoguchi {command} enrol を実行し、このコードを入力するか"
            f" QR コードを読み取ってください（{expires} まで・1回限り）\n"
            f"On the new machine run `madoguchi {command} enrol` and type this code or scan the"
            f" QR code (until {expires}, once)."
        )

    def show_error(self, error: MadoguchiError) -> None:
        self.create_button.setEnabled(True)
        self.info_label.setText(str(Text(ja=error.ja, en=error.en)))
