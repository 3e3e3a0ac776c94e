"""The session record as format 2 carries it: format 1's rules, plus three that know Japan.

Format 1's rules (`compact`: no defaults, `id` as 16 bytes, keys as indexes, UTF-16 where
shorter, dates as tag 100) apply with the longer key table `KEY_TABLE_V2`, after these three
rewrites (docs/qr-payload.md §5):

5. **An address whose postal code determines its place** is written as the array
   `[code, tail, check]`: `code` the 7-digit postal code as an unsigned integer; the
   prefecture, the city and, where the code names one town, the town (町域) are Japan Post's
   for that code (`forms.address.postal_area`) and `tail` is what follows them in `rest`;
   `check` is the first two bytes (big-endian) of SHA-256 over
   `prefecture ‖ 0x1F ‖ city ‖ 0x1F ‖ town` in UTF-8, so a reader whose postal data says
   something else for that code refuses instead of printing another town. An address that
   does not start with what its code determines stays a map.
6. **A household's shared family name is carried once.** For every person after the first,
   `name` (and `kana`) is written as its given name alone (a text or UTF-16 byte string
   instead of a map) when its family name is the first person's.
7. **A name equal to the first person's**, wherever an answer holds one (新世帯主, 旧世帯主, …),
   is written as CBOR `undefined` (simple value 23, one byte; JSON has no such value).
"""

from __future__ import annotations

import hashlib
from typing import Any

import cbor2

from forms.address import postal_area
from forms.payload.compact import ID_KEY, KEY_TABLE, pack, record_json, split_id, unpack
from forms.record import SessionRecord

# Format 1's table, then the names the shipped forms give addresses, dates and answers: a key
# of the table costs one or two bytes instead of its text. A person's answer (`name.N`) is in
# the table for N = 0…9. Fixed for format version 2: append only in a new format version; a
# name not in it (a new form's) is written as text, as in format 1.
RECORD_NAMES_V2: tuple[str, ...] = (
    "current",  # 22
    "new",  # 23
    "move",
    "move_out",
    "target",
    "agent",
    "destination",
    "guarantor",
    "applicant_phone",
    "applicant_relation",
    "applicant_signature",
    "new_head_name",
    "old_head_name",
    "agent_name",
    "agent_phone",
    "agent_birth_date",
    "idou.kind",
    "kokuho.kind",
    "kokuho.reason",
    "kokuho.previous_insurer",
    "kokuho.insured2_individual_number",
    "kokuho.insured3_individual_number",
    "kokuho.insured4_individual_number",
    "jidou_teate.pension",
    "jidou_teate.bank_name",
    "jidou_teate.branch_name",
    "jidou_teate.account_type",
    "jidou_teate.account_number",
    "jidou_teate.account_holder",
    "inkan.id_method",
    "inkan.id_document",
    "inkan.guarantor_name",
    "inkan.guarantor_registration_no",
    "juminhyo.requester_relation",
    "juminhyo.document",
    "juminhyo.scope",
    "juminhyo.copies",
    "juminhyo.purpose",
    "juminhyo.submit_to",
    "juminhyo.target_head",
    "juminhyo.target_names",
    "juminhyo.include_head_relation",
    "juminhyo.include_domicile",
    "juminhyo.include_resident_code",
    "juminhyo.include_individual_number",
)
PER_PERSON_NAMES_V2: tuple[str, ...] = (
    "idou.resident_code",
    "idou.has_card",
    "idou.residence_card",
    "idou.residence_status",
    "jidou_teate.lives_with_claimant",
)
PERSONS_IN_TABLE = 10
KEY_TABLE_V2: tuple[str, ...] = (
    *KEY_TABLE,
    *RECORD_NAMES_V2,
    *(f"{name}.{n}" for name in PER_PERSON_NAMES_V2 for n in range(PERSONS_IN_TABLE)),
)
_KEY_INDEX_V2 = {key: n for n, key in enumerate(KEY_TABLE_V2)}
POSTAL_CODE_MAX = 9_999_999
SAME_AS_FIRST_PERSON = cbor2.undefined


class PostalDataMismatch(ValueError):
    """A postal-coded address this reader's postal data cannot restore as it was written."""


def postal_check(prefecture: str, city: str, town: str) -> int:
    digest = hashlib.sha256("\x1f".join((prefecture, city, town)).encode("utf-8")).digest()
    return int.from_bytes(digest[:2], "big")


