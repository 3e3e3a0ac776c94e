"""The editor's enrolment dialog: the code, large, and a QR code the new machine can read."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from devices.qr import FrameReader
from forms.errors import MadoguchiError
from staff.editor.enrol_dialog import EnrolDialog
from sync.protocol.enrolment import EnrolmentCreated, parse_qr_text
from sync.protocol.vocabulary import Role


def test_the_dialog_shows_the_code_and_a_readable_qr(qtbot) -> None:  # type: ignore[no-untyped-def]
    asked: list[tuple[str, str]] = []

    def request(name, role, done, failed) -> None:  # type: ignore[no-untyped-def]
        asked.append((name, role))
        done(
            EnrolmentCreated(
                name=name,
                role=Role(role),
                code="K7QM-4XT2-9PZR-H3C8",
                expires_at=dt.datetime(2026, 12, 2, 9, 10, tzinfo=dt.UTC),
            )
        )

    dialog = EnrolDialog("https://office.example:8700", request)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("kiosk-2f-1")
    dialog.role_box.setCurrentIndex(1)
    dialog.create_code()
    assert asked == [("kiosk-2f-1", "reception")]
    assert dialog.code_label.text() == "K7QM-4XT2-9PZR-H3C8"
    assert "madoguchi staff enrol" in dialog.info_label.text()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    dialog.qr_label.pixmap().save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(data.data()))).convert("L")
    [found] = FrameReader(gated=False).read(picture)
    assert parse_qr_text(found.text) == ("https://office.example:8700", "K7QM4XT29PZRH3C8")


def test_a_refusal_is_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    def request(name, role, done, failed) -> None:  # type: ignore[no-untyped-def]
        failed(MadoguchiError("端末名が使われています", "the name is taken"))

    dialog = EnrolDialog("https://office.example", request)
    qtbot.addWidget(dialog)
    dialog.create_code()
    assert "the name is taken" in dialog.info_label.text() and dialog.create_button.isEnabled()
    assert dialog.code_label.text() == ""
