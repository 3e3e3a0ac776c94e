"""住民異動: 転出届, 転居届 and 世帯変更届."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import Form, fld
from formgen.life_event_forms.parts import (
    BIRTH_COL,
    NAME_COL,
    REL_COL,
    SEX_COL,
    closed,
    notifier_block,
    person_fields,
)

# --- 転出届 -------------------------------------------------------------------------------------


def tenshutsu() -> Form:
    f = Form(
        "tenshutsu",
        "転出届",
        "Notification of moving out",
        "住民基本台帳法 第24条",
        "住民基本台帳法 第24条 / Basic Resident Registration Act, Art. 24",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("転出の内容", "Moving out")
    f.row(
        10,
        [
            (
                "転出予定日",
                "Planned date",
                None,
                f.v_text(
                    fld(
                        "move_out_date",
                        "date",
                        "転出予定日",
                        "Planned date of moving out",
                        "転出予定日",
                        prefill="date.move_out",
                        required=True,
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.row(
        17,
        [
            (
                "現住所",
                "Current address",
                None,
                f.v_address(
                    fld(
                        "current_address",
                        "address",
                        "現住所（転出する前の住所）",
                        "Current address (before moving out)",
                        "現住所",
                        prefill="address.current",
                        required=True,
                        **c.ADDRESS,
                    )
                ),
            )
        ],
    )
    f.row(17, [("転出先", "Destination", None, f.v_address(c.destination(required=True)))])
    f.row(
        10,
        [
            (
                "現在の世帯主",
                "Householder now",
                100,
                f.v_name(
                    fld(
                        "old_head",
                        "person_name",
                        "異動前の世帯の世帯主の氏名",
                        "Previous householder's name",
                        "現世帯主",
                        prefill="answers.old_head_name",
                        required=True,
                        **c.NAME,
                    ),
                    None,
                ),
            ),
            ("転出先の世帯主", "Householder there", None, f.v_name(c.new_head(), None)),
        ],
    )
    card_move = fld(
        "card_move",
        "checkbox",
        "マイナンバーカードを使って転出する（特例転出）",
        "Moving out with the My Number Card (no moving-out certificate)",
        "特例転出",
        help=(
            "転出証明書の代わりにカードで転入の届出ができます。",
            "The card replaces the moving-out certificate at the new office.",
        ),
    )
    f.row(
        9,
        [
            (
                "転出の方法",
                "How",
                None,
                f.v_check(
                    card_move, "マイナンバーカードで転出する（特例転出）", "with the My Number Card"
                ),
            )
        ],
    )
    f.section("転出する人", "Persons moving out")
    movers = [
        *person_fields("転出する人", "Person moving out"),
        fld(
            "has_card",
            "checkbox",
            "転出する人が個人番号カードを持っている",
            "Holds a My Number Card",
            "個人番号カード",
        ),
    ]
    f.group("movers", "転出する人", "Persons moving out", "転出者", movers, max=4, min=1)
    f.table(
        "movers",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            REL_COL,
            ("has_card", "個人番号カード", "My Number Card", 20, "check", {"mark": "有"}),
        ],
        rows=4,
        row_h=14,
    )
    closed("tenshutsu", "movers[].relation", "続柄")
    notifier_block(f)
    f.signature(c.signature())
    f.note(
        "転出証明書は転入先の市区町村へ提出してください。 / Hand the moving-out certificate to your new municipality."
    )
    return f


# --- 転居届 -------------------------------------------------------------------------------------


def tenkyo() -> Form:
    f = Form(
        "tenkyo",
        "転居届",
        "Notification of moving within the municipality",
        "住民基本台帳法 第23条",
        "住民基本台帳法 第23条 / Basic Resident Registration Act, Art. 23",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("転居の内容", "Moving within the city")
    f.row(
        10,
        [
            (
                "転居した日",
                "Date of the move",
                None,
                f.v_text(
                    fld(
                        "moved_on",
                        "date",
                        "転居した日",
                        "Date of the move",
                        "転居日",
                        prefill="date.move",
                        required=True,
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.row(17, [("新住所", "New address", None, f.v_address(c.new_address(required=True)))])
    f.row(17, [("旧住所", "Previous address", None, f.v_address(c.old_address(required=True)))])
    f.row(
        10,
        [
            ("新世帯主", "New householder", 100, f.v_name(c.new_head(required=True), None)),
            ("旧世帯主", "Previous householder", None, f.v_name(c.old_head(), None)),
        ],
    )
    f.section("転居する人", "Persons moving")
    movers = [
        *person_fields("転居する人", "Person moving"),
        fld(
            "has_card",
            "checkbox",
            "転居する人の個人番号カードの住所を書き換える",
            "Update the address on the My Number Card",
            "カード書換",
        ),
    ]
    f.group("movers", "転居する人", "Persons moving", "転居者", movers, max=4, min=1)
    f.table(
        "movers",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            REL_COL,
            ("has_card", "カード書換", "Card update", 20, "check", {"mark": "要"}),
        ],
        rows=4,
        row_h=14,
    )
    closed("tenkyo", "movers[].relation", "続柄")
    notifier_block(f)
    f.signature(c.signature())
    f.note("転居した日から14日以内に届け出てください。 / Notify within 14 days of the move.")
    return f


# --- 世帯変更届 ---------------------------------------------------------------------------------


def setai_henko() -> Form:
    f = Form(
        "setai_henko",
        "世帯変更届",
        "Notification of a change in the household",
        "住民基本台帳法 第25条",
        "住民基本台帳法 第25条 / Basic Resident Registration Act, Art. 25",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("変更の内容", "The change")
    kind = fld(
        "kind",
        "select",
        "世帯変更の種類",
        "Kind of change",
        "変更の種類",
        required=True,
        options=[
            ("head_change", "世帯主変更", "new householder"),
            ("split", "世帯分離", "splitting the household"),
            ("merge", "世帯合併", "joining households"),
            ("composition", "世帯構成変更", "other change"),
        ],
    )
    f.row(f.options_height(kind), [("変更の種類", "Kind", None, f.v_options(kind))])
    f.row(
        10,
        [
            (
                "変更の日",
                "Date of change",
                None,
                f.v_text(
                    fld(
                        "changed_on",
                        "date",
                        "世帯の変更があった日",
                        "Date of the change",
                        "変更年月日",
                        prefill="date.household_change",
                        required=True,
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.row(
        17,
        [
            (
                "世帯の住所",
                "Address",
                None,
                f.v_address(
                    fld(
                        "address",
                        "address",
                        "世帯変更をする世帯の住所",
                        "Address of the household",
                        "世帯の住所",
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
            ("新世帯主", "New householder", 100, f.v_name(c.new_head(required=True), None)),
            ("旧世帯主", "Previous householder", None, f.v_name(c.old_head(required=True), None)),
        ],
    )
    f.section("世帯変更をする人", "Persons concerned")
    members = [
        *person_fields("世帯変更をする人", "Person concerned", relation=False),
        fld(
            "relation_before",
            "text",
            "世帯変更をする人の変更前の続柄",
            "Relationship before the change",
            "変更前の続柄",
            prefill="person[*].relation",
            required=True,
            max_length=12,
        ),
        fld(
            "relation_after",
            "text",
            "世帯変更をする人の変更後の続柄",
            "Relationship after the change",
            "変更後の続柄",
            required=True,
            max_length=12,
        ),
    ]
    f.group(
        "members",
        "世帯変更をする人",
        "Persons concerned",
        "対象者",
        members,
        max=4,
        min=1,
        persons={"deceased": False},
    )
    f.table(
        "members",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            ("relation_before", "変更前の続柄", "Before", 19, "center", {}),
            ("relation_after", "変更後の続柄", "After", 19, "center", {}),
        ],
        rows=4,
        row_h=14,
    )
    closed("setai_henko", "members[].relation_before", "続柄")
    closed("setai_henko", "members[].relation_after", "続柄")
    notifier_block(f)
    f.signature(c.signature())
    f.note("変更があった日から14日以内に届け出てください。 / Notify within 14 days of the change.")
    return f
