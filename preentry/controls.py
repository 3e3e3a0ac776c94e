"""The HTML controls of a question, built from the template model.

Controls are named after the record path they write (`person[1].kana`, with `:family` etc.
for the parts of a name or an address), so a post maps onto the record without any state on
the server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from forms.address import PREFECTURES
from forms.bundle import Question
from forms.record import SessionRecord
from forms.template import Template
from forms.text import Text
from preentry.i18n import Label, Msg
from preentry.questions import asked_questions, spec_of

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


def item_path(name: str) -> str:
    """The record path a control writes, from its name (`person[1].name:family` →
    `person[1].name`)."""
    return name.split(":", 1)[0]


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
    value: str = field(default="", repr=False)  # what the resident entered: never in a repr
    values: list[str] = field(default_factory=list, repr=False)
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
    filled: bool = False  # opened with a value the life event's defaults put there

    def __repr__(self) -> str:  # counts only: its controls hold what the resident entered
        return (
            f"QuestionView(path={self.path!r}, controls={len(self.controls)}, "
            f"error={self.error is not None})"
        )

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
        if self.help or self.hint or self.filled:
            ids.append(f"{self.html_id}-help")
        if self.error:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)


@dataclass
class Section:
    title: Label
    questions: list[QuestionView]


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


def question_view(
    q: Question,
    n: int,
    templates: Sequence[Template],
    raw: Mapping[str, list[str]],
    errors: Mapping[str, Text],
) -> QuestionView:
    spec, _, _ = spec_of(q, {t.id: t for t in templates})
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
        _, group, index = spec_of(q, by_id)
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
