"""The pieces the generated forms share: person fields, the household table's columns, the
notifier's block, and the closed-set fields noted for the lead."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import SEX, Field, Form, fld

# (template id, field ref) → the closed set it should use once forms has closed sets.
CLOSED_SET_FIELDS: list[tuple[str, str, str]] = []


def closed(template: str, ref: str, closed_set: str) -> None:
    CLOSED_SET_FIELDS.append((template, ref, closed_set))


def person_fields(
    who_ja: str,
    who_en: str,
    *,
    sex: bool = True,
    relation: bool = True,
    required: bool = True,
) -> list[Field]:
    out = [
        fld(
            "name",
            "person_name",
            f"{who_ja}の氏名",
            f"{who_en}: name",
            "氏名",
            prefill="person[*].name",
            required=required,
            **c.NAME,
        ),
        fld(
            "kana",
            "person_name",
            f"{who_ja}のフリガナ",
            f"{who_en}: name in katakana",
            "フリガナ",
            prefill="person[*].kana",
            required=required,
            **c.KANA,
        ),
        fld(
            "birth_date",
            "date",
            f"{who_ja}の生年月日",
            f"{who_en}: date of birth",
            "生年月日",
            prefill="person[*].birth_date",
            required=required,
        ),
    ]
    if sex:
        out.append(
            fld(
                "sex",
                "select",
                f"{who_ja}の性別",
                f"{who_en}: sex",
                "性別",
                prefill="person[*].sex",
                required=required,
                options=SEX,
            )
        )
    if relation:
        out.append(
            fld(
                "relation",
                "text",
                f"{who_ja}の世帯主との続柄",
                f"{who_en}: relationship to the householder",
                "続柄",
                prefill="person[*].relation",
                required=required,
                max_length=12,
            )
        )
    return out


NAME_COL = ("name", "氏名・フリガナ", "Name / katakana", 0, "name_kana", {"kana": "kana"})
BIRTH_COL = ("birth_date", "生年月日", "Date of birth", 37, "date", {})
SEX_COL = ("sex", "性別", "Sex", 12, "sex", {})
REL_COL = ("relation", "続柄", "Relation", 17, "center", {})


def notifier_block(f: Form, relation: bool = True) -> None:
    f.section("届出人", "Notifier")
    f.row(
        10,
        [
            ("氏名", "Name", 100, f.v_name(c.notifier_name(), None)),
            ("電話番号", "Phone (daytime)", None, f.v_text(c.phone("notifier_phone"))),
        ],
    )
    if relation:
        rel = c.notifier_relation()
        f.row(f.options_height(rel), [("本人との関係", "Relation", None, f.v_options(rel))])
