"""印鑑登録: the certificate request and the abolition."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import Form, fld

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
