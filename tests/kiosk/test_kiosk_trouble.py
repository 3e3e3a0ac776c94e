"""What a failure means for the resident (kiosk.trouble): theirs to fix, or a machine's."""

from __future__ import annotations

import pytest

from devices.card.errors import NoCardError, NoReaderError, PinBlockedError, WrongPinError
from kiosk.trouble import technical_detail, trouble_of
from printing.errors import PrinterStopped


@pytest.mark.parametrize(
    ("error", "kind"),
    [(NoReaderError(), "card_reader"), (PrinterStopped("PDF"), "printer")],
)
def test_a_machine_fault_asks_for_staff_and_names_its_kind(error, kind) -> None:
    trouble = trouble_of(error)
    assert trouble.technical and trouble.calls_staff and trouble.alert_kind == kind
    assert trouble.advice == "error.machine"
    detail = technical_detail(error)
    assert detail.startswith(error.code) and len(detail) <= 200


def test_the_residents_own_problems_say_what_to_do() -> None:
    assert trouble_of(NoCardError()).advice == "error.card_absent"
    assert not trouble_of(WrongPinError(2)).technical
    blocked = trouble_of(PinBlockedError())
    assert not blocked.technical and blocked.calls_staff  # only the counter can reset a PIN


def test_kiosk_advice_for_a_blocked_pin2_lets_the_resident_type() -> None:
    from devices.card.errors import Pin2BlockedError, PinBlockedError
    from kiosk.trouble import trouble_of

    pin2 = trouble_of(Pin2BlockedError())
    assert pin2.advice == "error.card_pin2_blocked" and not pin2.calls_staff
    assert trouble_of(PinBlockedError()).advice == "error.card_pin_blocked"
