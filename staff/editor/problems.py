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
    text: str  # in words for people (`describe`), Japanese / English
    location: Location
    raw: str = ""  # as `parse_template` worded it (path: message), for logs and tests

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


# -- words for people ------------------------------------------------------------------------
#
# `describe` turns a problem as `parse_template` words it ("fields.1.max_length: Input should be
# a valid integer") into what the editor shows: the field named by its label, the setting by
# its name, pydantic's message in Japanese and English:
# 「世帯主の氏名」（householder_name）の最大文字数: 整数を入れてください /
# "Householder's name" (householder_name) maximum length: enter a whole number

ATTRIBUTES: dict[str, tuple[str, str]] = {
    "id": ("ID", "ID"),
    "type": ("型", "type"),
    "label": ("項目名", "label"),
    "help": ("説明", "help text"),
    "required": ("必須", "required"),
    "max_length": ("最大文字数", "maximum length"),
    "min": ("最小数", "minimum"),
    "max": ("最大数", "maximum"),
    "options": ("選択肢", "options"),
    "prefill": ("自動入力", "prefill"),
    "relations": ("続柄", "relations"),
    "fields": ("項目", "fields"),
    "x": ("横位置", "x"),
    "y": ("縦位置", "y"),
    "w": ("幅", "width"),
    "h": ("高さ", "height"),
    "field": ("項目", "field"),
    "font_size": ("文字の大きさ", "font size"),
    "title": ("様式名", "title"),
    "version": ("版", "version"),
    "legal_basis": ("根拠法令", "legal basis"),
    "uses_individual_number": ("個人番号の利用", "use of the individual number"),
    "uses_licence_domicile": ("運転免許証の本籍の利用", "use of the licence's domicile"),
    "licence_domicile": ("本籍（運転免許証から）", "domicile (from the licence)"),
    "fee_per_field": ("手数料の項目", "fee field"),
    "export": ("基幹システム出力", "export mapping"),
    "required_when": ("必須になる条件", "required when"),
    "layout": ("印刷レイアウト", "print layout"),
    "pages": ("ページ", "pages"),
    "boxes": ("枠", "boxes"),
}

_MESSAGES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^Input should be a valid integer"), "整数を入れてください", "enter a whole number"),
    (re.compile(r"^Input should be a valid number"), "数を入れてください", "enter a number"),
    (re.compile(r"^Input should be a valid string"), "文字を入れてください", "enter text"),
    (re.compile(r"^Input should be a valid boolean"), "はい・いいえで答えてください", "answer yes or no"),
    (re.compile(r"^Input should be a valid (list|array)"), "一覧にしてください", "must be a list"),
    (re.compile(r"^Input should be a valid dictionary"), "対応表にしてください", "must be a mapping"),
    (re.compile(r"^Field required"), "入力が必要です", "is required"),
    (re.compile(r"^Extra inputs are not permitted"), "この設定はありません", "is not a setting"),
    (re.compile(r"^Input should be greater than or equal to (\S+)"), "{0} 以上にしてください", "must be at least {0}"),
    (re.compile(r"^Input should be less than or equal to (\S+)"), "{0} 以下にしてください", "must be at most {0}"),
    (re.compile(r"^Input should be greater than (\S+)"), "{0} より大きくしてください", "must be more than {0}"),
    (re.compile(r"^Input should be less than (\S+)"), "{0} より小さくしてください", "must be less than {0}"),
    (re.compile(r"^String should have at least (\d+) character"), "{0} 文字以上にしてください", "needs at least {0} character(s)"),
    (re.compile(r"^String should have at most (\d+) character"), "{0} 文字以下にしてください", "allows at most {0} character(s)"),
    (re.compile(r"^List should have at least (\d+) item"), "{0} 件以上必要です", "needs at least {0} item(s)"),
    (re.compile(r"^String should match pattern"), "形式が違います", "has the wrong form"),
    (re.compile(r"^Input should be (('[^']*'(, | or )?)+)"), "次のどれかにしてください: {0}", "must be one of {0}"),
]  # fmt: skip


def _label(item: Any) -> tuple[str, str]:
    label = item.get("label") if isinstance(item, dict) else None
    if isinstance(label, dict):
        ja, en = str(label.get("ja") or ""), str(label.get("en") or label.get("ja") or "")
    elif isinstance(label, str):
        ja = en = label
    else:
        ja = en = ""
    return ja, en


