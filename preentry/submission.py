"""Reading a post: the posted fields, checked, written into a new record through
`forms.fill.set_field` and validated by `forms.fill.fill`, so the resident sees the kiosk's
messages word for word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.bundle import Bundle, Question
from forms.era import to_japanese
from forms.errors import FieldValueError
from forms.fields import coerce, display, is_empty
from forms.fill import fill, set_field, slots
from forms.guide import apply_fixed
from forms.navigator import apply_defaults
from forms.paths import get_value, set_value
from forms.record import SessionRecord
from forms.template import Template
from forms.text import Text
from preentry.catalogue import blank_record
from preentry.controls import ADDRESS_PARTS, NAME_PARTS, build_sections, item_path
from preentry.errors import MalformedPost
from preentry.i18n import Label
from preentry.questions import asked_questions
from preentry.sealed import FIELD_NAME as STATE_FIELD
from preentry.sealed import MAX_SEALED_CHARS

MAX_VALUE_CHARS = 2_000  # no field of any template is near this; longer posts are refused

_NAME = re.compile(r"^[A-Za-z0-9_.\[\]:]{1,200}$")


def parse_post(items: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Posted (name, value) pairs → lists by name; refuses junk rather than guessing."""
    if len(items) > 2_000:
        raise MalformedPost()
    out: dict[str, list[str]] = {}
    for name, value in items:
        limit = MAX_SEALED_CHARS if name == STATE_FIELD else MAX_VALUE_CHARS
        if not isinstance(value, str) or not _NAME.match(name) or len(value) > limit:
            raise MalformedPost()
        if "\ufffd" in value:  # bytes that were not UTF-8: no browser sends them
            raise MalformedPost()
        out.setdefault(name, []).append(value)
    return out


def _single(raw: Mapping[str, list[str]], key: str) -> str:
    values = raw.get(key, [])
    if len(values) > 1:
        raise MalformedPost()
    return values[0] if values else ""


def raw_value(q: Question, raw: Mapping[str, list[str]]) -> Any:
    """What `set_field` gets for a question: a string, parts as a dict, a list, or a bool."""
    spec = q.slot.spec
    match spec.type:
        case "person_name":
            parts = {p: _single(raw, f"{q.path}:{p}") for p, _ in NAME_PARTS}
            return parts if any(v.strip() for v in parts.values()) else None
        case "address":
            parts = {p: _single(raw, f"{q.path}:{p}") for p, _ in ADDRESS_PARTS}
            return parts if any(v.strip() for v in parts.values()) else None
        case "multi_select":
            return list(raw.get(q.path, [])) or None
        case "checkbox":
            # unticked is "not answered", as on a blank record (and costs no QR space)
            return True if _single(raw, q.path) == "on" else None
        case _:
            return _single(raw, q.path)


@dataclass
class Submission:
    record: SessionRecord
    errors: dict[str, Text]  # question path → message
    general: list[Text]  # problems that belong to no single question
    new_questions: list[str]  # paths that appeared only now (e.g. a child's group)
    defaulted: list[str] = field(default_factory=list)  # paths the bundle's defaults filled

    @property
    def ok(self) -> bool:
        return not (self.errors or self.general or self.new_questions)


def _write(template: Template, record: SessionRecord, q: Question, value: Any) -> None:
    """`set_field` by record path: group instances can move when a relation or a birth date
    changes. A path no slot holds right now (its person left a group chosen by age, until
    the next answer brings them back) is written as the question's own type."""
    slot = next((s for s in slots(template, record) if s.path.text == q.path), None)
    if slot is not None:
        set_field(template, record, slot.ref, value)
    else:
        set_value(record, q.slot.path, coerce(q.slot.spec, value))


def read_submission(
    templates: Sequence[Template],
    people: int,
    today: dt.date,
    raw: Mapping[str, list[str]],
    fixed: Mapping[str, Any] | None = None,
    *,
    bundle: Bundle | None = None,
) -> Submission:
    """Write every posted answer into a new record and validate each template over it (the
    answers a bundle fixes, `fixed`, are written first, as the kiosk does; then the
    bundle's `defaults` fill what is still empty, e.g. おくやみ's 届出日 from the date of
    death, before the forms are checked: a value the resident typed, or a target posted
    empty, is never replaced)."""
    record = blank_record(people, today)
    if fixed:
        apply_fixed(record, list(templates), fixed)
    by_id = {t.id: t for t in templates}
    shown = set(raw.get("_q", []))
    errors: dict[str, Text] = {}
    applied: set[str] = set()
    # A relation typed in one round can add a group instance (a child's items) in the next.
    for _ in range(4):
        pending = [q for q in asked_questions(templates, record) if q.path not in applied]
        if not pending:
            break
        for q in pending:
            applied.add(q.path)
            value = raw_value(q, raw)
            if value is None or value == "":
                continue  # the record is new: nothing to clear
            try:
                if q.uses:
                    _write(by_id[q.uses[0][0]], record, q, value)
                else:
                    set_value(record, q.slot.path, coerce(q.slot.spec, value))
            except FieldValueError as exc:
                errors.setdefault(q.path, Text(ja=exc.ja, en=exc.en))
    defaulted: list[str] = []
    if bundle is not None:
        # a target posted empty was emptied by the resident (the page showed the default's
        # value; `GuidedPages._follow_defaults` drops the others): left empty, as on the kiosk
        posted = {item_path(name) for name in raw}
        keep = {d.path for d in bundle.defaults if d.path in posted}
        defaulted = apply_defaults(bundle, record, keep=keep)
    asked_paths = {q.path for q in asked_questions(templates, record)}
    general: list[Text] = []
    for template in templates:
        form = fill(template, record)
        path_of = {s.ref: s.path.text for s in slots(template, record)}
        for err in form.errors:
            path = path_of.get(err.path)
            if path is None and err.path in {g.id for g in template.groups}:
                general.append(Text(ja=err.ja, en=err.en))
            elif path in asked_paths:
                errors.setdefault(path, Text(ja=err.ja, en=err.en))
    new = sorted(asked_paths - shown) if shown else []
    # Items the resident has not seen yet are shown next without a complaint.
    errors = {path: message for path, message in errors.items() if path not in new}
    return Submission(record, errors, general, new, defaulted)


def raw_entries(q: Question, value: Any) -> dict[str, list[str]]:
    """The posted controls that hold `value` for `q`, as a resident would type it (the
    inverse of `raw_value`): how a value the site filled in is shown in its controls."""
    spec = q.slot.spec
    if is_empty(value):
        return {}
    match spec.type:
        case "person_name":
            return {f"{q.path}:{p}": [getattr(value, p)] for p, _ in NAME_PARTS}
        case "address":
            return {f"{q.path}:{p}": [getattr(value, p)] for p, _ in ADDRESS_PARTS}
        case "multi_select":
            return {q.path: [str(v) for v in value]}
        case "checkbox":
            return {q.path: ["on"]} if value is True else {}
        case "date":
            return {q.path: [to_japanese(value)]}
    return {q.path: [str(getattr(value, "value", value))]}


def summary(
    templates: Sequence[Template], record: SessionRecord
) -> list[tuple[Label, list[tuple[Label, str]]]]:
    """Per section, (label, text as the kiosk shows it) of every answer, for a last check."""
    out = []
    for section in build_sections(templates, record, {}, {}):
        rows = []
        for view in section.questions:
            text = display(view.question.slot.spec, get_value(record, view.question.slot.path))
            if text:
                rows.append((view.label, text))
        if rows:
            out.append((section.title, rows))
    return out
