"""The HTML form of a procedure, built from the template model, and the reading of a post.

Everything the kiosk asks is asked here from the same templates: labels, required marks, help
and option lists come from `forms.template`; every value goes through `forms.fill.set_field`
and every form through `forms.fill.fill`, so the resident sees the kiosk's messages word for
word. Items the site never asks (the card's own data, the individual number, the signature)
are left for the counter.

Controls are named after the record path they write (`person[1].kana`, with `:family` etc.
for the parts of a name or an address), so a post maps onto the record without any state on
the server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.address import PREFECTURES
from forms.bundle import Question, questions
from forms.catalog import Catalog
from forms.errors import FieldValueError, MadoguchiError, UnknownTemplate
from forms.fields import coerce, display
from forms.fill import Slot, fill, set_field, slots
from forms.guide import TITLES, GroupKind, Guide, GuideGroup, apply_fixed
from forms.paths import get_value, parse_path, set_value
from forms.procedure import NotAnOption, Procedure, procedures_of
from forms.procedure import find_procedure as find_catalog_procedure
from forms.record import Person, SessionRecord
from forms.template import FieldSpec, Template
from forms.text import Text
from preentry.i18n import Label, Msg
from preentry.sealed import FIELD_NAME as STATE_FIELD
from preentry.sealed import MAX_SEALED_CHARS

# Types the site does not ask for: the individual number is taken at the counter from the
# card, for the templates whose law allows it; the signature is given on the kiosk's screen.
NOT_ASKED_TYPES = frozenset({"individual_number", "signature"})
MAX_VALUE_CHARS = 2_000  # no field of any template is near this; longer posts are refused
RADIO_LIMIT = 6  # up to this many options as radio buttons (large targets), else a <select>

NAME_PARTS = (("family", Msg("part.family")), ("given", Msg("part.given")))
KANA_PARTS = (("family", Msg("part.family_kana")), ("given", Msg("part.given_kana")))
ADDRESS_PARTS = (
    ("postal_code", Msg("part.postal_code")),
    ("prefecture", Msg("part.prefecture")),
    ("city", Msg("part.city")),
    ("rest", Msg("part.rest")),
)
DATE_HINT = Msg("hint.date")
KANA_HINT = Msg("hint.kana")


class MalformedPost(MadoguchiError):
    code = "malformed_post"

    def __init__(self) -> None:
        super().__init__(
            "送信された内容の形式が正しくありません", "the form data sent is not well formed"
        )


class TooManyPeople(MadoguchiError):
    code = "too_many_people"

    def __init__(self, low: int, high: int) -> None:
        super().__init__(
            f"人数は{low}人から{high}人の間で選んでください",
            f"choose between {low} and {high} people",
        )


# -- what is being filled in ------------------------------------------------------------------


def preenterable(template: Template) -> bool:
    """False when a required item can only come from the counter (card, signature, number).

    The kiosk validates a pre-entered payload in full, so such a form could never be used.
    """
    specs = [*template.fields, *(f for g in template.groups for f in g.fields)]
    return not any(
        spec.required
        and (spec.type in NOT_ASKED_TYPES or template.prefill_of(spec).startswith("card."))
        for spec in specs
    )


def _all_preenterable(procedure: Procedure) -> bool:
    return all(preenterable(t) for t in (*procedure.templates, *procedure.optional))


def procedures(catalog: Catalog) -> list[Procedure]:
    """Every bundle, then every template (newest version), that can be filled in at home."""
    return [p for p in procedures_of(catalog) if _all_preenterable(p)]


def find_procedure(catalog: Catalog, kind: str, procedure_id: str) -> Procedure:
    """Raises forms.errors.UnknownTemplate for an id the catalogue does not hold."""
    procedure = find_catalog_procedure(catalog, kind, procedure_id)
    if not _all_preenterable(procedure):
        raise UnknownTemplate(procedure_id)
    return procedure


def procedure_url(procedure: Procedure) -> str:
    return f"/{procedure.kind.value}/{procedure.id}"


def chosen_templates(procedure: Procedure, extra_ids: Sequence[str]) -> tuple[Template, ...]:
    """The procedure's forms plus the options asked for; a post naming others is malformed."""
    try:
        return procedure.chosen(extra_ids)
    except NotAnOption:
        raise MalformedPost() from None


