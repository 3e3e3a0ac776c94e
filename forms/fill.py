"""Filling a template from the session record, validating it, and writing edits back.

A field's value *is* the record's value at the field's prefill path: an edit on the review
screen goes into the record, so every other form of the bundle that reads the same path sees
it too (nothing is asked twice).

**Held persons.** Which persons a person group lists depends on the record (ages from birth
dates, 続柄), so it changes while the resident types. A screen that asks about one person may
*hold* them (`Held`: (template id, group id) → person indexes): a held person stays listed by
the groups that listed them whatever the filter now says, so their page keeps its items until
the resident leaves it (`kiosk.flow.review`). Without a hold, membership is the filters' alone.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.era import age_on, to_japanese
from forms.errors import FieldError, FieldValueError, ValidationFailed
from forms.fields import coerce, display, is_empty
from forms.paths import Path, get_value, parse_path, set_value
from forms.record import SessionRecord, Sex
from forms.sex_question import (
    SexQuestion,
    is_sex_slot,
    needs_answer,
    question_error,
    sex_to_print,
)
from forms.template import FieldSpec, GroupSpec, Template

# (template id, group id) → the persons that group keeps listing (see the module docstring)
Held = Mapping[tuple[str, str], Collection[int]]


def held_in(held: Held | None, template: Template, group: GroupSpec) -> Collection[int]:
    return () if not held else held.get((template.id, group.id), ())


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


def group_person_indexes(
    group: GroupSpec, record: SessionRecord, held: Collection[int] = ()
) -> list[int]:
    """Which persons of the record the group's instances stand for, in order, up to max.

    Ages in `group.persons` are counted on the record's day (`record.today`). A person the
    filter cannot judge yet (no birth date typed) is listed, so the form asks for it; once it
    is known, the person stays only if they match, or if they are `held` (their page is on
    screen: see the module docstring).
    """
    people = list(enumerate(record.persons))
    if group.deceased_first and any(p.died_on is not None for _, p in people):
        people = [(n, p) for n, p in people if p.died_on is not None or n in held]
    chosen = [
        n
        for n, person in people
        if n in held
        or (
            (group.relations is None or person.relation in group.relations)
            and (
                group.persons is None
                or group.persons.test(person, n, record, record.today) is not False
            )
        )
    ]
    return chosen[: group.max or 0]


class _Plan:
    """What a template's slots are, as far as that does not depend on the record.

    Top-level slots and every parsed prefill path depend on the template only; a group
    instance's slots depend only on its position and the person it stands for. A plan is
    made once per template object (templates are not changed once loaded: a published
    version is immutable, an edited draft is a new object) and dropped with it.
    """

    __slots__ = ("_group_paths", "_instances", "_required_when", "groups", "top")

    def __init__(self, template: Template) -> None:
        self.top = tuple(Slot(s.id, s, parse_path(template.prefill_of(s))) for s in template.fields)
        self.groups = tuple(template.groups)
        self._group_paths: dict[int, tuple[tuple[FieldSpec, Path], ...]] = {}
        self._instances: dict[tuple[int, int, int], tuple[Slot, ...]] = {}
        self._required_when: dict[int, tuple[FieldSpec, Path]] = {}

    def group_slots(
        self, template: Template, n: int, i: int, person_index: int
    ) -> tuple[Slot, ...]:
        """The slots of instance `i` of the template's `n`-th group, for that person."""
        key = (n, i, person_index)
        found = self._instances.get(key)
        if found is not None:
            return found
        group = self.groups[n]
        paths = self._group_paths.get(n)
        if paths is None:  # parsed on first use only, as when every fill parsed them
            paths = tuple((spec, parse_path(template.prefill_of(spec))) for spec in group.fields)
            self._group_paths[n] = paths
        out = []
        for spec, base in paths:
            path = base
            if base.starred:
                path = base.bind(person_index)
            elif base.root == "answers":  # per instance, so instances don't share answers
                path = parse_path(f"{base.text}.{i}")
            out.append(Slot(f"{group.id}[{i}].{spec.id}", spec, path, group, i))
        found = tuple(out)
        if len(self._instances) < _MAX_INSTANCES:
            self._instances[key] = found
        return found

    def required_when_path(self, template: Template, spec: FieldSpec) -> Path:
        """The parsed prefill path of the field `spec.required_when` names."""
        assert spec.required_when is not None
        entry = self._required_when.get(id(spec))
        if entry is not None and entry[0] is spec:
            return entry[1]
        other = template.field(spec.required_when.field)
        path = parse_path(template.prefill_of(other))
        self._required_when[id(spec)] = (spec, path)  # holding `spec` keeps its id unique
        return path


_MAX_INSTANCES = 512  # group instances cached per template (a few per person index)
_plans: dict[int, tuple[weakref.ref[Template], _Plan]] = {}


def _plan(template: Template) -> _Plan:
    key = id(template)
    entry = _plans.get(key)
    if entry is not None and entry[0]() is template:
        return entry[1]
    plan = _Plan(template)
    _plans[key] = (weakref.ref(template, lambda _: _plans.pop(key, None)), plan)
    return plan


