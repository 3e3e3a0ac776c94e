"""国民年金, 後期高齢者医療 and 介護保険: joining, changes, leaving."""

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
