"""What a failure means for the resident: theirs to fix, or a machine's (call staff).

A resident can put the card back, try the PIN again, or make a new pre-entry code. A printer
out of paper, an unplugged reader, a network or disk fault is not theirs: the kiosk says "this
machine has a problem: please call staff", offers 職員を呼ぶ, raises an alert for the
reception, and keeps the technical detail for staff mode and for the alert. Never a
`cupsenable` or a toner for the resident to see.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.errors import MadoguchiError

# error code prefix → (alert kind, advice message id); the first that matches wins.
MACHINE: tuple[tuple[str, str], ...] = (
    ("card_no_reader", "card_reader"),
    ("card_reader_unplugged", "card_reader"),
    ("card_io", "card_reader"),
    ("card_timeout", "card_reader"),
    ("card_unexpected_status", "card_reader"),
    ("card_malformed", "card_reader"),
    ("card_bad_length", "card_reader"),
    ("card_unknown_tag", "card_reader"),
    ("card_invalid_text", "card_reader"),
    ("card_impossible_date", "card_reader"),
    ("card_bad_sex", "card_reader"),
    ("card_bad_check_digit", "card_reader"),
    ("printer", "printer"),
    ("print", "printer"),
    ("spool", "printer"),
    ("job_aborted", "printer"),
    ("save_failed", "printer"),
    ("font", "printer"),
    ("glyph", "printer"),
    ("value_does_not_fit", "printer"),
    ("layout", "printer"),
    ("data_qr", "printer"),
    ("qr_scanner", "other"),
    ("qr_unavailable", "other"),
    ("outbox", "other"),
    ("call_numbers", "other"),
    ("server", "network"),
    ("access", "network"),
    ("not_authenticated", "network"),
    ("forbidden", "network"),
    ("protocol", "network"),
    ("token", "network"),
    ("application_invalid", "other"),
    ("kiosk_unexpected", "other"),
)
RESIDENT_ADVICE: tuple[tuple[str, str], ...] = (
    ("card_absent", "error.card_absent"),
    ("card_pin_blocked", "error.card_pin_blocked"),
    ("card_pin2_blocked", "error.card_pin2_blocked"),  # the licence's 本籍 PIN: type it instead
    ("card_removed", "error.card_removed"),
    ("card_", "error.card_other"),
    ("payload", "error.qr"),
    ("qr", "error.qr"),
)


@dataclass(frozen=True)
class Trouble:
    technical: bool  # the machine's, not the resident's: call staff
    alert_kind: str | None  # the reception alert's kind (`sync.protocol.counter.AlertKind`)
    advice: str  # message id of what the resident can do

    @property
    def calls_staff(self) -> bool:
        return self.technical or self.advice in ("error.card_pin_blocked",)


def trouble_of(error: MadoguchiError) -> Trouble:
    return trouble_for_code(error.code)


def trouble_for_code(code: str) -> Trouble:
    for prefix, kind in MACHINE:
        if code.startswith(prefix):
            return Trouble(True, kind, "error.machine")
    advice = next((m for prefix, m in RESIDENT_ADVICE if code.startswith(prefix)), "error.generic")
    return Trouble(False, None, advice)


def technical_detail(error: MadoguchiError) -> str:
    """For staff mode and the alert: the code and the English message (no personal data:
    typed errors carry none by design)."""
    return f"{error.code}: {error.en}"[:200]
