"""犬の登録事項変更届."""

from __future__ import annotations

from formgen import common as c
from formgen.layout import Form, fld

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
