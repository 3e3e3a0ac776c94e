"""Every failure a resident can meet at the card reader, each its own type.

The GUI maps the type to a screen; the command line maps it to an exit code
(`exit_code`: 2 no usable card or reader, 3 wrong PIN, 4 blocked, 5 last try not confirmed,
1 anything else). Messages never carry what the card said, only what went wrong and where.
"""

from __future__ import annotations

from forms.errors import MadoguchiError


def _reword(error: MadoguchiError, ja: str, en: str) -> None:
    """A subclass's own wording over its base's (the PIN 2 variants)."""
    error.ja, error.en = ja, en
    error.args = (f"{ja} / {en}",)


class CardError(MadoguchiError):
    """Base of the card errors. Raised only before anything reached the session record."""

    code = "card"
    exit_code = 1


class NoReaderError(CardError):
    code = "card_no_reader"
    exit_code = 2

    def __init__(self, reader: str | None = None) -> None:
        if reader is None:
            super().__init__("カードリーダーが見つかりません", "no card reader found")
        else:
            super().__init__(
                f"カードリーダー「{reader}」が見つかりません", f"card reader {reader!r} not found"
            )
        self.reader = reader


class ReaderUnpluggedError(CardError):
    code = "card_reader_unplugged"
    exit_code = 2

    def __init__(self) -> None:
        super().__init__(
            "カードリーダーが取り外されました", "the card reader was unplugged or stopped"
        )


class NoCardError(CardError):
    code = "card_absent"
    exit_code = 2

    def __init__(self) -> None:
        super().__init__("カードが置かれていません", "no card on the reader")


class UnsupportedCardError(CardError):
    """The card did not accept the application's SELECT: not the card we were asked to read."""

    code = "card_unsupported"
    exit_code = 2

    def __init__(self, ja_kind: str, en_kind: str) -> None:
        super().__init__(f"{ja_kind}ではありません", f"not a {en_kind}")


class NotMyNumberCardError(UnsupportedCardError):
    code = "card_not_my_number"

    def __init__(self) -> None:
        super().__init__("マイナンバーカード", "My Number Card")


class NotDriversLicenceError(UnsupportedCardError):
    code = "card_not_licence"

    def __init__(self) -> None:
        super().__init__("運転免許証", "driver's licence IC card")


class CardRemovedError(CardError):
    code = "card_removed"
    exit_code = 2

    def __init__(self) -> None:
        super().__init__(
            "読み取り中にカードが離れました。もう一度置いてください",
            "the card was removed during the read; place it again",
        )


class PinFormatError(CardError):
    """Refused before any VERIFY: a PIN of the wrong shape never spends a try."""

    code = "card_pin_format"

    def __init__(self) -> None:
        super().__init__("暗証番号は数字4桁です", "the PIN is 4 digits")


class DomicileNotDeclaredError(CardError):
    """本籍 asked for without a form that declares the need: refused before the card is touched."""

    code = "card_domicile_not_declared"
    exit_code = 2

    def __init__(self) -> None:
        super().__init__(
            "本籍を読み取る様式がありません", "no chosen form declares the need for 本籍"
        )


class PinEntryCancelledError(CardError):
    code = "card_pin_cancelled"

    def __init__(self) -> None:
        super().__init__("暗証番号の入力が取り消されました", "PIN entry was cancelled")


class WrongPinError(CardError):
    code = "card_wrong_pin"
    exit_code = 3

    def __init__(self, tries_left: int) -> None:
        super().__init__(
            f"暗証番号が違います（残り{tries_left}回）",
            f"wrong PIN ({tries_left} tries left)",
        )
        self.tries_left = tries_left


class WrongPin2Error(WrongPinError):
    """The driver's licence's PIN 2 (the one that guards 本籍) was wrong."""

    code = "card_wrong_pin2"

    def __init__(self, tries_left: int) -> None:
        super().__init__(tries_left)
        _reword(
            self,
            f"暗証番号2が違います（残り{tries_left}回）",
            f"wrong PIN 2 ({tries_left} tries left)",
        )


class LastTryUnconfirmedError(CardError):
    """One try left and the caller did not confirm: no VERIFY was sent."""

    code = "card_last_try"
    exit_code = 5

    def __init__(self) -> None:
        super().__init__(
            "暗証番号の残り回数が1回です。確認のうえ入力してください",
            "one PIN try left; confirm before trying it",
        )
        self.tries_left = 1


