"""The resident's summary page: one A4 page in their language, printed with the slip.

What they applied for, where to go, what to bring next time, with the reception number. The
legal forms stay Japanese; this page is for the resident, so every heading and text is in
their language, with the Japanese beside it in small type for the staff they show it to (and
the procedures' legal names in Japanese under their translation). やさしい日本語 prints with
furigana above every kanji. Like the slip, it carries nothing personal: no name, no address.

    pdf = render_summary(SummaryPage(language="vi", reception_number="A-012",
                                     issued_at=clock.now_local(), procedures=(...)))

The caller gives plain data in the resident's language (the procedure names from the
`templates` catalogue, the routing text from the office's settings); the fixed texts of the
page come from the `printing` catalogue.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, Unpack

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from forms.era import to_japanese
from forms.furigana import default_reader, has_kanji
from forms.i18n import Domain, language
from printing.errors import ValueDoesNotFit
from printing.fonts import FontChain
from printing.language_fonts import DocumentFonts, marked_content
from printing.slip import DEFAULT_OFFICE

PRINTING_DOMAIN = Domain("printing", Path(__file__).resolve().parent / "locale")
MARGIN = 18 * mm
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)  # the page shrinks its type to stay one page
RUBY_RATIO = 0.5


@dataclass(frozen=True)
class SummaryProcedure:
    name: str  # in the resident's language
    name_ja: str  # the legal name, as on the form
    fee_yen: int = 0
    where: str = ""  # where to go, in the resident's language
    bring: tuple[str, ...] = ()  # what to bring next time, in the resident's language


@dataclass(frozen=True)
class SummaryPage:
    language: str
    reception_number: str
    issued_at: dt.datetime  # aware, in the office's zone
    procedures: tuple[SummaryProcedure, ...]
    office_name: str = DEFAULT_OFFICE

    def __post_init__(self) -> None:
        language(self.language)  # UnknownLanguage for anything not offered


@dataclass
class _Line:
    text: str
    size: float
    japanese: bool = False  # drawn in the Japanese chain (IPAex), not the resident's
    indent: float = 0.0
    right: str = ""  # a text flush right on the same line (a fee)
    gap_before: float = 0.0
    rule: bool = False  # a line under it
    ruby: bool = False  # furigana above the kanji (やさしい日本語)


class _LineStyle(TypedDict, total=False):
    """`_Line`'s optional fields, as `_Page.add` takes them."""

    japanese: bool
    indent: float
    right: str
    gap_before: float
    rule: bool
    ruby: bool


@dataclass
class _Page:
    lines: list[_Line] = field(default_factory=list)

    def add(self, text: str, size: float, **kw: Unpack[_LineStyle]) -> None:
        self.lines.append(_Line(text, size, **kw))


def _t(code: str, key: str, **values: object) -> str:
    return PRINTING_DOMAIN.text(code, key, **values)


def _yen(code: str, amount: int) -> str:
    return _t(code, "summary.yen", amount=amount) if amount else _t(code, "summary.free")


def _content(page: SummaryPage) -> _Page:
    """The page's lines before wrapping, sizes at scale 1."""
    code = page.language
    japanese_page = code in {"ja", "ja-easy"}
    ruby = language(code).ruby
    out = _Page()

    def heading(key: str, gap: float) -> None:
        out.add(_t(code, key), 15, gap_before=gap, ruby=ruby)
        if not japanese_page:
            out.add(_t("ja", key), 8.5, japanese=True)

    out.add(page.office_name, 10, japanese=True)
    out.add(_t(code, "summary.title"), 24, gap_before=4, ruby=ruby)
    if code != "ja":
        out.add(_t("ja", "summary.title"), 10, japanese=True)
    out.add(f"{_t(code, 'summary.number')}  {page.reception_number}", 26, gap_before=8, ruby=ruby)
    at = page.issued_at
    when = f"{at:%Y-%m-%d %H:%M}"
    if code == "ja":
        when = f"{to_japanese(at.date(), western=True)} {at:%H:%M}"
    elif code == "ja-easy":  # the guideline: dates written plainly, Western year
        when = f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    out.add(f"{_t(code, 'summary.date')}  {when}", 11, ruby=ruby)
    out.add(_t(code, "summary.lead"), 12, gap_before=6, ruby=ruby)

    heading("summary.applied", 10)
    for p in page.procedures:
        out.add(p.name, 13, indent=4, gap_before=4, right=_yen(code, p.fee_yen), ruby=ruby)
        if p.name_ja != p.name:
            out.add(p.name_ja, 9, japanese=True, indent=4)
    total = sum(p.fee_yen for p in page.procedures)
    out.add(
        _t(code, "summary.total", fee=_yen(code, total)), 12, gap_before=4, rule=True, ruby=ruby
    )

    heading("summary.where", 12)
    for p in page.procedures:
        if p.where:
            out.add(f"{p.name}: {p.where}", 12, indent=4, gap_before=3, ruby=ruby)

    heading("summary.bring", 12)
    things = list(dict.fromkeys(b for p in page.procedures for b in p.bring))
    for thing in things or [_t(code, "summary.nothing")]:
        out.add(
            f"・{thing}" if japanese_page else f"• {thing}", 12, indent=4, gap_before=2, ruby=ruby
        )

    out.add(_t(code, "summary.footer"), 12, gap_before=12, ruby=ruby)
    if not japanese_page:
        out.add(_t("ja", "summary.footer"), 9, japanese=True)
    return out


