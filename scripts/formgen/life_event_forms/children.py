"""子ども医療費助成, 児童手当 and 転入学届."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import Form, fld
from formgen.life_event_forms.parts import (
    BIRTH_COL,
    NAME_COL,
    REL_COL,
    SEX_COL,
    closed,
    person_fields,
)

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
