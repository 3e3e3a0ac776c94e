"""The maintenance tools on a small domain made here: checks, sync, compile, status."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.i18n import CODES
from forms.i18n.catalogue import Domain
from forms.i18n.checks import domain_problems
from forms.i18n.pofiles import (
    Entry,
    compile_domain,
    entries,
    po_path,
    read_catalogue,
    stale_mo_files,
    sync_domain,
    write_catalogue,
)
from forms.i18n.status import domain_status, status

JA = {"hello": "こんにちは", "tries": "残り{tries}回", "bye": "さようなら"}


def make_domain(tmp_path: Path, *, leave_out: tuple[str, str] | None = None) -> Domain:
    domain = Domain("demo", tmp_path)
    write_catalogue(domain, "ja", [Entry(k, v) for k, v in JA.items()])
    for code in CODES:
        if code == "ja":
            continue
        items = [
            Entry(k, f"{code}:{v}", fuzzy=(k != "hello"), source=v)
            for k, v in JA.items()
            if (code, k) != leave_out
        ]
        write_catalogue(domain, code, items)
    compile_domain(domain)
    return domain


def test_a_complete_domain_has_no_problems(tmp_path):
    assert domain_problems(make_domain(tmp_path)) == []


def test_a_missing_key_in_any_language_is_reported(tmp_path):
    domain = make_domain(tmp_path, leave_out=("ne", "bye"))
    assert domain_problems(domain) == ["demo/ne: missing bye"]


def test_an_empty_translation_counts_as_missing(tmp_path):
    domain = make_domain(tmp_path)
    items = entries(read_catalogue(po_path(domain, "ko"), "ko"))
    write_catalogue(domain, "ko", [Entry(e.key, "" if e.key == "hello" else e.text) for e in items])
    assert domain_problems(domain) == ["demo/ko: missing hello"]


def test_a_placeholder_that_differs_from_japanese_is_reported(tmp_path):
    domain = make_domain(tmp_path)
    items = entries(read_catalogue(po_path(domain, "vi"), "vi"))
    write_catalogue(
        domain,
        "vi",
        [
            Entry(e.key, "Còn {count} lần" if e.key == "tries" else e.text, e.fuzzy, e.source)
            for e in items
        ],
    )
    [problem] = domain_problems(domain)
    assert problem.startswith("demo/vi: tries has placeholders ['count'], Japanese has ['tries']")


def test_an_extra_key_is_reported(tmp_path):
    domain = make_domain(tmp_path)
    items = entries(read_catalogue(po_path(domain, "id"), "id"))
    write_catalogue(domain, "id", [*items, Entry("stale", "lama", True, "古い")])
    assert domain_problems(domain) == ["demo/id: extra stale"]


def test_status_counts_fuzzy_and_missing_per_language(tmp_path):
    domain = make_domain(tmp_path, leave_out=("pt", "tries"))
    rows = {r.code: r for r in domain_status(domain)}
    assert (rows["ja"].total, rows["ja"].unreviewed) == (3, 0)
    assert (rows["vi"].fuzzy, rows["vi"].missing, rows["vi"].reviewed) == (2, 0, 1)
    assert (rows["pt"].fuzzy, rows["pt"].missing, rows["pt"].unreviewed) == (1, 1, 2)
    twice = {r.code: r for r in status([domain, domain])}
    assert (twice["pt"].total, twice["pt"].unreviewed) == (6, 4)


def test_reviewing_an_entry_lowers_the_count(tmp_path):
    domain = make_domain(tmp_path)
    items = entries(read_catalogue(po_path(domain, "fil"), "fil"))
    write_catalogue(domain, "fil", [Entry(e.key, e.text, False, e.source) for e in items])
    rows = {r.code: r for r in domain_status(domain)}
    assert rows["fil"].unreviewed == 0 and rows["id"].unreviewed == 2


def test_compiled_catalogues_keep_fuzzy_entries_and_staleness_is_seen(tmp_path):
    domain = make_domain(tmp_path)
    assert Domain("demo", tmp_path).text("ko", "tries", tries=1) == "ko:残り1回"  # fuzzy, used
    items = entries(read_catalogue(po_path(domain, "ko"), "ko"))
    write_catalogue(domain, "ko", [Entry(e.key, e.text + "!", e.fuzzy, e.source) for e in items])
    assert stale_mo_files(domain) == [tmp_path / "ko" / "LC_MESSAGES" / "demo.mo"]
    compile_domain(domain)
    assert stale_mo_files(domain) == []


def test_sync_adds_new_keys_marks_changed_japanese_fuzzy_and_drops_removed(tmp_path):
    domain = make_domain(tmp_path)
    changed = {"hello": "こんにちは！", "tries": JA["tries"], "new": "新しい"}
    write_catalogue(domain, "ja", [Entry(k, v) for k, v in changed.items()])
    sync_domain(domain, prefill={"en": {"new": "New"}})
    vi = {e.key: e for e in entries(read_catalogue(po_path(domain, "vi"), "vi"))}
    assert set(vi) == {"hello", "tries", "new"}
    assert (
        vi["hello"].fuzzy
        and vi["hello"].text == "vi:こんにちは"
        and vi["hello"].source == "こんにちは！"
    )
    assert vi["new"].fuzzy and vi["new"].text == ""
    en = {e.key: e for e in entries(read_catalogue(po_path(domain, "en"), "en"))}
    assert en["new"].text == "New" and en["new"].fuzzy
    assert domain_problems(domain) == [
        f"demo/{code}: missing new" for code in CODES if code not in {"ja", "en"}
    ]


def test_writing_unchanged_entries_leaves_the_file_byte_identical(tmp_path):
    domain = make_domain(tmp_path)
    path = po_path(domain, "ne")
    before = path.read_bytes()
    write_catalogue(domain, "ne", entries(read_catalogue(path, "ne")))
    assert path.read_bytes() == before


@pytest.mark.parametrize("code", ["xx", "../ja"])
def test_loading_an_unoffered_language_is_refused(tmp_path, code):
    from forms.i18n import UnknownLanguage

    with pytest.raises(UnknownLanguage):
        make_domain(tmp_path).messages(code)
