"""Filling a template from the session record, validating it, and writing edits back.

A field's value *is* the record's value at the field's prefill path: an edit on the review
screen goes into the record, so every other form of the bundle that reads the same path sees
it too (nothing is asked twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forms.errors import FieldError, FieldValueError, ValidationFailed
from forms.fields import coerce, display, is_empty
from forms.paths import Path, get_value, parse_path, set_value
from forms.record import SessionRecord
from forms.template import FieldSpec, GroupSpec, Template


@dataclass(frozen=True)
class Slot:
    """One fillable place of a form: a field, or a field of one group instance."""

    ref: str  # `name` or `movers[1].kana`: how layouts and exports address it
    spec: FieldSpec
    path: Path
    group: GroupSpec | None = None
    index: int | None = None


@dataclass
class FilledForm:
    template: Template
    values: dict[str, Any] = field(default_factory=dict)  # ref → clean value
    errors: list[FieldError] = field(default_factory=list)
    group_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self, ref: str, part: str | None = None) -> str:
        spec, _, _ = self.template.resolve_ref(ref)
        return display(spec, self.values.get(ref), part)

    def fee(self) -> int:
        return self.template.fee_for(self.values)

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def group_person_indexes(group: GroupSpec, record: SessionRecord) -> list[int]:
    """Which persons of the record the group's instances stand for, in order, up to max."""
    chosen = [
        n
        for n, person in enumerate(record.persons)
        if group.relations is None or person.relation in group.relations
    ]
    return chosen[: group.max or 0]


def slots(template: Template, record: SessionRecord) -> list[Slot]:
    out = [Slot(s.id, s, parse_path(template.prefill_of(s))) for s in template.fields]
    for group in template.groups:
        indexes = group_person_indexes(group, record)
        count = max(len(indexes), group.min)
        for i in range(count):
            person_index = indexes[i] if i < len(indexes) else len(record.persons) + i
            for spec in group.fields:
                path = parse_path(template.prefill_of(spec))
                if path.starred:
                    path = path.bind(person_index)
                elif path.root == "answers":  # per instance, so instances don't share answers
                    path = parse_path(f"{path.text}.{i}")
                out.append(Slot(f"{group.id}[{i}].{spec.id}", spec, path, group, i))
    return out


def is_required(spec: FieldSpec, record: SessionRecord, template: Template) -> bool:
    """`required`, or `required_when` the named field currently has one of the values."""
    if spec.required:
        return True
    cond = spec.required_when
    if cond is None:
        return False
    other = template.field(cond.field)
    value = get_value(record, parse_path(template.prefill_of(other)))
    if isinstance(value, bool):
        value = "true" if value else "false"
    return value in cond.values


def fill(template: Template, record: SessionRecord) -> FilledForm:
    """Read every slot from the record, clean it, and collect every error (not just the first)."""
    form = FilledForm(template)
    for group in template.groups:
        form.group_counts[group.id] = max(len(group_person_indexes(group, record)), group.min)
    for slot in slots(template, record):
        raw = get_value(record, slot.path)
        if is_empty(raw):
            if is_required(slot.spec, record, template):
                form.errors.append(
                    FieldError(slot.ref, "入力してください", "this item is required")
                )
            continue
        try:
            form.values[slot.ref] = coerce(slot.spec, raw)
        except FieldValueError as exc:
            form.errors.append(FieldError(slot.ref, exc.ja, exc.en))
    for group in template.groups:
        if form.group_counts[group.id] < group.min:
            form.errors.append(
                FieldError(group.id, f"{group.min}人以上必要です", f"at least {group.min} needed")
            )
    return form


def set_field(template: Template, record: SessionRecord, ref: str, raw: Any) -> Any:
    """Validate one edited value and write it into the record; returns the clean value.

    Raises FieldValueError (with the reason, never the value) and leaves the record untouched.
    """
    slot = next((s for s in slots(template, record) if s.ref == ref), None)
    if slot is None:
        raise KeyError(ref)
    value = None if is_empty(raw) and not isinstance(raw, bool) else coerce(slot.spec, raw)
    set_value(record, slot.path, value)
    return value
