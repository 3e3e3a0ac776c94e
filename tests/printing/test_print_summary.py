"""The resident's summary page in every language: the right fonts, embedded, and the text
extracts back (shaped Nepali included); the slip in the resident's language."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import unicodedata
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from printkit import page_count, pdftotext_raw
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.pdfgen.canvas import Canvas

from forms.i18n import CODES, UnknownLanguage
from forms.i18n.domains import templates_domain
from printing.errors import ValueDoesNotFit
from printing.fonts import find_font_file
from printing.slip import render_slip
from printing.summary import SummaryPage, SummaryProcedure, render_summary

AT = dt.datetime(2026, 12, 2, 15, 4, tzinfo=ZoneInfo("Asia/Tokyo"))
TEMPLATES = templates_domain()
WHERE = {
    "ja": "2階 3番窓口",
    "ja-easy": "2階の 3番の 窓口",
    "en": "Counter 3, 2nd floor",
    "zh-Hans": "2楼 3号窗口",
    "ko": "2층 3번 창구",
    "vi": "Quầy số 3, tầng 2",
    "pt": "Balcão 3, 2º andar",
    "ne": "दोस्रो तला, काउन्टर ३",
    "fil": "Counter 3, ika-2 palapag",
    "id": "Loket 3, lantai 2",
}
BRING = {
    "ja": "在留カード",
    "ja-easy": "在留カード",
    "en": "Residence card",
    "zh-Hans": "在留卡",
    "ko": "재류 카드",
    "vi": "Thẻ cư trú",
    "pt": "Cartão de residente",
    "ne": "निवास कार्ड",
    "fil": "Residence card",
    "id": "Kartu izin tinggal",
}
# The font the resident's language must print in (Japanese names print in IPAex Gothic).
FONT = {
    "ja": "IPAexGothic",
    "ja-easy": "IPAexGothic",
    "en": "NotoSans-Regular",
    "pt": "NotoSans-Regular",
    "fil": "NotoSans-Regular",
    "id": "NotoSans-Regular",
    "vi": "NotoSans-Regular",
    "zh-Hans": "NotoSansCJKsc-Regular",
    "ko": "NotoSansCJKkr-Regular",
    "ne": "NotoSansDevanagari-Regular",
}


def page(code: str, procedures: int = 2) -> SummaryPage:
    ids = ["juminhyo", "idou", "inkan", "kokuho", "jidou_teate"]
    return SummaryPage(
        code,
        "A-012",
        AT,
        tuple(
            SummaryProcedure(
                TEMPLATES.text(code, f"{t}.title"),
                TEMPLATES.text("ja", f"{t}.title"),
                300 * n,
                WHERE[code],
                (BRING[code],) if n == 1 else (),
            )
            for n, t in enumerate(ids[:procedures] * 6, 1)
            if n <= procedures
        ),
    )


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """pdffonts: base name (subset prefix dropped) → embedded."""
    out = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    fonts: dict[str, bool] = {}
    for line in out.splitlines()[2:]:
        parts = line.split()  # name, type (one or two words), encoding, emb, sub, uni, id, gen
        fonts[parts[0].split("+", 1)[-1]] = parts[-5] == "yes"
    return fonts


def fonts_of_glyphs(pdf: bytes) -> set[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return {c["fontname"] for c in doc.pages[0].chars}


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("code", CODES)
def test_each_language_prints_in_its_font_embedded(code):
    pdf = render_summary(page(code))
    assert page_count(pdf) == 1
    used = fonts_of_glyphs(pdf)
    assert all(re.fullmatch(r"[A-Z]{6}\+.+", name) for name in used), used  # subsets only
    assert {name.split("+", 1)[1] for name in used} >= {FONT[code], "IPAexGothic"}
    embedded = embedded_fonts(pdf)
    assert embedded[FONT[code]] and embedded["IPAexGothic"]


@pytest.mark.parametrize("code", CODES)
def test_the_text_extracts_back(code):
    data = page(code)
    text = squashed(pdftotext_raw(render_summary(data)))
    wanted = [
        TEMPLATES.text(code, "juminhyo.title"),
        WHERE[code],
        BRING[code],
        "A-012",
        data.procedures[0].name_ja,  # the legal name, in Japanese
    ]
    if code not in {"ja", "ja-easy"}:
        wanted.append("手続きのご案内")
    for expected in wanted:
        assert squashed(expected) in text, (code, expected)


def used_codes(reader: PdfReader) -> dict[str, set[int]]:
    """Font resource name → the codes the page's text operators show in it."""
    used: dict[str, set[int]] = {}
    font = ""

    def show(value: object) -> None:
        if isinstance(value, TextStringObject):
            data = value.get_original_bytes()
        elif isinstance(value, ByteStringObject):
            data = bytes(value)
        else:
            return
        used.setdefault(font, set()).update(data)

    content = reader.pages[0].get_contents()
    assert content is not None
    for operands, operator in ContentStream(content, reader).operations:
        if operator == b"Tf":
            font = str(operands[0])
        elif operator in (b"Tj", b"'", b'"'):
            show(operands[-1])
        elif operator == b"TJ":
            for item in operands[0]:
                show(item)
    return used


