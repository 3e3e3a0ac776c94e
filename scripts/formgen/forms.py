"""The sixteen forms added for the six life events, described once and drawn by `layout.Form`.

Closed sets: 続柄, 国籍・地域, 在留資格 and sex are plain `text` / `select` fields here; the
fields that should become closed-set choices are listed in `CLOSED_SET_FIELDS` for the lead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


# --- 印鑑登録証明書交付申請書 -------------------------------------------------------------------


def registrant_block(f: Form, what_ja: str, what_en: str) -> None:
    f.row(
        17,
        [
            (
                "住所",
                "Address",
                None,
                f.v_address(
                    fld(
                        "registrant_address",
                        "address",
                        f"{what_ja}の住所",
                        f"{what_en}: address",
                        "登録者住所",
                        prefill="address.current",
                        required=True,
                        **c.ADDRESS,
                    )
                ),
            )
        ],
    )
    f.row(
        14,
        [
            (
                "氏名",
                "Name",
                None,
                f.v_name(
                    fld(
                        "registrant_name",
                        "person_name",
                        f"{what_ja}の氏名",
                        f"{what_en}: name",
                        "登録者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    fld(
                        "registrant_kana",
                        "person_name",
                        f"{what_ja}のフリガナ",
                        f"{what_en}: name in katakana",
                        "登録者フリガナ",
                        prefill="person[0].kana",
                        required=True,
                        **c.KANA,
                    ),
                    size=13,
                ),
            )
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
                        "registrant_birth_date",
                        "date",
                        f"{what_ja}の生年月日",
                        f"{what_en}: date of birth",
                        "登録者生年月日",
                        prefill="person[0].birth_date",
                        required=True,
                    )
                ),
            ),
            (
                "登録番号",
                "Registration no.",
                None,
                f.v_text(
                    fld(
                        "registration_no",
                        "text",
                        "印鑑登録証の登録番号",
                        "Seal registration number",
                        "印鑑登録番号",
                        required=True,
                        pattern=r"\d{1,10}",
                    ),
                    size=11,
                ),
            ),
        ],
    )


def inkan_shoumei() -> Form:
    f = Form(
        "inkan_shoumei",
        "印鑑登録証明書交付申請書",
        "Request for a certificate of seal registration",
        "印鑑登録証明事務処理要領（昭和49年2月1日 自治振第10号）に基づく市区町村の印鑑条例",
        "市区町村の印鑑条例（印鑑登録証明事務処理要領） / Seal registration ordinance of the municipality",
        fee_yen=300,
        fee_per_field="copies",
    )
    f.date_header(
        c.applied_on(), "申請年月日", "Date of application", fee="手数料 1通 300円 / 300 yen a copy"
    )
    f.section("印鑑登録をしている方", "Person whose seal is registered")
    registrant_block(f, "印鑑登録をしている方", "Registered person")
    f.section("申請の内容", "What you need")
    copies = fld(
        "copies",
        "number",
        "印鑑登録証明書の必要通数",
        "Number of certificates",
        "通数",
        required=True,
        min=1,
        max=20,
    )
    f.row(
        10,
        [
            ("必要通数", "Copies", 70, f.v_text(copies, size=12, align="right")),
            ("電話番号", "Phone (daytime)", None, f.v_text(c.phone())),
        ],
    )
    comer = fld(
        "comer",
        "select",
        "印鑑登録証明書の窓口に来た方",
        "Who came to the counter",
        "来庁者",
        required=True,
        options=[
            ("self", "本人", "the registered person"),
            ("agent", "代理人（印鑑登録証を持参）", "an agent with the registration card"),
        ],
    )
    f.row(f.options_height(comer), [("窓口に来た方", "Who came", None, f.v_options(comer))])
    f.section("代理人欄（代理人が申請する場合）", "Agent (when an agent applies)", right=150)
    agent_name, agent_address, agent_phone = c.agent_fields()
    f.row(17, [("代理人の住所", "Agent's address", None, f.v_address(agent_address))])
    f.row(10, [("代理人の氏名", "Agent's name", None, f.v_name(agent_name, None))])
    f.row(10, [("代理人の電話", "Agent's phone", None, f.v_text(agent_phone))])
    f.note(
        "印鑑登録証（カード）を必ずお持ちください。 / Bring the seal registration card; no letter of proxy is needed."
    )
    f.signature(c.signature(), "申請者の署名", "Signature")
    return f


def inkan_haishi() -> Form:
    f = Form(
        "inkan_haishi",
        "印鑑登録廃止申請書",
        "Application to cancel a seal registration",
        "印鑑登録証明事務処理要領（昭和49年2月1日 自治振第10号）に基づく市区町村の印鑑条例",
        "市区町村の印鑑条例（印鑑登録証明事務処理要領） / Seal registration ordinance of the municipality",
    )
    f.date_header(c.applied_on(), "申請年月日", "Date of application")
    f.section("印鑑登録をしている方", "Person whose seal is registered")
    registrant_block(f, "印鑑登録をしている方", "Registered person")
    f.row(10, [("電話番号", "Phone (daytime)", None, f.v_text(c.phone()))])
    f.section("廃止の理由", "Reason")
    reason = fld(
        "reason",
        "select",
        "印鑑登録を廃止する理由",
        "Reason for cancelling",
        "廃止の理由",
        required=True,
        options=[
            ("lost_card", "印鑑登録証をなくした", "lost the registration card"),
            ("new_seal", "印鑑を変える（なくした）", "changing or lost the seal"),
            ("not_needed", "登録が不要になった", "no longer needed"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(reason), [("理由", "Reason", None, f.v_options(reason))])
    returned = fld(
        "card_returned",
        "checkbox",
        "印鑑登録証を返す",
        "The registration card is returned",
        "登録証返納",
    )
    f.row(
        9, [("登録証", "Card", None, f.v_check(returned, "印鑑登録証を返します", "card returned"))]
    )
    f.row(
        10,
        [
            (
                "確認書類",
                "ID document",
                None,
                f.v_text(
                    fld(
                        "id_document",
                        "text",
                        "印鑑登録廃止の本人確認書類",
                        "ID document shown",
                        "確認書類",
                        required=True,
                        max_length=30,
                        help=(
                            "個人番号カード、運転免許証、在留カードなど",
                            "My Number Card, driver's licence, residence card, …",
                        ),
                    )
                ),
            )
        ],
    )
    f.section("代理人欄（代理人が申請する場合）", "Agent (when an agent applies)", right=150)
    agent_name, agent_address, agent_phone = c.agent_fields()
    f.row(17, [("代理人の住所", "Agent's address", None, f.v_address(agent_address))])
    f.row(10, [("代理人の氏名", "Agent's name", None, f.v_name(agent_name, None))])
    f.row(10, [("代理人の電話", "Agent's phone", None, f.v_text(agent_phone))])
    f.note("代理人の場合は委任状が必要です。 / An agent needs a letter of proxy.")
    f.signature(c.signature(), "申請者の署名", "Signature")
    return f


# --- 戸籍証明書等請求書 --------------------------------------------------------------------------


def koseki() -> Form:
    f = Form(
        "koseki",
        "戸籍証明書等請求書",
        "Request for family register certificates",
        "戸籍法 第10条・第10条の2・第120条の2（広域交付）",
        "戸籍法 第10条・第10条の2・第120条の2 / Family Register Act, Arts. 10, 10-2, 120-2",
    )
    f.date_header(
        c.requested_on(),
        "請求年月日",
        "Date of request",
        fee="謄抄本 450円・除籍 750円 / 450, 750 yen",
    )
    f.section("窓口に来た方（請求者）", "Requester")
    f.row(
        17,
        [
            (
                "住所",
                "Address",
                None,
                f.v_address(
                    fld(
                        "requester_address",
                        "address",
                        "戸籍の請求者の住所",
                        "Requester's address",
                        "請求者住所",
                        prefill="address.current",
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
                "氏名",
                "Name",
                100,
                f.v_name(
                    fld(
                        "requester_name",
                        "person_name",
                        "戸籍の請求者の氏名",
                        "Requester's name",
                        "請求者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    None,
                ),
            ),
            (
                "生年月日",
                "Date of birth",
                None,
                f.v_text(
                    fld(
                        "requester_birth_date",
                        "date",
                        "戸籍の請求者の生年月日",
                        "Requester's date of birth",
                        "請求者生年月日",
                        prefill="person[0].birth_date",
                        required=True,
                    ),
                    size=8.5,
                ),
            ),
        ],
    )
    f.row(10, [("電話番号", "Phone (daytime)", None, f.v_text(c.phone()))])
    f.section("必要な戸籍", "The family register")
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
                        "請求する戸籍の本籍",
                        "Registered domicile of the register",
                        "本籍",
                        prefill="answers.domicile",
                        required=True,
                        max_length=60,
                        help=(
                            "運転免許証（暗証番号2）から読み取れます。",
                            "Can be read from the driver's licence (PIN 2).",
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
                        "請求する戸籍の筆頭者の氏名",
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
                "必要な方",
                "Person needed",
                None,
                f.v_name(
                    fld(
                        "target_name",
                        "person_name",
                        "証明が必要な方の氏名（個人事項証明）",
                        "Person the certificate is for",
                        "対象者氏名",
                        **c.NAME,
                    ),
                    None,
                ),
            ),
        ],
    )
    rel = fld(
        "relation",
        "select",
        "請求者と戸籍に記載されている方との関係",
        "Requester's relation to the register",
        "請求者との関係",
        required=True,
        options=[
            ("self", "本人", "self"),
            ("spouse", "配偶者", "spouse"),
            ("lineal", "父母・祖父母・子・孫など", "lineal relative"),
            ("other", "その他（理由が必要）", "other (give the reason)"),
        ],
    )
    f.row(f.options_height(rel), [("関係", "Relation", None, f.v_options(rel))])
    f.section("請求の内容と通数", "Certificates and copies")
    kinds = [
        ("copies_full", "戸籍謄本", "full register", "全部事項証明", 450),
        ("copies_individual", "戸籍抄本", "one person", "個人事項証明", 450),
        ("copies_removed", "除籍謄本", "removed register", "除籍の全部事項", 750),
        ("copies_original", "改製原戸籍", "pre-revision register", "謄本", 750),
        ("copies_attached", "戸籍の附票", "address history", "写し", 300),
    ]
    fields = {
        k: fld(k, "number", f"{ja}（{what}）の通数", f"Copies: {en}", f"{ja}通数", min=0, max=10)
        for k, ja, en, what, _ in kinds
    }
    for pair in ((kinds[0], kinds[1]), (kinds[2], kinds[3]), (kinds[4],)):
        cells = [
            (ja, en, 93 if n == 0 else None, f.v_copies(fields[k], f"通（{what}・1通{yen}円）"))
            for n, (k, ja, en, what, yen) in enumerate(pair)
        ]
        f.row(10, cells)
    purpose = fld(
        "purpose",
        "free_text",
        "戸籍証明書の使用目的・提出先",
        "Purpose and where it goes",
        "使用目的",
        max_length=60,
        required_when=("relation", ["other"]),
    )
    f.row(10, [("使用目的", "Purpose", None, f.v_text(purpose))])
    f.section("代理人欄（代理人が請求する場合）", "Agent (when an agent applies)", right=150)
    agent_name, agent_address, agent_phone = c.agent_fields()
    f.row(17, [("代理人の住所", "Agent's address", None, f.v_address(agent_address))])
    f.row(10, [("代理人の氏名", "Agent's name", None, f.v_name(agent_name, None))])
    f.row(10, [("代理人の電話", "Agent's phone", None, f.v_text(agent_phone))])
    f.signature(c.signature(), "請求者の署名", "Signature")
    return f


# --- 国民年金 被保険者関係届書（申出書） ------------------------------------------------------------


def nenkin() -> Form:
    f = Form(
        "nenkin",
        "国民年金 被保険者関係届書（申出書）",
        "National Pension: notification about an insured person",
        "国民年金法 第12条・国民年金法施行規則",
        "国民年金法 第12条 / National Pension Act, Art. 12",
        uses_individual_number=True,
        individual_number_article="番号法 第9条第1項・別表（国民年金法による被保険者の資格に関する事務）",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("届出の内容", "Notification")
    kind = fld(
        "kind",
        "select",
        "国民年金の届出の種別",
        "Kind of notification",
        "届出の種別",
        required=True,
        options=[
            ("acquire", "資格取得", "joining"),
            ("type_change", "種別変更（第1号被保険者へ）", "changing to category 1"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(kind), [("届出の種別", "Kind", None, f.v_options(kind))])
    reason = fld(
        "reason",
        "select",
        "国民年金の届出の理由",
        "Reason",
        "理由",
        required=True,
        options=[
            ("from_abroad", "海外からの転入", "moved in from abroad"),
            ("age_20", "20歳になった", "turned 20"),
            ("left_job", "会社を辞めた（厚生年金の喪失）", "left an employee pension"),
            ("spouse", "配偶者の扶養から外れた", "no longer a dependent spouse"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(reason), [("理由", "Reason", None, f.v_options(reason))])
    f.row(
        10,
        [
            (
                "該当する日",
                "Date",
                None,
                f.v_text(
                    fld(
                        "event_date",
                        "date",
                        "国民年金の資格取得・種別変更の日",
                        "Date of joining or change",
                        "該当年月日",
                        prefill="date.pension",
                        required=True,
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.row(17, [("住所", "Address", None, f.v_address(c.new_address(required=True)))])
    f.row(
        10,
        [
            (
                "以前の年金",
                "Previous pension",
                None,
                f.v_text(
                    fld(
                        "previous",
                        "text",
                        "以前に加入していた年金制度・勤務先",
                        "Previous pension scheme or employer",
                        "以前の年金",
                        max_length=40,
                    )
                ),
            )
        ],
    )
    f.section("被保険者（20歳以上60歳未満の方）", "Insured persons (aged 20 to 59)")
    insured = [
        *person_fields("国民年金の被保険者", "Insured person", relation=False),
        fld(
            "individual_number",
            "individual_number",
            "国民年金の被保険者の個人番号",
            "Insured person's individual number",
            "個人番号",
            help=(
                "基礎年金番号がない方は個人番号を記入します。",
                "Give the individual number if there is no basic pension number.",
            ),
        ),
        fld(
            "pension_number",
            "text",
            "国民年金の被保険者の基礎年金番号",
            "Insured person's basic pension number",
            "基礎年金番号",
            pattern=r"\d{4}-?\d{6}",
        ),
    ]
    f.group(
        "insured",
        "国民年金の被保険者",
        "Insured persons",
        "被保険者",
        insured,
        max=2,
        min=1,
        persons={"age": {"min": 20, "max": 59}, "deceased": False},
    )
    f.table(
        "insured",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            ("individual_number", "個人番号", "Individual no.", 34, "center", {"size": 8.5}),
            ("pension_number", "基礎年金番号", "Pension no.", 24, "center", {"size": 8.5}),
        ],
        rows=2,
        row_h=15,
    )
    f.section("届出人", "Notifier")
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
                "個人番号",
                "Individual no.",
                None,
                f.v_text(
                    fld(
                        "notifier_individual_number",
                        "individual_number",
                        "届出人の個人番号（個人番号カードから読取）",
                        "Notifier's individual number (read from the My Number Card)",
                        "届出人個人番号",
                        prefill="card.individual_number",
                    ),
                    size=11,
                ),
            )
        ],
    )
    f.signature(c.signature())
    f.note(
        "20歳から60歳になるまでの方は国民年金に加入します。 / Everyone aged 20 to 59 in Japan joins the National Pension."
    )
    return f


# --- 後期高齢者医療 資格取得・喪失届 ---------------------------------------------------------------


def insurance_events(what_ja: str) -> list[tuple[str, str, str]]:
    return [
        ("moving_in", "転入", "moving in"),
        ("moving_out", "転出", "moving out"),
        ("address", "住所・世帯の変更", "address or household"),
        ("death", "死亡", "death"),
        ("other", f"その他（{what_ja}）", "other"),
    ]


def kouki() -> Form:
    f = Form(
        "kouki",
        "後期高齢者医療 資格取得・喪失届",
        "Late-stage Elderly Medical Care: notification of joining or leaving",
        "高齢者の医療の確保に関する法律 第54条",
        "高齢者の医療の確保に関する法律 第54条 / Act on Assurance of Medical Care for Elderly People, Art. 54",
        uses_individual_number=True,
        individual_number_article="番号法 第9条第1項・別表（高齢者の医療の確保に関する法律による後期高齢者医療給付の支給又は保険料の徴収に関する事務）",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("届出の内容", "Notification")
    kind = fld(
        "kind",
        "select",
        "後期高齢者医療の届出の種別",
        "Kind of notification",
        "届出の種別",
        required=True,
        options=[
            ("acquire", "資格取得", "joining"),
            ("lose", "資格喪失", "leaving"),
            ("change", "変更（住所・世帯）", "change of address or household"),
        ],
    )
    f.row(f.options_height(kind), [("届出の種別", "Kind", None, f.v_options(kind))])
    reason = fld(
        "reason",
        "select",
        "後期高齢者医療の届出の理由",
        "Reason",
        "理由",
        required=True,
        options=[
            *insurance_events("障害認定など")[:4],
            ("disability", "障害認定（65〜74歳）", "disability (65–74)"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(reason), [("理由", "Reason", None, f.v_options(reason))])
    f.row(
        10,
        [
            (
                "該当する日",
                "Date",
                None,
                f.v_text(
                    c.event_date(
                        "event_date",
                        "後期高齢者医療の資格取得・喪失・変更の日",
                        "Date of joining, leaving or change",
                        "該当年月日",
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
                "新住所",
                "New address",
                None,
                f.v_address(c.new_address(required_when=("kind", ["acquire", "change"]))),
            )
        ],
    )
    f.row(17, [("旧住所", "Previous address", None, f.v_address(c.old_address()))])
    f.row(
        17,
        [
            (
                "転出先",
                "Destination",
                None,
                f.v_address(c.destination(required_when=("reason", ["moving_out"]))),
            )
        ],
    )
    f.row(
        10,
        [
            (
                "以前の保険",
                "Previous insurer",
                None,
                f.v_text(
                    fld(
                        "previous_insurer",
                        "text",
                        "後期高齢者医療の前に加入していた医療保険",
                        "Health insurance before",
                        "前保険者",
                        max_length=40,
                    )
                ),
            )
        ],
    )
    f.section("被保険者（75歳以上の方）", "Insured persons (aged 75 or more)")
    insured = [
        *person_fields("後期高齢者医療の被保険者", "Insured person", relation=False),
        fld(
            "individual_number",
            "individual_number",
            "後期高齢者医療の被保険者の個人番号",
            "Insured person's individual number",
            "個人番号",
        ),
        fld(
            "died_on",
            "date",
            "後期高齢者医療の被保険者が亡くなった日（死亡の場合）",
            "Date of death (when the insured person died)",
            "死亡年月日",
            prefill="person[*].died_on",
        ),
    ]
    f.group(
        "insured",
        "後期高齢者医療の被保険者",
        "Insured persons",
        "被保険者",
        insured,
        max=2,
        min=1,
        persons={"age": {"min": 75, "counting": "birthday"}},
        deceased_first=True,
    )
    f.table(
        "insured",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            ("individual_number", "個人番号", "Individual no.", 30, "center", {"size": 8}),
            ("died_on", "死亡日", "Date of death", 36, "date", {}),
        ],
        rows=2,
        row_h=15,
    )
    notifier_block(f)
    f.signature(c.signature())
    return f


# --- 介護保険 資格取得・異動・喪失届 -------------------------------------------------------------


def kaigo() -> Form:
    f = Form(
        "kaigo",
        "介護保険 資格取得・異動・喪失届",
        "Long-term Care Insurance: notification of joining, change or leaving",
        "介護保険法 第12条",
        "介護保険法 第12条 / Long-Term Care Insurance Act, Art. 12",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("届出の内容", "Notification")
    kind = fld(
        "kind",
        "select",
        "介護保険の届出の種別",
        "Kind of notification",
        "届出の種別",
        required=True,
        options=[
            ("acquire", "資格取得", "joining"),
            ("change", "異動（住所・世帯・氏名）", "change"),
            ("lose", "資格喪失", "leaving"),
        ],
    )
    f.row(f.options_height(kind), [("届出の種別", "Kind", None, f.v_options(kind))])
    reason = fld(
        "reason",
        "select",
        "介護保険の届出の理由",
        "Reason",
        "理由",
        required=True,
        options=[
            *insurance_events("施設の退所など")[:4],
            ("from_abroad", "国外からの転入", "from abroad"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(reason), [("理由", "Reason", None, f.v_options(reason))])
    f.row(
        10,
        [
            (
                "該当する日",
                "Date",
                None,
                f.v_text(
                    c.event_date(
                        "event_date",
                        "介護保険の資格取得・異動・喪失の日",
                        "Date of joining, change or leaving",
                        "該当年月日",
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
                "新住所",
                "New address",
                None,
                f.v_address(c.new_address(required_when=("kind", ["acquire", "change"]))),
            )
        ],
    )
    f.row(17, [("旧住所", "Previous address", None, f.v_address(c.old_address()))])
    f.row(
        17,
        [
            (
                "転出先",
                "Destination",
                None,
                f.v_address(c.destination(required_when=("reason", ["moving_out"]))),
            )
        ],
    )
    certified = fld(
        "certified",
        "checkbox",
        "要介護・要支援の認定を受けている",
        "Certified as needing care or support",
        "要介護認定",
        help=(
            "転入の場合は前の市区町村の受給資格証明書をお持ちください。",
            "When moving in, bring the certificate from your previous municipality.",
        ),
    )
    f.row(
        9,
        [
            (
                "認定",
                "Certification",
                None,
                f.v_check(
                    certified,
                    "要介護・要支援の認定を受けている",
                    "certified (bring the certificate)",
                ),
            )
        ],
    )
    f.section("被保険者（65歳以上の方）", "Insured persons (aged 65 or more)")
    insured = [
        *person_fields("介護保険の被保険者", "Insured person"),
        fld(
            "died_on",
            "date",
            "介護保険の被保険者が亡くなった日（死亡の場合）",
            "Date of death (when the insured person died)",
            "死亡年月日",
            prefill="person[*].died_on",
        ),
    ]
    f.group(
        "insured",
        "介護保険の被保険者",
        "Insured persons",
        "被保険者",
        insured,
        max=3,
        min=1,
        persons={"age": {"min": 65}},
        deceased_first=True,
    )
    f.table(
        "insured",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            REL_COL,
            ("died_on", "死亡日", "Date of death", 37, "date", {}),
        ],
        rows=3,
        row_h=14,
    )
    closed("kaigo", "insured[].relation", "続柄")
    notifier_block(f)
    f.signature(c.signature())
    return f


# --- 子ども医療費助成 申請書 --------------------------------------------------------------------


def kodomo_iryo() -> Form:
    f = Form(
        "kodomo_iryo",
        "子ども医療費助成 申請書",
        "Application for children's medical expense aid",
        "市区町村の子ども医療費助成条例（対象：中学校修了前の児童）",
        "市区町村の子ども医療費助成条例 / Children's medical expense ordinance of the municipality",
    )
    f.date_header(c.applied_on(), "申請年月日", "Date of application")
    f.section("申請の内容", "Application")
    kind = fld(
        "kind",
        "select",
        "子ども医療費助成の申請の種類",
        "Kind of application",
        "申請の種類",
        required=True,
        options=[
            ("new", "新規（出生・転入）", "new (birth, moving in)"),
            ("change", "変更（住所・保険など）", "change (address, insurance)"),
        ],
    )
    f.row(f.options_height(kind), [("申請の種類", "Kind", None, f.v_options(kind))])
    f.section("保護者（申請者）", "Parent or guardian (applicant)")
    f.row(
        14,
        [
            (
                "氏名",
                "Name",
                None,
                f.v_name(
                    fld(
                        "guardian_name",
                        "person_name",
                        "保護者（申請者）の氏名",
                        "Guardian's name",
                        "保護者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    fld(
                        "guardian_kana",
                        "person_name",
                        "保護者（申請者）のフリガナ",
                        "Guardian's name in katakana",
                        "保護者フリガナ",
                        prefill="person[0].kana",
                        required=True,
                        **c.KANA,
                    ),
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
                        "guardian_address",
                        "address",
                        "保護者の住所（住民登録のある住所）",
                        "Guardian's address (as registered here)",
                        "保護者住所",
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
                "生年月日",
                "Date of birth",
                100,
                f.v_text(
                    fld(
                        "guardian_birth_date",
                        "date",
                        "保護者（申請者）の生年月日",
                        "Guardian's date of birth",
                        "保護者生年月日",
                        prefill="person[0].birth_date",
                        required=True,
                    )
                ),
            ),
            ("電話番号", "Phone (daytime)", None, f.v_text(c.phone())),
        ],
    )
    insurance = fld(
        "insurance",
        "select",
        "お子さんが加入している健康保険",
        "Child's health insurance",
        "健康保険",
        required=True,
        options=[
            ("national", "国民健康保険", "National Health Insurance"),
            ("employee", "会社の健康保険", "employee health insurance"),
            ("mutual", "共済組合", "mutual aid association"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(insurance), [("健康保険", "Insurance", None, f.v_options(insurance))])
    f.row(
        10,
        [
            (
                "保険者名",
                "Insurer",
                None,
                f.v_text(
                    fld(
                        "insurer",
                        "text",
                        "お子さんの健康保険の保険者名",
                        "Name of the insurer",
                        "保険者名",
                        max_length=40,
                    )
                ),
            )
        ],
    )
    f.section("対象のお子さん（中学生以下）", "Children (up to junior high school)")
    children = person_fields("医療費助成を受けるお子さん", "Child")
    f.group(
        "children",
        "医療費助成を受けるお子さん",
        "Children",
        "児童",
        children,
        max=4,
        min=1,
        persons={"school_year_age": {"max": 14}, "deceased": False},
    )
    f.table("children", [NAME_COL, BIRTH_COL, SEX_COL, REL_COL], rows=4, row_h=14)
    closed("kodomo_iryo", "children[].relation", "続柄")
    consent = fld(
        "consent",
        "checkbox",
        "子ども医療費助成の審査のため住民登録・保険の状況を確認することに同意する",
        "I agree that the office checks residence and insurance for this aid",
        "同意",
    )
    f.row(
        9,
        [
            (
                "同意",
                "Consent",
                None,
                f.v_check(consent, "住民登録・保険の確認に同意します", "I agree to the checks"),
            )
        ],
    )
    f.signature(c.signature(), "申請者の署名", "Signature")
    return f


# --- 児童手当 額改定請求書・受給事由消滅届 -------------------------------------------------------


def jidou_henkou() -> Form:
    f = Form(
        "jidou_henkou",
        "児童手当 額改定請求書・受給事由消滅届",
        "Child Allowance: claim for a new amount, or notice that the allowance ends",
        "児童手当法 第9条・第26条、児童手当法施行規則",
        "児童手当法 第9条・第26条 / Child Allowance Act, Arts. 9, 26",
    )
    f.date_header(c.requested_on(), "請求年月日", "Date of request")
    f.section("届出の内容", "Notification")
    kind = fld(
        "kind",
        "select",
        "児童手当の請求・届出の種類",
        "Kind of claim or notice",
        "種類",
        required=True,
        options=[
            ("increase", "額改定請求（増額）", "claim for more"),
            ("decrease", "額改定届（減額）", "notice of less"),
            ("end", "受給事由消滅届", "the allowance ends"),
        ],
    )
    f.row(f.options_height(kind), [("種類", "Kind", None, f.v_options(kind))])
    reason = fld(
        "reason",
        "select",
        "児童手当の額改定・消滅の理由",
        "Reason",
        "理由",
        required=True,
        options=[
            ("birth", "出生", "birth"),
            ("custody", "養育を始めた", "new child in care"),
            ("left_care", "養育しなくなった", "child no longer in care"),
            ("moving_out", "転出", "moving out"),
            ("death", "死亡", "death"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(reason), [("理由", "Reason", None, f.v_options(reason))])
    f.row(
        10,
        [
            (
                "事由の日",
                "Date",
                None,
                f.v_text(
                    c.event_date(
                        "event_date",
                        "児童手当の額改定・消滅の事由が生じた日",
                        "Date of the event",
                        "事由発生日",
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.section("受給者", "Recipient")
    f.row(
        14,
        [
            (
                "氏名",
                "Name",
                None,
                f.v_name(
                    fld(
                        "recipient_name",
                        "person_name",
                        "児童手当の受給者の氏名",
                        "Recipient's name",
                        "受給者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    fld(
                        "recipient_kana",
                        "person_name",
                        "児童手当の受給者のフリガナ",
                        "Recipient's name in katakana",
                        "受給者フリガナ",
                        prefill="person[0].kana",
                        required=True,
                        **c.KANA,
                    ),
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
                        "recipient_address",
                        "address",
                        "児童手当の受給者の住所",
                        "Recipient's address",
                        "受給者住所",
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
                "受給者番号",
                "Recipient no.",
                100,
                f.v_text(
                    fld(
                        "recipient_no",
                        "text",
                        "児童手当の受給者番号",
                        "Recipient number",
                        "受給者番号",
                        pattern=r"\d{1,10}",
                    ),
                    size=11,
                ),
            ),
            ("電話番号", "Phone (daytime)", None, f.v_text(c.phone())),
        ],
    )
    f.section(
        "養育している児童（18歳の年度末まで）",
        "Children in care (to the end of the school year of 18)",
    )
    children = [
        *person_fields("児童手当の対象の児童", "Child", sex=False),
        fld(
            "change",
            "select",
            "児童手当の対象の児童の増減",
            "Added or removed",
            "増減",
            options=[("added", "増", "added"), ("removed", "減", "removed")],
        ),
    ]
    f.group(
        "children",
        "児童手当の対象の児童",
        "Children",
        "児童",
        children,
        max=4,
        min=0,
        persons={"school_year_age": {"max": 17}},
    )
    f.table(
        "children",
        [
            NAME_COL,
            BIRTH_COL,
            REL_COL,
            (
                "change",
                "増減",
                "+/−",
                16,
                "options",
                {"options": [("added", "増"), ("removed", "減")]},
            ),
        ],
        rows=4,
        row_h=14,
    )
    closed("jidou_henkou", "children[].relation", "続柄")
    f.signature(c.signature(), "請求者の署名", "Signature")
    f.note(
        "転出するときは、転出予定日の翌日から15日以内に転出先で認定請求をしてください。 / After moving out, claim again at your new municipality within 15 days.",
        6,
    )
    return f


# --- 葬祭費支給申請書（国民健康保険・後期高齢者医療） -------------------------------------------------


def sousaihi(
    template_id: str,
    *,
    title: str,
    title_en: str,
    law: str,
    law_line: str,
    number_label: str,
    number_en: str,
    pattern: str,
    amount: str,
) -> Form:
    f = Form(template_id, title, title_en, law, law_line)
    f.date_header(c.applied_on(), "申請年月日", "Date of application")
    f.section("亡くなった方", "The deceased")
    deceased = [
        fld(
            "name",
            "person_name",
            "亡くなった方の氏名",
            "Name of the deceased",
            "氏名",
            prefill="person[*].name",
            required=True,
            **c.NAME,
        ),
        fld(
            "kana",
            "person_name",
            "亡くなった方のフリガナ",
            "Name of the deceased in katakana",
            "フリガナ",
            prefill="person[*].kana",
            **c.KANA,
        ),
        fld(
            "birth_date",
            "date",
            "亡くなった方の生年月日",
            "Date of birth of the deceased",
            "生年月日",
            prefill="person[*].birth_date",
            required=True,
        ),
        fld(
            "died_on",
            "date",
            "亡くなった日",
            "Date of death",
            "死亡年月日",
            prefill="person[*].died_on",
            required=True,
        ),
    ]
    f.group(
        "deceased",
        "亡くなった方",
        "The deceased",
        "死亡者",
        deceased,
        max=1,
        min=1,
        persons={"deceased": True},
    )
    f.row(14, [("氏名", "Name", None, f.v_name("deceased[0].name", "deceased[0].kana"))])
    f.row(
        10,
        [
            ("生年月日", "Date of birth", 100, f.v_text(None, ref="deceased[0].birth_date")),
            ("死亡日", "Date of death", None, f.v_text(None, ref="deceased[0].died_on")),
        ],
    )
    f.row(
        10,
        [
            (
                "被保険者番号",
                number_en,
                None,
                f.v_text(
                    fld(
                        "insured_number",
                        "text",
                        number_label,
                        number_en,
                        "被保険者番号",
                        prefill=f"answers.{template_id}.insured_number",
                        pattern=pattern,
                    ),
                    size=11,
                ),
            )
        ],
    )
    f.row(
        10,
        [
            (
                "葬儀の日",
                "Funeral",
                None,
                f.v_text(
                    fld(
                        "funeral_date",
                        "date",
                        "葬儀（告別式）を行った日",
                        "Date of the funeral",
                        "葬儀日",
                        prefill="date.funeral",
                        required=True,
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.section("申請者（葬儀を行った方・喪主）", "Applicant (who held the funeral)")
    f.row(
        14,
        [
            (
                "氏名",
                "Name",
                None,
                f.v_name(
                    fld(
                        "applicant_name",
                        "person_name",
                        "申請者（喪主）の氏名",
                        "Applicant's name",
                        "申請者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    fld(
                        "applicant_kana",
                        "person_name",
                        "申請者（喪主）のフリガナ",
                        "Applicant's name in katakana",
                        "申請者フリガナ",
                        prefill="person[0].kana",
                        **c.KANA,
                    ),
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
                        "applicant_address",
                        "address",
                        "申請者（喪主）の住所",
                        "Applicant's address",
                        "申請者住所",
                        prefill="address.current",
                        required=True,
                        **c.ADDRESS,
                    )
                ),
            )
        ],
    )
    f.row(10, [("電話番号", "Phone (daytime)", None, f.v_text(c.phone()))])
    rel = fld(
        "relation",
        "select",
        "申請者と亡くなった方との関係",
        "Applicant's relation to the deceased",
        "続柄",
        prefill="answers.relation_to_deceased",
        required=True,
        options=c.RELATION_TO_DECEASED,
    )
    f.row(f.options_height(rel), [("関係", "Relation", None, f.v_options(rel))])
    f.section("振込先", "Bank account for the payment")
    bank = c.bank_fields("funeral", "葬祭費", "Funeral benefit")
    f.row(
        10,
        [
            ("金融機関", "Bank", 93, f.v_text(bank[0])),
            ("支店", "Branch", None, f.v_text(bank[1])),
        ],
    )
    f.row(
        f.options_height(bank[2], 93),
        [
            ("口座種別", "Account type", 93, f.v_options(bank[2])),
            ("口座番号", "Account no.", None, f.v_text(bank[3], size=11)),
        ],
    )
    f.row(10, [("口座名義", "Account holder", None, f.v_text(bank[4]))])
    f.signature(c.signature(), "申請者の署名", "Signature")
    f.note(amount, 6)
    f.note(
        "葬儀を行ったことがわかる書類（会葬礼状・領収書など）をお持ちください。 / Bring proof of the funeral.",
        6,
    )
    return f


def kokuho_sousaihi() -> Form:
    return sousaihi(
        "kokuho_sousaihi",
        title="国民健康保険 葬祭費支給申請書",
        title_en="National Health Insurance: application for the funeral benefit",
        law="国民健康保険法 第58条第1項・市区町村の国民健康保険条例",
        law_line="国民健康保険法 第58条第1項 / National Health Insurance Act, Art. 58(1)",
        number_label="亡くなった方の国民健康保険の記号・番号",
        number_en="NHI number of the deceased",
        pattern=r"[0-9A-Za-z\-]{1,20}",
        amount="葬祭費は条例で定める額（例：5万円）です。 / The benefit is set by ordinance (e.g. 50,000 yen).",
    )


def kouki_sousaihi() -> Form:
    return sousaihi(
        "kouki_sousaihi",
        title="後期高齢者医療 葬祭費支給申請書",
        title_en="Late-stage Elderly Medical Care: application for the funeral benefit",
        law="高齢者の医療の確保に関する法律 第86条・後期高齢者医療広域連合の条例",
        law_line="高齢者の医療の確保に関する法律 第86条 / Act on Medical Care for Elderly People, Art. 86",
        number_label="亡くなった方の後期高齢者医療の被保険者番号",
        number_en="Insured number of the deceased",
        pattern=r"\d{8}",
        amount="葬祭費は広域連合の条例で定める額（例：5万円）です。 / The benefit is set by the regional union (e.g. 50,000 yen).",
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


# --- 転入学届 -----------------------------------------------------------------------------------


def tennyugaku() -> Form:
    f = Form(
        "tennyugaku",
        "転入学届（就学通知の申請）",
        "Notification of a school transfer (request for the school notice)",
        "学校教育法施行令 第5条・第6条（就学予定者の入学期日・学校の指定）",
        "学校教育法施行令 第5条・第6条 / School Education Act Enforcement Order, Arts. 5, 6",
        addressee="（宛先）教育委員会 / Board of education",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("転入・転居", "The move")
    f.row(
        10,
        [
            (
                "転入・転居日",
                "Date of the move",
                None,
                f.v_text(
                    fld(
                        "moved_on",
                        "date",
                        "転入・転居した日",
                        "Date of the move",
                        "異動年月日",
                        prefill="date.move",
                        required=True,
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.row(17, [("新住所", "New address", None, f.v_address(c.new_address(required=True)))])
    f.section("保護者", "Parent or guardian")
    f.row(
        14,
        [
            (
                "氏名",
                "Name",
                None,
                f.v_name(
                    fld(
                        "guardian_name",
                        "person_name",
                        "保護者（申請者）の氏名",
                        "Guardian's name",
                        "保護者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    fld(
                        "guardian_kana",
                        "person_name",
                        "保護者（申請者）のフリガナ",
                        "Guardian's name in katakana",
                        "保護者フリガナ",
                        prefill="person[0].kana",
                        required=True,
                        **c.KANA,
                    ),
                ),
            )
        ],
    )
    f.row(10, [("電話番号", "Phone (daytime)", None, f.v_text(c.phone()))])
    f.section("転入学する児童・生徒", "Children changing school")
    pupils = [
        *person_fields("転入学する児童・生徒", "Pupil", relation=False),
        fld(
            "school_kind",
            "select",
            "転入学する児童・生徒の学校の種類",
            "Kind of school",
            "学校",
            required=True,
            options=[
                ("elementary", "小学校", "elementary"),
                ("junior_high", "中学校", "junior high"),
            ],
        ),
        fld(
            "grade",
            "number",
            "転入学する児童・生徒の学年",
            "School year",
            "学年",
            required=True,
            min=1,
            max=6,
        ),
        fld(
            "previous_school",
            "text",
            "転入学する児童・生徒の前の学校名",
            "Previous school",
            "前の学校",
            required=True,
            max_length=30,
        ),
    ]
    f.group(
        "pupils",
        "転入学する児童・生徒",
        "Pupils",
        "児童生徒",
        pupils,
        max=3,
        min=1,
        persons={"school_year_age": {"min": 6, "max": 14}, "deceased": False},
    )
    f.table(
        "pupils",
        [
            NAME_COL,
            BIRTH_COL,
            SEX_COL,
            (
                "school_kind",
                "学校",
                "School",
                20,
                "options",
                {"options": [("elementary", "小学校"), ("junior_high", "中学校")]},
            ),
            ("grade", "学年", "Year", 11, "center", {"size": 11}),
            ("previous_school", "前の学校", "Previous school", 34, "text", {"size": 8}),
        ],
        rows=3,
        row_h=15,
    )
    f.signature(c.signature(), "保護者の署名", "Guardian's signature")
    f.note(
        "在学証明書と教科書給与証明書を前の学校で受け取ってください。 / Bring the certificates from the previous school.",
        6,
    )
    return f


# --- 犬の登録事項変更届 ---------------------------------------------------------------------------


def inu() -> Form:
    f = Form(
        "inu",
        "犬の登録事項変更届",
        "Notification of a change in a dog's registration",
        "狂犬病予防法 第4条第4項・第5項、狂犬病予防法施行規則",
        "狂犬病予防法 第4条 / Rabies Prevention Act, Art. 4",
    )
    f.date_header(c.notified_on(), "届出年月日", "Date of notification")
    f.section("変更の内容", "The change")
    kind = fld(
        "kind",
        "select",
        "犬の登録事項の変更の内容",
        "What changed",
        "変更の内容",
        required=True,
        options=[
            ("moved", "所在地の変更（転入・転居）", "new address (moving)"),
            ("owner", "所有者の変更", "new owner"),
            ("died", "犬の死亡", "the dog died"),
            ("other", "その他", "other"),
        ],
    )
    f.row(f.options_height(kind), [("変更の内容", "What", None, f.v_options(kind))])
    f.row(
        10,
        [
            (
                "変更の日",
                "Date",
                None,
                f.v_text(
                    c.event_date(
                        "changed_on", "犬の登録事項が変わった日", "Date of the change", "変更年月日"
                    ),
                    size=10.5,
                ),
            )
        ],
    )
    f.section("犬の所有者", "Owner")
    f.row(
        10,
        [
            (
                "氏名",
                "Name",
                100,
                f.v_name(
                    fld(
                        "owner_name",
                        "person_name",
                        "犬の所有者の氏名",
                        "Owner's name",
                        "所有者氏名",
                        prefill="person[0].name",
                        required=True,
                        **c.NAME,
                    ),
                    None,
                ),
            ),
            ("電話番号", "Phone (daytime)", None, f.v_text(c.phone())),
        ],
    )
    f.row(17, [("新住所", "New address", None, f.v_address(c.new_address(required=True)))])
    f.row(17, [("旧住所", "Previous address", None, f.v_address(c.old_address(required=True)))])
    f.section("犬", "The dog")
    f.row(
        10,
        [
            (
                "犬の名前",
                "Dog's name",
                93,
                f.v_text(
                    fld(
                        "dog_name",
                        "text",
                        "犬の名前",
                        "Dog's name",
                        "犬の名前",
                        prefill="answers.dog.name",
                        required=True,
                        max_length=20,
                    )
                ),
            ),
            (
                "種類",
                "Breed",
                None,
                f.v_text(
                    fld(
                        "breed",
                        "text",
                        "犬の種類",
                        "Breed",
                        "犬の種類",
                        prefill="answers.dog.breed",
                        required=True,
                        max_length=20,
                    )
                ),
            ),
        ],
    )
    f.row(
        10,
        [
            (
                "毛色",
                "Colour",
                93,
                f.v_text(
                    fld(
                        "colour",
                        "text",
                        "犬の毛色",
                        "Colour",
                        "毛色",
                        prefill="answers.dog.colour",
                        required=True,
                        max_length=20,
                    )
                ),
            ),
            (
                "性別",
                "Sex",
                None,
                f.v_options(
                    fld(
                        "dog_sex",
                        "select",
                        "犬の性別",
                        "Dog's sex",
                        "犬の性別",
                        prefill="answers.dog.sex",
                        required=True,
                        options=[("male", "オス", "male"), ("female", "メス", "female")],
                    )
                ),
            ),
        ],
    )
    f.row(
        10,
        [
            (
                "生年月日",
                "Date of birth",
                93,
                f.v_text(
                    fld(
                        "dog_birth_date",
                        "date",
                        "犬の生年月日",
                        "Dog's date of birth",
                        "犬の生年月日",
                        prefill="answers.dog.birth_date",
                    )
                ),
            ),
            (
                "登録番号",
                "Registration no.",
                None,
                f.v_text(
                    fld(
                        "registration_no",
                        "text",
                        "犬の登録番号（鑑札の番号）",
                        "Registration (tag) number",
                        "登録番号",
                        prefill="answers.dog.registration_no",
                        required=True,
                        max_length=20,
                    )
                ),
            ),
        ],
    )
    f.row(
        10,
        [
            (
                "注射済票",
                "Rabies tag no.",
                93,
                f.v_text(
                    fld(
                        "rabies_tag",
                        "text",
                        "狂犬病予防注射済票の番号（今年度）",
                        "Rabies vaccination tag number",
                        "注射済票番号",
                        prefill="answers.dog.rabies_tag",
                        max_length=20,
                    )
                ),
            ),
            (
                "旧鑑札",
                "Old tag",
                None,
                f.v_check(
                    fld(
                        "old_tag",
                        "checkbox",
                        "前の市区町村の鑑札を持ってきた",
                        "Brought the previous tag",
                        "旧鑑札",
                    ),
                    "前の市区町村の鑑札を持参",
                    "brought",
                ),
            ),
        ],
    )
    f.signature(c.signature())
    f.note(
        "転入のときは、前の市区町村の鑑札と引き換えに新しい鑑札を交付します。 / A new tag replaces the old one.",
        6,
    )
    return f


FORMS: list[Callable[[], Form]] = [
    tenshutsu,
    tenkyo,
    setai_henko,
    inkan_shoumei,
    inkan_haishi,
    koseki,
    nenkin,
    kouki,
    kaigo,
    kodomo_iryo,
    jidou_henkou,
    kokuho_sousaihi,
    kouki_sousaihi,
    shussei,
    tennyugaku,
    inu,
]


def all_templates() -> dict[str, dict[str, Any]]:
    out = {}
    for make in FORMS:
        form = make()
        out[form.meta["id"]] = form.template()
    return out