def _instance_slots(
    plan: _Plan,
    template: Template,
    record: SessionRecord,
    counts: dict[str, int] | None,
    held: Held | None = None,
) -> list[tuple[Slot, ...]]:
    out = []
    for n, group in enumerate(plan.groups):
        indexes = group_person_indexes(group, record, held_in(held, template, group))
        count = max(len(indexes), group.min)
        if counts is not None:
            counts[group.id] = count
        for i in range(count):
            person_index = indexes[i] if i < len(indexes) else len(record.persons) + i
            out.append(plan.group_slots(template, n, i, person_index))
    return out


def slots(template: Template, record: SessionRecord, held: Held | None = None) -> list[Slot]:
    plan = _plan(template)
    out = list(plan.top)
    for instance in _instance_slots(plan, template, record, None, held):
        out.extend(instance)
    return out


def is_required(spec: FieldSpec, record: SessionRecord, template: Template) -> bool:
    """`required`, or `required_when` the named field currently has one of the values."""
    if spec.required:
        return True
    cond = spec.required_when
    if cond is None:
        return False
    value = get_value(record, _plan(template).required_when_path(template, spec))
    if isinstance(value, bool):
        value = "true" if value else "false"
    return value in cond.values


def fill(template: Template, record: SessionRecord, held: Held | None = None) -> FilledForm:
    """Read every slot from the record, clean it, and collect every error (not just the first)."""
    form = FilledForm(template)
    plan = _plan(template)
    instances = _instance_slots(plan, template, record, form.group_counts, held)
    values = form.values
    errors = form.errors
    for slot in itertools.chain(plan.top, *instances):
        raw = get_value(record, slot.path)
        if is_empty(raw):
            if is_required(slot.spec, record, template):
                errors.append(field_error(slot, "入力してください", "this item is required"))
            continue
        try:
            values[slot.ref] = _clean(slot, raw, record)
        except FieldValueError as exc:
            errors.append(field_error(slot, exc.ja, exc.en, exc.code))
    for group in template.groups:
        if form.group_counts[group.id] < group.min:
            errors.append(
                FieldError(group.id, f"{group.min}人以上必要です", f"at least {group.min} needed")
            )
    return form


def field_error(slot: Slot, ja: str, en: str, code: str = "invalid") -> FieldError:
    """An error on `slot`, naming the field by its path and its label."""
    label = slot.spec.label
    return FieldError(slot.ref, ja, en, label_ja=label.ja, label_en=label.en, code=code)


def _person_sex_slot(slot: Slot) -> bool:
    path = slot.path
    return (
        path.index is not None
        and path.parts[0] == "sex"
        and is_sex_slot(slot.spec, path.kind, path.root)
    )


def _clean(slot: Slot, raw: Any, record: SessionRecord) -> Any:
    """The slot's clean value, with the rules that need the record (sex question, age)."""
    if _person_sex_slot(slot):
        assert slot.path.index is not None
        chosen = sex_to_print(record.persons[slot.path.index], slot.spec)
        if chosen is None:
            raise question_error()
        raw = chosen
    value = coerce(slot.spec, raw)
    if slot.spec.min_age is not None:
        _check_age(slot.spec.min_age, value, record)
    return value


def _check_age(minimum: int, birth: Any, record: SessionRecord) -> None:
    if age_on(birth, record.today) < minimum:
        raise FieldValueError(
            f"{minimum}歳以上の方に限ります（{to_japanese(record.today)}現在）",
            f"only for persons aged {minimum} or over (on {record.today.isoformat()})",
        )


def set_field(
    template: Template, record: SessionRecord, ref: str, raw: Any, held: Held | None = None
) -> Any:
    """Validate one edited value and write it into the record; returns the clean value.

    Raises FieldValueError (with the reason, never the value) and leaves the record untouched.
    The sex of a person whose card said 適用不能 or 不明 is not overwritten: an edit of a
    form's sex field is their answer for such forms (`person[N].sex_for_forms`).
    """
    slot = next((s for s in slots(template, record, held) if s.ref == ref), None)
    if slot is None:
        raise KeyError(ref)
    value = None if is_empty(raw) and not isinstance(raw, bool) else coerce(slot.spec, raw)
    if value is not None and slot.spec.min_age is not None:
        _check_age(slot.spec.min_age, value, record)
    path = slot.path
    if _person_sex_slot(slot) and path.index is not None and path.index < len(record.persons):
        person = record.persons[path.index]
        if person.sex is not None and (
            person.sex_for_forms is not None or needs_answer(person, slot.spec)
        ):
            path = parse_path(f"person[{path.index}].sex_for_forms")
    set_value(record, path, value)
    return value


def sex_questions(templates: list[Template], record: SessionRecord) -> list[SexQuestion]:
    """Every person the kiosk must ask before these forms can be filled, in person order."""
    asked: dict[int, set[str]] = {}
    for template in templates:
        for slot in slots(template, record):
            path = slot.path
            if not is_sex_slot(slot.spec, path.kind, path.root) or path.index is None:
                continue
            if path.index >= len(record.persons) or path.parts[0] != "sex":
                continue
            if needs_answer(record.persons[path.index], slot.spec):
                asked.setdefault(path.index, set(slot.spec.option_values()))
                asked[path.index] &= set(slot.spec.option_values())
    order = [c.value for c in Sex]
    return [
        SexQuestion(n, tuple(v for v in order if v in allowed))
        for n, allowed in sorted(asked.items())
    ]
