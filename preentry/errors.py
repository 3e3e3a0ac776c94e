"""The refusals of the pre-entry site, each with the HTTP status of its error page."""

from __future__ import annotations

from forms.errors import MadoguchiError, UnknownTemplate
from preentry import csrf
from preentry.middleware import BodyTooLarge


class MalformedPost(MadoguchiError):
    code = "malformed_post"

    def __init__(self) -> None:
        super().__init__(
            "送信された内容の形式が正しくありません", "the form data sent is not well formed"
        )


class TooManyPeople(MadoguchiError):
    code = "too_many_people"

    def __init__(self, low: int, high: int) -> None:
        super().__init__(
            f"人数は{low}人から{high}人の間で選んでください",
            f"choose between {low} and {high} people",
        )


class NotFound(MadoguchiError):
    code = "not_found"

    def __init__(self) -> None:
        super().__init__("ページが見つかりません", "page not found")


class MethodNotAllowed(MadoguchiError):
    code = "method_not_allowed"

    def __init__(self) -> None:
        super().__init__("この操作はできません", "this method is not allowed here")


class QrTooLarge(MadoguchiError):
    code = "qr_too_large"

    def __init__(self) -> None:
        super().__init__(
            "入力が多すぎて QR コードに収まりません。手続きを分けてください",
            "too much to fit in one QR code; please split the procedure",
        )


class NothingChosen(MadoguchiError):
    """A change (or a QR code) that would leave the life event without any form."""

    code = "nothing_chosen"

    def __init__(self) -> None:
        super().__init__(
            "届出が一つもなくなります。少なくとも一つの届出を残してください",
            "no form would be left: keep at least one form",
        )


def status_of(error: MadoguchiError) -> int:
    from forms.payload.errors import PayloadError

    match error:
        case UnknownTemplate() | NotFound():
            return 404
        case csrf.CsrfRefused():
            return 403
        case BodyTooLarge():
            return 413
        case MethodNotAllowed():
            return 405
        case QrTooLarge() | PayloadError() | NothingChosen():
            return 422
        case _:
            return 400
