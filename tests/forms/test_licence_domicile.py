"""Forms that ask for 本籍 declare it; the licence's 本籍 fills only their marked fields."""

from __future__ import annotations

import pytest

from forms.catalog import Catalog
from forms.domicile import domicile_paths, needs_licence_domicile, seed_domicile
from forms.errors import TemplateError
from forms.fill import fill
from forms.record import SessionRecord
from forms.template import dump_template, parse_template

BASE = """
id: t
version: 1
title: {ja: 試験, en: Test}
legal_basis: なし
fields:
  - {id: domicile, type: text, label: {ja: 本籍, en: Domicile}, prefill: answers.domicile}
  - {id: age, type: number, label: {ja: 年齢, en: Age}}
layout:
  pages:
    - boxes:
        - {field: domicile, x: 10, y: 10, w: 50, h: 8}
        - {field: age, x: 10, y: 20, w: 50, h: 8}
"""
DECLARED = BASE.replace("legal_basis: なし", "legal_basis: なし\nuses_licence_domicile: true")
MARKED = "prefill: answers.domicile, licence_domicile: true"
DOMICILE = "見本県見本市見本町一丁目一番地"


def problems_of(text: str) -> list[str]:
    with pytest.raises(TemplateError) as info:
        parse_template(text)
    return info.value.problems


def test_declared_and_marked_is_valid_and_round_trips() -> None:
    template = parse_template(DECLARED.replace("prefill: answers.domicile", MARKED))
    assert template.uses_licence_domicile and template.field("domicile").licence_domicile
    assert parse_template(dump_template(template)) == template


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BASE.replace("prefill: answers.domicile", MARKED), "must declare uses_licence_domicile"),
        (DECLARED, "no field takes the licence's domicile"),
        (
            DECLARED.replace(
                "prefill: answers.domicile", "prefill: card.address, licence_domicile: true"
            ),
            "prefill path is read-only",
        ),
        (
            DECLARED.replace("type: number,", "type: number, licence_domicile: true,"),
            "only a top-level text or free_text field",
        ),
        (
            BASE.replace(
                "legal_basis: なし", "legal_basis: なし\nuses_licence_domicile: yes please"
            ),
            "uses_licence_domicile",
        ),
    ],
)
def test_undeclared_or_misplaced_domicile_is_refused(text: str, expected: str) -> None:
    problems = problems_of(text)
    assert any(expected in p for p in problems), problems


def test_shipped_koseki_forms_declare_the_need() -> None:
    catalog = Catalog.builtin()
    koseki, shussei, juminhyo = (catalog.get(i) for i in ("koseki", "shussei", "juminhyo"))
    assert koseki.uses_licence_domicile and koseki.field("domicile").licence_domicile
    assert shussei.uses_licence_domicile
    assert not juminhyo.uses_licence_domicile
    assert needs_licence_domicile([juminhyo, koseki])
    assert not needs_licence_domicile([juminhyo])
    assert domicile_paths([koseki, shussei, juminhyo]) == ["answers.domicile"]


def test_seed_fills_the_koseki_request_and_stays_editable() -> None:
    koseki = Catalog.builtin().get("koseki")
    record = SessionRecord()
    assert seed_domicile(record, [koseki], f"{DOMICILE}\u3000") == ["answers.domicile"]
    assert fill(koseki, record).values["domicile"] == DOMICILE
    record.answers["domicile"] = "見本県別市一番地"  # the resident corrects it on review
    assert seed_domicile(record, [koseki], DOMICILE) == []
    assert record.answers["domicile"] == "見本県別市一番地"


def test_seed_gives_nothing_to_forms_that_do_not_declare() -> None:
    juminhyo = Catalog.builtin().get("juminhyo")
    record = SessionRecord()
    assert seed_domicile(record, [juminhyo], DOMICILE) == []
    assert record.answers == {}
    assert seed_domicile(record, [Catalog.builtin().get("koseki")], "  ") == []