class LastTryUnconfirmedPin2Error(LastTryUnconfirmedError):
    code = "card_last_try_pin2"

    def __init__(self) -> None:
        super().__init__()
        _reword(
            self,
            "暗証番号2の残り回数が1回です。確認のうえ入力してください",
            "one PIN 2 try left; confirm before trying it",
        )


class PinBlockedError(CardError):
    code = "card_pin_blocked"
    exit_code = 4

    def __init__(self, *, just_now: bool = False) -> None:
        lead_ja = "暗証番号を誤ったため" if just_now else ""
        lead_en = "wrong PIN: " if just_now else ""
        super().__init__(
            f"{lead_ja}カードがロックされています。市区町村の窓口で解除してください",
            f"{lead_en}the card's PIN is blocked; it must be reset at the municipal office",
        )
        self.just_now = just_now
        self.tries_left = 0


class Pin2BlockedError(PinBlockedError):
    """The licence's PIN 2 is blocked: 本籍 cannot be read (PIN 1 and the rest still work)."""

    code = "card_pin2_blocked"

    def __init__(self, *, just_now: bool = False) -> None:
        super().__init__(just_now=just_now)
        lead_ja = "暗証番号2を誤ったため" if just_now else ""
        lead_en = "wrong PIN 2: " if just_now else ""
        _reword(
            self,
            f"{lead_ja}暗証番号2がロックされています。本籍は読み取れません（入力はできます）",
            f"{lead_en}PIN 2 is blocked; the registered domicile cannot be read (type it)",
        )


class ReadRefusedError(CardError):
    code = "card_read_refused"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"カードが読み取りを拒否しました（{what}）", f"the card refused the read ({what})"
        )
        self.what = what


class CardIOError(CardError):
    """The reader or the PC/SC service failed in a way none of the other types describes."""

    code = "card_io"

    def __init__(self, detail: str) -> None:
        super().__init__(f"カードとの通信に失敗しました（{detail}）", f"card I/O failed ({detail})")
        self.detail = detail


class CardTimeoutError(CardError):
    code = "card_timeout"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"カード処理が時間内に終わりませんでした（{what}）",
            f"card operation timed out ({what})",
        )


class MalformedResponseError(CardError):
    """The card answered something this reader cannot trust; nothing of it is used."""

    code = "card_malformed"

    def __init__(self, detail_ja: str, detail_en: str) -> None:
        super().__init__(
            f"カードの応答が不正です（{detail_ja}）", f"malformed card response ({detail_en})"
        )
        self.detail = detail_en


class BadLengthError(MalformedResponseError):
    code = "card_bad_length"

    def __init__(self, where: str) -> None:
        super().__init__(f"長さ不正: {where}", f"bad length: {where}")


class UnknownTagError(MalformedResponseError):
    code = "card_unknown_tag"

    def __init__(self, tag: int, where: str) -> None:
        super().__init__(f"不明なタグ {tag:X}: {where}", f"unknown tag {tag:X}: {where}")
        self.tag = tag


class InvalidTextError(MalformedResponseError):
    code = "card_invalid_text"

    def __init__(self, field: str, encoding: str) -> None:
        super().__init__(f"{field}が{encoding}として不正", f"{field} is not valid {encoding}")


class ImpossibleDateError(MalformedResponseError):
    code = "card_impossible_date"

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}が存在しない日付", f"{field} is not a possible date")


class BadSexCodeError(MalformedResponseError):
    code = "card_bad_sex"

    def __init__(self) -> None:
        super().__init__("性別コード不正", "bad sex code")


class BadCheckDigitError(MalformedResponseError):
    code = "card_bad_check_digit"

    def __init__(self) -> None:
        super().__init__(
            "個人番号の検査用数字が一致しない", "individual number check digit mismatch"
        )


class UnexpectedStatusError(MalformedResponseError):
    """A status word outside ISO 7816-4's ranges, or one that makes no sense at this step."""

    code = "card_unexpected_status"

    def __init__(self, step: str, sw: int) -> None:
        super().__init__(f"{step} で状態語 {sw:04X}", f"status word {sw:04X} at {step}")
        self.sw = sw
