"""The session record as the payload carries it: its JSON form, made small for a QR code.

Three rules, each reversible without knowing the record's schema (docs/qr-payload.md §5):

1. Defaults are left out (pydantic restores them); `id` and `today` are always written, `id`
   as its 16 raw bytes. `card.individual_number` is never written: a QR code is no place for it.
2. Map keys found in `KEY_TABLE` are written as their index (JSON keys are always strings, so
   an integer key is unambiguous).
3. A string with non-ASCII characters is written as a CBOR byte string of UTF-16BE when that is
   shorter than UTF-8 (Japanese: 2 bytes a character instead of 3). Every byte string in the
   record other than `id` is such a string.
4. A string that is an ISO date (`YYYY-MM-DD`) is written as CBOR tag 100 (RFC 8943: days
   since 1970-01-01) and read back as the same string.

With these and the preset dictionary a household of four with long addresses fits QR version
19 at ECC M.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import cbor2

from forms.record import SessionRecord

# Fixed for format version 1: append only in a new format version.
KEY_TABLE: tuple[str, ...] = (
    "id",  # 0
    "today",  # 1
    "persons",  # 2
    "addresses",  # 3
    "dates",  # 4
    "answers",  # 5
    "card",  # 6
    "qr",  # 7
    "name",  # 8
    "kana",  # 9
    "birth_date",  # 10
    "sex",  # 11
    "relation",  # 12
    "nationality",  # 13
    "family",  # 14
    "given",  # 15
    "postal_code",  # 16
    "prefecture",  # 17
    "city",  # 18
    "rest",  # 19
    "kind",  # 20
    "address",  # 21
)
_KEY_INDEX = {key: n for n, key in enumerate(KEY_TABLE)}
ID_KEY = _KEY_INDEX["id"]
MAX_DEPTH = 32
DATE_TAG = 100
_EPOCH = dt.date(1970, 1, 1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_tag(text: str) -> cbor2.CBORTag | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return cbor2.CBORTag(DATE_TAG, (day - _EPOCH).days)


def pack(value: Any, key_index: dict[str, int]) -> Any:
    """Rules 2–4 on a JSON value, map keys looked up in `key_index` (one table per format)."""
    if isinstance(value, dict):
        return {key_index.get(k, k): pack(v, key_index) for k, v in value.items()}
    if isinstance(value, list):
        return [pack(v, key_index) for v in value]
    if isinstance(value, str) and (tag := _date_tag(value)) is not None:
        return tag
    if isinstance(value, str) and not value.isascii():
        wide = value.encode("utf-16-be")
        return wide if len(wide) < len(value.encode("utf-8")) else value
    return value


def record_json(record: SessionRecord) -> dict[str, Any]:
    """Rule 1: the record's JSON form without defaults, `today` kept, no individual number."""
    data = record.model_dump(mode="json", exclude_defaults=True)
    if isinstance(data.get("card"), dict):
        data["card"].pop("individual_number", None)
    data["today"] = record.today.isoformat()
    data.pop("id", None)
    return data


def compact_record(record: SessionRecord) -> dict[Any, Any]:
    packed = pack(record_json(record), _KEY_INDEX)
    packed[ID_KEY] = record.id.bytes
    return packed


def unpack(value: Any, depth: int, key_table: tuple[str, ...], passthrough: object = None) -> Any:
    """The JSON value back from `pack`; ValueError for anything `pack` cannot have written.

    `passthrough`: a marker a later rule resolves (format 2's `undefined`), kept as it is.
    """
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, dict):
        out = {}
        for raw_key, item in value.items():
            if isinstance(raw_key, int) and not isinstance(raw_key, bool):
                if not 0 <= raw_key < len(key_table):
                    raise ValueError("unknown key index")
                key = key_table[raw_key]
            elif isinstance(raw_key, str):
                key = raw_key
            else:
                raise ValueError("map key is neither a string nor an index")
            if key in out:
                raise ValueError("key written twice")
            out[key] = unpack(item, depth + 1, key_table, passthrough)
        return out
    if isinstance(value, list):
        return [unpack(v, depth + 1, key_table, passthrough) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-16-be")  # UnicodeDecodeError is a ValueError
    if type(value) is dt.date:  # cbor2 reads tag 100 (and 1004) as a date
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if passthrough is not None and value is passthrough:
        return value
    raise ValueError("unexpected CBOR item")


def split_id(data: Any) -> tuple[str, dict[Any, Any]]:
    """(the record id as text, the rest of the map); ValueError if it is not a record map."""
    if not isinstance(data, dict):
        raise ValueError("record is not a map")
    raw_id = data.get(ID_KEY)
    if not isinstance(raw_id, bytes) or len(raw_id) != 16:
        raise ValueError("record id is not 16 bytes")
    return str(uuid.UUID(bytes=raw_id)), {k: v for k, v in data.items() if k != ID_KEY}


def expand_record(data: Any) -> dict[str, Any]:
    """The record's JSON form back from `compact_record`; ValueError if it is not one."""
    record_id, rest = split_id(data)
    out = unpack(rest, 0, KEY_TABLE)
    if "id" in out:
        raise ValueError("record id written twice")
    out["id"] = record_id
    return out
