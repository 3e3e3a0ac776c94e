"""The guided review: the questions of one application, grouped one topic per screen or page.

The kiosk's review and the pre-entry site's pages both walk the same model, so a resident
meets the same questions in the same order on either. Nothing here knows about Qt or HTML.

    guide = Guide(templates, record, fixed=fixed_answers(bundles))
    guide.groups()        # → [GuideGroup(who), GuideGroup(address_new), …]: only what applies
    guide.errors_for(q)   # the problems with one question, each distinct message once
    guide.summary(sources)  # "check your answers": every answer by section, with its source

**Groups**, in this order (a group with nothing to ask is left out):

| id | holds |
| --- | --- |
| `who` | the person at the counter: `person[0].*`, their per-person answers, `answers.applicant_relation`; the household size where a form lists several persons |
| `address_new` | `address.new`, `address.destination`, `answers.new_head_name` |
| `address_current` | `address.current`, `answers.old_head_name` (titled "previous address" when there is a new one) |
| `dates` | `date.*` and the date of notification (`session.today`, filled in automatically) |
| `member_N` | household member N (`person[N].*`, N ≥ 1) and their per-person answers |
| `contact` | `answers.applicant_phone` |
| `agent` | `answers.agent_*`, `address.agent` |
| `form:<id>` | each form's own questions, in the order of the chosen forms |

**Which questions apply.** A question applies when at least one form that prints it asks for
it: an item whose `required_when` is false and that holds no value does not (the moving-in
bundle fixes 住民異動届's kind to 転入, so 転出先 is never asked), nor an item whose
`asked_when` (see `forms.template.AskedWhen`) is false and that holds no value (the agent's
items until the resident says an agent applies). An answer a bundle fixes (`Bundle.fixed`) is
never asked; it appears on the summary with the source `procedure`. Signatures are asked
elsewhere (the signing step) and the kiosk's own bookkeeping (`answers.kiosk.*`) never.

**Walking.** `GuideWalk` (`forms.guide_walk`) is the resident's place: which group is shown, which groups they
already pressed 次へ on (only those show their problems: nothing turns red before), and
whether 修正 on the summary sent them back (then 次へ returns to the summary). It is plain
data (`to_dict`/`from_dict`), for the pre-entry site's sealed hidden field.

**Sources.** `Provenance` (`forms.provenance`) remembers where each answer came from (`Source`: card, QR, typed,
procedure, automatic) and how many characters were typed over a prefilled one (the
measurement's "nothing the card or the QR holds is typed").

Group titles are message keys (`GuideGroup.title_key`, e.g. `guide.group.who`) that each
application translates from its own catalogue, with Japanese and English beside them
(`GuideGroup.title`); a form's group is titled by the form's own title.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from forms.bundle import Question, questions
from forms.errors import FieldError
from forms.fields import is_empty
from forms.fill import (
    FilledForm,
    Held,
    Slot,
    fill,
    group_person_indexes,
    held_in,
    is_required,
    slots,
)
from forms.paths import get_value, parse_path
from forms.provenance import Provenance, Source
from forms.record import SessionRecord
from forms.template import AskedWhen, FieldSpec, GroupSpec, Template
from forms.text import Text

SUMMARY = "summary"  # the page after the last group: "check your answers"
NEVER_ASKED_PREFIXES = ("answers.kiosk.",)
NEVER_ASKED_TYPES = frozenset({"signature"})


class GroupKind(StrEnum):
    WHO = "who"
    ADDRESS_NEW = "address_new"
    ADDRESS_CURRENT = "address_current"
    DATES = "dates"
    MEMBER = "member"
    CONTACT = "contact"
    AGENT = "agent"
    FORM = "form"


# The order groups are shown in (members and forms keep their own order within their kind).
ORDER = tuple(GroupKind)

TITLES: dict[str, Text] = {
    "guide.group.who": Text(ja="あなたのこと", en="About you"),
    "guide.group.address_new": Text(ja="新しい住所", en="Your new address"),
    "guide.group.address_current": Text(ja="住所", en="Your address"),
    "guide.group.address_previous": Text(ja="前の住所", en="Your previous address"),
    "guide.group.dates": Text(ja="日付", en="Dates"),
    "guide.group.member": Text(ja="ご家族（{number}人目）", en="Household member {number}"),
    "guide.group.contact": Text(ja="連絡先", en="How to reach you"),
    "guide.group.agent": Text(ja="代理人", en="The agent"),
    "guide.summary": Text(ja="入力内容の確認", en="Check your answers"),
}


@dataclass(frozen=True)
class GuideGroup:
    """One screen (or page) of questions about one topic."""

    id: str  # "who", "address_new", "member_2", "form:kokuho", …
    kind: GroupKind
    title_key: str  # a message key of the application's catalogue ("" for a form's group)
    title: Text  # Japanese and English (a form's group: the form's title)
    questions: tuple[Question, ...]
    person_index: int | None = None  # WHO: 0; MEMBER: the person's index in the record
    template_id: str | None = None  # FORM: the form
    household_max: int = 0  # WHO: how many persons the forms can list (0: one, not asked)

    @property
    def title_values(self) -> dict[str, Any]:
        """Values for the title's placeholders (`{number}` of a household member)."""
        if self.kind is GroupKind.MEMBER and self.person_index is not None:
            return {"number": self.person_index + 1}
        return {}

    @property
    def paths(self) -> list[str]:
        return [q.path for q in self.questions]


