"""The questions the site asks: the templates' own (less what is left for the counter) and
the items of every person that decide which persons a group lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from forms.bundle import Question, questions
from forms.fill import Slot
from forms.paths import parse_path
from forms.record import SessionRecord
from forms.template import FieldSpec, Template
from forms.text import Text
from preentry.catalogue import NOT_ASKED_TYPES


def is_asked(question: Question) -> bool:
    return question.slot.spec.type not in NOT_ASKED_TYPES and not question.slot.path.read_only


RELATION_SPEC = FieldSpec(
    id="relation",
    type="select",
    label=Text(ja="世帯主との続柄", en="Relationship to the householder"),
    help=Text(
        ja="住民票に書かれる続柄から選んでください（子は長男・長女ではなく「子」です）",
        en="as written on the residence record (a son or daughter is 子, child)",
    ),
    required=True,
    options_from="relation",
)


BIRTH_SPEC = FieldSpec(
    id="birth_date",
    type="date",
    label=Text(ja="世帯の方の生年月日", en="Date of birth of each person"),
    required=True,
)
DIED_SPEC = FieldSpec(
    id="died_on",
    type="date",
    label=Text(ja="亡くなった日（亡くなった方だけ）", en="Date of death (only for the deceased)"),
)


def relation_questions(
    templates: Sequence[Template], record: SessionRecord, known: set[str]
) -> list[Question]:
    """Items of every person that decide which persons a group lists.

    `person[N].relation` when a group picks persons by relation: a children's or spouse's
    group has no instances until the relations are known, and no template may ask the
    relation outside such a group, so the site asks it for everyone; likewise the birth date
    when a group picks persons by age (後期高齢者医療: 75 or older), and the date of death when
    one picks the deceased (おくやみ). The group's own items follow once these are in (see
    `Submission.new_questions`); asking them for everyone keeps a person whose age rules them
    out from coming back on the next round.
    """
    groups = [g for t in templates for g in t.groups]
    wanted: list[tuple[str, FieldSpec]] = []
    if any(g.relations is not None or (g.persons and g.persons.relations) for g in groups):
        wanted.append(("relation", RELATION_SPEC))
    if any(g.persons and (g.persons.age or g.persons.school_year_age) for g in groups):
        wanted.append(("birth_date", BIRTH_SPEC))
    if any(g.deceased_first or (g.persons and g.persons.deceased is not None) for g in groups):
        wanted.append(("died_on", DIED_SPEC))
    out = []
    for n in range(len(record.persons)):
        for attribute, spec in wanted:
            path = parse_path(f"person[{n}].{attribute}")
            if path.text not in known:
                out.append(Question(path.text, Slot(path.text, spec, path), []))
    return out


def asked_questions(templates: Sequence[Template], record: SessionRecord) -> list[Question]:
    asked = [q for q in questions(list(templates), record) if is_asked(q)]
    return asked + relation_questions(templates, record, {q.path for q in asked})


def spec_of(q: Question, by_id: Mapping[str, Template]) -> tuple[FieldSpec, Any, int | None]:
    """The spec, group and instance a question is shown with: a person's item shared by a
    group and a top-level field (the notifier is also the first person moving) goes with
    that person, under the group's label."""
    spec, group, index = q.slot.spec, q.slot.group, q.slot.index
    if group is None:
        for template_id, ref in q.uses:
            if "[" in ref:
                spec, group, index = by_id[template_id].resolve_ref(ref)
                break
    return spec, group, index
