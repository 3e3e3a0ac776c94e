"""The working copy of a life-event bundle (引越し・転入 …), checked after every edit (no Qt).

A bundle lists the templates one event needs (`templates`) and those the resident may add
(`optional`), with the navigator's questions and rules. It is checked as
`forms.bundle.parse_bundle` checks it (none may be both required and optional; a rule may only
choose a listed form), plus: every template it names must exist.

The navigator's questions and rules are edited one item at a time, either a field at a time
(`item_field` / `set_item_field`, `set_rule_form`: the bundle tab's form) or as YAML text
(`item_text` / `set_item_text`: its advanced view). Text that is not YAML, or not a mapping,
is kept aside with its problem (`pending`) and the item keeps its last readable value;
`last_good` is the last draft that passed every check, so a bad edit never loses it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml

from forms.bundle import Bundle, parse_bundle
from forms.errors import TemplateError
from forms.signed_bundle import dump_bundle
from forms.yamlio import load_yaml
from staff.editor.condition_text import ConditionUnreadable, condition_text, read_condition
from staff.editor.draft import load_mapping

REQUIRED, OPTIONAL, UNUSED = "required", "optional", "unused"
QUESTIONS, RULES = "questions", "rules"
ITEM_KINDS = (QUESTIONS, RULES)
LABEL_CONDITION_CHARS = 48  # a rule's condition in the list is cut after this
WHOLE_ITEM = ""  # the `pending` key of an item's YAML text (else: the field's key)
# The one-line conditions of each kind of item, in the order the form shows them.
CONDITION_KEYS = {QUESTIONS: ("derive", "ask_if", "yes_if", "no_if"), RULES: ("when",)}
# Texts whose `en` (or, for help, the whole text) may be left out.
OPTIONAL_TEXTS = ("help",)


# pydantic's plain-English messages an admin most often meets, made bilingual.
PYDANTIC_MESSAGES = {
    "Extra inputs are not permitted": "不明な項目です / unknown key",
    "Field required": "必須の項目がありません / required key missing",
    "Input should be a valid string": "文字列にしてください / must be text",
    "Input should be a valid list": "リストにしてください / must be a list",
    "List should have at least 1 item after validation, not 0": (
        "一つ以上選んでください / choose at least one"
    ),
}
# parse_bundle places a problem on a line of the whole bundle's YAML, which the editor never
# shows (it shows one item at a time): the dotted location says where it is.
_LINE = re.compile(r" \(line \d+\)(?=: )")


def _bilingual(problem: str) -> str:
    problem = _LINE.sub("", problem, count=1)
    for english, both in PYDANTIC_MESSAGES.items():
        if problem.endswith(": " + english):
            return problem[: -len(english)] + both
    return problem


def _renamed(condition: Any, old: str, new: str) -> tuple[Any, bool]:
    """The condition (as YAML data) with the question id `old` named `new`; and whether it
    changed. Only a question's place names it (a bare id, under not/all/any)."""
    if isinstance(condition, str):
        return (new, True) if condition == old else (condition, False)
    if isinstance(condition, list):
        parts = [_renamed(c, old, new) for c in condition]
        return [p for p, _ in parts], any(c for _, c in parts)
    if isinstance(condition, dict) and len(condition) == 1:
        ((key, value),) = condition.items()
        if key in ("not", "all", "any"):
            renamed, changed = _renamed(value, old, new)
            return {key: renamed}, changed
    return condition, False


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


