"""Where a template problem belongs: a field row, a layout box, a group, or the template.

`forms.template.parse_template` words problems two ways: pydantic's by position
(`fields.3.max_length: …`, `layout.pages.0.boxes.2.w: …`) and the semantic checks by id
(`fields.name: …`, `fields.movers[].kana.prefill: …`, `layout.pages[1].boxes[4] (name): …`,
pages counted from 1). `locate` turns either into a `Location` the editor can highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ID = r"[a-z][a-z0-9_]*"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("field_pos", re.compile(r"^fields\.(\d+)(?:[.:]|$)")),
    ("group_field_pos", re.compile(r"^groups\.(\d+)\.fields\.(\d+)(?:[.:]|$)")),
    ("group_pos", re.compile(r"^groups\.(\d+)(?:[.:]|$)")),
    ("box_pos", re.compile(r"^layout\.pages\.(\d+)\.boxes\.(\d+)(?:[.:]|$)")),
    ("page_pos", re.compile(r"^layout\.pages\.(\d+)(?:[.:]|$)")),
    ("group_field_id", re.compile(rf"^fields\.({_ID})\[\]\.({_ID})(?:[.:]|$)")),
    ("group_field_id", re.compile(rf"^groups\.({_ID})\.fields\.({_ID})(?:[.:]|$)")),
    ("field_id", re.compile(rf"^fields\.({_ID})(?:[.:]|$)")),
    ("group_id", re.compile(rf"^groups\.({_ID})(?:[.:]|$)")),
    ("box_num", re.compile(r"^layout\.pages\[(\d+)\]\.boxes\[(\d+)\]")),
    ("page_num", re.compile(r"^layout\.pages\[(\d+)\]")),
]


@dataclass(frozen=True)
class Location:
    """kind: "field" (group, index), "box" (page from 0, index), "group" (index), "page",
    "template" (a setting such as id, version, title, legal basis, or the export mapping)."""

    kind: str
    index: int | None = None
    group: int | None = None
    page: int | None = None


TEMPLATE = Location("template")


@dataclass(frozen=True)
class Problem:
    text: str
    location: Location

    def __str__(self) -> str:
        return self.text


def locate(problem: str, data: dict[str, Any]) -> Location:
    for kind, pattern in _PATTERNS:
        m = pattern.match(problem)
        if m is None:
            continue
        found = _resolve(kind, m.groups(), data)
        if found is not None:
            return found
    return TEMPLATE


def _resolve(kind: str, parts: tuple[str, ...], data: dict[str, Any]) -> Location | None:
    match kind:
        case "field_pos":
            return Location("field", int(parts[0]))
        case "group_field_pos":
            return Location("field", int(parts[1]), group=int(parts[0]))
        case "group_pos":
            return Location("group", int(parts[0]))
        case "box_pos":
            return Location("box", int(parts[1]), page=int(parts[0]))
        case "page_pos":
            return Location("page", page=int(parts[0]))
        case "box_num":
            return Location("box", int(parts[1]), page=int(parts[0]) - 1)
        case "page_num":
            return Location("page", page=int(parts[0]) - 1)
        case "field_id":
            index = _index_of(data.get("fields"), parts[0])
            if index is not None:
                return Location("field", index)
            group = _index_of(data.get("groups"), parts[0])
            return None if group is None else Location("group", group)
        case "group_field_id":
            group = _index_of(data.get("groups"), parts[0])
            if group is None:
                return None
            index = _index_of(data["groups"][group].get("fields"), parts[1])
            return Location("group", group) if index is None else Location("field", index, group)
        case "group_id":
            group = _index_of(data.get("groups"), parts[0])
            return None if group is None else Location("group", group)
    return None


def _index_of(items: Any, item_id: str) -> int | None:
    """The first item with this id (a duplicate id is reported on its first use)."""
    if not isinstance(items, list):
        return None
    return next(
        (n for n, item in enumerate(items) if isinstance(item, dict) and item.get("id") == item_id),
        None,
    )