def drawn_glyphs(pdf: bytes) -> dict[str, list[tuple[str, str, bool]]]:
    """Font (subset prefix dropped) → (character, glyph name, has an outline) for every code
    the page's text shows: the code's glyph in the embedded program (its `cmap`), the
    character its `/ToUnicode` says it draws."""
    out: dict[str, list[tuple[str, str, bool]]] = {}
    reader = PdfReader(io.BytesIO(pdf))
    used = used_codes(reader)
    for resource, ref in reader.pages[0]["/Resources"]["/Font"].items():
        font = ref.get_object()
        name = str(font["/BaseFont"]).split("+", 1)[-1]
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # reportlab's initial Helvetica: nothing may be drawn in it
            assert not used.get(resource), name
            continue
        program = TTFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_object().get_data()))
        codes = {c: g for t in program["cmap"].tables for c, g in t.cmap.items()}
        glyf = program["glyf"]
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        chars = {
            int(code, 16): bytes.fromhex(text).decode("utf-16-be")
            for code, text in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4,})>", cmap)
        }
        for code in sorted(used.get(resource, ())):
            glyph = codes.get(code, ".notdef")
            outline = glyph != ".notdef" and glyf[glyph].numberOfContours != 0
            out.setdefault(name, []).append((chars.get(code, ""), glyph, outline))
    return out


@pytest.mark.parametrize("code", CODES)
def test_no_tofu_every_character_has_its_glyph_in_the_embedded_font(code):
    """Every character the page draws has a real glyph (not .notdef, not empty) in the font
    embedded for it: no tofu box in any of the ten languages."""
    pdf = render_summary(page(code))
    glyphs = drawn_glyphs(pdf)
    assert set(glyphs) >= {FONT[code], "IPAexGothic"}
    drawn = "".join(char for items in glyphs.values() for char, _, _ in items)
    for char in squashed(BRING[code] + WHERE[code]):
        if not "\ue000" <= char <= "\uf8ff":  # Devanagari conjuncts draw as ligatures
            assert char in drawn or code == "ne", (code, char)
    tofu = [
        (font, char, glyph)
        for font, items in glyphs.items()
        for char, glyph, outline in items
        if not char or (not outline and not char.isspace())
    ]
    assert not tofu, (code, tofu)


