"""出生届 (the parents' part)."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import SEX, Form, fld
from formgen.life_event_forms.parts import (
    BIRTH_COL,
    closed,
)

# --- 出生届（父母の欄） ------------------------------------------------------------------------


def shussei() -> Form:
    f = Form(
        "shussei",
        "出生届",
        "Notification of birth",
        "戸籍法 第49条・第52条",
        "戸籍法 第49条・第52条 / Family Register Act, Arts. 49, 52",
    )
    f.date_header(
        c.notified_on(),
        "届出年月日",
        "Date of notification",
        fee="出生証明書は医師・助産師が記入します",
    )
    f.section("生まれた子", "The child")
    child = [
        fld(
            "name",
            "person_name",
            "生まれた子の氏名",
            "Child's name",
            "氏名",
            prefill="person[*].name",
            required=True,
            **c.NAME,
        ),
        fld(
            "kana",
            "person_name",
            "生まれた子のよみかた（フリガナ）",
            "Child's name in katakana",
            "フリガナ",
            prefill="person[*].kana",
            required=True,
            **c.KANA,
        ),
        fld(
            "birth_date",
            "date",
            "生まれた子の生年月日",
            "Child's date of birth",
            "生年月日",
            prefill="person[*].birth_date",
            required=True,
        ),
        fld(
            "sex",
            "select",
            "生まれた子の性別",
            "Child's sex",
            "性別",
            prefill="person[*].sex",
            required=True,
            options=SEX,
        ),
        fld(
            "relation",
            "text",
            "生まれた子の世帯主との続柄",
            "Child's relationship to the householder",
            "続柄",
            prefill="person[*].relation",
            required=True,
            max_length=12,
        ),
    ]
    f.group(
        "child",
        "生まれた子",
        "The child",
        "子",
        child,
        max=1,
        min=1,
        persons={"age": {"max": 0}, "deceased": False},
    )
    closed("shussei", "child[].relation", "続柄")
    f.row(
        14,
        [("子の氏名", "Child's name", None, f.v_name("child[0].name", "child[0].kana", size=13))],
    )
    f.row(
        10,
        [
            ("生まれた日", "Date of birth", 100, f.v_text(None, ref="child[0].birth_date")),
            (
                "生まれた時刻",
                "Time",
                None,
                f.v_text(
                    fld(
                        "birth_time",
                        "text",
                        "生まれた時刻（午前・午後）",
                        "Time of birth",
                        "出生時刻",
                        required=True,
                        pattern=r"(午前|午後)\d{1,2}時\d{1,2}分",
                        max_length=10,
                    )
                ),
            ),
        ],
    )
    f.row(
        9,
        [
            (
                "性別",
                "Sex",
                100,
                f.v_options("child[0].sex", [("male", "男", "male"), ("female", "女", "female")]),
            ),
            ("世帯主との続柄", "Relation", None, f.v_text(None, ref="child[0].relation")),
        ],
    )
    status = fld(
        "child_status",
        "select",
        "父母との続き柄（嫡出子・嫡出でない子）",
        "Parents' marriage at the birth",
        "父母との続き柄",
        required=True,
        options=[
            ("marital", "嫡出子（婚姻中の父母の子）", "born in marriage"),
            ("non_marital", "嫡出でない子", "born outside marriage"),
        ],
    )
    order = fld(
        "birth_order",
        "select",
        "父母との続き柄（何番目の子か）",
        "Order among the parents' children",
        "出生順",
        required=True,
        options=[
            ("1", "長", "first"),
            ("2", "二", "second"),
            ("3", "三", "third"),
            ("4", "四", "fourth"),
            ("5", "五", "fifth"),
        ],
    )
    f.row(
        f.options_height(status),
        [("父母との続き柄", "Relation to parents", None, f.v_options(status))],
    )
    f.row(f.options_height(order), [("何番目の子", "Birth order", None, f.v_options(order))])
    f.row(
        10,
        [
            (
                "生まれたところ",
                "Place of birth",
                None,
                f.v_text(
                    fld(
                        "birth_place",
                        "text",
                        "生まれたところ（病院などの所在地）",
                        "Place of birth (hospital address)",
                        "出生場所",
                        required=True,
                        max_length=60,
                    )
                ),
            )
        ],
    )
    f.row(
        17,
        [
            (
                "住所",
                "Address",
                None,
                f.v_address(
                    fld(
                        "child_address",
                        "address",
                        "子の住所（住民登録をするところ）",
                        "Child's address (to be registered)",
                        "子の住所",
                        prefill="address.new",
                        required=True,
                        **c.ADDRESS,
                    )
                ),
            )
        ],
    )
    f.row(
        10,
        [
            (
                "世帯主",
                "Householder",
                None,
                f.v_name(
                    fld(
                        "head",
                        "person_name",
                        "子の世帯の世帯主の氏名",
                        "Householder's name",
                        "世帯主",
                        prefill="answers.new_head_name",
                        required=True,
                        **c.NAME,
                    ),
                    None,
                ),
            )
        ],
    )
    f.section("父母", "Father and mother")
    parents = [
        fld(
            "name",
            "person_name",
            "父母の氏名",
            "Parent's name",
            "氏名",
            prefill="person[*].name",
            required=True,
            **c.NAME,
        ),
        fld(
            "birth_date",
            "date",
            "父母の生年月日",
            "Parent's date of birth",
            "生年月日",
            prefill="person[*].birth_date",
            required=True,
        ),
        fld(
            "sex",
            "select",
            "父母の別（父・母）",
            "Father or mother",
            "父母の別",
            prefill="person[*].sex",
            required=True,
            options=[("male", "父", "father"), ("female", "母", "mother")],
        ),
    ]
    f.group(
        "parents",
        "父母",
        "Father and mother",
        "父母",
        parents,
        max=2,
        min=1,
        relations=["世帯主", "妻", "夫", "妻（未届）", "夫（未届）"],
        persons={"age": {"min": 13}, "deceased": False},
    )
    f.table(
        "parents",
        [
            ("name", "氏名", "Name", 0, "text", {"size": 12}),
            BIRTH_COL,
            (
                "sex",
                "父・母",
                "Father / mother",
                30,
                "options",
                {"options": [("male", "父"), ("female", "母")], "size": 8},
            ),
        ],
        rows=2,
        row_h=11,
    )
    f.row(
        10,
        [
            (
                "本籍",
                "Registered domicile",
                None,
                f.v_text(
                    fld(
                        "domicile",
                        "text",
                        "父母の本籍",
                        "Parents' registered domicile",
                        "本籍",
                        prefill="answers.domicile",
                        required=True,
                        max_length=60,
                        help=(
                            "外国人のときは国籍だけを書きます。",
                            "For a foreign parent, only the nationality.",
                        ),
                    )
                ),
            )
        ],
    )
    f.row(
        10,
        [
            (
                "筆頭者",
                "Head of register",
                100,
                f.v_name(
                    fld(
                        "domicile_head",
                        "person_name",
                        "本籍の筆頭者の氏名",
                        "Head of the family register",
                        "筆頭者",
                        prefill="answers.domicile_head",
                        required=True,
                        **c.NAME,
                    ),
                    None,
                ),
            ),
            (
                "同居を始めた",
                "Living together",
                None,
                f.v_text(
                    fld(
                        "cohabited_since",
                        "text",
                        "父母が同居を始めたとき（年月）",
                        "When the parents began living together",
                        "同居開始",
                        max_length=16,
                    )
                ),
            ),
        ],
    )
    work = fld(
        "household_work",
        "select",
        "子が生まれたときの世帯のおもな仕事",
        "Main work of the household at the birth",
        "世帯の仕事",
        required=True,
        options=[
            ("farming", "農業", "farming"),
            ("self_employed", "自営業", "self-employed"),
            ("employee_small", "勤め（99人まで）", "employee, up to 99"),
            ("employee_large", "勤め（100人以上・公務員）", "employee (100+, public)"),
            ("other", "その他の仕事", "other work"),
            ("none", "仕事をしている者がいない", "none"),
        ],
    )
    f.row(f.options_height(work), [("世帯のおもな仕事", "Household work", None, f.v_options(work))])
    f.section("届出人", "Notifier")
    notifier = fld(
        "notifier_status",
        "select",
        "出生の届出人の資格",
        "Notifier is",
        "届出人の資格",
        required=True,
        options=[
            ("father", "父", "father"),
            ("mother", "母", "mother"),
            ("other", "同居者・医師・助産師など", "other"),
        ],
    )
    f.row(
        f.options_height(notifier), [("届出人の資格", "Notifier is", None, f.v_options(notifier))]
    )
    f.row(
        10,
        [
            ("氏名", "Name", 100, f.v_name(c.notifier_name(), None)),
            ("電話番号", "Phone (daytime)", None, f.v_text(c.phone("notifier_phone"))),
        ],
    )
    f.row(
        10,
        [
            (
                "生年月日",
                "Date of birth",
                100,
                f.v_text(
                    fld(
                        "notifier_birth_date",
                        "date",
                        "届出人の生年月日",
                        "Notifier's date of birth",
                        "届出人生年月日",
                        prefill="person[0].birth_date",
                        required=True,
                    )
                ),
            ),
            (
                "",
                "",
                None,
                f.v_static("生まれた日を含め14日以内に届け出てください / within 14 days", 6.5),
            ),
        ],
    )
    f.signature(c.signature())
    return f
