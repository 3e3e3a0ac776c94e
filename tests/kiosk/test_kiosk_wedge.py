"""The keyboard-wedge key filter (kiosk.gui.wedge_filter) with pytest-qt key events.

Unit tests drive one filter over a small window with a fake clock (scanner speed: 4 ms apart;
a person: 150 ms); the window tests use the real clock, where QTest's key clicks arrive at
machine speed (a burst) and a person's keys are separated by real waits.
"""

from __future__ import annotations

import pytest
from kioskkit import FakeClock, texts_with_samples
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from devices.qr.wedge import WedgeDetector
from forms.sample_records import load_sample as sample_record
from kiosk.flow import Method, Step
from kiosk.gui.wedge_filter import WedgeKeyFilter

SCANNER_GAP = 0.004
HUMAN_GAP = 0.150
WAIT_MS = 15000


class Rig:
    """A window with a text field and a button, and a filter on a fake clock."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.clock = FakeClock()
        self.codes: list[str] = []
        self.window = QWidget()
        layout = QVBoxLayout(self.window)
        self.field = QLineEdit()
        self.button = QPushButton("OK")
        layout.addWidget(self.field)
        layout.addWidget(self.button)
        qtbot.addWidget(self.window)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow, timeout=5000)
        self.field.setFocus()
        self.filter = WedgeKeyFilter(
            self.codes.append, detector=WedgeDetector(), clock=self.clock, poll_ms=10_000
        )
        self.filter.install()

    def key(self, char: str, gap: float) -> None:
        self.clock.advance(gap)
        widget = QApplication.focusWidget()
        if char == "\r":
            self.qtbot.keyClick(widget, Qt.Key.Key_Return)
        else:
            self.qtbot.keyClick(widget, char)

    def type(self, text: str, gap: float) -> None:
        for char in text:
            self.key(char, gap)

    def settle(self) -> None:
        """As the QTimer would, once the last key is older than the burst gap."""
        self.clock.advance(1.0)
        self.filter.poll()

    def close(self) -> None:
        self.filter.uninstall()


@pytest.fixture
def rig(qtbot):
    rig = Rig(qtbot)
    yield rig
    rig.close()


def test_a_burst_into_a_focused_field_leaves_it_unchanged_and_is_a_code(rig):
    rig.type("2174864495699761462\r", SCANNER_GAP)
    assert rig.field.text() == ""
    assert rig.codes == ["2174864495699761462"]
    assert rig.filter.holding == 0


def test_human_typing_reaches_the_field_intact(rig):
    rig.type("yamada12", HUMAN_GAP)
    rig.settle()
    assert rig.field.text() == "yamada12"
    assert rig.codes == []


def test_human_enter_reaches_the_field_after_the_typed_text(rig):
    entered: list[str] = []
    rig.field.returnPressed.connect(lambda: entered.append(rig.field.text()))
    rig.type("abc\r", HUMAN_GAP)
    assert entered == ["abc"]  # the held "c" was replayed before the Enter went through
    assert rig.codes == []


def test_a_short_fast_sequence_with_enter_is_typing_not_a_code(rig):
    rig.type("1234\r", SCANNER_GAP)  # below the detector's minimum length
    assert rig.field.text() == "1234"
    assert rig.codes == []


def test_typing_then_a_burst_then_typing(rig):
    rig.type("ab", HUMAN_GAP)
    rig.key("9", HUMAN_GAP)  # the scan starts a moment after the person's last key
    rig.type("8765432101\r", SCANNER_GAP)
    rig.type("cd", HUMAN_GAP)
    rig.settle()
    assert rig.field.text() == "abcd"
    assert rig.codes == ["98765432101"]


def test_the_input_method_is_off_only_while_a_burst_is_in_flight(rig):
    assert rig.field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    rig.type("123", SCANNER_GAP)
    assert rig.filter.holding == 3
    assert not rig.field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    rig.type("45678\r", SCANNER_GAP)
    assert rig.field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    rig.type("12", SCANNER_GAP)  # a burst that stops without Enter is typing after all
    rig.settle()
    assert rig.field.text() == "12"
    assert rig.field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def test_a_key_that_cannot_be_scanned_releases_what_is_held_first(rig):
    rig.type("ab", HUMAN_GAP)  # "b" is held
    rig.clock.advance(HUMAN_GAP)
    rig.qtbot.keyClick(rig.field, Qt.Key.Key_Backspace)
    assert rig.field.text() == "a"


def test_a_click_releases_held_keys_before_it_is_handled(rig):
    rig.type("xy", HUMAN_GAP)
    assert rig.field.text() == "x"
    rig.qtbot.mouseClick(rig.button, Qt.MouseButton.LeftButton)
    assert rig.field.text() == "xy"


def test_shortcuts_pass_through_untouched(rig):
    rig.field.setText("abc")
    rig.field.selectAll()
    rig.clock.advance(HUMAN_GAP)
    rig.qtbot.keyClick(rig.field, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert rig.field.text() == ""  # Ctrl+X cut: not held as a scanner character
    assert rig.filter.holding == 0


def test_a_burst_while_a_button_has_focus_does_not_press_it(rig):
    clicks: list[bool] = []
    rig.button.clicked.connect(lambda: clicks.append(True))
    rig.button.setFocus()
    rig.type("1111222233\r", SCANNER_GAP)
    assert rig.codes == ["1111222233"] and clicks == []


def test_reset_forgets_held_keys_without_replaying_them(rig):
    rig.type("12345", SCANNER_GAP)
    rig.filter.reset()
    rig.settle()
    assert rig.field.text() == "" and rig.filter.holding == 0
    assert rig.field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def test_the_repr_shows_counts_only(rig):
    rig.type("555", SCANNER_GAP)
    assert repr(rig.filter) == "WedgeKeyFilter(held=3)"


# ---- the kiosk window: the burst becomes the flow's QR read ------------------------------


def burst(qtbot, window, digits: str) -> None:
    """A wedge scanner: every key into whatever has focus, then Enter.

    The window's filter reads a frozen clock meanwhile: QTest sends the keys synchronously,
    so an OS pause of the test process between two sends would look like a gap in the burst
    (a real scanner's queued keys arrive bunched, not spread). The timing itself is the unit
    tests' business above.
    """
    widget = QApplication.focusWidget()
    assert widget is not None
    real_clock = window.wedge.clock
    window.wedge.clock = FakeClock(real_clock())
    try:
        qtbot.keyClicks(widget, digits)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    finally:
        window.wedge.clock = real_clock


def payload(kit) -> str:
    return kit.payload_for(sample_record("mihon_showa_last_day"), [kit.catalog.get("juminhyo")])


def test_a_scan_on_the_identify_screen_is_a_qr_read(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    assert window.flow.step is Step.IDENTIFY
    burst(qtbot, window, payload(kit))
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert window.flow.method is Method.QR
    assert window.flow.error_count() == 0
    assert window.screens[Step.REVIEW].editors["person[0].name"].family.text() == "見本"


def test_a_scan_on_the_welcome_screen_takes_its_forms_from_the_code(qtbot, make_window, kit):
    window = make_window()
    burst(qtbot, window, payload(kit))
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert [t.id for t in window.flow.templates] == ["juminhyo"]


def test_a_scan_on_the_qr_screen_never_reaches_its_field(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.QR].click()
    field = window.screens[Step.QR].scanner
    assert field.hasFocus()
    typed: list[str] = []
    field.textEdited.connect(typed.append)
    burst(qtbot, window, payload(kit))
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert typed == []


def test_a_burst_with_dropped_keys_is_refused_with_the_flows_error(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    digits = payload(kit)
    dropped = digits[:200] + digits[203:600] + digits[601:]  # four keys lost on the way
    burst(qtbot, window, dropped)
    qtbot.waitUntil(lambda: window.flow.step is Step.ERROR, timeout=WAIT_MS)
    error = window.flow.error
    assert error.error.code in ("payload_truncated", "payload_bad_chunking", "payload_bad_digits")
    assert error.retry_step is Step.QR
    assert window.flow.record is None  # nothing of it was used
    assert texts_with_samples(window) == []
    window.screens[Step.ERROR].retry_button.click()  # and the whole code again works
    assert window.flow.step is Step.QR
    burst(qtbot, window, digits)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)


def test_a_scan_during_the_review_types_nothing_and_changes_nothing(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.TYPING].click()
    family = window.screens[Step.REVIEW].editors["person[0].name"].family
    family.setFocus()
    assert family.hasFocus()
    burst(qtbot, window, payload(kit))
    qtbot.wait(100)
    assert family.text() == ""
    assert window.flow.step is Step.REVIEW and window.flow.method is Method.TYPING


def test_typing_at_human_speed_in_the_window_reaches_the_field(qtbot, make_window, kit):
    window = make_window()
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.TYPING].click()
    window.flow.review_show("address_current")
    postal = window.screens[Step.REVIEW].editors["address.current"].postal
    postal.setFocus()
    for digit in "1000014":
        qtbot.keyClick(postal, digit)
        qtbot.wait(80)  # a person: slower than a scanner's burst gap (50 ms)
    qtbot.waitUntil(lambda: postal.text() == "1000014", timeout=2000)  # the QTimer's poll
    assert window.wedge.holding == 0


def test_the_filter_is_removed_with_the_window(qtbot, make_window, kit):
    window = make_window()
    wedge = window.wedge
    window.shutdown()
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field, "123456789")
    assert field.text() == "123456789"  # not held: the filter is gone
    assert wedge.holding == 0
