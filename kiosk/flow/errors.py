"""The flow's own refusals: an event in the wrong step, nothing chosen, a review left with
problems, no signature. Each a typed error with a Japanese and an English message."""

from __future__ import annotations

from forms.errors import MadoguchiError
from kiosk.flow.steps import Step


class WrongStepError(MadoguchiError):
    """An event that makes no sense in the current step (a stale click, a late result)."""

    code = "kiosk_wrong_step"

    def __init__(self, event: str, step: Step) -> None:
        super().__init__(
            f"この画面では操作できません（{event}）", f"not possible on this screen ({event})"
        )
        self.event = event
        self.step = step


class NothingChosenError(MadoguchiError):
    code = "kiosk_nothing_chosen"

    def __init__(self) -> None:
        super().__init__("手続きを選んでください", "choose at least one procedure")


class ReviewIncompleteError(MadoguchiError):
    """Review cannot be left: fields with errors, or flagged characters not yet confirmed."""

    code = "kiosk_review_incomplete"

    def __init__(self, errors: int, unconfirmed: int) -> None:
        super().__init__(
            f"確認が必要な項目があります（誤り{errors}件・文字の確認{unconfirmed}件）",
            f"some items need attention ({errors} error(s), {unconfirmed} character check(s))",
        )
        self.errors = errors
        self.unconfirmed = unconfirmed


class PageIncompleteError(ReviewIncompleteError):
    """次へ on a page of the guided review that still has problems (now shown on it)."""

    code = "kiosk_page_incomplete"


class SignatureMissingError(MadoguchiError):
    code = "kiosk_signature_missing"

    def __init__(self) -> None:
        super().__init__("署名してください", "please sign")
