"""Fields that many forms share: the same label always reads the same record path.

A bundle asks each record path once (`forms.bundle.questions`); a label that two forms bind to
different paths would ask the resident twice, which the tests refuse. So shared items are made
here, once.
"""

from __future__ import annotations

from formgen.layout import Field, fld

NAME = {"max_length": 40}
KANA = {"max_length": 60, "kana": True}
ADDRESS = {"max_length": 80}

RELATION_TO_MOVERS = [
    ("self", "本人", "the person moving"),
    ("householder", "世帯主", "householder"),
    ("household_member", "同一世帯員", "member of the household"),
    ("agent", "代理人（委任状）", "agent (letter of proxy)"),
]
RELATION_TO_DECEASED = [
    ("spouse", "配偶者", "spouse"),
    ("child", "子", "child"),
    ("parent", "父母", "parent"),
    ("sibling", "兄弟姉妹", "brother or sister"),
    ("other", "その他の親族など", "other"),
]
ACCOUNT_TYPES = [("ordinary", "普通", "ordinary"), ("current", "当座", "current")]


def notified_on() -> Field:
    return fld(
        "notified_on",
        "date",
        "届出年月日",
        "Date of notification",
        "届出年月日",
        prefill="session.today",
        required=True,
    )


def applied_on() -> Field:
    return fld(
        "applied_on",
        "date",
        "申請年月日",
        "Date of application",
        "申請年月日",
        prefill="session.today",
        required=True,
    )


def requested_on() -> Field:
    return fld(
        "requested_on",
        "date",
        "請求年月日",
        "Date of request",
        "請求年月日",
        prefill="session.today",
        required=True,
    )


def notifier_name() -> Field:
    return fld(
        "notifier_name",
        "person_name",
        "届出人の氏名",
        "Notifier's name",
        "届出人氏名",
        prefill="person[0].name",
        required=True,
        **NAME,
    )


def phone(field_id: str = "phone") -> Field:
    return fld(
        field_id,
        "phone",
        "届出人・請求者の電話番号（日中の連絡先）",
        "Applicant's phone number (daytime)",
        "電話番号",
        prefill="answers.applicant_phone",
        required=True,
    )


def notifier_relation() -> Field:
    return fld(
        "notifier_relation",
        "select",
        "届出人と異動する人との関係",
        "Notifier's relation to the persons moving",
        "届出人と本人との関係",
        prefill="answers.applicant_relation",
        required=True,
        options=RELATION_TO_MOVERS,
    )


def signature() -> Field:
    return fld(
        "signature",
        "signature",
        "届出人・請求者の署名",
        "Applicant's signature",
        "署名",
        prefill="answers.applicant_signature",
    )


def new_address(required: bool = False, **more: object) -> Field:
    return fld(
        "new_address",
        "address",
        "新住所（異動後の住所）",
        "New address",
        "新住所",
        prefill="address.new",
        required=required,
        **ADDRESS,
        **more,
    )


def old_address(required: bool = False, **more: object) -> Field:
    return fld(
        "old_address",
        "address",
        "旧住所（異動前の住所）",
        "Previous address",
        "旧住所",
        prefill="address.current",
        required=required,
        **ADDRESS,
        **more,
    )


def destination(**more: object) -> Field:
    return fld(
        "destination",
        "address",
        "転出先の住所",
        "Destination address",
        "転出先",
        prefill="address.destination",
        **ADDRESS,
        **more,
    )


def new_head(required: bool = False) -> Field:
    return fld(
        "new_head",
        "person_name",
        "新しい世帯の世帯主の氏名",
        "New householder's name",
        "新世帯主",
        prefill="answers.new_head_name",
        required=required,
        **NAME,
    )


def old_head(required: bool = False) -> Field:
    return fld(
        "old_head",
        "person_name",
        "異動前の世帯の世帯主の氏名",
        "Previous householder's name",
        "旧世帯主",
        prefill="answers.old_head_name",
        required=required,
        **NAME,
    )


def agent_fields() -> list[Field]:
    return [
        fld(
            "agent_name",
            "person_name",
            "代理人の氏名",
            "Agent's name",
            "代理人氏名",
            prefill="answers.agent_name",
            help=("代理人が手続きする場合だけ記入します。", "Only when an agent applies."),
            **NAME,
        ),
        fld(
            "agent_address",
            "address",
            "代理人の住所",
            "Agent's address",
            "代理人住所",
            prefill="address.agent",
            **ADDRESS,
        ),
        fld(
            "agent_phone",
            "phone",
            "代理人の電話番号",
            "Agent's phone number",
            "代理人電話番号",
            prefill="answers.agent_phone",
        ),
    ]


def event_date(field_id: str, ja: str, en: str, col: str) -> Field:
    """The day of the event the visit reports (the move, the death …): `date.event`.

    Each bundle fills `date.event` from its own date (`defaults:`), so a form shared by
    several life events reads one path.
    """
    return fld(field_id, "date", ja, en, col, prefill="date.event", required=True)


def bank_fields(prefix: str, what_ja: str, what_en: str) -> list[Field]:
    """The account a benefit is paid into (shared paths `answers.<prefix>.*`)."""
    return [
        fld(
            "bank_name",
            "text",
            f"{what_ja}の振込先の金融機関名",
            f"{what_en}: bank",
            "金融機関名",
            prefill=f"answers.{prefix}.bank_name",
            required=True,
            max_length=30,
        ),
        fld(
            "branch_name",
            "text",
            f"{what_ja}の振込先の支店名",
            f"{what_en}: branch",
            "支店名",
            prefill=f"answers.{prefix}.branch_name",
            required=True,
            max_length=30,
        ),
        fld(
            "account_type",
            "select",
            f"{what_ja}の振込先の口座種別",
            f"{what_en}: account type",
            "口座種別",
            prefill=f"answers.{prefix}.account_type",
            required=True,
            options=ACCOUNT_TYPES,
        ),
        fld(
            "account_number",
            "text",
            f"{what_ja}の振込先の口座番号（7桁）",
            f"{what_en}: account number (7 digits)",
            "口座番号",
            prefill=f"answers.{prefix}.account_number",
            required=True,
            pattern=r"\d{7}",
        ),
        fld(
            "account_holder",
            "kana",
            f"{what_ja}の振込先の口座名義（カナ）",
            f"{what_en}: account holder (katakana)",
            "口座名義",
            prefill=f"answers.{prefix}.account_holder",
            required=True,
            max_length=40,
        ),
    ]
