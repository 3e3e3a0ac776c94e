"""Template labels through the catalogue, the extraction command, the kiosk's Translator."""

from __future__ import annotations

import json
import shutil

from forms.catalog import Catalog
from forms.i18n.commands import extract_templates
from forms.i18n.domains import templates_domain
from forms.i18n.pofiles import entries, po_path, read_catalogue
from forms.i18n.template_texts import TemplateTexts, all_texts
from forms.text import Text
from kiosk.i18n import Pair, Translator
from madoguchi.cli import main as madoguchi


def test_the_japanese_templates_catalogue_matches_the_shipped_yaml():
    catalog = Catalog.builtin()
    rows = all_texts(catalog.latest(), catalog.bundles())
    domain = templates_domain()
    shipped = [(e.key, e.text) for e in entries(read_catalogue(po_path(domain, "ja"), "ja"))]
    assert shipped == [(key, ja) for key, ja, _ in rows], "run `madoguchi i18n extract-templates`"
    keys = [key for key, _, _ in rows]
    assert "juminhyo.copies.label" in keys and "idou.movers.kana.label" in keys
    assert "juminhyo.document.option.copy" in keys and "bundle.moving_in.title" in keys


def test_extraction_into_a_copy_keeps_translations_and_adds_nothing(tmp_path):
    domain = templates_domain()
    shutil.copytree(domain.directory, tmp_path / "locale")
    copy = type(domain)("templates", tmp_path / "locale")
    before = {c: po_path(copy, c).read_bytes() for c in ("ja", "vi", "ne")}
    assert extract_templates(copy) == len(entries(read_catalogue(po_path(copy, "ja"), "ja")))
    assert {c: po_path(copy, c).read_bytes() for c in before} == before


def test_labels_by_key_and_by_japanese():
    texts = TemplateTexts(templates_domain())
    assert texts.title("vi", "juminhyo") == "Đơn xin cấp bản sao phiếu cư trú"
    assert texts.label("ko", "juminhyo", "copies") == "필요한 통수"
    assert texts.label("zh-Hans", "idou", "movers.sex", "option.female") == "女"
    label = Catalog.builtin().get("juminhyo").field("copies").label
    assert texts.of_text("pt", label) == "Número de cópias"
    assert texts.of_text("ja", label) == "必要通数"
    unknown = Text(ja="新しい項目", en="New item")  # published since: not in the catalogue yet
    assert texts.of_text("vi", unknown) == "New item"
    assert texts.of_text("ja-easy", unknown) == "新しい項目"


def test_kiosk_translator_in_every_new_language_keeps_its_api():
    vi = Translator("vi")
    assert vi.language == "vi" and vi.second_language == "ja"
    assert vi.pair("welcome.start") == Pair("Bắt đầu", "はじめる")
    assert vi("procedures.fee", fee=vi.yen(300)) == "Lệ phí: 300 yên"
    label = Catalog.builtin().get("juminhyo").field("copies").label
    assert vi.text_pair(label) == Pair("Số bản cần", "必要通数")
    easy = Translator("ja-easy")
    assert easy.second_language == "" and easy.pair("common.next") == Pair("次へ")
    assert Translator("ja").toggled() == "en" and Translator("ne").toggled() == "ja"


def test_i18n_status_command(capsys):
    assert madoguchi(["i18n", "status", "--json"]) == 0
    rows = {r["language"]: r for r in json.loads(capsys.readouterr().out)}
    assert list(rows)[:3] == ["ja", "ja-easy", "en"]
    assert rows["ja"]["unreviewed"] == 0
    total = rows["ja"]["total"]
    assert total > 250
    for code, row in rows.items():
        if code != "ja":
            assert (row["unreviewed"], row["fuzzy"], row["missing"]) == (total, total, 0), code
    assert madoguchi(["i18n", "status"]) == 0
    assert "नेपाली: 未確認 unreviewed" in capsys.readouterr().out
