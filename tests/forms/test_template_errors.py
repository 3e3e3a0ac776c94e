"""Each kind of bad template gives its own clear error."""

import subprocess
import sys
from pathlib import Path

import pytest

from forms.errors import TemplateError
from forms.template import load_template, parse_template

BASE = """
id: t
version: 1
title: {ja: 試験, en: Test}
legal_basis: なし
fields:
  - {id: name, type: text, label: {ja: 氏名, en: Name}}
  - {id: age, type: number, label: {ja: 年齢, en: Age}}
layout:
  pages:
    - boxes:
        - {field: name, x: 10, y: 10, w: 50, h: 8}
        - {field: age, x: 10, y: 20, w: 50, h: 8}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(TemplateError) as info:
        parse_template(text)
    return info.value.problems


def test_base_is_valid() -> None:
    assert parse_template(BASE).key == "t@1"


CASES = {
    "malformed YAML": (BASE.replace("fields:", "fields: [", 1), "malformed YAML"),
    "unknown field type": (BASE.replace("type: number", "type: numbr"), "unknown field type"),
    "duplicate field id": (BASE.replace("id: age", "id: name"), "duplicate field id"),
    "prefill naming nothing": (
        BASE.replace("type: number,", "type: number, prefill: 'person[0].agee',"),
        "names nothing",
    ),
    "box off the page": (
        BASE.replace("x: 10, y: 20, w: 50", "x: 180, y: 20, w: 50"),
        "off the page",
    ),
    "overlapping boxes": (BASE.replace("y: 20, w: 50", "y: 12, w: 50"), "overlaps"),
    "box for no field": (BASE.replace("{field: age", "{field: agee"), "no such field"),
    "type mismatch": (
        BASE.replace("type: number,", "type: number, prefill: 'person[0].name',"),
        "holds person_name",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_bad_template(case: str) -> None:
    text, expected = CASES[case]
    problems = problems_of(text)
    assert any(expected in p for p in problems), problems


def test_group_maximum_missing() -> None:
    text = BASE.replace(
        "layout:",
        "groups:\n  - id: g\n    label: {ja: 組, en: Group}\n    fields:\n"
        "      - {id: x, type: text, label: {ja: x, en: x}, prefill: 'person[*].relation'}\nlayout:",
    )
    assert any("group maximum" in p for p in problems_of(text))


def test_individual_number_needs_a_declared_legal_need() -> None:
    text = BASE.replace(
        "type: number,", "type: individual_number, prefill: card.individual_number,"
    )
    problems = problems_of(text)
    assert any("individual-number field needs" in p for p in problems)
    declared = text.replace("legal_basis: なし", "legal_basis: なし\nuses_individual_number: true")
    assert any("article of law" in p for p in problems_of(declared))
    ok = declared.replace(
        "uses_individual_number: true",
        "uses_individual_number: true\nindividual_number_article: 番号法第9条",
    )
    assert parse_template(ok).uses_individual_number


def test_every_problem_reported_at_once() -> None:
    text = BASE.replace("type: number", "type: numbr").replace(
        "x: 10, y: 10, w: 50", "x: 300, y: 10, w: 50"
    )
    problems = problems_of(text)
    assert len(problems) >= 2


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(TemplateError):
        load_template(bad)
    with pytest.raises(TemplateError):
        load_template(tmp_path / "missing.yaml")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_cli_validate(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(BASE, encoding="utf-8")
    ok = run_cli("forms", "validate", str(good))
    assert ok.returncode == 0 and "t@1" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(CASES["overlapping boxes"][0].replace("type: number", "type: numbr"), "utf-8")
    res = run_cli("forms", "validate", str(bad))
    assert res.returncode == 1
    assert "overlaps" in res.stderr and "unknown field type" in res.stderr


def test_cli_list_and_show() -> None:
    listed = run_cli("forms", "list")
    assert listed.returncode == 0
    assert "juminhyo\tv1\t住民票の写し等交付請求書" in listed.stdout
    shown = run_cli("forms", "show", "juminhyo", "--json")
    assert shown.returncode == 0 and '"id": "juminhyo"' in shown.stdout
    missing = run_cli("forms", "show", "nosuch")
    assert missing.returncode == 1 and "unknown template" in missing.stderr