def blank_record(people: int, today: dt.date) -> SessionRecord:
    return SessionRecord(today=today, persons=[Person() for _ in range(people)])


# -- controls ---------------------------------------------------------------------------------


@dataclass
class Control:
    """One HTML control (or one set of radios/checkboxes) of a question."""

    name: str
    html_id: str
    widget: str  # text | textarea | select | radio | checkbox | checkboxes
    label: Label | None = None  # for parts of a name or an address
    input_type: str = "text"
    inputmode: str | None = None
    autocomplete: str | None = None
    options: list[tuple[str, Text]] = field(default_factory=list)
    value: str = ""
    values: list[str] = field(default_factory=list)
    max_length: int | None = None


@dataclass
class QuestionView:
    question: Question
    html_id: str
    label: Label
    required: bool
    help: Label | None
    hint: Label | None
    controls: list[Control]
    error: Text | None = None

    @property
    def path(self) -> str:
        return self.question.path

    @property
    def grouped(self) -> bool:
        """Several controls (or choices) are wrapped in a fieldset with a legend."""
        return len(self.controls) > 1 or self.controls[0].widget in ("radio", "checkboxes")

    @property
    def described_by(self) -> str:
        ids = []
        if self.help or self.hint:
            ids.append(f"{self.html_id}-help")
        if self.error:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)


@dataclass
class Section:
    title: Label
    questions: list[QuestionView]


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


def _options(q: Question) -> list[tuple[str, Text]]:
    return [(o.value, Text(ja=o.ja, en=o.en)) for o in q.slot.spec.options]


def autocomplete_for(path: str, token: str | None) -> str | None:
    """The `autocomplete` value of a control by whose item it is: the resident's own items
    (`person[0]`, their current address, their phone) take the plain token; the agent's and
    the guarantor's their own section (`section-agent name`), so a browser never fills the
    resident's name there; the new address a section of its own; another person's name or
    birth date, or any other name, `off`."""
    if token is None:
        return None
    lowered = path.lower()
    if "guarantor" in lowered:
        return f"section-guarantor {token}"
    if path.startswith(("answers.agent_", "address.agent")):
        return f"section-agent {token}"
    if path.startswith("address.new") or path.startswith("address.destination"):
        return f"section-new {token}"
    if path.startswith(("person[0].", "address.current", "answers.applicant_phone")):
        return token
    if path.startswith("person[") or token in ("family-name", "given-name", "bday"):
        return "off"
    return token


def _controls(q: Question, html_id: str, raw: Mapping[str, list[str]]) -> list[Control]:
    name = q.path
    controls = _plain_controls(q, html_id, raw)
    for control in controls:
        control.autocomplete = autocomplete_for(name, control.autocomplete)
    return controls