def _postal_address(address: dict[str, Any]) -> list[Any] | None:
    """Rule 5's `[code, tail, check]` for an address map, or None when it does not apply."""
    code = address.get("postal_code", "")
    if not (isinstance(code, str) and len(code) == 7 and code.isascii() and code.isdigit()):
        return None
    area = postal_area(code)
    if area is None or area.postal_code != code:
        return None
    rest = address.get("rest", "")
    if (
        set(address) - {"postal_code", "prefecture", "city", "rest"}
        or address.get("prefecture") != area.prefecture
        or address.get("city") != area.city
        or not rest.startswith(area.rest)
    ):
        return None
    tail = rest[len(area.rest) :]
    return [int(code), tail, postal_check(area.prefecture, area.city, area.rest)]


def _address_back(value: list[Any]) -> dict[str, Any]:
    if len(value) != 3:
        raise ValueError("postal address is not [code, tail, check]")
    code, tail, check = value
    if type(code) is not int or not 0 <= code <= POSTAL_CODE_MAX:
        raise ValueError("postal code")
    if not isinstance(tail, str) or type(check) is not int:
        raise ValueError("postal address")
    area = postal_area(f"{code:07d}")
    if area is None or postal_check(area.prefecture, area.city, area.rest) != check:
        raise PostalDataMismatch("postal data")
    out = {"postal_code": f"{code:07d}", "prefecture": area.prefecture, "city": area.city}
    if area.rest + tail:
        out["rest"] = area.rest + tail
    return out


def _family(name: Any) -> str:
    return name.get("family", "") if isinstance(name, dict) else ""


def _share_family_names(persons: list[Any]) -> None:
    """Rule 6, in place."""
    if not persons or not isinstance(persons[0], dict):
        return
    for part in ("name", "kana"):
        family = _family(persons[0].get(part))
        if not family:
            continue
        for person in persons[1:]:
            name = person.get(part) if isinstance(person, dict) else None
            shared = isinstance(name, dict) and name.get("family") == family
            if shared and isinstance(name, dict) and set(name) <= {"family", "given"}:
                person[part] = name.get("given", "")


def _restore_family_names(persons: Any) -> None:
    if not isinstance(persons, list) or not persons:
        return
    first = persons[0]
    if not isinstance(first, dict):
        raise ValueError("person is not a map")
    for part in ("name", "kana"):
        if isinstance(first.get(part), str):
            raise ValueError("the first person's name is not a map")
        family = _family(first.get(part))
        for person in persons[1:]:
            if not isinstance(person, dict) or not isinstance(person.get(part), str):
                continue
            if not family:
                raise ValueError("a shared family name without a first person's")
            person[part] = {"family": family, "given": person[part]}


def _holds_marker(value: Any) -> bool:
    if value is SAME_AS_FIRST_PERSON:
        return True
    if isinstance(value, dict):
        return any(_holds_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_marker(v) for v in value)
    return False


def compact_record_v2(record: SessionRecord) -> dict[Any, Any]:
    data = record_json(record)
    addresses = data.get("addresses", {})
    for key, address in list(addresses.items()):
        if (short := _postal_address(address)) is not None:
            addresses[key] = short
    first_name = data["persons"][0].get("name") if data.get("persons") else None
    answers = data.get("answers", {})
    if first_name:
        for key, value in list(answers.items()):
            if value == first_name:
                answers[key] = SAME_AS_FIRST_PERSON
    _share_family_names(data.get("persons", []))
    packed = pack(data, _KEY_INDEX_V2)
    packed[ID_KEY] = record.id.bytes
    return packed


def expand_record_v2(data: Any) -> dict[str, Any]:
    """The record's JSON form back from `compact_record_v2`.

    ValueError if it is not one; PostalDataMismatch (a ValueError) if a postal-coded address
    cannot be restored from this reader's postal data.
    """
    record_id, rest = split_id(data)
    out = unpack(rest, 0, KEY_TABLE_V2, passthrough=SAME_AS_FIRST_PERSON)
    if not isinstance(out, dict) or "id" in out:
        raise ValueError("record id written twice")
    persons = out.get("persons")
    _restore_family_names(persons)
    first_name = persons[0].get("name") if isinstance(persons, list) and persons else None
    answers = out.get("answers")
    if isinstance(answers, dict):
        for key, value in answers.items():
            if value is SAME_AS_FIRST_PERSON:
                if not first_name:
                    raise ValueError("an answer names a first person who has no name")
                answers[key] = dict(first_name)
    if _holds_marker(out):
        raise ValueError("undefined outside the answers")
    addresses = out.get("addresses")
    if isinstance(addresses, dict):
        for key, value in addresses.items():
            if isinstance(value, list):
                addresses[key] = _address_back(value)
    out["id"] = record_id
    return out