def _item_name(item: Any, ja_word: str, en_word: str, number: int) -> tuple[str, str]:
    """「氏名」（name） / "Name" (name); an item without a label by its kind and number."""
    ja, en = _label(item)
    ident = item.get("id") if isinstance(item, dict) else None
    tail = f"（{ident}）" if ident else ""
    tail_en = f" ({ident})" if ident else ""
    if ja:
        return f"「{ja}」{tail}", f'"{en}"{tail_en}'
    return f"{ja_word} {number}{tail}", f"{en_word} {number}{tail_en}"


def _subject(where: str, data: dict[str, Any]) -> tuple[str, str, str]:
    """(ja, en, the rest of the path) for the thing a problem concerns."""
    location = locate(where + ":", data)
    rest = where
    if location.kind == "field":
        fields = data.get("fields")
        if location.group is not None:
            groups = data.get("groups") or []
            group = groups[location.group] if location.group < len(groups) else {}
            fields = group.get("fields") if isinstance(group, dict) else None
        item = (
            fields[location.index]
            if isinstance(fields, list)
            and location.index is not None
            and location.index < len(fields)
            else {}
        )
        ja, en = _item_name(item, "項目", "field", (location.index or 0) + 1)
        rest = re.sub(r"^(groups\.[^.]+\.)?fields\.[^.\[]+(\[\]\.[^.]+)?\.?", "", where)
        rest = re.sub(r"^groups\.\d+\.fields\.\d+\.?", "", rest)
        return ja, en, rest
    if location.kind == "group":
        groups = data.get("groups") or []
        item = (
            groups[location.index]
            if location.index is not None and location.index < len(groups)
            else {}
        )
        ja, en = _item_name(item, "繰返し", "group", (location.index or 0) + 1)
        return ja, en, re.sub(r"^groups\.[^.]+\.?", "", where)
    if location.kind == "box":
        page, box = (location.page or 0) + 1, (location.index or 0) + 1
        rest = re.sub(
            r"^layout\.pages(\.\d+|\[\d+\])\.boxes(\.\d+|\[\d+\])( \([^)]*\))?\.?", "", where
        )
        return f"{page} ページ目の枠 {box}", f"box {box} on page {page}", rest
    if location.kind == "page":
        page = (location.page or 0) + 1
        return (
            f"{page} ページ目",
            f"page {page}",
            re.sub(r"^layout\.pages(\.\d+|\[\d+\])\.?", "", where),
        )
    return "", "", where


def _attribute(path: str) -> tuple[str, str]:
    words = [w for w in re.split(r"[.\[\]]+", path) if w and not w.isdigit()]
    if not words:
        return "", ""
    ja, en = ATTRIBUTES.get(words[-1], (words[-1], words[-1].replace("_", " ")))
    return ja, en


def _message(text: str) -> tuple[str, str]:
    text = text.strip()
    if text.startswith("Value error, "):
        text = text.removeprefix("Value error, ")
    if " / " in text:  # our own checks are bilingual already
        ja, _, en = text.partition(" / ")
        return ja, en
    for pattern, ja, en in _MESSAGES:
        m = pattern.match(text)
        if m:
            return ja.format(*m.groups()), en.format(*m.groups())
    return f"値が正しくありません（{text}）", f"invalid value ({text})"


def describe(problem: str, data: dict[str, Any]) -> str:
    """The problem in words for the person editing (see above); never pydantic's path."""
    where, sep, message = problem.partition(": ")
    if not sep or " " in where.split("(")[0].strip():
        return problem  # not "path: message" (e.g. malformed YAML): already worded
    subject_ja, subject_en, rest = _subject(where, data)
    attr_ja, attr_en = _attribute(rest)
    msg_ja, msg_en = _message(message)
    if not subject_ja:  # a template setting
        subject_ja, subject_en = attr_ja or "様式", attr_en or "template"
        attr_ja = attr_en = ""
    head_ja = f"{subject_ja}の{attr_ja}" if attr_ja else subject_ja
    head_en = f"{subject_en} {attr_en}" if attr_en else subject_en
    return f"{head_ja}: {msg_ja} / {head_en}: {msg_en}"