@dataclass(frozen=True)
class SummaryItem:
    path: str
    label: Text
    value: str  # as printed on the form ("" when empty)
    source: Source | None  # None: not answered yet


@dataclass(frozen=True)
class SummarySection:
    """One section of "check your answers": a group's answers, with its 修正 target."""

    group_id: str
    title_key: str
    title: Text
    title_values: dict[str, Any]
    items: tuple[SummaryItem, ...]
    editable: bool  # has a 修正 button (a group shown as a screen)


class Guide:
    """The guided review of one application: its groups, what applies, the summary.

    Built from the chosen templates and the session record (and the answers the chosen
    bundles fix, which are written into the record first); `forms` may pass the forms
    already filled from this record (with the same `held`), else they are filled here; the
    guide reads that mapping itself, not a copy. `held` keeps persons in the person groups
    that listed them (`forms.fill.Held`: the kiosk holds the person whose page is on
    screen). Rebuild it after an edit: what applies depends on the answers.
    """

    def __init__(
        self,
        templates: list[Template],
        record: SessionRecord,
        *,
        fixed: Mapping[str, Any] | None = None,
        forms: Mapping[str, FilledForm] | None = None,
        held: Held | None = None,
    ) -> None:
        self.templates = list(templates)
        self.record = record
        self.fixed = dict(fixed or {})
        self.held = held
        self.forms: Mapping[str, FilledForm] = (
            forms if forms is not None else {t.id: fill(t, record, held) for t in templates}
        )
        self._by_id = {t.id: t for t in self.templates}
        # Items not asked yet: a life event's default fills them from an answer the resident
        # gives on a later page (the kiosk's `kiosk.flow.life_event_defaults`; see `defer`).
        self.deferred: frozenset[str] = frozenset()
        self.questions = [
            q
            for q in questions(self.templates, record, held)
            if q.slot.spec.type not in NEVER_ASKED_TYPES
            and not q.path.startswith(NEVER_ASKED_PREFIXES)
        ]
        self._slots = {t.id: {s.ref: s for s in slots(t, record, held)} for t in self.templates}
        self._groups: list[GuideGroup] | None = None

    def __repr__(self) -> str:  # counts only: never an answer
        return f"Guide(templates={[t.id for t in self.templates]}, questions={len(self.questions)})"

    # ---- values ----------------------------------------------------------------------------

    def value(self, q: Question) -> Any:
        template_id, ref = q.uses[0]
        return self.forms[template_id].values.get(ref)

    def display(self, q: Question) -> str:
        template_id, ref = q.uses[0]
        return self.forms[template_id].text(ref)

    def raw(self, q: Question) -> Any:
        """What the record holds at the question's path (before cleaning)."""
        return get_value(self.record, q.slot.path)

    def is_fixed(self, q: Question) -> bool:
        return q.path in self.fixed

    def is_read_only(self, q: Question) -> bool:
        return q.slot.path.read_only

    # ---- what applies ----------------------------------------------------------------------

    def defer(self, paths: Collection[str]) -> None:
        """Do not ask the (empty) items at `paths` now: a default will fill them from an
        answer still to come (the event's date from the date of death, typed on the
        deceased's page after the dates page). The caller lifts it (`defer(())`) when that
        answer's page is passed, or on the summary."""
        self.deferred = frozenset(paths)
        self._groups = None

    def applies(self, q: Question) -> bool:
        """Whether the question is shown: some form asks for it, or it holds a value."""
        if self.is_fixed(q) or q.path in self.deferred:
            return False
        if not is_empty(self.raw(q)):
            return True
        return any(self._use_asks(template_id, ref) for template_id, ref in q.uses)

    def _use_asks(self, template_id: str, ref: str) -> bool:
        template = self._by_id[template_id]
        slot = self._slots[template_id].get(ref)
        if slot is None:
            return False
        spec = slot.spec
        if spec.asked_when is not None:
            return self._asked(template, slot, spec.asked_when)
        if spec.required_when is not None:
            return is_required(spec, self.record, template)
        return True

    def _asked(self, template: Template, slot: Slot, cond: AskedWhen) -> bool:
        if cond.group is not None:
            count = self.forms[template.id].group_counts.get(cond.group, 0)
            return count >= (cond.min or 1)
        assert cond.field is not None
        raw = get_value(self.record, self._condition_path(template, slot, cond.field))
        if cond.filled is not None:
            return (not is_empty(raw)) is cond.filled
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        raw = getattr(raw, "value", raw)
        return raw in (cond.values or [])

    def _condition_path(self, template: Template, slot: Slot, field_id: str) -> Any:
        """The record path of the field a condition names: a sibling in the slot's group
        instance first, else the template's top-level field."""
        if slot.group is not None and slot.index is not None:
            sibling = self._slots[template.id].get(f"{slot.group.id}[{slot.index}].{field_id}")
            if sibling is not None:
                return sibling.path
        return parse_path(template.prefill_of(template.field(field_id)))

    def asked(self) -> list[Question]:
        """Every question that applies, in the order of the groups."""
        return [q for group in self.groups() for q in group.questions]

    # ---- groups ----------------------------------------------------------------------------

    def groups(self) -> list[GuideGroup]:
        """The groups with something to show, in order (see the module docstring)."""
        if self._groups is None:
            self._groups = self._make_groups()
        return self._groups

    def group(self, group_id: str) -> GuideGroup | None:
        return next((g for g in self.groups() if g.id == group_id), None)

    def screens(self) -> list[GuideGroup]:
        """The groups shown as a screen: those with something the resident can answer (or
        the household size to set). A group of read-only items only is on the summary."""
        return [
            g
            for g in self.groups()
            if g.household_max > 1 or any(not self.is_read_only(q) for q in g.questions)
        ]

    def group_of(self, path: str) -> str | None:
        return next((g.id for g in self.groups() if path in g.paths), None)

    def _make_groups(self) -> list[GuideGroup]:
        placed: dict[tuple[GroupKind, int | str | None], list[Question]] = {}
        for q in self.questions:
            if not self.applies(q):
                continue
            placed.setdefault(self._place(q), []).append(q)
        household = self.household_max()
        if household > 1:
            placed.setdefault((GroupKind.WHO, 0), [])
        moving = any(
            q.path in ("address.new", "address.destination") for qs in placed.values() for q in qs
        )
        template_order = {t.id: n for n, t in enumerate(self.templates)}

        def order(key: tuple[GroupKind, int | str | None]) -> tuple[int, int]:
            kind, detail = key
            rank = template_order.get(detail, 0) if isinstance(detail, str) else detail or 0
            return ORDER.index(kind), rank

        return [
            self._make_group(
                kind, detail, tuple(sorted(qs, key=_person_item_rank)), moving, household
            )
            if kind in (GroupKind.WHO, GroupKind.MEMBER)
            else self._make_group(kind, detail, tuple(qs), moving, household)
            for (kind, detail), qs in sorted(placed.items(), key=lambda kv: order(kv[0]))
        ]

    def _make_group(
        self,
        kind: GroupKind,
        detail: int | str | None,
        qs: tuple[Question, ...],
        moving: bool,
        household: int,
    ) -> GuideGroup:
        match kind:
            case GroupKind.WHO:
                key = "guide.group.who"
                return GuideGroup("who", kind, key, TITLES[key], qs, 0, household_max=household)
            case GroupKind.MEMBER:
                assert isinstance(detail, int)
                key = "guide.group.member"
                return GuideGroup(f"member_{detail + 1}", kind, key, TITLES[key], qs, detail)
            case GroupKind.FORM:
                assert isinstance(detail, str)
                title = self._by_id[detail].title
                return GuideGroup(f"form:{detail}", kind, "", title, qs, template_id=detail)
            case GroupKind.ADDRESS_CURRENT:
                key = "guide.group.address_previous" if moving else "guide.group.address_current"
                return GuideGroup(kind.value, kind, key, TITLES[key], qs)
            case _:
                key = f"guide.group.{kind.value}"
                return GuideGroup(kind.value, kind, key, TITLES[key], qs)

    def _place(self, q: Question) -> tuple[GroupKind, int | str | None]:
        path = q.slot.path
        person = self._person_of(q)
        if person is not None:
            return (GroupKind.WHO, 0) if person == 0 else (GroupKind.MEMBER, person)
        text = path.text
        if text in ("address.new", "address.destination", "answers.new_head_name"):
            return GroupKind.ADDRESS_NEW, None
        if text in ("address.current", "answers.old_head_name"):
            return GroupKind.ADDRESS_CURRENT, None
        if path.root == "date" or text == "session.today":
            return GroupKind.DATES, None
        if text == "answers.applicant_relation" or path.root == "card":
            return GroupKind.WHO, 0
        if text == "answers.applicant_phone":
            return GroupKind.CONTACT, None
        if text == "address.agent" or text.startswith("answers.agent_"):
            return GroupKind.AGENT, None
        return GroupKind.FORM, q.uses[0][0]

    def _person_of(self, q: Question) -> int | None:
        """The person a question is about: `person[N].…`, or an instance of a person group."""
        slot = q.slot
        if slot.path.root == "person" and slot.path.index is not None:
            return slot.path.index
        if slot.group is not None and slot.index is not None:
            template = self._by_id[q.uses[0][0]]
            indexes = group_person_indexes(
                slot.group, self.record, held_in(self.held, template, slot.group)
            )
            if slot.index < len(indexes):
                return indexes[slot.index]
            return len(self.record.persons) + slot.index  # as forms.fill numbers them
        return None

    def household_max(self) -> int:
        """How many persons the chosen forms can list (the household size question's top):
        the largest person group without a 続柄 filter, else one plus the filtered ones."""
        open_groups = [g for g in self._person_groups() if g.relations is None]
        if open_groups:
            return max(g.max or 0 for g in open_groups)
        filtered = [g for g in self._person_groups() if g.relations is not None]
        return 1 + sum(g.max or 0 for g in filtered) if filtered else 0

    def _person_groups(self) -> Iterable[GroupSpec]:
        for template in self.templates:
            for group in template.groups:
                if any(template.prefill_of(f).startswith("person[*]") for f in group.fields):
                    yield group

    # ---- problems --------------------------------------------------------------------------

    def errors_for(self, q: Question) -> list[FieldError]:
        """The problems with one question, each distinct message once (forms of a bundle
        that share the item each report it; the resident reads it once)."""
        uses = set(q.uses)
        distinct: dict[tuple[str, str], FieldError] = {}
        for template_id, form in self.forms.items():
            for e in form.errors:
                if (template_id, e.path) in uses:
                    distinct.setdefault((e.ja, e.en), e)
        return list(distinct.values())

    def unplaced_errors(self) -> list[FieldError]:
        """Problems no shown question carries (a group's minimum count…): for the summary."""
        shown = {use for g in self.groups() for q in g.questions for use in q.uses}
        distinct: dict[tuple[str, str], FieldError] = {}
        for template_id, form in self.forms.items():
            for e in form.errors:
                if (template_id, e.path) not in shown:
                    distinct.setdefault((e.ja, e.en), e)
        return list(distinct.values())

    # ---- the summary -----------------------------------------------------------------------

    def summary(self, sources: Provenance | None = None) -> list[SummarySection]:
        """Every answer by section, each with its source; fixed answers under their form."""
        screens = {g.id for g in self.screens()}
        sections: dict[str, SummarySection] = {}
        for group in self.groups():
            items = tuple(self._item(q, sources) for q in group.questions)
            sections[group.id] = SummarySection(
                group.id,
                group.title_key,
                group.title,
                group.title_values,
                items,
                group.id in screens,
            )
        for q in self.questions:
            if not self.is_fixed(q):
                continue
            template_id = q.uses[0][0]
            group_id = f"form:{template_id}"
            item = SummaryItem(q.path, q.label, self.display(q), Source.PROCEDURE)
            section = sections.get(group_id)
            if section is None:
                title = self._by_id[template_id].title
                sections[group_id] = SummarySection(group_id, "", title, {}, (item,), False)
            else:
                sections[group_id] = SummarySection(
                    section.group_id,
                    section.title_key,
                    section.title,
                    section.title_values,
                    (item, *section.items),
                    section.editable,
                )
        order = [g.id for g in self.groups()]
        template_order = [t.id for t in self.templates]

        def rank(section: SummarySection) -> tuple[int, int]:
            if section.group_id in order and not section.group_id.startswith("form:"):
                return 0, order.index(section.group_id)
            return 1, template_order.index(section.group_id.removeprefix("form:"))

        return sorted(sections.values(), key=rank)

    def _item(self, q: Question, sources: Provenance | None) -> SummaryItem:
        text = self.display(q)
        if q.slot.path.root == "session":
            source: Source | None = Source.AUTO
        elif sources is not None:
            source = sources.source(q.path)
        else:
            source = None
        return SummaryItem(q.path, q.label, text, source if text else None)