def _plain_controls(q: Question, html_id: str, raw: Mapping[str, list[str]]) -> list[Control]:
    spec = q.slot.spec
    name = q.path

    def one(key: str) -> str:
        values = raw.get(key) or [""]
        return values[-1]

    match spec.type:
        case "person_name":
            parts = KANA_PARTS if spec.kana else NAME_PARTS
            auto = {"family": "family-name", "given": "given-name"}
            return [
                Control(
                    f"{name}:{part}",
                    f"{html_id}-{part}",
                    "text",
                    label=label,
                    autocomplete=None if spec.kana else auto[part],
                    value=one(f"{name}:{part}"),
                    max_length=spec.max_length,
                )
                for part, label in parts
            ]
        case "address":
            out = []
            for part, label in ADDRESS_PARTS:
                control = Control(
                    f"{name}:{part}",
                    f"{html_id}-{part}",
                    "text",
                    label=label,
                    value=one(f"{name}:{part}"),
                )
                if part == "postal_code":
                    control.inputmode, control.autocomplete = "numeric", "postal-code"
                elif part == "prefecture":
                    control.widget = "select"
                    control.options = [(p, Text(ja=p)) for p in PREFECTURES]
                    control.autocomplete = "address-level1"
                elif part == "city":
                    control.autocomplete = "address-level2"
                else:
                    control.autocomplete = "address-line1"
                out.append(control)
            return out
        case "select":
            widget = "radio" if len(spec.options) <= RADIO_LIMIT else "select"
            return [Control(name, html_id, widget, options=_options(q), value=one(name))]
        case "multi_select":
            return [
                Control(name, html_id, "checkboxes", options=_options(q), values=raw.get(name, []))
            ]
        case "checkbox":
            return [Control(name, html_id, "checkbox", value=one(name))]
        case "free_text":
            return [Control(name, html_id, "textarea", value=one(name), max_length=spec.max_length)]
        case _:
            control = Control(name, html_id, "text", value=one(name), max_length=spec.max_length)
            match spec.type:
                case "phone":
                    control.input_type, control.autocomplete = "tel", "tel"
                case "email":
                    control.input_type, control.autocomplete = "email", "email"
                case "number":
                    control.inputmode = "numeric"
                case "postal_code":
                    control.inputmode, control.autocomplete = "numeric", "postal-code"
                case "date":
                    control.autocomplete = "bday" if "birth" in q.path else None
            return [control]


def _required(q: Question, templates: Sequence[Template]) -> bool:
    by_id = {t.id: t for t in templates}
    if not q.uses:  # asked by the site itself (relation_questions)
        return q.slot.spec.required
    return any(by_id[tid].resolve_ref(ref)[0].required for tid, ref in q.uses)


def _hint(q: Question) -> Label | None:
    spec = q.slot.spec
    if spec.type == "date":
        return DATE_HINT
    if spec.type == "kana" or (spec.type == "person_name" and spec.kana):
        return KANA_HINT
    return None


def _spec_of(q: Question, by_id: Mapping[str, Template]) -> tuple[FieldSpec, Any, int | None]:
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


def question_view(
    q: Question,
    n: int,
    templates: Sequence[Template],
    raw: Mapping[str, list[str]],
    errors: Mapping[str, Text],
) -> QuestionView:
    spec, _, _ = _spec_of(q, {t.id: t for t in templates})
    html_id = f"q{n}"
    return QuestionView(
        question=q,
        html_id=html_id,
        label=spec.label if q.uses else Msg(f"question.{spec.id}.label"),
        required=_required(q, templates),
        help=spec.help if q.uses or spec.help is None else Msg(f"question.{spec.id}.help"),
        hint=_hint(q),
        controls=_controls(q, html_id, raw),
        error=errors.get(q.path),
    )


def build_sections(
    templates: Sequence[Template],
    record: SessionRecord,
    raw: Mapping[str, list[str]],
    errors: Mapping[str, Text],
) -> list[Section]:
    """The questions of the form in sections: the application's items, then each person."""
    sections: dict[tuple[str, int], Section] = {}
    main_title = Msg("section.application")
    by_id = {t.id: t for t in templates}
    for n, q in enumerate(asked_questions(templates, record)):
        _, group, index = _spec_of(q, by_id)
        if not q.uses and q.slot.path.index is not None:
            index = q.slot.path.index
            key = ("", index + 1)
            title: Label = Msg("section.member", n=index + 1)
        elif group is None or index is None:
            key, title = ("", 0), main_title
        else:
            key = (group.id, index)
            title = Msg("section.group_member", group=group.label, n=index + 1)
        view = question_view(q, n, templates, raw, errors)
        sections.setdefault(key, Section(title, [])).questions.append(view)
    return list(sections.values())


