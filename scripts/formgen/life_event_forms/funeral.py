"""葬祭費支給申請書 (国民健康保険・後期高齢者医療)."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import Form, fld

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