def test_the_tofu_check_sees_a_character_the_font_lacks():
    """The check above is not vacuous: a Devanagari letter drawn in IPAex Gothic (which has
    none) is found, as reportlab draws it: .notdef."""
    path = find_font_file("ipaexg.ttf")
    assert path is not None
    pdfmetrics.registerFont(ReportlabTTFont("Madoguchi-test-IPAexGothic", str(path)))
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont("Madoguchi-test-IPAexGothic", 12)
    canvas.drawString(50, 700, "窓口 क")
    canvas.showPage()
    canvas.save()
    glyphs = drawn_glyphs(out.getvalue())["IPAexGothic"]
    assert [glyph for char, glyph, outline in glyphs if not outline and not char.isspace()] == [
        ".notdef"
    ]
    assert ("窓", "glyph00001", True) in glyphs


def test_vietnamese_keeps_every_diacritic():
    text = unicodedata.normalize("NFC", pdftotext_raw(render_summary(page("vi"))))
    assert "Hướng dẫn thủ tục hôm nay" in text
    assert "Lần sau hãy mang theo" in text


def test_nepali_is_shaped_and_still_extracts_as_text():
    pdf = render_summary(page("ne"))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        glyphs = [c["text"] for c in doc.pages[0].chars if "Devanagari" in c["fontname"]]
    # conjuncts (प्र, क्ष…) are ligature glyphs without a code point of their own: shaped
    assert any("\ue000" <= ch <= "\uf8ff" for g in glyphs for ch in g)
    text = unicodedata.normalize("NFC", pdftotext_raw(pdf))
    assert "आजको प्रक्रियाको जानकारी" in text  # ActualText gives the words back
    assert "अर्को पटक ल्याउनुपर्ने कुरा" in text


def test_easy_japanese_has_ruby_above_the_kanji():
    pdf = render_summary(page("ja-easy"))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
    base = next(c for c in chars if c["text"] == "番")
    ruby = [c for c in chars if c["size"] < base["size"] * 0.6 and c["bottom"] < base["top"] + 1]
    above = "".join(c["text"] for c in ruby if abs(c["bottom"] - base["top"]) < base["size"])
    assert "ばんごう" in above
    assert "2026年12月2日" in squashed(pdftotext_raw(pdf))  # plain Western date


def test_many_procedures_shrink_to_one_page_and_too_many_are_refused():
    def sizes(pdf: bytes) -> set[float]:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            return {round(c["size"], 1) for c in doc.pages[0].chars}

    crowded = page("vi", procedures=8)
    pdf = render_summary(crowded)
    assert page_count(pdf) == 1
    assert max(sizes(pdf)) < max(sizes(render_summary(page("vi"))))  # it shrank to fit
    huge = SummaryPage("vi", "A-1", AT, crowded.procedures * 6)
    with pytest.raises(ValueDoesNotFit):
        render_summary(huge)


def test_fonts_cut_for_one_document_are_released():
    before = set(pdfmetrics.getRegisteredFontNames())
    render_summary(page("zh-Hans"))
    render_summary(page("ko"))
    assert set(pdfmetrics.getRegisteredFontNames()) - before <= {"Madoguchi-NotoSans-Regular"}


def test_an_unoffered_language_is_refused():
    with pytest.raises(UnknownLanguage):
        SummaryPage("fr", "A-1", AT, ())


@pytest.mark.parametrize(
    ("code", "title"),
    [("en", "受付票 / Reception slip"), ("vi", "受付票 / Phiếu tiếp nhận"), ("ja", "受付票")],
)
def test_the_slip_speaks_japanese_and_the_residents_language(code, title):
    pdf = render_slip(
        reception_number="A-012", procedures=[("住民票の写し", 300)], issued_at=AT, language=code
    )
    lines = unicodedata.normalize("NFC", pdftotext_raw(pdf)).splitlines()
    assert title in lines


def test_the_slip_in_nepali_and_korean_uses_their_fonts():
    for code, font in (("ne", "NotoSansDevanagari-Regular"), ("ko", "NotoSansCJKkr-Regular")):
        pdf = render_slip(
            reception_number="A-012",
            procedures=[("住民票の写し", 300)],
            issued_at=AT,
            language=code,
        )
        assert embedded_fonts(pdf)[font]
