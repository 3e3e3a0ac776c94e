"""Field types: how a value typed, read from a card or carried by QR becomes a clean value.

Each type has `coerce(spec, raw) -> value` (raises `FieldValueError`, never echoing the value)
and `display(spec, value) -> str` (the text shown on the review screen and printed).
Values are plain Python: str, int, bool, date, list[str], PersonName, Address, bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from forms.address import format_postal_code, normalize_postal_code, split_address
from forms.closed_sets import closed_set
from forms.era import EARLIEST, parse_date, to_japanese
from forms.errors import FieldValueError
from forms.kana import normalize_kana
from forms.patterns import PatternTimeout, full_match
from forms.printable import first_unprintable
from forms.record import Address, PersonName, Sex

if TYPE_CHECKING:
    from forms.template import FieldSpec

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _nfc(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldValueError("文字で入力してください", "expected text")
    # NFC keeps 髙 and 﨑 (compatibility ideographs are only folded by NFKC), and 𠮷 as is.
    return unicodedata.normalize("NFC", value).strip()


def _check_length(spec: FieldSpec, text: str) -> str:
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldValueError(
            f"{spec.max_length}文字以内で入力してください",
            f"at most {spec.max_length} characters",
        )
    return text


def coerce_text(spec: FieldSpec, raw: Any) -> str:
    text = _check_length(spec, _nfc(raw))
    if spec.pattern:
        try:
            matched = full_match(spec.pattern, text)
        except PatternTimeout:
            raise FieldValueError(
                "入力の形式を確かめられませんでした（様式の pattern を見直してください）",
                "the format could not be checked in time (the template's pattern needs review)",
            ) from None
        if not matched:
            raise FieldValueError("入力の形式が正しくありません", "the format is not right")
    return text


def coerce_free_text(spec: FieldSpec, raw: Any) -> str:
    text = raw if isinstance(raw, str) else _nfc(raw)
    return _check_length(spec, unicodedata.normalize("NFC", text).strip())


def coerce_kana(spec: FieldSpec, raw: Any) -> str:
    return _check_length(spec, normalize_kana(_nfc(raw)))


def coerce_person_name(spec: FieldSpec, raw: Any) -> PersonName:
    if isinstance(raw, PersonName):
        name = raw
    elif isinstance(raw, dict):
        try:
            name = PersonName(family=_nfc(raw.get("family", "")), given=_nfc(raw.get("given", "")))
        except ValueError:
            raise FieldValueError("氏名の形式が正しくありません", "malformed name") from None
    else:
        name = PersonName.parse(_nfc(raw))
    if spec.kana:
        name = PersonName(
            family=normalize_kana(name.family) if name.family else "",
            given=normalize_kana(name.given) if name.given else "",
        )
    if not name.family and not name.given:
        raise FieldValueError("氏名を入力してください", "enter a name")
    if spec.max_length is not None and len(name.full) > spec.max_length:
        raise FieldValueError(
            f"{spec.max_length}文字以内で入力してください", f"at most {spec.max_length} characters"
        )
    return name


def coerce_date(spec: FieldSpec, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    day = raw if isinstance(raw, dt.date) else parse_date(_nfc(raw))
    if day < EARLIEST:  # the era table starts at 明治6年: nothing earlier can be printed
        raise FieldValueError(
            "明治6年（1873年）1月1日より前の日付は扱えません",
            "dates before 1873-01-01 (明治6年) are not supported",
        )
    if spec.min_date and day < spec.min_date:
        raise FieldValueError(
            f"{to_japanese(spec.min_date)}以降の日付を入力してください",
            f"the date must be on or after {spec.min_date.isoformat()}",
        )
    if spec.max_date and day > spec.max_date:
        raise FieldValueError(
            f"{to_japanese(spec.max_date)}以前の日付を入力してください",
            f"the date must be on or before {spec.max_date.isoformat()}",
        )
    return day


def coerce_select(spec: FieldSpec, raw: Any) -> str:
    value = raw.value if isinstance(raw, Sex) else _nfc(raw)
    if value in spec.option_values():
        return value
    if spec.options_from is not None:  # another spelling of a closed set's choice
        canonical = closed_set(spec.options_from).canonical(value)
        if canonical is not None and canonical in spec.option_values():
            return canonical
    raise FieldValueError("選択肢から選んでください", "choose one of the options")


def coerce_multi_select(spec: FieldSpec, raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [p for p in re.split(r"[,、]", raw) if p.strip()]
    if not isinstance(raw, list | tuple):
        raise FieldValueError("選択肢から選んでください", "choose from the options")
    values = [coerce_select(spec, v) for v in raw]
    if len(set(values)) != len(values):
        raise FieldValueError("同じ選択肢が重複しています", "an option is chosen twice")
    return [v for v in spec.option_values() if v in values]  # in the template's order


def coerce_checkbox(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _nfc(raw).lower() if isinstance(raw, str) else raw
    if text in ("true", "1", "yes", "on", "はい", 1):
        return True
    if text in ("false", "0", "no", "off", "いいえ", "", 0):
        return False
    raise FieldValueError("はい・いいえで答えてください", "answer yes or no")


def coerce_number(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool):
        raise FieldValueError("数字で入力してください", "enter a number")
    if isinstance(raw, int):
        value = raw
    else:
        text = unicodedata.normalize("NFKC", _nfc(raw)).replace(",", "")
        if not re.fullmatch(r"-?\d+", text):
            raise FieldValueError("数字で入力してください", "enter a number")
        value = int(text)
    if spec.min is not None and value < spec.min:
        raise FieldValueError(f"{spec.min}以上で入力してください", f"at least {spec.min}")
    if spec.max is not None and value > spec.max:
        raise FieldValueError(f"{spec.max}以下で入力してください", f"at most {spec.max}")
    return value


def coerce_postal_code(spec: FieldSpec, raw: Any) -> str:
    return normalize_postal_code(_nfc(raw))


def coerce_address(spec: FieldSpec, raw: Any) -> Address:
    if isinstance(raw, Address):
        address = raw
    elif isinstance(raw, dict):
        try:
            address = Address(**{k: _nfc(v) for k, v in raw.items()})
        except (TypeError, ValueError):
            raise FieldValueError("住所の形式が正しくありません", "malformed address") from None
    else:
        address = split_address(_nfc(raw))
    if address.postal_code:
        address = address.model_copy(
            update={"postal_code": normalize_postal_code(address.postal_code)}
        )
    if not address.full:
        raise FieldValueError("住所を入力してください", "enter an address")
    if spec.max_length is not None and len(address.full) > spec.max_length:
        raise FieldValueError(
            f"{spec.max_length}文字以内で入力してください", f"at most {spec.max_length} characters"
        )
    return address


_PHONE = re.compile(r"^(\+\d{1,3}-?)?0?\d{1,4}-?\d{1,4}-?\d{3,4}$")


def coerce_phone(spec: FieldSpec, raw: Any) -> str:
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", _nfc(raw)))
    text = re.sub(r"[‐－−ー―()]", "-", text)  # 090(1234)5678 → 090-1234-5678
    text = re.sub(r"-{2,}", "-", text).strip("-")
    digits = re.sub(r"\D", "", text)
    if not _PHONE.match(text) or not 10 <= len(digits) <= 15:
        raise FieldValueError("電話番号の形式が正しくありません", "not a phone number")
    return text


_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")


def coerce_email(spec: FieldSpec, raw: Any) -> str:
    text = unicodedata.normalize("NFKC", _nfc(raw))
    if len(text) > 254 or not _EMAIL.match(text):
        raise FieldValueError("メールアドレスの形式が正しくありません", "not an email address")
    return text


_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_B64_URLSAFE = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")


def _decode_base64(text: str) -> bytes:
    """Standard or URL-safe base64 (pydantic writes bytes in JSON with the URL-safe alphabet)."""
    text = text.strip()
    if _B64.match(text):
        return base64.b64decode(text + "=" * (-len(text) % 4))
    if _B64_URLSAFE.match(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    raise ValueError("not base64")


def coerce_signature(spec: FieldSpec, raw: Any) -> bytes:
    """A PNG image; JSON carries it as base64 text (either alphabet)."""
    if isinstance(raw, str):
        try:
            raw = _decode_base64(raw)
        except ValueError:
            raise FieldValueError(
                "署名の画像が壊れています", "the signature image is corrupt"
            ) from None
    if not isinstance(raw, bytes) or not raw.startswith(PNG_MAGIC):
        raise FieldValueError("署名の画像が壊れています", "the signature image is corrupt")
    return raw


def individual_number_check_digit(first11: str) -> int:
    """Check digit of the 12-digit individual number (番号法施行令 §8, modulus 11)."""
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(first11), 1))
    rem = total % 11
    return 0 if rem <= 1 else 11 - rem


def coerce_individual_number(spec: FieldSpec, raw: Any) -> str:
    text = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", _nfc(raw)))
    if not re.fullmatch(r"\d{12}", text) or individual_number_check_digit(text[:11]) != int(
        text[11]
    ):
        raise FieldValueError("個人番号が正しくありません", "not a valid individual number")
    return text


COERCERS: dict[str, Callable[[FieldSpec, Any], Any]] = {
    "text": coerce_text,
    "kana": coerce_kana,
    "person_name": coerce_person_name,
    "date": coerce_date,
    "select": coerce_select,
    "multi_select": coerce_multi_select,
    "checkbox": coerce_checkbox,
    "number": coerce_number,
    "postal_code": coerce_postal_code,
    "address": coerce_address,
    "phone": coerce_phone,
    "email": coerce_email,
    "signature": coerce_signature,
    "free_text": coerce_free_text,
    "individual_number": coerce_individual_number,
}
FIELD_TYPES = frozenset(COERCERS)


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """The clean value, or FieldValueError; a value with a character no font has is refused."""
    value = COERCERS[spec.type](spec, raw)
    check_printable(value)
    return value


def _texts(value: Any) -> tuple[str, ...]:
    match value:
        case str():
            return (value,)
        case PersonName():
            return (value.family, value.given)
        case Address():
            return (value.postal_code, value.prefecture, value.city, value.rest)
        case list():
            return tuple(v for v in value if isinstance(v, str))
    return ()


def check_printable(value: Any) -> None:
    """FieldValueError if a text of `value` has a character no shipped font can print."""
    for text in _texts(value):
        position = first_unprintable(text)
        if position is not None:  # the position, never the character (it is personal data)
            raise FieldValueError(
                f"{position}文字目は印刷できない文字です。別の字体で入力してください",
                f"character {position} cannot be printed (no font has it); use another form "
                "of the character",
            )


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | tuple | dict | bytes):
        return len(value) == 0
    if isinstance(value, Address):
        return value.is_empty()
    if isinstance(value, PersonName):
        return not (value.family or value.given)
    return False


def display(spec: FieldSpec, value: Any, part: str | None = None) -> str:
    """The text a person reads: era dates with the Western year, option labels, 〒."""
    if is_empty(value) and not isinstance(value, bool):
        return ""
    match spec.type:
        case "date":
            return value.isoformat() if part == "western" else to_japanese(value, western=True)
        case "person_name":
            return getattr(value, part) if part in ("family", "given") else value.full
        case "address":
            if part == "postal_code":
                return format_postal_code(value.postal_code)
            if part in ("prefecture", "city", "rest"):
                return getattr(value, part)
            prefix = f"{format_postal_code(value.postal_code)} " if value.postal_code else ""
            return prefix + value.full
        case "postal_code":
            return format_postal_code(value)
        case "select":
            return spec.option_label(value)
        case "multi_select":
            return "、".join(spec.option_label(v) for v in value)
        case "checkbox":
            return "☑" if value else "☐"
        case "number":
            return f"{value:,}"
        case "signature":
            return ""
        case "individual_number":
            return f"{value[:4]} {value[4:8]} {value[8:]}"
        case _:
            return str(value)