# -- the guided pages -------------------------------------------------------------------------


class SiteGuide(Guide):
    """The kiosk's guided review (`forms.guide.Guide`: its groups, in its order, with its
    rules for what applies) as the site asks it: the items the site leaves for the counter
    are not asked, and the items that decide which persons a group lists
    (`relation_questions`) join the page of the person they are about."""

    def __init__(
        self,
        templates: Sequence[Template],
        record: SessionRecord,
        *,
        fixed: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(list(templates), record, fixed=fixed)
        self.extra = relation_questions(templates, record, {q.path for q in self.questions})

    def _make_groups(self) -> list[GuideGroup]:
        groups = super()._make_groups()
        for q in self.extra:
            person = q.slot.path.index or 0
            group_id = "who" if person == 0 else f"member_{person + 1}"
            at = next((n for n, g in enumerate(groups) if g.id == group_id), None)
            if at is not None:
                group = groups[at]
                groups[at] = GuideGroup(
                    group.id,
                    group.kind,
                    group.title_key,
                    group.title,
                    (*group.questions, q),
                    group.person_index,
                    group.template_id,
                    group.household_max,
                )
                continue
            kind = GroupKind.WHO if person == 0 else GroupKind.MEMBER
            key = "guide.group.who" if person == 0 else "guide.group.member"
            new = GuideGroup(group_id, kind, key, TITLES[key], (q,), person)
            # after the groups of earlier kinds and of earlier members
            after = [
                n
                for n, g in enumerate(groups)
                if ORDER_OF[g.kind] < ORDER_OF[kind]
                or (g.kind is kind and (g.person_index or 0) < person)
            ]
            groups.insert(after[-1] + 1 if after else 0, new)
        return groups

    def screens(self) -> list[GuideGroup]:
        """The pages: every group with something the site asks."""
        return [g for g in self.groups() if any(is_asked(q) for q in g.questions)]

    def asked_on(self, group: GuideGroup) -> list[Question]:
        return [q for q in group.questions if is_asked(q)]


ORDER_OF = {kind: n for n, kind in enumerate(GroupKind)}


def merge_page(
    answers: Mapping[str, list[str]], asked: Sequence[Question], posted: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """The answers with one page's posted controls in place of what they held before: only
    the names of the page's own questions are taken from a post (nothing else is kept)."""
    paths = {q.path for q in asked}

    def of_page(name: str) -> bool:
        return name.split(":", 1)[0] in paths

    out = {k: list(v) for k, v in answers.items() if not of_page(k)}
    for name, values in posted.items():
        if of_page(name):
            out[name] = list(values)
    return out


def answers_summary(
    guide: SiteGuide, templates: Sequence[Template], record: SessionRecord
) -> list[tuple[GuideGroup, list[tuple[Label, str]]]]:
    """ "Check your answers": per page, (label, text as the kiosk shows it) of each item."""
    by_id = {t.id: t for t in templates}
    out = []
    for group in guide.screens():
        rows: list[tuple[Label, str]] = []
        for q in guide.asked_on(group):
            spec, _, _ = _spec_of(q, by_id)
            label: Label = spec.label if q.uses else Msg(f"question.{spec.id}.label")
            rows.append((label, display(q.slot.spec, get_value(record, q.slot.path))))
        out.append((group, rows))
    return out


def not_asked(templates: Sequence[Template], record: SessionRecord) -> list[Text]:
    """Labels of the items left for the counter (card data, individual number, signature)."""
    seen: dict[str, Text] = {}
    for q in questions(list(templates), record):
        if not is_asked(q):
            seen.setdefault(q.label.ja, q.label)
    return list(seen.values())


# -- reading a post ---------------------------------------------------------------------------

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
) -> Submission:
    """Write every posted answer into a new record and validate each template over it (the
    answers a bundle fixes, `fixed`, are written first, as the kiosk does)."""
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
    return Submission(record, errors, general, new)


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
