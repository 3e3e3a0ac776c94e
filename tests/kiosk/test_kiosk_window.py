"""The resident kiosk window under pytest-qt (offscreen), on the real parts of the demo kit:
the in-process virtual card behind the card thread, the QR codec, the real confirm step
(outbox + PDF) and a folder printer; fakes only where a failure must be provoked."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from kioskkit import SAMPLE_STRINGS, FakeClock, FakePrinter, texts_with_samples
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

from devices.card import CardService
from devices.card.virtual import VirtualBackend
from forms.payload import encode_payload, qr_image
from forms.sample_records import load_sample as sample_record
from kiosk.demo import answer_from
from kiosk.flow import Method, Step
from kiosk.gui.app import all_texts
from kiosk.gui.screens.overlays import CancelConfirmScreen
from kiosk.gui.scripted import run_scripted, sign_programmatically, walk_review
from kiosk.i18n import Pair
from kiosk.ports import KioskServices
from kiosk.services import CardServiceReader
from printing.errors import PrinterStopped
from sync.protocol import Mode

WAIT_MS = 15000


def start_procedure(window, procedure: str, method: Method) -> None:
    window.screens[Step.WELCOME].start_button.click()
    procedures = window.screens[Step.PROCEDURES]
    procedures.buttons[procedure].setChecked(True)
    procedures.next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[method].click()


def enter_pin(qtbot, window, pin: str) -> None:
    flow = window.flow
    qtbot.waitUntil(lambda: flow.tries_left is not None or flow.step is Step.ERROR, timeout=WAIT_MS)
    if flow.step is Step.ERROR:
        return
    screen = window.screens[Step.PIN]
    for digit in pin:
        screen.pad.press(digit)
    screen.read_button.click()


def card_to_review(qtbot, window, kit, procedure: str = "juminhyo") -> None:
    start_procedure(window, procedure, Method.CARD)
    enter_pin(qtbot, window, kit.profile.pin)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)


def review_to_done(qtbot, window) -> None:
    flow = window.flow
    answer_from(flow, sample_record("mihon_showa_last_day"))
    walk_review(window)
    assert flow.step is Step.SIGN
    sign = window.screens[Step.SIGN]
    assert not sign.ok_button.isEnabled()  # nothing drawn yet
    sign_programmatically(sign.pad)
    sign.ok_button.click()
    window.screens[Step.CONFIRM].ok_button.click()
    qtbot.waitUntil(lambda: flow.step in (Step.DONE, Step.ERROR), timeout=WAIT_MS)


def hold_staff_corner(qtbot, window) -> None:
    """Staff hold the top-left corner for three seconds."""
    from kiosk.gui.app import STAFF_HOLD_MS

    qtbot.mousePress(window.staff_corner, Qt.MouseButton.LeftButton)
    qtbot.wait(STAFF_HOLD_MS // 2)
    assert window.overlay is None  # not yet
    qtbot.waitUntil(lambda: window.overlay is not None, timeout=STAFF_HOLD_MS * 2)
    qtbot.mouseRelease(window.staff_corner, Qt.MouseButton.LeftButton)


def assert_wiped(window) -> None:
    assert window.flow.step is Step.WELCOME and window.flow.record is None
    assert texts_with_samples(window) == []
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == ""


# ---- the whole flow, each identify method ----------------------------------------------


def test_card_flow_moving_in_bundle_prints_and_queues(qtbot, make_window, kit, caplog):
    caplog.set_level(logging.DEBUG)
    window = make_window()
    result = run_scripted(window, kit, screenshots=False)
    flow = window.flow
    assert flow.step is Step.DONE
    done = window.screens[Step.DONE]
    assert done.number.text() == "K-001"  # no back office: the kiosk's own letter
    assert result.reception_number in done.reception.pair.lead
    assert len(result.printed) == 2  # the application and the slip
    for path in result.printed:
        assert Path(path).read_bytes().startswith(b"%PDF")
    pending = kit.outbox.pending()
    assert len(pending) == len(kit.catalog.bundle("moving_in").templates)  # one row per form
    (entry,) = kit.metrics.entries()
    assert entry.method == "card" and entry.prefilled_chars > 0
    window.screens[Step.DONE].finish_button.click()
    assert_wiped(window)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [s for s in SAMPLE_STRINGS if s in logged]
    assert kit.profile.pin not in logged


def test_qr_flow_from_wedge_keystrokes(qtbot, make_window, kit):
    window = make_window()
    sample = sample_record("mihon_showa_last_day")
    digits = kit.payload_for(sample, [kit.catalog.get("juminhyo")])
    start_procedure(window, "juminhyo", Method.QR)
    scanner = window.screens[Step.QR].scanner
    assert scanner.hasFocus()
    assert not scanner.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    window.wedge.clock = FakeClock()  # QTest's synchronous keys: no OS pause splits the burst
    qtbot.keyClicks(scanner, digits)
    qtbot.keyClick(scanner, Qt.Key.Key_Return)
    assert scanner.text() == ""  # the payload does not linger in the widget
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert window.flow.error_count() == 0
    editor = window.screens[Step.REVIEW].editors["person[0].name"]
    assert editor.family.text() == "見本"
    review_to_done(qtbot, window)
    assert window.flow.step is Step.DONE


def test_qr_flow_from_a_camera_frame(qtbot, make_window, kit):
    window = make_window()
    sample = sample_record("mihon_showa_last_day")
    png = qr_image(kit.payload_for(sample, [kit.catalog.get("juminhyo")]), box_size=4)
    start_procedure(window, "juminhyo", Method.QR)
    window.decode_qr_frame(png)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert window.flow.metrics.method == "qr"


def test_typing_flow_with_the_review_widgets(qtbot, make_window, kit):
    window = make_window()
    start_procedure(window, "juminhyo", Method.TYPING)
    flow = window.flow
    assert flow.step is Step.REVIEW
    review = window.screens[Step.REVIEW]
    name = review.editors["person[0].name"]
    for edit, text in ((name.family, "見本"), (name.given, "昭子")):
        edit.setFocus()
        edit.insert(text)  # kanji arrive through the input method, not as key events
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert flow.record.persons[0].name.full == "見本\u3000昭子"
    flow.review_show("address_current")
    address = review.editors["address.current"]
    address.postal.setFocus()
    qtbot.keyClicks(address.postal, "1000014")
    # keys typed at machine speed are held by the wedge filter until it sees no Enter follows
    qtbot.waitUntil(lambda: address.postal.text() == "1000014", timeout=WAIT_MS)
    address.lookup_button.click()
    assert (address.prefecture.text(), address.city.text()) == ("東京都", "千代田区")
    assert flow.record.addresses["current"].city == "千代田区"
    typed_before = flow.metrics.typed_chars
    assert typed_before >= len("見本昭子") + 7
    review_to_done(qtbot, window)
    assert flow.step is Step.DONE
    assert kit.metrics.entries()[-1].method == "typing"


def test_kana_keyboard_types_katakana_with_marks_and_small_kana(qtbot, make_window, kit):
    from kiosk.gui.widgets.kana_keyboard import KanaKeyboard

    window = make_window()
    keyboard = KanaKeyboard(window.tr)
    qtbot.addWidget(keyboard)
    target = QLineEdit()
    qtbot.addWidget(target)
    keyboard.set_target(target)
    keys = {getattr(b, "pair", None) or b.text(): b for b in keyboard.findChildren(QAbstractButton)}
    for key in ("ヤ", "マ", "タ", "゛", "キ", "ヨ", "小", "ウ"):
        keys[key if key != "小" else window.tr.pair("kana.small")].click()
    assert target.text() == "ヤマダキョウ"
    keys[window.tr.pair("kana.delete")].click()
    assert target.text() == "ヤマダキョ"


# ---- error screens ---------------------------------------------------------------------


def test_no_reader_shows_the_error_screen(qtbot, make_window, kit):
    service = CardService(VirtualBackend({}), poll_interval=0.1).start()
    try:
        services = KioskServices(
            card=CardServiceReader(service),
            qr=None,
            confirmer=kit.services.confirmer,
            printer=kit.services.printer,
        )
        window = make_window(services=services)
        start_procedure(window, "juminhyo", Method.CARD)
        qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
        error = window.screens[Step.ERROR]
        # the machine's problem, not the resident's: no technical words, call staff
        assert error.message.pair == window.tr.pair("error.machine_title")
        assert error.advice.pair == window.tr.pair("error.machine")
        assert error.call_button.isVisible() and not error.detail.isVisible()
        error.retry_button.click()
        assert window.flow.step is Step.IDENTIFY
    finally:
        service.close()


def test_wrong_pin_shows_tries_left_on_the_pad(qtbot, make_window, kit):
    window = make_window()
    start_procedure(window, "juminhyo", Method.CARD)
    screen = window.screens[Step.PIN]
    three = window.tr.pair("pin.tries", tries=3)
    qtbot.waitUntil(lambda: screen.tries.pair == three, timeout=WAIT_MS)
    enter_pin(qtbot, window, "0000")
    qtbot.waitUntil(lambda: window.flow.tries_left == 2, timeout=WAIT_MS)
    assert window.flow.step is Step.PIN
    assert screen.error.isVisible() and "残り2回" in screen.error.pair.lead
    assert "wrong PIN" in screen.error.pair.second
    assert not screen.status.isVisible()  # no "reading…" beside the wrong-PIN message
    assert screen.pad.entry.text() == ""  # the PIN never stays in the widget


def test_blocked_card_shows_the_error_screen(qtbot, make_window, kit):
    kit.remove_card()
    kit.insert_card(tries=0)
    window = make_window()
    start_procedure(window, "juminhyo", Method.CARD)
    qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
    error = window.screens[Step.ERROR]
    assert error.advice.pair == window.tr.pair("error.card_pin_blocked")
    assert "ロック" in error.message.pair.lead and "blocked" in error.message.pair.second


def test_last_try_asks_before_spending_it(qtbot, make_window, kit):
    kit.remove_card()
    card = kit.insert_card(tries=1)
    window = make_window()
    start_procedure(window, "juminhyo", Method.CARD)
    screen = window.screens[Step.PIN]
    qtbot.waitUntil(lambda: window.flow.tries_left == 1, timeout=WAIT_MS)
    assert screen.last_try.isVisible()
    assert not screen.pad.isEnabled() and not screen.read_button.isEnabled()
    screen.last_try_yes.click()
    assert not screen.last_try.isVisible() and screen.pad.isEnabled()
    enter_pin(qtbot, window, "0000")
    qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
    assert window.flow.error.error.code == "card_pin_blocked"
    assert card.pin.tries == 0


def test_last_try_declined_goes_back_without_a_verify(qtbot, make_window, kit):
    kit.remove_card()
    card = kit.insert_card(tries=1)
    window = make_window()
    start_procedure(window, "juminhyo", Method.CARD)
    qtbot.waitUntil(lambda: window.flow.tries_left == 1, timeout=WAIT_MS)
    window.screens[Step.PIN].last_try_no.click()
    assert window.flow.step is Step.IDENTIFY
    assert card.pin.tries == 1


def test_printer_stopped_shows_what_to_do_and_retry_prints(qtbot, make_window, kit):
    printer = FakePrinter(errors=[PrinterStopped("PDF")])
    services = KioskServices(
        card=kit.services.card,
        qr=None,
        confirmer=kit.services.confirmer,
        printer=printer,
        desk=kit.services.desk,
    )
    window = make_window(services=services)
    card_to_review(qtbot, window, kit)
    review_to_done(qtbot, window)
    assert window.flow.step is Step.ERROR
    error = window.screens[Step.ERROR]
    assert error.message.pair == window.tr.pair("error.machine_title")
    assert error.advice.pair == window.tr.pair("error.machine")
    shown = " ".join(t for t in all_texts(window) if t)
    assert "cupsenable" not in shown and "トナー" not in shown and "printer_stopped" not in shown
    # the reception hears of it by itself (kept: no back office in this test)
    qtbot.waitUntil(lambda: kit.desk.pending() == 1, timeout=WAIT_MS)
    (alert,) = kit.outbox.pending_alerts()
    assert '"kind":"printer"' in alert.body and "printer_stopped" in alert.body
    error.retry_button.click()
    qtbot.waitUntil(lambda: window.flow.step is Step.DONE, timeout=WAIT_MS)
    assert len(printer.printed) == 2
    assert len(kit.outbox.pending()) == 1  # confirmed once, printed twice: no duplicate row


def test_invalid_field_shows_inline_error_and_blocks_signing(qtbot, make_window, kit):
    window = make_window()
    card_to_review(qtbot, window, kit, "bundle:moving_in")
    review = window.screens[Step.REVIEW]
    window.flow.review_show("contact")
    phone = next(e for e in review.editors.values() if e.spec.type == "phone")
    phone.edit.setFocus()
    qtbot.keyClicks(phone.edit, "abc")
    qtbot.keyClick(phone.edit, Qt.Key.Key_Return)
    assert not phone.error_label.isVisible()  # nothing red before 次へ
    review.next_button.click()
    assert window.flow.step is Step.REVIEW and window.flow.review_page().id == "contact"
    assert phone.error_label.isVisible()
    assert phone.error_label.pair == Pair("電話番号の形式が正しくありません", "not a phone number")
    assert review.summary.isVisible()
    assert review.summary.pair == window.tr.pair("review.fix_page", count=1)


def test_expired_qr_shows_the_error_screen(qtbot, make_window, kit):
    window = make_window()
    sample = sample_record("mihon_showa_last_day")
    digits = encode_payload(
        sample,
        [("juminhyo", kit.catalog.get("juminhyo").version)],
        signing_key=kit.signing_key,
        counter_public_key=kit.keys.counter_private.public_key(),
        issued_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
        ttl=dt.timedelta(days=1),
    )
    start_procedure(window, "juminhyo", Method.QR)
    scanner = window.screens[Step.QR].scanner
    qtbot.keyClicks(scanner, digits)
    qtbot.keyClick(scanner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
    error = window.screens[Step.ERROR]
    assert error.advice.pair == window.tr.pair("error.qr")
    error.retry_button.click()
    assert window.flow.step is Step.QR


# ---- wipes -----------------------------------------------------------------------------


def test_wipe_on_inactivity_with_a_visible_countdown(qtbot, make_window, kit):
    clock = FakeClock()
    window = make_window(flow=kit.make_flow(clock=clock))
    card_to_review(qtbot, window, kit)
    QGuiApplication.clipboard().setText("見本 昭子")
    assert texts_with_samples(window)
    clock.advance(85)
    window._on_tick()
    assert window.countdown.isVisible()
    assert "5" in window.countdown.text()
    clock.advance(6)
    window._on_tick()
    assert_wiped(window)
    assert not window.countdown.isVisible()


def test_wipe_when_the_card_is_removed(qtbot, make_window, kit):
    window = make_window()
    card_to_review(qtbot, window, kit)
    assert texts_with_samples(window)
    kit.remove_card()
    qtbot.waitUntil(lambda: window.flow.step is Step.WELCOME, timeout=WAIT_MS)
    assert_wiped(window)


def test_wipe_on_cancel_from_review(qtbot, make_window, kit):
    window = make_window()
    card_to_review(qtbot, window, kit)
    review = window.screens[Step.REVIEW]
    review.editors["person[0].name"].family.setFocus()
    window.cancel_button.click()
    assert window.flow.step is Step.REVIEW  # asked first: nothing is gone yet
    assert isinstance(window.overlay, CancelConfirmScreen)
    window.overlay.keep_button.click()
    assert window.flow.step is Step.REVIEW and window.overlay is None
    assert review.editors["person[0].name"].family.text() == "見本"
    window.cancel_button.click()
    window.overlay.cancel_button.click()
    assert_wiped(window)
    assert review not in window.screens.values()  # every screen was rebuilt


def test_a_late_card_result_after_cancel_is_dropped(qtbot, make_window, kit):
    window = make_window()
    start_procedure(window, "juminhyo", Method.CARD)
    enter_pin(qtbot, window, kit.profile.pin)
    window.cancel_button.click()  # while the read is under way
    window.overlay.cancel_button.click()
    assert window.ops.wait_idle(5000)
    qtbot.wait(50)
    assert_wiped(window)


# ---- staff mode ------------------------------------------------------------------------


def test_staff_mode_unlock_and_the_record_notes_it(qtbot, make_window, kit, fake_confirmer):
    services = KioskServices(
        card=kit.services.card,
        qr=None,
        confirmer=fake_confirmer,
        printer=FakePrinter(),
    )
    window = make_window(services=services)
    assert not window.staff_button.isVisible()  # staff mode is not among the resident's buttons
    hold_staff_corner(qtbot, window)
    overlay = window._overlay
    assert window.stack.currentWidget() is overlay
    for digit in "1111":
        overlay.pad.press(digit)
    overlay.unlock_button.click()
    assert overlay.error.pair.lead == "職員用暗証番号が違います" and overlay.error.pair.second
    for digit in "246813":
        overlay.pad.press(digit)
    overlay.unlock_button.click()
    assert window.flow.mode is Mode.STAFF
    assert window.staff_button.isVisible()
    assert window.staff_button.pair == window.tr.pair("staff.lock")
    card_to_review(qtbot, window, kit)
    review_to_done(qtbot, window)
    assert window.flow.step is Step.DONE
    (call,) = fake_confirmer.calls
    assert call["mode"] == "staff" and call["record_mode"] == "staff"
    assert call["measurement"]["step_seconds"]
    window.screens[Step.DONE].finish_button.click()
    welcome = window.screens[Step.WELCOME]
    assert welcome.totals.isVisible() and "1" in welcome.totals.text()
    window.staff_button.click()
    assert window.flow.mode is Mode.RESIDENT


def test_staff_unlock_locks_after_five_wrong_pins(qtbot, make_window, kit):
    from kiosk.flow import KioskFlow
    from kiosk.staff_mode import hash_staff_pin

    clock = FakeClock()
    flow = KioskFlow(kit.catalog, clock=clock, staff_pin_hash=hash_staff_pin("246813"))
    window = make_window(flow=flow)
    hold_staff_corner(qtbot, window)
    overlay = window._overlay

    def unlock(pin: str) -> None:
        for digit in pin:
            overlay.pad.press(digit)
        overlay.unlock_button.click()

    for _ in range(5):
        unlock("1111")
    assert overlay.error.pair.lead.startswith("職員用暗証番号を5回間違えたため")
    assert "5分後" in overlay.error.pair.lead and "in 5 min" in overlay.error.pair.second
    unlock("246813")  # locked: the right PIN is refused too
    assert window._overlay is overlay and flow.mode is Mode.RESIDENT
    clock.advance(301)
    unlock("246813")
    assert window._overlay is None and flow.mode is Mode.STAFF


# ---- look and feel ---------------------------------------------------------------------


def test_english_toggle_bigger_text_and_high_contrast(qtbot, make_window, kit):
    window = make_window()
    assert window.language_button.pair == Pair("ことば", "Language")
    window.toggle_language()  # English leads; Japanese stays beside it
    assert window.screens[Step.WELCOME].start_button.pair == Pair("Start", "はじめる")
    assert window.language_button.pair == Pair("Language", "ことば")
    size = window.font().pixelSize()
    window.bigger_button.click()
    assert window.font().pixelSize() > size
    window.contrast_button.click()
    assert "#FFFF00" in window.styleSheet()
    window.toggle_language()
    assert window.screens[Step.WELCOME].start_button.pair == Pair("はじめる", "Start")


def test_language_toggle_keeps_the_review_state(qtbot, make_window, kit):
    window = make_window()
    card_to_review(qtbot, window, kit)
    window.toggle_language()
    review = window.screens[Step.REVIEW]
    assert review.page_title.pair == Pair("About you", "あなたのこと")
    assert review.editors["person[0].name"].family.text() == "見本"


def _controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QCheckBox)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds)]


def test_every_control_has_an_accessible_name_and_takes_keyboard_focus(qtbot, make_window, kit):
    window = make_window()
    card_to_review(qtbot, window, kit, "bundle:moving_in")
    checked = 0
    for screen in window.screens.values():
        for control in _controls(screen):
            assert control.accessibleName(), (
                type(screen).__name__,
                control.text() if hasattr(control, "text") else "",
            )
            assert control.focusPolicy() & Qt.FocusPolicy.TabFocus
            checked += 1
    for control in _controls(window.top_bar):
        assert control.accessibleName()
    assert checked > 50


def test_the_review_can_be_walked_with_the_tab_key(qtbot, make_window, kit):
    window = make_window()
    card_to_review(qtbot, window, kit)
    seen = set()
    for _ in range(60):
        focused = QGuiApplication.focusObject()
        seen.add(id(focused))
        window.focusNextChild()
    assert window.screens[Step.REVIEW].next_button.hasFocus() or len(seen) > 10


def test_qr_flow_from_a_serial_scanner_on_a_pty(qtbot, make_window, kit):
    import os

    from devices.qr import SerialScanner

    master, slave = os.openpty()
    scanner = SerialScanner(os.ttyname(slave), poll_interval=0.02)
    try:
        services = KioskServices(
            card=kit.services.card,
            qr=kit.services.qr,
            confirmer=kit.services.confirmer,
            printer=kit.services.printer,
            scanner=scanner,
        )
        window = make_window(services=services)
        sample = sample_record("mihon_showa_last_day")
        digits = kit.payload_for(sample, [kit.catalog.get("juminhyo")])
        os.write(master, b"0123456789\r\n")  # taken at welcome already: not ours, refused
        qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
        assert window.flow.error.error.code == "payload_not_ours"
        assert window.flow.error.retry_step is Step.QR
        os.write(master, digits.encode("ascii") + b"\r\n")  # the error of a QR takes a QR
        qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
        assert window.flow.error_count() == 0
        assert [t.id for t in window.flow.templates] == ["juminhyo"]  # named by the code
        before = window.flow.record.model_dump()
        os.write(master, digits.encode("ascii") + b"\r\n")  # the review takes no QR
        qtbot.wait(300)
        assert window.flow.step is Step.REVIEW
        assert window.flow.record.model_dump() == before
    finally:
        scanner.close()
        os.close(master)
        os.close(slave)


def test_an_unplugged_serial_scanner_shows_its_error_once(qtbot, make_window, kit, caplog):
    import os

    from devices.qr import SerialScanner

    master, slave = os.openpty()
    scanner = SerialScanner(os.ttyname(slave), poll_interval=0.02)
    try:
        services = KioskServices(
            card=kit.services.card,
            qr=kit.services.qr,
            confirmer=kit.services.confirmer,
            printer=kit.services.printer,
            scanner=scanner,
        )
        window = make_window(services=services)
        assert window.flow.step is Step.WELCOME
        with caplog.at_level(logging.WARNING, logger="kiosk.gui.app"):
            os.close(master)  # the scanner's cable is pulled
            master = -1
            qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
        assert scanner.failed is not None
        error = window.flow.error
        assert error.error.code == "qr_scanner_lost" and error.retry_step is Step.WELCOME
        screen = window.screens[Step.ERROR]
        assert screen.message.pair == window.tr.pair("error.machine_title")
        assert screen.advice.pair == window.tr.pair("error.machine")
        assert screen.call_button.isVisible()
        assert not window._scanner_poll.isActive()  # no longer polled
        (record,) = [r for r in caplog.records if "scanner" in r.getMessage()]
        assert record.getMessage() == f"QR scanner failed: {type(scanner.failed).__name__}"
        screen.retry_button.click()  # the card and typing still work; shown only once
        assert window.flow.step is Step.WELCOME
        window.screens[Step.WELCOME].start_button.click()
        qtbot.wait(300)
        assert window.flow.step is Step.PROCEDURES
    finally:
        scanner.close()
        if master >= 0:
            os.close(master)
        os.close(slave)


def test_a_bundles_optional_form_is_a_toggle_under_the_bundle(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    screen = window.screens[Step.PROCEDURES]
    catalog = kit.catalog
    options = {
        (f"bundle:{b.id}", t) for b in catalog.bundles() for t in b.optional
    }  # every optional form of every shipped bundle has its toggle, and nothing else
    assert set(screen.optional_buttons) == options
    toggle = screen.optional_buttons[("bundle:moving_in", "inkan")]
    assert "印鑑登録もする" in toggle.pair.lead and "Also register a seal" in toggle.pair.second
    assert toggle.accessibleName() == toggle.pair.joined()
    assert toggle.focusPolicy() != Qt.FocusPolicy.NoFocus
    bundle = screen.buttons["bundle:moving_in"]
    required_fee = sum(catalog.get(t).fee_yen or 0 for t in catalog.bundle("moving_in").templates)
    inkan_fee = catalog.get("inkan").fee_yen or 0
    toggle.setChecked(True)  # opting in chooses the event too
    assert bundle.isChecked()
    assert screen.total.pair == window.tr.pair_of(
        lambda t: t("procedures.total", fee=t.yen(required_fee + inkan_fee))
    )
    bundle.setChecked(False)  # and leaving the event leaves its option
    assert not toggle.isChecked()
    toggle.setChecked(True)
    screen.next_button.click()
    assert [t.id for t in window.flow.templates] == [
        *catalog.bundle("moving_in").templates,
        "inkan",
    ]


def test_without_the_toggle_the_bundle_has_only_its_own_forms(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    screen = window.screens[Step.PROCEDURES]
    screen.buttons["bundle:moving_in"].setChecked(True)
    screen.next_button.click()
    assert [t.id for t in window.flow.templates] == kit.catalog.bundle("moving_in").templates
