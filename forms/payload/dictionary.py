"""The preset DEFLATE dictionary of format version 1 (docs/qr-payload.md §4).

DEFLATE can refer back into a dictionary both sides know, so the first occurrence of a record
key, an answer name or a common address word costs a few bits instead of its bytes: this saves
about 100 bytes on a 住民異動届 and keeps a household of four at QR version 19.

FIXED FOREVER for format version 1: changing a single byte breaks every QR code in circulation.
ASCII words are written as ASCII, Japanese ones as UTF-16BE (how `compact` writes them);
the most frequent come last, where references are cheapest.
"""

from __future__ import annotations

import hashlib

ASCII_WORDS: tuple[str, ...] = (
    "kokuho.",
    "jidou_teate.",
    "inkan.",
    "juminhyo.",
    "household",
    "female",
    "male",
    "self",
    "moving_out",
    "moving_in",
    "_has_card",
    "_resident_code",
    "idou.mover",
    "old_head_name",
    "new_head_name",
    "applicant_relation",
    "applicant_phone",
    "idou.kind",
)
JAPANESE_WORDS: tuple[str, ...] = (
    "北海道",
    "青森県岩手県宮城県秋田県山形県福島県茨城県栃木県群馬県埼玉県千葉県",
    "神奈川県新潟県富山県石川県福井県山梨県長野県岐阜県静岡県愛知県三重県",
    "滋賀県京都府大阪府兵庫県奈良県和歌山県鳥取県島根県岡山県広島県山口県",
    "徳島県香川県愛媛県高知県福岡県佐賀県長崎県熊本県大分県宮崎県鹿児島県沖縄県",
    "東京都",
    "世帯主",
    "妻",
    "夫",
    "長男",
    "長女",
    "次男",
    "次女",
    "子",
    "父",
    "母",
    "丁目",
    "番地",
    "番",
    "号",
    "号室",
    "マンション",
    "レジデンス",
    "ハイツ",
    "コーポ",
    "アパート",
    "ビル",
    "タワー",
    "県",
    "市",
    "区",
    "町",
    "村",
    "郡",
    "１２３４５６７８９０",
    "\u3000",
)

ZDICT_V1: bytes = b"".join(w.encode("ascii") for w in ASCII_WORDS) + b"".join(
    w.encode("utf-16-be") for w in JAPANESE_WORDS
)
ZDICT_V1_SHA256 = hashlib.sha256(ZDICT_V1).hexdigest()
