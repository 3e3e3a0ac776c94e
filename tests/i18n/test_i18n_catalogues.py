"""The shipped catalogues: every language complete against Japanese, compiled fresh, loadable."""

from __future__ import annotations

import re

import pytest

from forms.i18n import CODES, LANGUAGES, UnknownLanguage, language
from forms.i18n.catalogue import Domain
from forms.i18n.checks import domain_problems
from forms.i18n.domains import installed_domains
from forms.i18n.pofiles import entries, po_path, read_catalogue, stale_mo_files

DOMAINS = {d.name: d for d in installed_domains()}


def test_every_application_has_its_domain():
    assert {"kiosk", "callboard", "printing", "preentry", "templates"} <= set(DOMAINS)


def test_ten_languages_each_named_in_its_own_script():
    assert CODES == ("ja", "ja-easy", "en", "zh-Hans", "ko", "vi", "pt", "ne", "fil", "id")
    names = {lang.code: lang.native_name for lang in LANGUAGES}
    assert names["zh-Hans"] == "中文（简体）" and names["ko"] == "한국어"
    assert names["vi"] == "Tiếng Việt" and names["ne"] == "नेपाली"
    assert re.search(r"[\u0900-\u097F]", names["ne"])  # Devanagari, not a transliteration
    assert language("ja-easy").ruby and not language("ja").ruby
    assert language("ja-easy").html_lang == "ja"


def test_an_unknown_language_is_a_typed_error_with_both_messages():
    with pytest.raises(UnknownLanguage) as caught:
        language("fr")
    assert "fr" in caught.value.ja and "not offered" in caught.value.en


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_no_key_missing_and_every_placeholder_as_in_japanese(name):
    assert domain_problems(DOMAINS[name]) == []


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_committed_mo_files_equal_a_fresh_compile(name):
    assert stale_mo_files(DOMAINS[name]) == [], "run `madoguchi i18n compile`"


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_every_language_loads_and_has_every_japanese_key(name):
    domain = Domain(name, DOMAINS[name].directory)  # fresh: nothing cached
    japanese = domain.keys("ja")
    assert japanese
    for code in CODES:
        assert domain.keys(code) == japanese, code


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_every_translation_is_fuzzy_until_reviewed_and_japanese_never_is(name):
    domain = DOMAINS[name]
    for code in CODES:
        found = entries(read_catalogue(po_path(domain, code), code))
        if code == "ja":
            assert not any(e.fuzzy for e in found)
        else:
            # every entry keeps the Japanese it was made from, so a change shows
            assert all(e.source for e in found), code


def test_fuzzy_entries_are_used_not_dropped():
    kiosk = DOMAINS["kiosk"]
    vi = entries(read_catalogue(po_path(kiosk, "vi"), "vi"))
    fuzzy = next(e for e in vi if e.key == "welcome.start")
    assert fuzzy.fuzzy
    assert kiosk.text("vi", "welcome.start") == fuzzy.text == "Bắt đầu"


def test_texts_format_with_their_values_in_every_language():
    kiosk = DOMAINS["kiosk"]
    for code in CODES:
        text = kiosk.text(code, "pin.tries", tries=2)
        assert "2" in text and "{" not in text, code
        assert "1,500" in kiosk.text(code, "common.yen", amount=1500), code
    assert kiosk.text("zh-Hans", "pin.tries", tries=2) == "剩余2次"


def test_scripts_are_the_expected_ones():
    """A catalogue filled with the wrong language shows up here (e.g. English left in ko)."""
    scripts = {
        "zh-Hans": r"[\u4E00-\u9FFF]",
        "ko": r"[\uAC00-\uD7AF]",
        "ne": r"[\u0900-\u097F]",
        "ja-easy": r"[\u3040-\u30FF\u4E00-\u9FFF]",  # Japanese script, not English
    }
    for name, domain in DOMAINS.items():
        for code, pattern in scripts.items():
            for key, text in domain.messages(code).items():
                if re.search(r"[A-Za-z\u3040-\u30FF\u4E00-\u9FFF]", domain.messages("ja")[key]):
                    assert re.search(pattern, text) or key.startswith("kana."), (name, code, key)
    vi = DOMAINS["kiosk"].messages("vi")
    assert any(ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ" for ch in "".join(vi.values()))


def test_a_missing_language_folder_is_a_typed_error(tmp_path):
    from forms.i18n.catalogue import CatalogueMissing

    with pytest.raises(CatalogueMissing) as caught:
        Domain("kiosk", tmp_path).messages("vi")
    assert "vi" in caught.value.en and "compile" in caught.value.en