_PERSON_ORDER = ("name", "kana", "birth_date", "sex", "relation", "nationality")


def _person_item_rank(q: Question) -> int:
    """A person's items in the order people tell them: name, reading, birth date, sex, 続柄,
    nationality; then the rest as the forms list them (sorted() keeps that order)."""
    path = q.slot.path
    if path.root == "person" and path.parts and path.parts[0] in _PERSON_ORDER:
        return _PERSON_ORDER.index(path.parts[0])
    return len(_PERSON_ORDER)


def apply_fixed(record: SessionRecord, templates: list[Template], fixed: Mapping[str, Any]) -> None:
    """Write the answers the chosen bundles fix into the record (validated by each form that
    prints them: a fixed value outside a form's options is a ValueError naming the path)."""
    from forms.fields import coerce
    from forms.paths import set_value

    for path_text, value in fixed.items():
        spec = _spec_at(templates, record, path_text)
        if spec is None:
            continue  # no chosen form prints it
        try:
            clean = coerce(spec, value)
        except Exception as exc:  # FieldValueError: the bundle's data is wrong
            raise ValueError(f"fixed answer {path_text} does not fit its form") from exc
        set_value(record, parse_path(path_text), clean)


def _spec_at(templates: list[Template], record: SessionRecord, path: str) -> FieldSpec | None:
    for template in templates:
        for slot in slots(template, record):
            if slot.path.text == path:
                return slot.spec
    return None
