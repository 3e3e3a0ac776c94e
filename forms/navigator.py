"""The procedure navigator: from a few はい/いいえ answers, every form a life event brings.

Shared by the kiosk and the pre-entry site (no Qt, no I/O). For one bundle and one session
record, `navigate` works out

- which questions the record already answers (ages from the persons' birth dates on the
  office's date, who has died, …): those are never asked;
- which questions are left to ask now, in order (`Navigation.to_ask`);
- which forms are chosen, each with the reasons in Japanese and English; which are still
  undecided until a question is answered; which the resident may add.

The resident's answers and the procedures the resident or staff add or remove are kept in the
record itself (`answers["navigator.<bundle>.<question>"]`, `answers["navigator.<bundle>.changes"]`),
so they travel with it: from the pre-entry QR to the kiosk, from the kiosk to the reception.

Rules of choice (see `forms.bundle` for the YAML):
- a form of `templates` that no rule names is always chosen ("この手続きで必ず届け出ます");
- a form a rule names is chosen when one of its rules holds, with each holding rule's reason;
- a form of `optional` that no rule chose is offered;
- the resident or staff may add any form of the catalogue and remove any chosen form; a
  removal is listed with who removed it, and can be undone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from forms.bundle import Bundle, Default, EventQuestion
from forms.catalog import Catalog
from forms.clock import OfficeClock, office_clock
from forms.conditions import Context, Truth, evaluate
from forms.errors import MadoguchiError, UnknownTemplate
from forms.fields import is_empty
from forms.paths import get_value, parse_path, set_value
from forms.record import SessionRecord
from forms.text import Text

Actor = Literal["resident", "staff"]
ACTORS: tuple[Actor, ...] = ("resident", "staff")
PREFIX = "navigator"

ALWAYS = Text(ja="この手続きで必ず届け出ます", en="always needed for this life event")
ADDED = {
    "resident": Text(ja="ご本人が追加しました", en="added by the resident"),
    "staff": Text(ja="職員が追加しました", en="added by staff"),
}
REMOVED = {
    "resident": Text(ja="ご本人が外しました", en="removed by the resident"),
    "staff": Text(ja="職員が外しました", en="removed by staff"),
}
FROM_RECORD = Text(ja="記録（生年月日など）から判断しました", en="answered from the record")

QuestionSource = Literal["record", "resident", "not_applicable", "open", "waiting"]


class NavigatorError(MadoguchiError):
    code = "navigator"


class UnknownQuestion(NavigatorError):
    code = "unknown_question"

    def __init__(self, bundle_id: str, question_id: str) -> None:
        super().__init__(
            f"手続き {bundle_id} に質問 {question_id} はありません",
            f"life event {bundle_id} has no question {question_id}",
        )


class BadChange(NavigatorError):
    code = "bad_navigator_change"

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(ja, en)


@dataclass(frozen=True)
class QuestionState:
    """A question and how it stands: answered by the record or the resident, or not yet.

    `source`: `record` (derived, never asked), `resident` (answered), `not_applicable` (an
    earlier answer makes it irrelevant: counts as いいえ), `open` (ask it now), `waiting` (asked
    once an earlier question is answered).
    """

    id: str
    text: Text
    help: Text | None
    answer: bool | None
    source: QuestionSource

    @property
    def note(self) -> Text | None:
        return FROM_RECORD if self.source == "record" else None


# Why a form is in the list: the event always asks it, a rule held, or someone added it.
ChosenBy = Literal["event", "rule", "resident", "staff"]


@dataclass(frozen=True)
class Procedure:
    template_id: str
    title: Text
    reasons: tuple[Text, ...]
    by: ChosenBy


@dataclass(frozen=True)
class Navigation:
    bundle_id: str
    today: dt.date
    questions: tuple[QuestionState, ...]
    chosen: tuple[Procedure, ...]
    removed: tuple[Procedure, ...]  # chosen by the event or a rule, then taken off
    undecided: tuple[str, ...]  # a rule may still choose them once the open questions are answered
    offered: tuple[str, ...]  # the bundle's other forms, which the resident may add

    @property
    def to_ask(self) -> list[QuestionState]:
        return [q for q in self.questions if q.source == "open"]

    @property
    def complete(self) -> bool:
        """Nothing left to ask: the chosen forms are the whole list."""
        return not any(q.source in ("open", "waiting") for q in self.questions)

    def template_ids(self) -> list[str]:
        return [p.template_id for p in self.chosen]

    def procedure(self, template_id: str) -> Procedure:
        return next(p for p in self.chosen if p.template_id == template_id)


def answer_key(bundle_id: str, question_id: str) -> str:
    return f"{PREFIX}.{bundle_id}.{question_id}"


def changes_key(bundle_id: str) -> str:
    return f"{PREFIX}.{bundle_id}.changes"


def navigate(
    bundle: Bundle,
    record: SessionRecord,
    catalog: Catalog,
    clock: OfficeClock | None = None,
) -> Navigation:
    """Where the navigation of `bundle` stands for `record` on the office's today."""
    today = (clock or office_clock()).today()
    states = _answer_questions(bundle, record, today)
    answers = {s.id: s.answer for s in states}
    ctx = Context(record, today, answers.get)

    reasons: dict[str, list[Text]] = {}
    by: dict[str, ChosenBy] = {}
    maybe: list[str] = []
    ruled = bundle.ruled_forms()
    for template_id in bundle.templates:
        if template_id not in ruled:
            reasons.setdefault(template_id, []).append(ALWAYS)
            by[template_id] = "event"
    for rule in bundle.rules:
        holds = evaluate(rule.when, ctx)
        for template_id in rule.forms:
            if holds is True:
                reasons.setdefault(template_id, []).append(rule.reason)
                by.setdefault(template_id, "rule")
            elif holds is None:
                maybe.append(template_id)

    changes = _changes(record, bundle.id)
    removed: list[Procedure] = []
    for template_id, change in changes.items():
        actor = change["by"]
        if change["include"] and template_id not in reasons:
            reasons[template_id] = [ADDED[actor]]
            by[template_id] = actor
        elif not change["include"] and template_id in reasons:
            removed.append(
                Procedure(
                    template_id,
                    _title(catalog, template_id),
                    (*reasons.pop(template_id), REMOVED[actor]),
                    actor,
                )
            )

    order = _order(bundle, changes)
    chosen = tuple(
        Procedure(t, _title(catalog, t), tuple(reasons[t]), by[t]) for t in order if t in reasons
    )
    gone = {p.template_id for p in removed}
    undecided = tuple(t for t in _unique(maybe) if t not in reasons and t not in gone)
    offered = tuple(
        t
        for t in bundle.template_ids(include_optional=True)
        if t not in reasons and t not in undecided and t not in gone
    )
    return Navigation(
        bundle.id,
        today,
        tuple(states),
        chosen,
        tuple(sorted(removed, key=lambda p: order.index(p.template_id))),
        undecided,
        offered,
    )


