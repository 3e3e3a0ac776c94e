"""Fonts: embedding, the fallback chain, and the ToUnicode fix for characters outside the BMP."""

from __future__ import annotations

import io

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser  # pdfplumber's parser
from pdfminer.pdftypes import resolve1
from printkit import pdftotext_raw
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen.canvas import Canvas

from printing import fonts, glyf_view, tounicode
from printing.errors import FontNotFound, GlyphMissing
from printing.fonts import IPAMJ, MINCHO, default_fonts


def draw(text: str) -> bytes:
    chain = default_fonts().values
    buffer = io.BytesIO()
    c = Canvas(buffer)
    t = c.beginText(72, 720)
    for run in chain.shape(text, "test").runs:
        t.setFont(run.font, 12)
        t.textOut(run.text)
    c.drawText(t)
    c.save()
    return buffer.getvalue()


def font_objects(pdf: bytes) -> list[dict]:
    doc = PDFDocument(PDFParser(io.BytesIO(pdf)))
    out = []
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            obj = resolve1(doc.getobj(objid))
            if isinstance(obj, dict) and obj.get("Type") and obj["Type"].name == "Font":
                out.append(obj)
    return out


def test_utf16_of_a_supplementary_character_is_a_surrogate_pair() -> None:
    assert tounicode.utf16_hex(0x20BB7) == "D842DFB7"
    assert tounicode.utf16_hex(0x9AD9) == "9AD9"


def test_patch_is_installed_once_and_rewrites_only_non_bmp_entries() -> None:
    tounicode.apply()
    tounicode.apply()
    cmap = ttfonts.makeToUnicodeCMap("X", [0x41, 0x20BB7, 0x9AD9])
    assert "<01> <D842DFB7>" in cmap
    assert "<00> <0041>" in cmap and "<02> <9AD9>" in cmap
    assert "20BB7" not in cmap


def test_embedded_tounicode_map_carries_the_surrogate_pair() -> None:
    pdf = draw("𠮷")
    maps = [resolve1(f["ToUnicode"]).get_data() for f in font_objects(pdf) if "ToUnicode" in f]
    assert any(b"<D842DFB7>" in m for m in maps)
    assert not any(b"<20BB7>" in m for m in maps)


@pytest.mark.parametrize("text", ["𠮷", "髙", "﨑", "𠮷野髙子山﨑", "辻〒１２３－４５６７"])
def test_rare_characters_print_and_extract_back_exactly(text: str) -> None:
    assert pdftotext_raw(draw(text)).strip() == text


def test_without_the_patch_extraction_is_wrong() -> None:
    """The bug is real: reportlab's own map gives pdftotext the wrong character."""
    patched = ttfonts.makeToUnicodeCMap
    original = patched.__closure__[0].cell_contents  # the function the patch wraps
    ttfonts.makeToUnicodeCMap = original
    try:
        broken = draw("𠮷")
    finally:
        ttfonts.makeToUnicodeCMap = patched
    assert pdftotext_raw(broken).strip() != "𠮷"


def test_fonts_are_embedded_subsets() -> None:
    pdf = draw("𠮷野 ABC")
    names = [f["BaseFont"].name for f in font_objects(pdf) if "BaseFont" in f]
    assert any("IPAexMincho" in n for n in names)
    assert any("IPAmjMincho" in n for n in names)
    assert all("+" in n for n in names if "IPA" in n)  # subset tag: embedded


def test_fallback_chain_uses_ipamj_only_for_what_ipaex_lacks() -> None:
    chain = default_fonts().values
    shaped = chain.shape("𠮷野髙子", "name")
    assert [(r.font, r.text) for r in shaped.runs] == [
        (IPAMJ.name, "𠮷"),
        (MINCHO.name, "野髙子"),
    ]
    assert shaped.stripped == 0


def test_label_chain_starts_with_gothic() -> None:
    assert "Gothic" in default_fonts().labels.primary
    assert "Mincho" in default_fonts().values.primary


def test_glyph_missing_names_field_and_position_only() -> None:
    with pytest.raises(GlyphMissing) as err:
        default_fonts().values.shape("山田\U000f0000", "movers[1].name")
    assert err.value.ref == "movers[1].name" and err.value.position == 3
    assert "山田" not in str(err.value)


def test_missing_font_file_is_a_typed_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(fonts, "KNOWN_PATHS", {})
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, "")
    assert fonts.find_font_file("ipaexm.ttf") is None
    spec = fonts.FontFile("Madoguchi-Test-Missing", "ipaexm.ttf", "fonts-ipaexfont", True)
    with pytest.raises(FontNotFound) as err:
        fonts._register(spec)
    assert "fonts-ipaexfont" in err.value.ja and "fonts-ipaexfont" in err.value.en


def test_font_dirs_env_is_searched_first(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ipaexm.ttf").write_bytes(b"")
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(tmp_path))
    assert fonts.find_font_file("ipaexm.ttf") == tmp_path / "sub" / "ipaexm.ttf"


@pytest.mark.parametrize("font_file", ["ipamjm.ttf", "ipaexm.ttf"])
def test_glyf_view_subsets_are_byte_identical(
    font_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(fonts.find_font_file(font_file))
    codes = [ord(c) for c in "野髙子山﨑太郎辻〒１２３－ABC"]
    if font_file == "ipamjm.ttf":
        codes.append(0x20BB7)
    face = ttfonts.TTFontFile(path)
    fast = face.makeSubset(codes)
    assert isinstance(face.get_table("glyf"), glyf_view.GlyfView)
    monkeypatch.setattr(ttfonts.TTFontFile, "get_table", ttfonts.TTFontFile.get_table.__wrapped__)
    slow = ttfonts.TTFontFile(path).makeSubset(codes)
    assert fast == slow


def test_glyf_view_slices_like_bytes() -> None:
    data = bytes(range(50))
    view = glyf_view.GlyfView(data, 10, 20)
    assert len(view) == 20
    assert view[0:5] == data[10:15]
    assert view[18:40] == data[28:30]  # clamped like bytes
    with pytest.raises(TypeError):
        view[3]
