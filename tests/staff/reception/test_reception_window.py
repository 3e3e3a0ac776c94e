"""The reception terminal (pytest-qt, offscreen) against the real back office: sign-in, the live
queue, a record from 受付 to 完了, 差戻し needing a reason, the identity check, reprint, CSV
export, scanning a printed form (keyboard wedge and image file), the call board and totals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import uuid
from pathlib import Path

import pytest
from receptionkit import PASSWORD, personal_strings, sample_for

from kiosk.gui.app import all_texts
from printing.spool import FolderSpooler
from sync.protocol.office import BoardState
from sync.protocol.vocabulary import Status
from tests.kiosk.kioskkit import process_deletes

TIMEOUT = 10_000


@pytest.fixture
def make_window(qtbot, office, ops, print_dir, no_leaked_widgets):  # type: ignore[no-untyped-def]
    from staff.reception.window import ReceptionWindow

    made = []

    def make(**kw):  # type: ignore[no-untyped-def]
        api = office.api("staff")
        window = ReceptionWindow(api, ops, FolderSpooler(print_dir), poll_interval_ms=200, **kw)
        window.resize(1500, 900)
        window.show()
        window.start()
        made.append((window, api))
        return window

    yield make
    for window, api in made:
        window.shutdown()
        window.close()
        window.deleteLater()
        api.logout()
        api.close()
    process_deletes()


def _open(qtbot, window, receipt: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.queue.model.row_of(receipt) is not None, timeout=TIMEOUT)
    window.record.open(receipt)
    qtbot.waitUntil(lambda: window.record.receipt_number == receipt, timeout=TIMEOUT)


def _wait_status(qtbot, window, status: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: window.record.detail is not None and window.record.detail.status.value == status,
        timeout=TIMEOUT,
    )


# -- sign-in ------------------------------------------------------------------------------


def test_sign_in_dialog(qtbot, office, ops, no_leaked_widgets) -> None:  # type: ignore[no-untyped-def]
    from staff.reception.login_dialog import LoginDialog
    from sync.client import OfficeClient

    with OfficeClient(office.url) as api:
        dialog = LoginDialog(api, ops)
        qtbot.addWidget(dialog)
        dialog.submit()
        assert "パスワード" in dialog.error.text()  # nothing typed
        dialog.username.setText("sato")
        dialog.password.setText("wrong password")
        dialog.submit()
        assert dialog.password.text() == ""  # never kept
        qtbot.waitUntil(lambda: "認証情報" in dialog.error.text(), timeout=TIMEOUT)
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORD)
        dialog.submit()
        qtbot.waitUntil(lambda: "staff" in dialog.error.text(), timeout=TIMEOUT)
        assert dialog.signed_in is None
        dialog.username.setText("sato")
        dialog.password.setText(PASSWORD)
        with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
            dialog.submit()
        assert dialog.signed_in is not None and dialog.signed_in.role == "staff"
        ops.wait_idle(5000)


# -- the queue and one record ---------------------------------------------------------------


def test_staff_takes_a_record_from_received_to_done(qtbot, office, make_window, print_dir) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.waitUntil(lambda: window.queue.poller.polls >= 1, timeout=TIMEOUT)
    # live: a record pushed by a kiosk after the window opened appears by itself
    record, receipt = office.submit(reception_number="R-201")
    qtbot.waitUntil(lambda: window.queue.model.row_of(receipt) is not None, timeout=TIMEOUT)
    row = window.queue.model.row_of(receipt)
    assert row is not None
    texts = [window.queue.model.index(row, c).data() for c in range(7)]
    assert texts[0] == receipt and texts[1] == "R-201" and texts[4].endswith("分")
    polls = window.queue.poller.polls
    qtbot.waitUntil(lambda: window.queue.poller.polls >= polls + 2, timeout=TIMEOUT)
    assert window.queue.poller.unchanged >= 1  # 304s while nothing changed

    _open(qtbot, window, receipt)
    view = window.record
    assert view.fields.rowCount() > 0
    shown = [view.fields.item(r, 1).text() for r in range(view.fields.rowCount())]
    assert record.persons[0].name.family in " ".join(shown)  # the form data, as printed
    qtbot.waitUntil(lambda: view.pdf_view.page_count >= 0, timeout=TIMEOUT)
    assert view.pdf is not None and view.pdf.startswith(b"%PDF-")
    assert not view.status_buttons[Status.DONE].isEnabled()

    # identity check: driver's licence, by the signed-in user
    view.document.setCurrentIndex(view.document.findData("drivers_licence"))
    view.identity_button.click()
    qtbot.waitUntil(lambda: "運転免許証" in view.checks.text(), timeout=TIMEOUT)
    assert "user:sato" in view.checks.text()
    # "other" needs the document's name, said on screen before anything is sent
    view.document.setCurrentIndex(view.document.findData("other"))
    view.identity_button.click()
    assert "書類名" in window.message.text()

    view.status_buttons[Status.IN_REVIEW].click()
    _wait_status(qtbot, window, "in_review")
    view.status_buttons[Status.DONE].click()
    _wait_status(qtbot, window, "done")
    assert not any(b.isEnabled() for b in view.status_buttons.values())
    assert not view.call_button.isEnabled()
    history = [view.history.item(i).text() for i in range(view.history.count())]
    assert len(history) == 3 and "user:sato" in history[-1]

    # the queue follows without a manual refresh
    def queue_status() -> str:
        row = window.queue.model.row_of(receipt)
        return "" if row is None else window.queue.model.index(row, 3).data()

    qtbot.waitUntil(lambda: queue_status().startswith("完了"), timeout=TIMEOUT)

    # reprint: the PDF shown goes to the printer (a folder here), off the GUI thread
    view.reprint_button.click()
    qtbot.waitUntil(lambda: "印刷しました" in window.message.text(), timeout=TIMEOUT)
    [printed] = list(print_dir.glob("*.pdf"))
    assert printed.read_bytes() == view.pdf


def test_returning_needs_a_reason_on_screen_and_at_the_server(qtbot, office, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _, receipt = office.submit()
    _open(qtbot, window, receipt)
    view = window.record
    view.status_buttons[Status.RETURNED].click()
    assert window.message.text() == "差戻しには理由が必要です / returning needs a reason"
    with office.api("staff") as check:
        assert check.application(receipt).status.value == "received"
        check.logout()
    view.reason.setPlainText("本人確認書類の写しが不鮮明")
    view.status_buttons[Status.RETURNED].click()
    _wait_status(qtbot, window, "returned")
    history = [view.history.item(i).text() for i in range(view.history.count())]
    assert history[-1].endswith("本人確認書類の写しが不鮮明")
    assert view.reason.toPlainText() == ""


def test_a_status_changed_meanwhile_is_refused_and_reloaded(qtbot, office, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _, receipt = office.submit()
    _open(qtbot, window, receipt)
    other = office.api("staff2")
    try:
        other.change_status(receipt, "in_review")
        other.change_status(receipt, "done")
    finally:
        other.logout()
        other.close()
    window.record.status_buttons[Status.IN_REVIEW].click()  # still enabled: the view is stale
    qtbot.waitUntil(lambda: "変更できません" in window.message.text(), timeout=TIMEOUT)
    _wait_status(qtbot, window, "done")  # reloaded


# -- export ---------------------------------------------------------------------------------


def test_export_saves_the_templates_csv(qtbot, office, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.csv"
    window = make_window(save_chooser=lambda _parent, _name: target)
    _, receipt = office.submit()
    window.export_csv()
    assert "手続きを一つ選んで" in window.message.text()  # "all" cannot be one CSV
    combo = window.queue.procedure_filter
    combo.setCurrentIndex(combo.findData("juminhyo"))
    window.export_csv()
    qtbot.waitUntil(target.exists, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "保存しました" in window.message.text(), timeout=TIMEOUT)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    from forms.catalog import Catalog

    export_columns = [c.column for c in Catalog.builtin().get("juminhyo").export]
    assert rows[0][:1] == ["受付番号"] and rows[0][-len(export_columns) :] == export_columns
    assert receipt in [r[0] for r in rows[1:]]


# -- scanning printed forms ------------------------------------------------------------------


def test_a_scanner_wedge_imports_a_printed_form_once(qtbot, office, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    record = sample_for("juminhyo", 1).model_copy(update={"id": uuid.uuid4()})
    digits = office.data_qr(record, "juminhyo", 1)
    window.scan.field.setFocus()
    qtbot.keyClicks(window.scan.field, digits)
    from PySide6.QtCore import Qt

    qtbot.keyClick(window.scan.field, Qt.Key.Key_Return)
    assert window.scan.field.text() == ""
    qtbot.waitUntil(lambda: "取り込みました" in window.message.text(), timeout=TIMEOUT)
    receipt = window.message.text().split(" ")[0]
    qtbot.waitUntil(lambda: window.record.receipt_number == receipt, timeout=TIMEOUT)
    assert "紙から取り込み" in window.record.paper_note.text()
    assert window.record.pdf is not None and window.record.pdf.startswith(b"%PDF-")  # rebuilt
    qtbot.waitUntil(lambda: window.record.pdf_view.page_count >= 1, timeout=TIMEOUT)

    window.scan.scanned.emit(digits)  # the same paper again
    qtbot.waitUntil(lambda: "既にあります" in window.message.text(), timeout=TIMEOUT)
    assert receipt in window.message.text()
    [synced] = office.push(record, [("juminhyo", 1)])  # the kiosk's sync, late
    assert synced.status.value == "duplicate" and synced.receipt_number == receipt


def test_an_image_of_a_printed_form_opens_the_synced_record(
    qtbot, office, make_window, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from forms.payload import qr_image

    record, receipt = office.submit()
    image = tmp_path / "page.png"
    image.write_bytes(qr_image(office.data_qr(record, "juminhyo", 1)))
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (200, 200), 255).save(blank)
    chosen = [blank, image]
    window = make_window(image_chooser=lambda _parent: chosen.pop(0))
    window.scan.image_button.click()
    qtbot.waitUntil(lambda: "QRコードが見つかりません" in window.message.text(), timeout=TIMEOUT)
    window.scan.image_button.click()
    qtbot.waitUntil(lambda: "既にあります" in window.message.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.record.receipt_number == receipt, timeout=TIMEOUT)
    assert window.record.paper_note.text() == ""


def test_a_bad_scan_says_why(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.scan.scanned.emit("12345678901234567")
    qtbot.waitUntil(lambda: "取り込めません" in window.message.text(), timeout=TIMEOUT)


# -- call board and totals -------------------------------------------------------------------


def test_the_call_board_shows_numbers_and_no_names(qtbot, office, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _, waiting = office.submit(reception_number="B-310")
    _, called = office.submit(reception_number="B-311")
    _open(qtbot, window, called)
    window.record.call_button.click()
    qtbot.waitUntil(lambda: "B-311 を呼び出しました" in window.message.text(), timeout=TIMEOUT)
    board = window.open_call_board()
    qtbot.waitUntil(lambda: "B-311" in board.numbers(BoardState.CALLED), timeout=TIMEOUT)
    assert "B-310" in board.numbers(BoardState.WAITING)
    assert "B-311" not in board.numbers(BoardState.WAITING)
    shown = " ".join(all_texts(board)) + " ".join(label.text() for label in board.shown_labels())
    assert not [s for s in personal_strings() if s in shown]
    assert waiting not in shown and called not in shown  # not even receipt numbers


def test_totals_view_shows_the_known_numbers(qtbot, office, make_window) -> None:  # type: ignore[no-untyped-def]
    day = dt.datetime(2024, 2, 5, 2, 0, tzinfo=dt.UTC)
    m = {
        "step_seconds": {"identify": 12.0, "review": 48.0},
        "typed_chars": 5,
        "prefilled_chars": 95,
    }
    office.submit("kokuho", measurement=m, created_at=day)
    office.submit("kokuho", measurement={**m, "typed_chars": 15}, created_at=day)
    window = make_window()
    window.tabs.setCurrentWidget(window.totals)
    window.totals.set_range(dt.date(2024, 2, 5), dt.date(2024, 2, 5))
    window.totals.show_button.click()
    qtbot.waitUntil(lambda: window.totals.table.rowCount() == 1, timeout=TIMEOUT)
    cells = [window.totals.table.item(0, c).text() for c in range(8)]
    assert cells[0] == "2024-02-05" and cells[2:6] == ["2", "2", "20", "190"]
    assert cells[6] == "90%"
    assert cells[7] == "本人確認 / identification 12.0、内容の確認・入力 / checking and typing 48.0"
    assert "identify" not in cells[7]


# -- sign-out and privacy ------------------------------------------------------------------


def test_sign_out_clears_the_screen_and_logs_hold_no_personal_data(  # type: ignore[no-untyped-def]
    qtbot, office, make_window, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    window = make_window()
    _, receipt = office.submit()
    _open(qtbot, window, receipt)
    assert [s for s in personal_strings() if any(s in t for t in _texts(window))]
    window.record.clear()
    assert not [s for s in personal_strings() if any(s in t for t in _texts(window))]
    assert not [s for s in personal_strings() if s in caplog.text]
    assert not [s for s in personal_strings() if s in office.log_text()]


def _texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    view = window.record
    cells = [
        view.fields.item(r, c).text()
        for r in range(view.fields.rowCount())
        for c in range(2)
        if view.fields.item(r, c) is not None
    ]
    return all_texts(window) + cells