# ---- line breaking ---------------------------------------------------------------------------

_CLOSING = "、。，．）」』】〕！？：；,.)!?:;ー"
# One unit: a run of Latin letters or digits (with its trailing space), or one other character
# with any closing punctuation after it.
_UNITS = re.compile(rf"[0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’\-/.,:]+\s*|\S[{_CLOSING}]*\s*|\s+")


def _units(text: str, spaced: bool) -> list[str]:
    if spaced:
        return re.findall(r"\S+\s*|\s+", text)
    return _UNITS.findall(text)


def _wrap(
    fonts: DocumentFonts, chain: FontChain, text: str, *, size: float, room: float, spaced: bool
) -> list[str]:
    lines: list[str] = []
    current = ""
    for unit in _units(text, spaced):
        trial = current + unit
        if current and fonts.width(chain, trial.rstrip(), size) > room:
            lines.append(current.rstrip())
            current = unit.lstrip()
        else:
            current = trial
        while fonts.width(chain, current.rstrip(), size) > room and len(current) > 1:
            cut = len(current) - 1  # a unit wider than the line: break inside it
            while cut > 1 and fonts.width(chain, current[:cut], size) > room:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


# ---- drawing ---------------------------------------------------------------------------------


@dataclass
class _Placed:
    text: str
    size: float
    chain: FontChain
    x: float
    baseline: float  # distance from the top of the content box
    right: str = ""
    rule: bool = False
    ruby: bool = False
    ruby_room: float = 0.0


def _place(
    fonts: DocumentFonts, content: _Page, scale: float, spaced: bool
) -> tuple[list[_Placed], float]:
    width = A4[0] - 2 * MARGIN
    placed: list[_Placed] = []
    y = 0.0
    for line in content.lines:
        size = line.size * scale
        chain = fonts.japanese if line.japanese else fonts.resident
        right_room = fonts.width(chain, line.right, size) + 6 * mm if line.right else 0.0
        room = width - line.indent * mm - right_room
        y += line.gap_before * mm * scale
        ruby_room = size * RUBY_RATIO if line.ruby else 0.0
        wrapped = _wrap(
            fonts, chain, line.text, size=size, room=room, spaced=spaced and not line.japanese
        )
        for n, text in enumerate(wrapped):
            y += ruby_room + size * 1.25
            placed.append(
                _Placed(
                    text,
                    size,
                    chain,
                    line.indent * mm,
                    y,
                    right=line.right if n == 0 else "",
                    rule=line.rule and n == 0,
                    ruby=line.ruby,
                    ruby_room=ruby_room,
                )
            )
        y += size * 0.25
    return placed, y


def render_summary(page: SummaryPage) -> bytes:
    """One A4 page, PDF bytes; raises ValueDoesNotFit if even the smallest type overflows."""
    content = _content(page)
    spaced = page.language not in {"ja", "zh-Hans"}  # ja-easy is written with spaces
    every_text = "".join(line.text + line.right for line in content.lines) + "0123456789:-• "
    with DocumentFonts(page.language, [every_text]) as fonts:
        for scale in SCALES:
            placed, height = _place(fonts, content, scale, spaced)
            if height <= A4[1] - 2 * MARGIN:
                return _draw(page, fonts, placed)
    raise ValueDoesNotFit("summary")


def _draw(page: SummaryPage, fonts: DocumentFonts, placed: list[_Placed]) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, pageCompression=1, lang=language(page.language).html_lang)
    c.setTitle(_t(page.language, "summary.title"))
    c.setCreator("Madoguchi")
    top = A4[1] - MARGIN
    right_edge = A4[0] - MARGIN
    for item in placed:
        y = top - item.baseline
        if item.ruby:
            _draw_ruby_line(c, fonts, item, MARGIN + item.x, y)
        else:
            t = c.beginText(MARGIN + item.x, y)
            fonts.draw(t, item.chain, item.text, item.size)
            c.drawText(t)
        if item.right:
            w = fonts.width(item.chain, item.right, item.size)
            t = c.beginText(right_edge - w, y)
            fonts.draw(t, item.chain, item.right, item.size)
            c.drawText(t)
        if item.rule:  # above the line (and its ruby): it closes the list before a total
            rule_y = y + item.size * 1.05 + item.ruby_room
            c.setLineWidth(0.5)
            c.line(MARGIN, rule_y, right_edge, rule_y)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _draw_ruby_line(c: Canvas, fonts: DocumentFonts, item: _Placed, x: float, y: float) -> None:
    """Base text on the baseline, each reading centred above its kanji at 45 % size."""
    ruby_size = item.size * RUBY_RATIO
    for base, reading in _ruby_segments(item.text):
        width = fonts.width(item.chain, base, item.size)
        t = c.beginText(x, y)
        fonts.draw(t, item.chain, base, item.size)
        c.drawText(t)
        if reading:
            rw = fonts.width(item.chain, reading, ruby_size)
            t = c.beginText(x + (width - rw) / 2, y + item.size * 0.92)
            # An empty /ActualText: copy, search and pdftotext give the base text alone.
            marked_content(t, "/Span <</ActualText <FEFF>>> BDC")
            fonts.draw(t, item.chain, reading, ruby_size)
            marked_content(t, "EMC")
            c.drawText(t)
        x += width


def _ruby_segments(text: str) -> Iterator[tuple[str, str | None]]:
    if not has_kanji(text):
        yield text, None
        return
    for segment in default_reader().segments(text):
        yield segment.base, segment.reading