def _answer_questions(bundle: Bundle, record: SessionRecord, today: dt.date) -> list[QuestionState]:
    states: list[QuestionState] = []
    known: dict[str, Truth] = {}
    ctx = Context(record, today, known.get)
    for question in bundle.questions:
        state = _state(bundle, question, record, ctx)
        known[question.id] = state.answer
        states.append(state)
    return states


def _state(
    bundle: Bundle, question: EventQuestion, record: SessionRecord, ctx: Context
) -> QuestionState:
    def make(answer: bool | None, source: QuestionSource) -> QuestionState:
        return QuestionState(question.id, question.text, question.help, answer, source)

    if question.ask_if is not None:
        relevant = evaluate(question.ask_if, ctx)
        if relevant is False:
            return make(False, "not_applicable")
        if relevant is None:
            return make(None, "waiting")
    derived = _derived(question, ctx)
    if derived is not None:
        return make(derived, "record")
    given = record.answers.get(answer_key(bundle.id, question.id))
    if isinstance(given, bool):
        return make(given, "resident")
    return make(None, "open")


def _derived(question: EventQuestion, ctx: Context) -> bool | None:
    if question.derive is not None:
        return evaluate(question.derive, ctx)
    if question.yes_if is not None and evaluate(question.yes_if, ctx) is True:
        return True
    if question.no_if is not None and evaluate(question.no_if, ctx) is True:
        return False
    return None


