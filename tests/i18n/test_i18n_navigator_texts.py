"""The navigator's texts through the `templates` catalogue: every bundle question, its help and
every rule's reason, and the navigator's fixed reasons, in every language."""

from __future__ import annotations

import re

import pytest

from forms.bundle import Bundle
from forms.catalog import Catalog
from forms.i18n.domains import templates_domain
from forms.i18n.languages import LANGUAGES
from forms.i18n.template_texts import TemplateTexts, bundle_texts, navigator_texts
from forms.navigator import ADDED, ALWAYS, FROM_RECORD, REMOVED

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CODES = [lang.code for lang in LANGUAGES]


def navigator_keys(bundle: Bundle) -> list[tuple[str, str]]:
    keys = [f"bundle.{bundle.id}.question.{q.id}.text" for q in bundle.questions]
    keys += [f"bundle.{bundle.id}.question.{q.id}.help" for q in bundle.questions if q.help]
    keys += [f"bundle.{bundle.id}.rule.{rule.id}.reason" for rule in bundle.rules]
    texts = {key: ja for key, ja, _ in bundle_texts(bundle)}
    return [(key, texts[key]) for key in keys]


def every_key() -> list[tuple[str, str]]:
    rows = [row for b in Catalog.builtin().bundles() for row in navigator_keys(b)]
    return rows + [(key, ja) for key, ja, _ in navigator_texts()]


@pytest.mark.parametrize("code", CODES)
def test_every_question_help_and_reason_has_a_key_in_every_language(code: str) -> None:
    domain = templates_domain()
    rows = every_key()
    assert len(rows) > 80
    for key, ja in rows:
        assert domain.has(code, key), f"{code}: {key} missing"
        text = domain.text(code, key)
        assert text.strip(), f"{code}: {key} empty"
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ja)), key
        if code not in ("ja", "ja-easy", "en"):
            assert text != ja, f"{code}: {key} is the Japanese"


def test_the_fixed_navigator_texts_are_keyed() -> None:
    keys = {key: ja for key, ja, _ in navigator_texts()}
    fixed = [ALWAYS, FROM_RECORD, *ADDED.values(), *REMOVED.values()]
    assert sorted(keys.values()) == sorted(t.ja for t in fixed)
    assert "navigator.always" in keys and "navigator.removed.staff" in keys


def test_a_question_in_vietnamese_by_key_and_by_its_text() -> None:
    texts = TemplateTexts(templates_domain())
    bundle = next(b for b in Catalog.builtin().bundles() if b.id == "moving_in")
    dog = bundle.question("has_dog")
    assert texts.domain.text("vi", "bundle.moving_in.question.has_dog.text") == (
        "Bạn có nuôi chó không?"
    )
    assert texts.in_language("vi", dog.text) == ("Bạn có nuôi chó không?", "vi")
    assert texts.in_language("ne", ALWAYS)[1] == "ne"


def test_rule_reasons_are_keyed_by_the_rules_id_not_its_place() -> None:
    """Reordering a bundle's rules keeps every reason's key, so no translation moves."""
    bundle = Catalog.builtin().bundle("moving_in")
    keys = [key for key, _, _ in bundle_texts(bundle) if ".rule." in key]
    assert "bundle.moving_in.rule.has_dog.reason" in keys
    assert not any(re.search(r"\.rule\.\d+\.", key) for key in keys)
    reordered = bundle.model_copy(update={"rules": list(reversed(bundle.rules))})
    before = {key: ja for key, ja, _ in bundle_texts(bundle)}
    after = {key: ja for key, ja, _ in bundle_texts(reordered)}
    assert before == after
    texts = TemplateTexts(templates_domain())
    dog = next(r for r in bundle.rules if r.id == "has_dog")
    assert texts.in_language("vi", dog.reason)[1] == "vi"
