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


class PageNotShownError(MadoguchiError, KeyError):
    """`review_show` of a page the review does not show (no such page, or nothing on it
    applies). A KeyError too, as it was before it had a type of its own."""

    code = "kiosk_page_not_shown"

    def __init__(self, group_id: str, ja: str = "", en: str = "") -> None:
        super().__init__(
            ja or f"このページはありません（{group_id}）",
            en or f"no such page in this review ({group_id})",
        )
        self.group_id = group_id

    def __str__(self) -> str:  # KeyError would quote it
        return f"{self.ja} / {self.en}"


class PageWaitingError(PageNotShownError):
    """`review_show` of a page whose items all wait for a life event's default: its source is
    asked on a page not passed yet (`source_pages`), which fills them; go there first."""

    code = "kiosk_page_waiting"

    def __init__(self, group_id: str, source_pages: list[str]) -> None:
        pages = "、".join(source_pages)
        super().__init__(
            group_id,
            f"このページは、先に入力するページ（{pages}）の答えで埋まります（{group_id}）",
            f"this page is filled from the answers on {pages}; go there first ({group_id})",
        )
        self.source_pages = source_pages
