import base64
import datetime as dt

import pytest

from forms.errors import FieldValueError
from forms.fields import coerce, display, individual_number_check_digit
from forms.record import Address, PersonName
from forms.template import FieldSpec, Option
from forms.text import Text


def spec(type_: str, **kw) -> FieldSpec:
    return FieldSpec(id="f", type=type_, label=Text(ja="項目", en="item"), **kw)


GOOD = [
    (spec("text", max_length=10), "  髙橋  ", "髙橋"),
    (spec("text"), "𠮷野", "𠮷野"),
    (spec("text"), "﨑", "﨑"),  # a compatibility ideograph must not be folded
    (spec("kana"), "やまだ　たろう", "ヤマダ　タロウ"),
    (spec("kana"), "ｷｬｯﾄ", "キャット"),
    (spec("kana"), "ジョン・スミス", "ジョン・スミス"),
    (spec("person_name"), "𠮷野\u3000髙子", PersonName(family="𠮷野", given="髙子")),
    (spec("person_name"), "SMITH John", PersonName(family="SMITH", given="John")),
    (
        spec("person_name", kana=True),
        "やまざき たろう",
        PersonName(family="ヤマザキ", given="タロウ"),
    ),
    (
        spec("person_name"),
        {"family": "山﨑", "given": "太郎"},
        PersonName(family="山﨑", given="太郎"),
    ),
    (spec("date"), "R7.5.1", dt.date(2025, 5, 1)),
    (spec("date"), dt.date(2019, 5, 1), dt.date(2019, 5, 1)),
    (spec("checkbox"), "はい", True),
    (spec("checkbox"), False, False),
    (spec("number", min=1, max=20), "２", 2),
    (spec("number"), 7, 7),
    (spec("postal_code"), "〒１００－０００１", "1000001"),
    (spec("postal_code"), "100-0001", "1000001"),
    (spec("phone"), "03-1234-5678", "03-1234-5678"),
    (spec("phone"), "０９０（１２３４）５６７８", "090-1234-5678"),
    (spec("email"), "taro@example.jp", "taro@example.jp"),
    (spec("free_text", max_length=5), "あいうえお", "あいうえお"),
    (spec("individual_number"), "1234 5678 9018", "123456789018"),
]


@pytest.mark.parametrize(("field", "raw", "expected"), GOOD)
def test_good_input(field: FieldSpec, raw, expected) -> None:
    assert coerce(field, raw) == expected


def test_select_and_multi_select() -> None:
    options = [Option(value="a", ja="甲"), Option(value="b", ja="乙"), Option(value="c", ja="丙")]
    sel = spec("select", options=options)
    assert coerce(sel, "b") == "b"
    assert display(sel, "b") == "乙"
    multi = spec("multi_select", options=options)
    assert coerce(multi, ["c", "a"]) == ["a", "c"]  # template order
    assert coerce(multi, "a、c") == ["a", "c"]
    assert display(multi, ["a", "c"]) == "甲、丙"
    with pytest.raises(FieldValueError):
        coerce(sel, "z")
    with pytest.raises(FieldValueError):
        coerce(multi, ["a", "a"])


def test_address_from_text_and_dict() -> None:
    field = spec("address")
    a = coerce(field, "東京都千代田区永田町１－７－１")
    assert (a.prefecture, a.city, a.rest) == ("東京都", "千代田区", "永田町１－７－１")
    b = coerce(field, {"postal_code": "100-0014", "prefecture": "東京都", "city": "千代田区"})
    assert b.postal_code == "1000014"
    assert display(field, b) == "〒100-0014 東京都千代田区"
    with pytest.raises(FieldValueError):
        coerce(field, Address())


def test_signature_png() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
    field = spec("signature")
    assert coerce(field, png) == png
    assert coerce(field, base64.b64encode(png).decode()) == png
    odd = png + bytes([0xFB, 0xFF, 0xBF])  # bytes whose base64 differs between the alphabets
    assert coerce(field, base64.urlsafe_b64encode(odd).decode()) == odd
    assert coerce(field, base64.b64encode(odd).decode()) == odd
    for bad in (b"GIF89a", "not base64!!", base64.b64encode(b"JPEG").decode()):
        with pytest.raises(FieldValueError):
            coerce(field, bad)


BAD = [
    (spec("text", max_length=3), "あいうえ"),
    (spec("text", pattern=r"\d{7}"), "12345"),
    (spec("text"), 12),
    (spec("kana"), "山田"),
    (spec("kana"), "yamada"),
    (spec("person_name"), "   "),
    (spec("person_name", kana=True), "山田 太郎"),
    (spec("date"), "2025-13-01"),
    (spec("date", min_date=dt.date(2020, 1, 1)), "2019-12-31"),
    (spec("date", max_date=dt.date(2020, 1, 1)), "2020-01-02"),
    (spec("checkbox"), "maybe"),
    (spec("number"), "12a"),
    (spec("number"), True),
    (spec("number", min=1), "0"),
    (spec("number", max=20), "21"),
    (spec("postal_code"), "100-000"),
    (spec("postal_code"), "abcdefg"),
    (spec("phone"), "12"),
    (spec("phone"), "03-1234-ABCD"),
    (spec("email"), "taro@"),
    (spec("email"), "taro example.jp"),
    (spec("free_text", max_length=3), "あいうえ"),
    (spec("individual_number"), "123456789012"),  # wrong check digit
    (spec("individual_number"), "12345678901"),
]


@pytest.mark.parametrize(("field", "raw"), BAD)
def test_bad_input_has_a_message_without_the_value(field: FieldSpec, raw) -> None:
    with pytest.raises(FieldValueError) as info:
        coerce(field, raw)
    assert info.value.ja and info.value.en
    if isinstance(raw, str) and raw.strip():
        assert raw not in str(info.value)


def test_individual_number_check_digit() -> None:
    # The published example number 1234 5678 9018 and a second computed by hand.
    assert individual_number_check_digit("12345678901") == 8
    assert individual_number_check_digit("00000000000") == 0


def test_display_dates_and_checkboxes() -> None:
    assert display(spec("date"), dt.date(2019, 5, 1)) == "令和元年（2019年）5月1日"
    assert display(spec("date"), dt.date(2019, 5, 1), "western") == "2019-05-01"
    assert display(spec("checkbox"), True) == "☑"
    assert display(spec("checkbox"), False) == "☐"
    assert display(spec("postal_code"), "1000001") == "〒100-0001"
    assert display(spec("text"), None) == ""
