"""Prefill paths: where in the session record a template field reads and writes its value.

Grammar (checked when a template loads; a path that names nothing is a template error):

    card.{name|address|birth_date|sex|kana|individual_number}   read-only: as the card said
    person[N].{name|kana|birth_date|sex|sex_for_forms|relation|nationality|died_on}   N, or * in a group
    person[N].{name|kana}.{family|given}
    address.KEY[.{postal_code|prefecture|city|rest}]           KEY e.g. current, new, old
    date.KEY                                                   e.g. date.move
    answers.KEY                                                KEY any dotted identifier
    qr.KEY                                                     values carried by a pre-entry QR
    session.{today|id}
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from forms.errors import PathError
from forms.record import Address, Person, PersonName, SessionRecord

_PATH = re.compile(
    r"^(?P<root>card|person|address|date|answers|qr|session)"
    r"(?:\[(?P<index>\d+|\*)\])?"
    r"(?P<rest>(?:\.[A-Za-z0-9_]+)*)$"
)

CARD_ATTRS = {
    "name": "text",
    "address": "text",
    "birth_date": "date",
    "sex": "sex",
    "kana": "text",
    "individual_number": "individual_number",
}
PERSON_ATTRS = {
    "name": "person_name",
    "kana": "person_name",
    "birth_date": "date",
    "sex": "sex",
    "sex_for_forms": "sex",
    "relation": "text",
    "nationality": "text",
    "died_on": "date",
}
ADDRESS_PARTS = {"postal_code": "postal_code", "prefecture": "text", "city": "text", "rest": "text"}
SESSION_ATTRS = {"today": "date", "id": "text"}

# Which field types may bind to a path of each kind ("any" binds to everything).
COMPATIBLE: dict[str, set[str]] = {
    "text": {"text", "kana", "free_text", "select"},
    "person_name": {"person_name"},
    "name_part": {"text", "kana"},
    "date": {"date"},
    "sex": {"select"},
    "address": {"address"},
    "postal_code": {"postal_code", "text"},
    "individual_number": {"individual_number"},
}


@dataclass(frozen=True)
class Path:
    text: str
    root: str
    index: int | None  # None: no index, or * (bound later by the group instance)
    starred: bool
    parts: tuple[str, ...]
    kind: str  # what it holds: a key of COMPATIBLE, or "any"

    @property
    def read_only(self) -> bool:
        return self.root in ("card", "session")

    def bind(self, index: int) -> Path:
        """A starred path (`person[*].kana`) for one group instance."""
        if not self.starred:
            return self
        text = self.text.replace("[*]", f"[{index}]", 1)
        return Path(text, self.root, index, False, self.parts, self.kind)


@functools.lru_cache(maxsize=4096)
def parse_path(text: str) -> Path:
    """Parse and check a path; cached, since every fill parses every slot's path."""
    m = _PATH.match(text)
    if not m:
        raise PathError(text, "書式が不正", "malformed path")
    root, index_text = m["root"], m["index"]
    parts = tuple(p for p in m["rest"].split(".") if p)
    if (root == "person") != (index_text is not None):
        raise PathError(text, "添字は person にだけ付けます", "only person takes an index")
    kind = _kind(text, root, parts)
    starred = index_text == "*"
    index = None if index_text is None or starred else int(index_text)
    return Path(text, root, index, starred, parts, kind)


def _kind(text: str, root: str, parts: tuple[str, ...]) -> str:
    def fail(ja: str, en: str) -> PathError:
        return PathError(text, ja, en)

    match root:
        case "card" | "session":
            attrs = CARD_ATTRS if root == "card" else SESSION_ATTRS
            if len(parts) != 1 or parts[0] not in attrs:
                raise fail(f"{root} の項目名が不明", f"unknown {root} item")
            return attrs[parts[0]]
        case "person":
            if not parts or parts[0] not in PERSON_ATTRS:
                raise fail("人の項目名が不明", "unknown person item")
            if len(parts) == 1:
                return PERSON_ATTRS[parts[0]]
            if len(parts) == 2 and parts[0] in ("name", "kana") and parts[1] in ("family", "given"):
                return "name_part"
            raise fail("人の項目名が不明", "unknown person item")
        case "address":
            if len(parts) == 1:
                return "address"
            if len(parts) == 2 and parts[1] in ADDRESS_PARTS:
                return ADDRESS_PARTS[parts[1]]
            raise fail("住所の項目名が不明", "unknown address item")
        case "date":
            if len(parts) != 1:
                raise fail("date.名前 の形で指定します", "use date.NAME")
            return "date"
        case _:  # answers, qr: free keys
            if not parts:
                raise fail("キーがありません", "missing key")
            return "any"


def get_value(record: SessionRecord, path: Path) -> Any:
    """The value at `path`, or None when the record has nothing there yet."""
    if path.starred:
        raise PathError(path.text, "グループ外で * は使えません", "* outside a group")
    match path.root:
        case "card":
            return getattr(record.card, path.parts[0]) if record.card else None
        case "session":
            return record.today if path.parts[0] == "today" else str(record.id)
        case "person":
            if path.index is None or path.index >= len(record.persons):
                return None
            value: Any = getattr(record.persons[path.index], path.parts[0])
            if len(path.parts) == 2:
                value = getattr(value, path.parts[1]) if value is not None else None
            return value
        case "address":
            address = record.addresses.get(path.parts[0])
            if address is None or len(path.parts) == 1:
                return address
            return getattr(address, path.parts[1])
        case "date":
            return record.dates.get(path.parts[0])
        case "answers":
            return record.answers.get(".".join(path.parts))
        case _:
            return record.qr.get(".".join(path.parts))


def set_value(record: SessionRecord, path: Path, value: Any) -> None:
    """Write a clean value (as the field type produced it) back into the record."""
    if path.read_only or path.starred:
        raise PathError(path.text, "書き込みできません", "read-only path")
    match path.root:
        case "person":
            assert path.index is not None
            person: Person = record.person(path.index)
            attr = path.parts[0]
            if len(path.parts) == 2:
                current = getattr(person, attr) or PersonName()
                value = current.model_copy(update={path.parts[1]: value or ""})
            if attr in ("sex", "sex_for_forms") and value == "":
                value = None
            elif attr in ("relation", "nationality") and value is None:
                value = ""  # plain-text attributes: cleared means empty, never None
            setattr(person, attr, value)
        case "address":
            key = path.parts[0]
            if len(path.parts) == 1:
                if value is None:
                    record.addresses.pop(key, None)
                else:
                    record.addresses[key] = value
            else:
                current = record.addresses.get(key) or Address()
                record.addresses[key] = current.model_copy(update={path.parts[1]: value or ""})
        case "date":
            _set_or_pop(record.dates, path.parts[0], value)
        case "answers":
            _set_or_pop(record.answers, ".".join(path.parts), value)
        case _:
            _set_or_pop(record.qr, ".".join(path.parts), value)


def _set_or_pop(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