class BundleDraft:
    def __init__(
        self,
        data: dict[str, Any],
        known_templates: list[str],
        source: str = "bundle",
        titles: dict[str, str] | None = None,
    ) -> None:
        self.data = data
        self.known = list(known_templates)
        self.titles = dict(titles or {})  # template id → its Japanese title (for labels)
        # (kind, index, condition key) → (the question id it named, the one it names now):
        # the uses a question's renaming rewrote, listed beside the problems (`notes`)
        self.renamed: dict[tuple[str, int, str], tuple[str, str]] = {}
        # question index → the id its uses still name while its id is empty or a twin's
        self._named_as: dict[int, str] = {}
        self.source = source
        self.problems: list[str] = []
        self.bundle: Bundle | None = None
        self.last_good: Bundle | None = None
        # (kind, index, WHOLE_ITEM or field key) -> (the text typed, its problem, placed by
        # `validate`): an item's text that is not a YAML mapping, or a condition's line that
        # is not YAML
        self.pending: dict[tuple[str, int, str], tuple[str, str]] = {}
        self.validate()

    @classmethod
    def from_bundle(
        cls, bundle: Bundle, known_templates: list[str], titles: dict[str, str] | None = None
    ) -> BundleDraft:
        return cls(
            bundle.model_dump(mode="json", exclude_defaults=True),
            known_templates,
            bundle.id,
            titles,
        )

    @classmethod
    def from_yaml(
        cls, text: str, known_templates: list[str], source: str = "import"
    ) -> BundleDraft:
        return cls(load_mapping(text, source), known_templates, source)

    @classmethod
    def new(cls, known_templates: list[str], titles: dict[str, str] | None = None) -> BundleDraft:
        data = {
            "id": "new_event",
            "title": {"ja": "新しい手続き", "en": "New event"},
            "templates": [],
        }
        return cls(data, known_templates, titles=titles)

    def clone(self) -> BundleDraft:
        return BundleDraft(copy.deepcopy(self.data), self.known, self.source, self.titles)

    def template_label(self, template_id: str) -> str:
        """A template as the editor names it: its id and, when known, its Japanese title."""
        title = self.titles.get(template_id, "")
        return f"{template_id}　{title}" if title else template_id

    @property
    def notes(self) -> list[str]:
        """What an edit changed elsewhere (not problems): the conditions a question's new id
        was written into, each at its field (a click there shows it)."""
        return [
            f"{kind}.{index}.{key}: 質問ID {old} を {new} に書き換えました"
            f" / question id {old} renamed to {new} here"
            for (kind, index, key), (old, new) in self.renamed.items()
        ]

    def to_yaml(self) -> str:
        if self.bundle is not None:
            return dump_bundle(self.bundle)
        return yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, width=100)

    def validate(self) -> list[str]:
        problems: list[str] = []
        bundle: Bundle | None = None
        try:
            bundle = parse_bundle(
                yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False), self.source
            )
        except TemplateError as exc:
            problems.extend(_bilingual(p) for p in exc.problems)
        if bundle is not None:
            problems.extend(
                f"templates: 様式 {t} がありません / unknown template {t}"
                for t in bundle.template_ids(include_optional=True)
                if t not in self.known
            )
        problems.extend(
            f"{kind}.{index}{'.' + key if key else ''}: {problem}"
            for (kind, index, key), (_text, problem) in self.pending.items()
        )
        self.problems = problems
        self.bundle = bundle if not problems else None
        if self.bundle is not None:
            self.last_good = self.bundle
        return problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self, key: str) -> str:
        head, _, part = key.partition(".")
        value = self.data.get(head)
        if part:
            return str(value.get(part, "")) if isinstance(value, dict) else ""
        return "" if value is None else str(value)

    def set_text(self, key: str, value: str) -> None:
        head, _, part = key.partition(".")
        if part:
            text = self.data.get(head)
            text = dict(text) if isinstance(text, dict) else {}
            text[part] = value
            if head == "description" and not any(text.values()):
                self.data.pop(head, None)
            else:
                self.data[head] = text
        else:
            self.data[head] = value
        self.validate()

    def _list(self, key: str) -> list[str]:
        value = self.data.get(key)
        return [str(v) for v in value] if isinstance(value, list) else []

    def role_of(self, template_id: str) -> str:
        if template_id in self._list("templates"):
            return REQUIRED
        if template_id in self._list("optional"):
            return OPTIONAL
        return UNUSED

    def set_role(self, template_id: str, role: str) -> None:
        required = [t for t in self._list("templates") if t != template_id]
        optional = [t for t in self._list("optional") if t != template_id]
        if role == REQUIRED:
            required.append(template_id)
        elif role == OPTIONAL:
            optional.append(template_id)
        self.data["templates"] = required
        if optional:
            self.data["optional"] = optional
        else:
            self.data.pop("optional", None)
        self.validate()

    def listed_templates(self) -> list[str]:
        """Known templates, then any unknown one the bundle names (so it can be removed)."""
        named = [*self._list("templates"), *self._list("optional")]
        return [*self.known, *(t for t in named if t not in self.known)]

    # -- questions and rules, one YAML item each ------------------------------------------------

    def items(self, kind: str) -> list[Any]:
        value = self.data.get(kind)
        return list(value) if isinstance(value, list) else []

    def item_label(self, kind: str, index: int) -> str:
        """A short name for the list: a question's id; a rule's id and forms."""
        item = self.items(kind)[index]
        if not isinstance(item, dict):
            return str(item)
        if kind == QUESTIONS:
            return str(item.get("id", "?"))
        forms = item.get("forms")
        when = item.get("when")
        names = ", ".join(map(str, forms)) if isinstance(forms, list) else "?"
        when_text = condition_text(when)
        if len(when_text) > LABEL_CONDITION_CHARS:
            when_text = when_text[: LABEL_CONDITION_CHARS - 1] + "…"
        label = f"{names} ← {when_text or '?'}"
        return f"{item['id']}: {label}" if isinstance(item.get("id"), str) else label

    def item_text(self, kind: str, index: int) -> str:
        """The item as YAML, or the unreadable text last typed for it."""
        pending = self.pending.get((kind, index, WHOLE_ITEM))
        if pending is not None:
            return pending[0]
        return _dump(self.items(kind)[index])

    def set_item_text(self, kind: str, index: int, text: str) -> None:
        try:
            value = load_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            self.pending[(kind, index, WHOLE_ITEM)] = (
                text,
                f"YAML の構文誤り / malformed YAML{at}",
            )
            self.validate()
            return
        if not isinstance(value, dict):
            self.pending[(kind, index, WHOLE_ITEM)] = (
                text,
                "一項目は対応表（key: value）です / an item must be a mapping (key: value)",
            )
            self.validate()
            return
        self.pending = {k: v for k, v in self.pending.items() if k[:2] != (kind, index)}
        if kind == QUESTIONS:
            self._named_as.pop(index, None)
        self._store_item(kind, index, value)

    def _store_item(self, kind: str, index: int, value: dict[str, Any]) -> None:
        items = self.items(kind)
        items[index] = value
        self.data[kind] = items
        self.validate()

    # -- the form: one field of an item at a time ---------------------------------------------

    def _item(self, kind: str, index: int) -> dict[str, Any]:
        item = self.items(kind)[index]
        return copy.deepcopy(item) if isinstance(item, dict) else {}

    def item_unreadable(self, kind: str, index: int) -> bool:
        """The item's YAML text does not read: the form waits until it is fixed."""
        return (kind, index, WHOLE_ITEM) in self.pending

    def item_field(self, kind: str, index: int, key: str) -> str:
        """`id`, `text.ja` …, or a condition as one line (`staff.editor.condition_text`)."""
        pending = self.pending.get((kind, index, key))
        if pending is not None:
            return pending[0]
        head, _, part = key.partition(".")
        value = self._item(kind, index).get(head)
        if part:
            return str(value.get(part, "")) if isinstance(value, dict) else ""
        if key in CONDITION_KEYS[kind]:
            return condition_text(value)
        return "" if value is None else str(value)

    def set_item_field(self, kind: str, index: int, key: str, text: str) -> None:
        """Set one field; an empty condition, rule id, `en` or help is left out of the item.
        A condition that is not YAML is kept aside and the item keeps its value."""
        item = self._item(kind, index)
        self.pending.pop((kind, index, key), None)
        head, _, part = key.partition(".")
        if key in CONDITION_KEYS[kind]:
            try:
                value = read_condition(text)
            except ConditionUnreadable as exc:
                self.pending[(kind, index, key)] = (text, str(exc))
                self.validate()
                return
            item[head] = value
        elif part:
            texts = item.get(head)
            texts = dict(texts) if isinstance(texts, dict) else {}
            texts[part] = text
            item[head] = texts
            if part == "en" and not text:
                del texts["en"]
            if head in OPTIONAL_TEXTS and not any(texts.values()):
                item[head] = None
        else:
            if kind == QUESTIONS and key == "id":
                self._rename_uses(index, str(item.get("id") or ""), text)
            item[head] = text or (None if kind == RULES else "")
        self._store_item(kind, index, {k: v for k, v in item.items() if v is not None})

    def _rename_uses(self, index: int, current: str, new: str) -> None:
        """A question's id edited: the conditions naming it (ask_if/yes_if/no_if, a rule's
        when) name the new id, listed in `notes`. While the new id is empty or another
        question's, they keep naming the old one (no two questions merged)."""
        old = self._named_as.pop(index, current)
        others = {q for i, q in enumerate(self.question_ids()) if i != index}
        if not old or not new or new in others:
            if old:
                self._named_as[index] = old
            return
        if old == new:
            return
        for kind in ITEM_KINDS:
            for i, item in enumerate(self.items(kind)):
                if not isinstance(item, dict):
                    continue
                for key in CONDITION_KEYS[kind]:
                    if key == "derive" or key not in item:
                        continue
                    value, changed = _renamed(item[key], old, new)
                    if not changed:
                        continue
                    item[key] = value
                    first = self.renamed.pop((kind, i, key), (old, new))[0]
                    if first != new:
                        self.renamed[(kind, i, key)] = (first, new)

    def field_problems(self, kind: str, index: int, key: str) -> list[str]:
        """The problems placed at one field of an item (for the form to mark it)."""
        where = f"{kind}.{index}.{key}"
        return [p for p in self.problems if p.startswith((where + ":", where + "."))]

    def question_ids(self, before: int | None = None) -> list[str]:
        """The ids a condition may name: every question's, or those listed before one."""
        ids = [str(q.get("id")) for q in self.items(QUESTIONS) if isinstance(q, dict)]
        return ids if before is None else ids[:before]

    def form_choices(self, index: int) -> list[str]:
        """The forms a rule may choose: the bundle's, then any other the rule names."""
        listed = [*self._list("templates"), *self._list("optional")]
        return [*listed, *(f for f in self.rule_forms(index) if f not in listed)]

    def rule_forms(self, index: int) -> list[str]:
        forms = self._item(RULES, index).get("forms")
        return [str(f) for f in forms] if isinstance(forms, list) else []

    def set_rule_form(self, index: int, template_id: str, chosen: bool) -> None:
        item = self._item(RULES, index)
        forms = [f for f in self.rule_forms(index) if f != template_id]
        if chosen:
            forms.append(template_id)
        item["forms"] = forms
        self._store_item(RULES, index, item)

    def add_item(self, kind: str) -> int:
        items = self.items(kind)
        if kind == QUESTIONS:
            taken = {q.get("id") for q in items if isinstance(q, dict)}
            n = 1
            while f"question_{n}" in taken:
                n += 1
            items.append(
                {"id": f"question_{n}", "text": {"ja": "新しい質問", "en": "New question"}}
            )
        else:
            questions = [q.get("id") for q in self.items(QUESTIONS) if isinstance(q, dict)]
            forms = self._list("optional") or self._list("templates")
            taken = {r.get("id") for r in items if isinstance(r, dict)}
            n = 1
            while f"rule_{n}" in taken:
                n += 1
            items.append(
                {
                    "id": f"rule_{n}",
                    "when": questions[0] if questions else "question_1",
                    "forms": forms[:1],
                    "reason": {"ja": "理由", "en": "reason"},
                }
            )
        self.data[kind] = items
        self.validate()
        return len(items) - 1

    def remove_item(self, kind: str, index: int) -> None:
        items = self.items(kind)
        self.renamed.clear()
        self._named_as.clear()
        del items[index]
        if items:
            self.data[kind] = items
        else:
            self.data.pop(kind, None)
        moved = {}
        for (k, i, key), value in self.pending.items():
            if k != kind or i < index:
                moved[(k, i, key)] = value
            elif i > index:
                moved[(k, i - 1, key)] = value
        self.pending = moved
        self.validate()

    def revert(self) -> None:
        """Back to the last draft that passed every check (if there was one)."""
        self.renamed.clear()
        self._named_as.clear()
        if self.last_good is None:
            return
        self.data = self.last_good.model_dump(mode="json", exclude_defaults=True, by_alias=True)
        self.pending.clear()
        self.validate()
