"""Malformed navigator rules in a bundle are refused, each with its place in the file."""

from __future__ import annotations

import pytest
import yaml

from forms.bundle import dump_bundle, parse_bundle
from forms.catalog import Catalog
from forms.errors import TemplateError
from forms.template import parse_template

BASE = """\
id: test_event
title: {ja: 試験, en: Test}
templates: [idou, kokuho]
optional: [inkan]
questions:
- id: has_dog
  text: {ja: 犬を飼っていますか, en: Do you keep a dog?}
- id: aged_65
  text: {ja: 65歳以上の方がいますか, en: Anyone 65 or older?}
  derive: {someone: {age: {min: 65}}}
rules:
- id: dog
  when: has_dog
  forms: [inkan]
  reason: {ja: 犬のため, en: a dog}
- id: aged_65
  when: {all: [aged_65, {not: has_dog}]}
  forms: [kokuho]
  reason: {ja: 65歳以上のため, en: 65 or older}
defaults:
- {path: address.new, from: address.current}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        parse_bundle(text, "test.yaml")
    assert caught.value.source == "test.yaml"
    assert caught.value.ja and caught.value.en
    return caught.value.problems


def test_base_is_valid_and_round_trips() -> None:
    bundle = parse_bundle(BASE)
    assert [q.id for q in bundle.questions] == ["has_dog", "aged_65"]
    assert parse_bundle(dump_bundle(bundle)) == bundle


# (what is wrong, replace this, with this, where it is reported, the line, what it says)
CASES = [
    (
        "a rule naming an unknown question",
        "  when: has_dog\n",
        "  when: has_dgo\n",
        "rules.0.when",
        13,
        "no question 'has_dgo'",
    ),
    (
        "a rule choosing a form the bundle does not list",
        "  forms: [inkan]",
        "  forms: [juminhyo]",
        "rules.0.forms.0",
        14,
        "in neither templates nor optional",
    ),
    (
        "a condition with an unknown key",
        "{not: has_dog}",
        "{nott: has_dog}",
        "rules.1.when.all.1",
        17,
        "a condition is a question id or a mapping",
    ),
    (
        "a condition with two keys",
        "{not: has_dog}",
        "{not: has_dog, all: [aged_65]}",
        "rules.1.when.all.1",
        17,
        "exactly one of",
    ),
    (
        "an age range upside down",
        "{age: {min: 65}}",
        "{age: {min: 65, max: 20}}",
        "questions.1.derive.someone.age",
        10,
        "min is greater than max",
    ),
    (
        "an age range with no bound",
        "{age: {min: 65}}",
        "{age: {counting: birthday}}",
        "questions.1.derive.someone.age",
        10,
        "give min, max or both",
    ),
    (
        "an unknown way of counting ages",
        "{age: {min: 65}}",
        "{age: {min: 65, counting: lunar}}",
        "questions.1.derive.someone.age.counting",
        10,
        "'legal' or 'birthday'",
    ),
    (
        "ages counted on a day that is not a date",
        "{age: {min: 65}}",
        "{age: {min: 65}, day: address.new}",
        "questions.1.derive.someone.day",
        10,
        "does not hold a date",
    ),
    (
        "a record path that names nothing",
        "{not: has_dog}",
        "{filled: 'person[0].shoe_size'}",
        "rules.1.when.all.1.filled",
        17,
        "names nothing",
    ),
    (
        "a question that asks about a later one",
        "  text: {ja: 犬を飼っていますか, en: Do you keep a dog?}\n",
        "  text: {ja: 犬を飼っていますか, en: Do you keep a dog?}\n  ask_if: aged_65\n",
        "questions.0.ask_if",
        8,
        "is not asked before this one",
    ),
    (
        "a question no rule uses",
        "rules:\n",
        "- id: has_cat\n  text: {ja: 猫, en: Cat?}\nrules:\n",
        "questions.2.id",
        11,
        "used by no rule",
    ),
    (
        "two questions with one id",
        "- id: aged_65\n",
        "- id: has_dog\n",
        "questions",
        5,
        "duplicate question id",
    ),
    (
        "derive and yes_if together",
        "  derive: {someone: {age: {min: 65}}}",
        "  derive: {someone: {age: {min: 65}}}\n  yes_if: has_dog",
        "questions.1",
        8,
        "use derive, or yes_if and no_if",
    ),
    (
        "a default into a read-only path",
        "{path: address.new, from: address.current}",
        "{path: session.today, from: date.move}",
        "defaults.0",
        21,
        "read-only",
    ),
    (
        "a default between different kinds",
        "{path: address.new, from: address.current}",
        "{path: address.new, from: date.move}",
        "defaults.0",
        21,
        "holds date, address.new holds address",
    ),
    (
        "a default with two sources",
        "{path: address.new, from: address.current}",
        "{path: address.new, from: address.current, from_person: {who: {index: 0}, value: name}}",
        "defaults.0",
        21,
        "give from or from_person",
    ),
    (
        "a form both required and optional",
        "optional: [inkan]",
        "optional: [inkan, kokuho]",
        "optional",
        4,
        "listed twice",
    ),
    (
        "a rule without an id",
        "- id: aged_65\n  when:",
        "- when:",
        "rules.1.id",
        16,
        "rule 1 (from 0) has no id: every rule needs one, unique in the bundle",
    ),
    (
        "two rules with one id",
        "- id: aged_65\n  when:",
        "- id: dog\n  when:",
        "rules.1.id",
        16,
        "duplicate rule id 'dog' (also rule 0)",
    ),
    (
        "a rule id that is not a name",
        "- id: aged_65\n  when:",
        "- id: 65歳\n  when:",
        "rules.1.id",
        16,
        "String should match pattern",
    ),
    (
        "an unknown key",
        "rules:\n",
        "rulez: []\nrules:\n",
        "rulez",
        11,
        "Extra inputs are not permitted",
    ),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "where", "line", "says"), CASES, ids=[c[0] for c in CASES]
)
def test_each_malformed_rule_is_refused_at_its_place(
    what: str, old: str, new: str, *, where: str, line: int, says: str
) -> None:
    assert old in BASE, what
    problems = problems_of(BASE.replace(old, new, 1))
    found = [p for p in problems if p.startswith(f"{where} (line {line}): ")]
    assert found, problems
    assert any(says in p for p in found), problems


def test_every_problem_is_reported_at_once() -> None:
    text = BASE.replace("  when: has_dog\n", "  when: has_dgo\n").replace(
        "forms: [kokuho]", "forms: [juminhyo]"
    )
    problems = problems_of(text)
    assert [p.split(":")[0] for p in problems] == [
        "rules.0.when (line 13)",
        "rules.1.forms.0 (line 18)",
    ]


def test_malformed_yaml_names_its_line() -> None:
    problems = problems_of(BASE.replace("forms: [inkan]", "forms: [inkan", 1))
    assert len(problems) == 1 and "malformed YAML (line" in problems[0]
    assert problems_of("- just\n- a list\n") == [
        "最上位は対応表です / the top level must be a mapping"
    ]


def test_the_catalogue_refuses_a_bundle_naming_a_missing_form() -> None:
    catalog = Catalog.builtin()
    bundle = parse_bundle(BASE.replace("optional: [inkan]", "optional: [inkan, zairyu]"))
    with pytest.raises(TemplateError) as caught:
        catalog.add_bundle(bundle)
    assert caught.value.problems == ["様式 zairyu がありません / unknown template zairyu"]


@pytest.mark.parametrize("bundle_id", [b.id for b in Catalog.builtin().bundles()])
def test_shipped_bundles_round_trip(bundle_id: str) -> None:
    bundle = Catalog.builtin().bundle(bundle_id)
    text = dump_bundle(bundle)
    assert parse_bundle(text, bundle_id) == bundle
    assert dump_bundle(parse_bundle(text)) == text
    assert yaml.safe_load(text) == bundle.model_dump(mode="json", exclude_defaults=True)


def test_a_group_filter_in_a_template_is_checked_too() -> None:
    template = """
id: t
version: 1
title: {ja: 試験, en: Test}
legal_basis: なし
groups:
  - id: elders
    label: {ja: 高齢者, en: Elders}
    max: 2
    persons: {age: {min: 90, max: 75}}
    fields:
      - {id: name, type: person_name, label: {ja: 高齢者の氏名}, prefill: 'person[*].name'}
layout:
  pages:
    - boxes:
        - {field: 'elders[0].name', x: 10, y: 20, w: 50, h: 8}
        - {field: 'elders[1].name', x: 10, y: 30, w: 50, h: 8}
"""
    with pytest.raises(TemplateError) as caught:
        parse_template(template)
    assert caught.value.problems == [
        "groups.0.persons.age: Value error, min が max より大きい / min is greater than max"
    ]
