"""Every reason a QR payload is refused, each its own type with a Japanese and English message.

The kiosk maps the type to a screen; the command line prints the message and exits 1. Messages
say what went wrong, never what the payload held (it is personal data).
"""

from __future__ import annotations

from forms.errors import FieldError, MadoguchiError


class PayloadError(MadoguchiError):
    """Base of the refusals: raised before anything of the payload reached the caller."""

    code = "payload"
    exit_code = 1


class NotOurPayload(PayloadError):
    code = "payload_not_ours"

    def __init__(self) -> None:
        super().__init__(
            "窓口の事前入力用 QR コードではありません",
            "not a Madoguchi pre-entry QR code",
        )


class UnknownFormatVersion(PayloadError):
    code = "payload_unknown_version"

    def __init__(self, version: int) -> None:
        super().__init__(
            f"この QR コードの形式（第{version}版）には対応していません",
            f"unsupported payload format version {version}",
        )
        self.version = version


class BadDigits(PayloadError):
    """A character that is not 0–9, or a digit group too large for its bytes."""

    code = "payload_bad_digits"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの数字列が正しくありません（読み取りの誤り）",
            "the QR code's digits are not valid (misread)",
        )


class BadChunking(PayloadError):
    """More digits than the header announces, or a length no byte count maps to."""

    code = "payload_bad_chunking"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの数字列の長さが正しくありません",
            "the QR code's digits do not have a valid length",
        )


class TruncatedPayload(PayloadError):
    code = "payload_truncated"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの読み取りが途中で切れています。もう一度読み取ってください",
            "the QR code was read only in part; please scan it again",
        )


class WrongKey(PayloadError):
    """Encrypted to another office's counter key (or to a retired one)."""

    code = "payload_wrong_key"

    def __init__(self) -> None:
        super().__init__(
            "この QR コードは別の窓口（または古い鍵）宛てに作成されています",
            "this QR code was made for another office's key",
        )


class CorruptPayload(PayloadError):
    """Addressed to our key but does not decrypt: altered or damaged after it was made."""

    code = "payload_corrupt"

    def __init__(self) -> None:
        super().__init__(
            "QR コードのデータが破損しているか改ざんされています",
            "the QR code's data is damaged or was altered",
        )


class SignatureMismatch(PayloadError):
    code = "payload_bad_signature"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの署名を確認できません（発行元が不明です）",
            "the QR code's signature does not match a trusted issuer",
        )


class PayloadExpired(PayloadError):
    code = "payload_expired"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの有効期限が切れています。もう一度事前入力してください",
            "this QR code has expired; please fill in the form again",
        )


class PayloadNotYetValid(PayloadError):
    """Issued in the future: the issuer's or this machine's clock is wrong."""

    code = "payload_not_yet_valid"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの発行日時が未来になっています（時計の設定を確認してください）",
            "this QR code was issued in the future (check the clocks)",
        )


class PayloadUnknownTemplate(PayloadError):
    code = "payload_unknown_template"

    def __init__(self, template_id: str, version: int) -> None:
        super().__init__(
            f"様式 {template_id} 第{version}版はこの窓口に登録されていません",
            f"template {template_id} version {version} is not known here",
        )
        self.template_id = template_id
        self.version = version


class PayloadTooLarge(PayloadError):
    """The content inflates past the bound (a zip bomb, or not made by us)."""

    code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"QR コードの内容が大きすぎます（上限 {limit} バイト）",
            f"the QR code's content is too large (limit {limit} bytes)",
        )
        self.limit = limit


class MalformedContent(PayloadError):
    """Signed and decrypted, but the content is not the structure the format defines."""

    code = "payload_malformed"

    def __init__(self, where: str) -> None:
        super().__init__(
            f"QR コードの内容の形式が正しくありません（{where}）",
            f"the QR code's content is malformed ({where})",
        )
        self.where = where


class PayloadInvalidData(PayloadError):
    """The record fails a named template's validation; `errors` has every field's reason."""

    code = "payload_invalid_data"

    def __init__(self, template_id: str, errors: list[FieldError]) -> None:
        paths = ", ".join(e.path for e in errors[:5]) + (" …" if len(errors) > 5 else "")
        super().__init__(
            f"QR コードの内容が様式 {template_id} の入力規則を満たしません: {paths}",
            f"the QR code's data fails template {template_id}: {paths}",
        )
        self.template_id = template_id
        self.errors = errors


class PayloadTooLong(PayloadError):
    """Encoding side: the record does not fit the format's length field."""

    code = "payload_too_long"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"QR コードに収まりません（{size} バイト、上限 {limit} バイト）",
            f"too much data for one QR code ({size} bytes, limit {limit})",
        )


class PayloadLifetimeTooLong(PayloadError):
    """`expires_at − issued_at` is longer than its kind may live (30 days, or 5 years)."""

    code = "payload_lifetime_too_long"

    def __init__(self, kind_ja: str, kind_en: str, days: int) -> None:
        super().__init__(
            f"QR コードの有効期間が長すぎます（{kind_ja}の QR コードは最長 {days} 日）",
            f"the QR code's validity is too long (a {kind_en} code lives at most {days} days)",
        )
        self.days = days


class PayloadWrongKind(PayloadError):
    """A printed form's data QR shown as a pre-entry code, or the other way round."""

    code = "payload_wrong_kind"

    def __init__(self, found_ja: str, found_en: str, expected_ja: str, expected_en: str) -> None:
        super().__init__(
            f"この QR コードは{found_ja}用です（ここで読めるのは{expected_ja}の QR コードです）",
            f"this is a {found_en} QR code; a {expected_en} code is read here",
        )


class PayloadPostalDataMismatch(PayloadError):
    """A postal-coded address (format 2) that this reader's postal data cannot restore."""

    code = "payload_postal_data"

    def __init__(self) -> None:
        super().__init__(
            "QR コードの郵便番号がこの窓口の郵便番号データと一致しません（データの更新が必要です）",
            "the QR code's postal code does not match this counter's postal data (update it)",
        )
