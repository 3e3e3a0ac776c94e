"""The templates' and bundles' texts as catalogue keys (domain `templates`).

Keys, by template id and field id (a group's fields under the group's id):

    <template>.title
    <template>.<field>.label            <template>.<group>.label
    <template>.<field>.help             <template>.<group>.<field>.label / .help
    <template>.<field>.option.<value>   <template>.<group>.<field>.option.<value>
    bundle.<bundle>.title               bundle.<bundle>.description
    bundle.<bundle>.question.<question>.text / .help
    bundle.<bundle>.rule.<rule>.reason  (by the rule's id: reordering rules keeps the keys)
    navigator.always / .added.<actor> / .removed.<actor> / .from_record  (forms/navigator.py)

The Japanese catalogue is *extracted* from the YAML (the YAML stays the one place an admin
edits the Japanese); `madoguchi i18n extract-templates` rewrites it and then brings every
language in step (new keys empty and fuzzy, English pre-filled from the YAML's `en`). A
template added on another branch is therefore one command away from its catalogue entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from forms.bundle import Bundle
from forms.i18n.catalogue import Domain
from forms.i18n.languages import SOURCE
from forms.template import FieldSpec, Template
from forms.text import Text


def _field_texts(prefix: str, spec: FieldSpec) -> Iterator[tuple[str, str, str]]:
    yield f"{prefix}.label", spec.label.ja, spec.label.en
    if spec.help is not None:
        yield f"{prefix}.help", spec.help.ja, spec.help.en
    for option in spec.options:
        yield f"{prefix}.option.{option.value}", option.ja, option.en


def template_texts(template: Template) -> Iterator[tuple[str, str, str]]:
    """(key, Japanese, English) for every text of one template, in the file's order."""
    t = template.id
    yield f"{t}.title", template.title.ja, template.title.en
    for spec in template.fields:
        yield from _field_texts(f"{t}.{spec.id}", spec)
    for group in template.groups:
        yield f"{t}.{group.id}.label", group.label.ja, group.label.en
        for spec in group.fields:
            yield from _field_texts(f"{t}.{group.id}.{spec.id}", spec)


def rule_reason_key(bundle_id: str, rule_id: str) -> str:
    """The catalogue key of a navigator rule's reason (by the rule's id, not its place)."""
    return f"bundle.{bundle_id}.rule.{rule_id}.reason"


def bundle_texts(bundle: Bundle) -> Iterator[tuple[str, str, str]]:
    yield f"bundle.{bundle.id}.title", bundle.title.ja, bundle.title.en
    if bundle.description is not None:
        yield f"bundle.{bundle.id}.description", bundle.description.ja, bundle.description.en
    for question in bundle.questions:
        prefix = f"bundle.{bundle.id}.question.{question.id}"
        yield f"{prefix}.text", question.text.ja, question.text.en
        if question.help is not None:
            yield f"{prefix}.help", question.help.ja, question.help.en
    for rule in bundle.rules:
        yield rule_reason_key(bundle.id, rule.id), rule.reason.ja, rule.reason.en


def navigator_texts() -> Iterator[tuple[str, str, str]]:
    """The navigator's fixed reasons (forms/navigator.py)."""
    from forms.navigator import ADDED, ALWAYS, FROM_RECORD, REMOVED

    yield "navigator.always", ALWAYS.ja, ALWAYS.en
    for actor, text in ADDED.items():
        yield f"navigator.added.{actor}", text.ja, text.en
    for actor, text in REMOVED.items():
        yield f"navigator.removed.{actor}", text.ja, text.en
    yield "navigator.from_record", FROM_RECORD.ja, FROM_RECORD.en


def all_texts(
    templates: Iterable[Template], bundles: Iterable[Bundle]
) -> list[tuple[str, str, str]]:
    rows = [row for t in sorted(templates, key=lambda t: t.id) for row in template_texts(t)]
    rows += [row for b in sorted(bundles, key=lambda b: b.id) for row in bundle_texts(b)]
    rows += list(navigator_texts())
    return rows


class TemplateTexts:
    """Template labels in one language, looked up by key or, for code that holds only a
    `Text` (today's kiosk screens), by its Japanese."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self._by_japanese: dict[str, str] | None = None

    def label(self, code: str, template_id: str, ref: str, part: str = "label") -> str:
        """`label("vi", "juminhyo", "copies")`; `ref` may be `group.field`; `part` is
        label, help or option.<value>."""
        return self.domain.text(code, f"{template_id}.{ref}.{part}")

    def title(self, code: str, template_id: str) -> str:
        return self.domain.text(code, f"{template_id}.title")

    def of_text(self, code: str, text: Text | None) -> str:
        """A template's `Text` in `code`: the entry whose Japanese is `text.ja`; for a text
        the catalogue does not know (a version published since), English for the languages
        that are not Japanese when it has one, else the Japanese."""
        if text is None:
            return ""
        return self.in_language(code, text)[0]

    def in_language(self, code: str, text: Text) -> tuple[str, str]:
        """`of_text` and the code of the language it came out in: `code`, or "en" / "ja" when
        the catalogue has no entry (a page marks such a text with its own `lang`)."""
        if code == SOURCE:
            return text.ja, SOURCE
        key = self._japanese_index().get(text.ja)
        found = self.domain.lookup(code, key) if key is not None else None
        if found is not None and key is not None and self.domain.has(code, key):
            return found, code
        if code == "en" or (code != "ja-easy" and text.en):
            return (text.en, "en") if text.en else (text.ja, SOURCE)
        return text.ja, SOURCE

    def _japanese_index(self) -> dict[str, str]:
        if self._by_japanese is None:
            index: dict[str, str] = {}
            for key, ja in self.domain.messages(SOURCE).items():
                index.setdefault(ja, key)
            self._by_japanese = index
        return self._by_japanese
