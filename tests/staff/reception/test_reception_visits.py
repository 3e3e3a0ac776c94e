"""The reception terminal's visits, driven by the keyboard only (QTest key events through the
window's shortcuts), against the real back office: the queue has one row per visit, a visit
opens with its forms as tabs, and a moving-in household's 5 forms (with seal registration)
go from 受付 to 完了 with F2 F3 F4 F6 F8; a second visit has one form returned alone with
Ctrl+R and a typed reason. The server's state is asserted at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from printing.spool import FolderSpooler
from sync.protocol.visits import VisitState
from tests.kiosk.kioskkit import process_deletes

TIMEOUT = 15_000
MOVING_IN = ["idou", "kokuho", "jidou_teate", "inkan", "kodomo_iryo"]
K = Qt.Key


@pytest.fixture
def window(qtbot, office, ops, print_dir, no_leaked_widgets):  # type: ignore[no-untyped-def]
    from staff.reception.window import ReceptionWindow

    api = office.api("staff")
    made = ReceptionWindow(api, ops, FolderSpooler(print_dir), poll_interval_ms=200)
    made.resize(1600, 950)
    made.show()
    made.start()
    made.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is made, timeout=TIMEOUT)
    yield made
    made.shutdown()
    made.close()
    made.deleteLater()
    api.logout()
    api.close()
    process_deletes()


def press(key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key as the keyboard sends it: to the widget that has the focus."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    QTest.keyClick(target, key, modifier)


def type_japanese(text: str) -> None:
    """Japanese as the input method delivers it: one commit into the focused field (QTest's
    key clicks carry Latin-1 only)."""
    from PySide6.QtGui import QInputMethodEvent

    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(QApplication.focusWidget(), event)


def _server_visit(staff_api, visit_id):  # type: ignore[no-untyped-def]
    return staff_api.visit(visit_id)


def test_keyboard_only_takes_a_visit_to_done_and_returns_a_form_alone(  # type: ignore[no-untyped-def]
    qtbot, office, window, staff_api, print_dir: Path
) -> None:
    family, call_number, receipts = office.push_visit(
        "yoshino_household", MOVING_IN, reception_number="KB-0001"
    )
    single, _number, single_receipts = office.push_visit(
        "smith_john", ["juminhyo", "inkan"], reception_number="KB-0002"
    )
    queue = window.visits
    qtbot.waitUntil(lambda: queue.model.row_of(single.id) is not None, timeout=TIMEOUT)
    # one row per visit: call number, procedures, people, wait, state (symbol and words)
    row = queue.model.row_of(family.id)
    assert row is not None
    texts = [queue.model.index(row, c).data() for c in range(5)]
    assert texts[0] == call_number
    assert texts[1].startswith("(5) ") and texts[1].count("、") == 4 and "印鑑登録" in texts[1]
    assert texts[2] == f"{len(family.persons)}人"
    assert texts[3].endswith("分")
    assert texts[4].startswith("○ 受付待ち")
    assert queue.model.index(row, 4).data(Qt.ItemDataRole.BackgroundRole) is not None

    # focus order: Tab leaves the table
    queue.table.setFocus()
    press(K.Key_Tab)
    assert not isinstance(QApplication.focusWidget(), QTableView)

    # ? overlay: F1 shows every shortcut, any key closes it
    press(K.Key_F1)
    assert window.overlay.isVisible()
    shown = " ".join(label.text() for label in window.overlay.findChildren(type(window.message)))
    for words in ("次の来庁", "呼出し", "審査開始", "すべて完了", "差戻し", "再印刷", "スキャン"):
        assert words in shown, words
    press(K.Key_Escape)
    assert not window.overlay.isVisible()

    # F2: the oldest visit nobody has started on opens (the shared office may hold older ones)
    view = window.visit
    oldest = queue.next_visit()
    press(K.Key_F2)
    qtbot.waitUntil(lambda: view.visit_id == oldest, timeout=TIMEOUT)
    # Esc: back in the list; the arrow keys and Enter open the household's visit, its forms
    # as tabs
    press(K.Key_Escape)
    assert QApplication.focusWidget() is queue.table
    press(K.Key_End, Qt.KeyboardModifier.ControlModifier)  # the last row
    press(K.Key_Up)
    press(K.Key_Return)
    qtbot.waitUntil(lambda: view.visit_id == family.id, timeout=TIMEOUT)
    assert view.tabs.count() == 5
    assert [t.receipt_number for t in view.form_tabs()] == receipts
    qtbot.waitUntil(lambda: view.form_tabs()[0].pdf is not None, timeout=TIMEOUT)

    def wait_state(visit_id, state: VisitState) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(
            lambda: not view.busy and view.visit is not None and view.visit.state is state,
            timeout=TIMEOUT,
        )
        assert _server_visit(staff_api, visit_id).state is state

    press(K.Key_F3)  # call
    wait_state(family.id, VisitState.CALLED)
    press(K.Key_F4)  # start review: 5 forms to 審査中
    wait_state(family.id, VisitState.IN_REVIEW)
    press(K.Key_F8)  # all done without an identity check: the server refuses
    qtbot.waitUntil(lambda: "本人確認" in window.message.text(), timeout=TIMEOUT)
    assert receipts[0] in window.message.text()
    press(K.Key_F6)  # identity check (My Number Card, the default), once for the visit
    qtbot.waitUntil(lambda: view.visit is not None and view.visit.identity_checked, timeout=TIMEOUT)
    press(K.Key_P, Qt.KeyboardModifier.ControlModifier)  # reprint the form shown
    qtbot.waitUntil(lambda: any(print_dir.glob("*.pdf")), timeout=TIMEOUT)
    press(K.Key_F8)  # すべて完了
    wait_state(family.id, VisitState.DONE)
    done = _server_visit(staff_api, family.id)
    for form in done.applications:
        assert [h.to_status.value for h in form.history] == ["received", "in_review", "done"]
        assert [c.document.value for c in form.identity_checks] == ["my_number_card"]

    # the next visit (the last row); one form returned alone with Ctrl+R and a typed reason
    press(K.Key_Escape)
    press(K.Key_End, Qt.KeyboardModifier.ControlModifier)
    press(K.Key_Return)
    qtbot.waitUntil(lambda: view.visit_id == single.id and not view.busy, timeout=TIMEOUT)
    press(K.Key_F4)
    wait_state(single.id, VisitState.IN_REVIEW)
    press(K.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # the second tab: 印鑑登録
    assert view.current_tab() is not None
    assert view.current_tab().receipt_number == single_receipts[1]
    press(
        K.Key_R, Qt.KeyboardModifier.ControlModifier
    )  # no reason yet: the focus goes to the reason
    assert QApplication.focusWidget() is view.current_tab().reason
    type_japanese("印鑑を持参してください")
    press(K.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: staff_api.application(single_receipts[1]).status.value == "returned",
        timeout=TIMEOUT,
    )
    qtbot.waitUntil(
        lambda: not view.busy and view.visit.forms[1].status.value == "returned", timeout=TIMEOUT
    )
    press(K.Key_F6)
    qtbot.waitUntil(lambda: view.visit is not None and view.visit.identity_checked, timeout=TIMEOUT)
    press(K.Key_F8)
    qtbot.waitUntil(
        lambda: staff_api.application(single_receipts[0]).status.value == "done", timeout=TIMEOUT
    )
    final = _server_visit(staff_api, single.id)
    assert {f.receipt_number: f.status.value for f in final.forms} == {
        single_receipts[0]: "done",
        single_receipts[1]: "returned",
    }
    assert final.applications[1].return_reason == "印鑑を持参してください"

    # F7: the scan field, ready for a keyboard-wedge scanner; Esc: back to the visit list
    press(K.Key_F7)
    assert QApplication.focusWidget() is window.scan.field
    press(K.Key_Escape)
    assert QApplication.focusWidget() is queue.table
    window.visit.clear()
