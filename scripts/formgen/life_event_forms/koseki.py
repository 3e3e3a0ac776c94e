"""戸籍証明書等請求書."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import Form, fld

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