def _changes(record: SessionRecord, bundle_id: str) -> dict[str, dict[str, Any]]:
    """The additions and removals kept in the record; anything malformed is ignored."""
    raw = record.answers.get(changes_key(bundle_id))
    if not isinstance(raw, dict):
        return {}
    out = {}
    for template_id, change in raw.items():
        if (
            isinstance(template_id, str)
            and isinstance(change, dict)
            and isinstance(change.get("include"), bool)
            and change.get("by") in ACTORS
        ):
            out[template_id] = {"include": change["include"], "by": change["by"]}
    return out


def _order(bundle: Bundle, changes: dict[str, dict[str, Any]]) -> list[str]:
    """The bundle's order, then forms added from outside it, in the order they were added."""
    return _unique([*bundle.template_ids(include_optional=True), *changes])


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _title(catalog: Catalog, template_id: str) -> Text:
    try:
        return catalog.get(template_id).title
    except UnknownTemplate:
        return Text(ja=template_id, en=template_id)


# --- changing the record -----------------------------------------------------------------


def answer(record: SessionRecord, bundle: Bundle, question_id: str, yes: bool) -> None:
    """Keep the resident's はい (True) or いいえ (False) in the record."""
    if not any(q.id == question_id for q in bundle.questions):
        raise UnknownQuestion(bundle.id, question_id)
    if not isinstance(yes, bool):
        raise BadChange("はい・いいえで答えてください", "answer yes or no")
    record.answers[answer_key(bundle.id, question_id)] = yes


def forget_answer(record: SessionRecord, bundle: Bundle, question_id: str) -> None:
    if not any(q.id == question_id for q in bundle.questions):
        raise UnknownQuestion(bundle.id, question_id)
    record.answers.pop(answer_key(bundle.id, question_id), None)


def add_procedure(
    record: SessionRecord, bundle: Bundle, catalog: Catalog, template_id: str, by: Actor
) -> None:
    """The resident or staff adds a form (of the bundle or any other of the catalogue)."""
    catalog.get(template_id)  # UnknownTemplate for a form that does not exist
    _set_change(record, bundle, template_id, include=True, by=by)


def remove_procedure(
    record: SessionRecord, bundle: Bundle, catalog: Catalog, template_id: str, by: Actor
) -> None:
    """The resident or staff takes a chosen form off the list."""
    catalog.get(template_id)
    _set_change(record, bundle, template_id, include=False, by=by)


def undo_change(record: SessionRecord, bundle: Bundle, template_id: str) -> None:
    """Back to what the answers choose for `template_id`."""
    changes = _changes(record, bundle.id)
    changes.pop(template_id, None)
    _store(record, bundle.id, changes)


def _set_change(
    record: SessionRecord, bundle: Bundle, template_id: str, *, include: bool, by: Actor
) -> None:
    if by not in ACTORS:
        raise BadChange("変更した人が不明です", "who made the change must be resident or staff")
    changes = _changes(record, bundle.id)
    changes.pop(template_id, None)  # re-added last: the order of additions is kept
    changes[template_id] = {"include": include, "by": by}
    _store(record, bundle.id, changes)


def _store(record: SessionRecord, bundle_id: str, changes: dict[str, dict[str, Any]]) -> None:
    if changes:
        record.answers[changes_key(bundle_id)] = changes
    else:
        record.answers.pop(changes_key(bundle_id), None)


