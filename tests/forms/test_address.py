import pytest

from forms.address import lookup_postal_code, normalize_postal_code, split_address
from forms.errors import FieldValueError


@pytest.mark.parametrize(
    ("text", "pref", "city", "rest"),
    [
        ("東京都千代田区永田町１－７－１", "東京都", "千代田区", "永田町１－７－１"),
        ("神奈川県横浜市中区港町１－１", "神奈川県", "横浜市中区", "港町１－１"),
        ("三重県四日市市諏訪町1-5", "三重県", "四日市市", "諏訪町1-5"),
        ("北海道虻田郡倶知安町北1条東2丁目", "北海道", "虻田郡倶知安町", "北1条東2丁目"),
        ("東京都町田市森野2-2-22", "東京都", "町田市", "森野2-2-22"),
        ("どこか遠く", "", "", "どこか遠く"),
    ],
)
def test_split_keeps_every_character(text: str, pref: str, city: str, rest: str) -> None:
    a = split_address(text)
    assert (a.prefecture, a.city, a.rest) == (pref, city, rest)
    assert a.full == text


def test_postal_lookup_offline() -> None:
    hit = lookup_postal_code("〒１００－００１４")
    assert hit is not None
    assert (hit.prefecture, hit.city, hit.rest) == ("東京都", "千代田区", "永田町")
    assert lookup_postal_code("0000000") is None
    with pytest.raises(FieldValueError):
        normalize_postal_code("100-00")