def apply_defaults(
    bundle: Bundle,
    record: SessionRecord,
    *,
    keep: Collection[str] = (),
    follow: Collection[str] = (),
) -> list[str]:
    """Fill each empty `defaults[].path` from its source, in order; returns the paths filled.

    E.g. for a birth (no move) the household's registered address `address.new` is the card's
    current address, so the forms that print it ask nothing. Ages in a `from_person` filter
    are counted on the record's day.

    `keep`: paths never filled, even empty (the resident typed or confirmed them). `follow`:
    paths that still hold what an earlier default put there; they take their source's value
    again when it changed (the date of death corrected: the event's date follows). A default
    chained on another (`date.event` from `date.death`) sees the value filled before it.
    """
    filled = []
    for default in bundle.defaults:
        if default.path in keep:
            continue
        target = parse_path(default.path)
        current = get_value(record, target)
        if not is_empty(current) and default.path not in follow:
            continue
        value = _default_value(default, record)
        if is_empty(value) or value == current:
            continue
        if hasattr(value, "model_copy"):
            value = value.model_copy(deep=True)
        set_value(record, target, value)
        filled.append(default.path)
    return filled


def _default_value(default: Default, record: SessionRecord) -> Any:
    """What `default`'s source holds now (empty when nothing or nobody gives it)."""
    if default.from_ is not None:
        return get_value(record, parse_path(default.from_))
    assert default.from_person is not None
    found = default.from_person.who.matching(record, record.today)
    return getattr(record.persons[found[0]], default.from_person.value) if found else None


def empty_followed(
    defaults: Iterable[Default], record: SessionRecord, follow: Collection[str]
) -> list[str]:
    """Empty again the `follow` targets (still holding what a default put there) none of whose
    defaults' sources gives a value any more; returns the paths emptied, in order.

    The kiosk's (opt-in; `apply_defaults` never empties): the resident cleared the date of
    death, so the event's date that only followed it is empty again and asked. A chain empties
    through (`date.event` ← `date.death` ← `person[*].died_on`); a target another default
    still fills (another life event) is left to `apply_defaults`."""
    defaults = list(defaults)
    by_target: dict[str, list[Default]] = {}
    for default in defaults:
        by_target.setdefault(default.path, []).append(default)
    emptied: list[str] = []
    changed = True
    while changed:  # a chain empties one link a round
        changed = False
        for target, own in by_target.items():
            if target not in follow or target in emptied:
                continue
            path = parse_path(target)
            if is_empty(get_value(record, path)):
                continue
            if all(is_empty(_default_value(d, record)) for d in own):
                set_value(record, path, None)
                emptied.append(target)
                changed = True
    return emptied


ANY_PERSON = "person[*]"  # a `from_person` source: that item of whichever person matches


def default_sources(defaults: Iterable[Default]) -> dict[str, frozenset[str]]:
    """Each default's target → the paths its value comes from, directly or through another
    default (おくやみ: `date.event` ← `date.death` ← `person[*].died_on`). A `from_person`
    source is that item of any person, `person[*].<item>` (`is_source` matches it). A target
    filled by several defaults (several life events) has the sources of all of them; defaults
    that feed each other in a cycle stop where the cycle closes.

    The kiosk (`kiosk.flow.life_event_defaults`) and the pre-entry site (`preentry.site_guide`) both ask
    it: which pages give a target its value, so the target's page comes after them and the
    target waits for them."""
    direct: dict[str, set[str]] = {}
    for default in defaults:
        if default.from_ is not None:
            source = default.from_
        else:
            assert default.from_person is not None
            source = f"{ANY_PERSON}.{default.from_person.value}"
        direct.setdefault(default.path, set()).add(source)

    def chain(target: str, seen: frozenset[str]) -> set[str]:
        out: set[str] = set()
        for source in direct.get(target, ()):
            out.add(source)
            if source not in seen:
                out |= chain(source, seen | {source})
        return out

    return {target: frozenset(chain(target, frozenset({target}))) for target in direct}


def is_source(source: str, path: str) -> bool:
    """Whether the item at `path` is `source` (one of `default_sources`' paths): the same
    path, or for `person[*].<item>` that item of any person."""
    if source == path:
        return True
    if not source.startswith(f"{ANY_PERSON}."):
        return False
    item = source.removeprefix(f"{ANY_PERSON}.")
    return re.fullmatch(rf"person\[\d+\]\.{re.escape(item)}", path) is not None
