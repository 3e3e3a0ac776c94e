"""Rendering an application (one or more filled forms) to one PDF, following each layout.

Each page gets, besides the template's own boxes, labels and lines:
- a header band (y < 10 mm) with the procedure and the reception number (and the time),
- a footer band (y > 289 mm) with the page number of the whole application,
- when the caller gives `data_qr`, a numeric-mode QR of the application's data in the first
  free square from the bottom-right corner (see `printing.placement`).

Values are fitted to their boxes (`printing.fit`): shrink, then wrap, else `ValueDoesNotFit`.
Fonts are embedded subsets with a per-character fallback (`printing.fonts`); a character no
font has raises `GlyphMissing` naming the field. Nothing of the record reaches a log line or
the PDF's metadata: the title is the procedure's name.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from forms.era import to_japanese
from forms.fill import FilledForm
from forms.template import A4, Box, Page, StaticText
from printing.errors import BadSignatureImage, LayoutConflict
from printing.fit import Fitted, fit_text
from printing.fonts import FontChain, FontSet, Shaped, default_fonts
from printing.placement import FOOTER_TOP, HEADER_BOTTOM, Rect, find_free_square, occupied
from printing.qr_stamp import Matrix, draw_matrix, numeric_matrix

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4[0] * mm, A4[1] * mm
BORDER_WIDTH = 0.5  # pt
HEADER_SIZE = 8.0
FOOTER_SIZE = 7.0
# Module sizes to try, largest first: 0.33 mm is 4 dots at 300 dpi, comfortable for a counter
# scanner reading paper; 0.25 mm (3 dots) is the smallest we print, for crowded layouts.
QR_MODULES_MM = (0.33, 0.3, 0.27, 0.25)
QR_MIN_MM = 20.0

DataQr = Callable[[FilledForm], str]


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    # ref → variation selectors stripped (counts only: never the characters)
    stripped_selectors: dict[str, int] = field(default_factory=dict)


def render_application(
    forms: list[FilledForm],
    *,
    reception_number: str,
    signature_png: bytes | None = None,
    data_qr: DataQr | None = None,
    issued_at: dt.datetime | None = None,
) -> bytes:
    """One PDF with every form of the application, each following its template's layout."""
    return render_application_detailed(
        forms,
        reception_number=reception_number,
        signature_png=signature_png,
        data_qr=data_qr,
        issued_at=issued_at,
    ).pdf


def render_application_detailed(
    forms: list[FilledForm],
    *,
    reception_number: str,
    signature_png: bytes | None = None,
    data_qr: DataQr | None = None,
    issued_at: dt.datetime | None = None,
    fonts: FontSet | None = None,
    first_page: int = 1,
    total_pages: int | None = None,
) -> Rendered:
    """`render_application` plus the page count and what was stripped, for callers that log.

    `first_page` and `total_pages` number the pages within a larger application, when its
    forms are rendered one by one (`render_each`)."""
    if not forms:
        raise ValueError("render_application needs at least one form")
    fonts = fonts or default_fonts()
    total = total_pages or sum(len(f.template.layout.pages) for f in forms)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    canvas.setTitle(" / ".join(f.template.title.ja for f in forms))
    canvas.setCreator("Madoguchi")
    canvas.setAuthor("")
    painter = _Painter(canvas, fonts, signature_png)
    number = first_page - 1
    for form in forms:
        matrix = numeric_matrix(data_qr(form)) if data_qr is not None else None
        for page_index, page in enumerate(form.template.layout.pages):
            number += 1
            _check_bands(form, page_index, page)
            painter.page(
                form,
                page,
                header=_header(form, reception_number, issued_at),
                footer=f"{number} / {total}",
                qr=matrix,
            )
            canvas.showPage()
    canvas.save()
    for ref, count in painter.stripped.items():
        log.info("printed %d variation selector(s) of field %s as the base character", count, ref)
    return Rendered(buffer.getvalue(), number - first_page + 1, dict(painter.stripped))


def render_each(
    forms: list[FilledForm],
    *,
    reception_number: str,
    signature_png: bytes | None = None,
    data_qr: DataQr | None = None,
    issued_at: dt.datetime | None = None,
) -> list[bytes]:
    """Each form's own PDF, rendered once, its pages numbered within the whole application
    ("3 / 5"), so the forms joined (`join_pdfs`) are exactly the application as printed."""
    total = sum(len(f.template.layout.pages) for f in forms)
    out: list[bytes] = []
    first = 1
    for form in forms:
        out.append(
            render_application_detailed(
                [form],
                reception_number=reception_number,
                signature_png=signature_png,
                data_qr=data_qr,
                issued_at=issued_at,
                first_page=first,
                total_pages=total,
            ).pdf
        )
        first += len(form.template.layout.pages)
    return out


def join_pdfs(pdfs: list[bytes], *, title: str) -> bytes:
    """The documents one after another, as one PDF (pypdf; fonts stay embedded per page)."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": title, "/Creator": "Madoguchi", "/Author": ""})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _header(form: FilledForm, reception_number: str, issued_at: dt.datetime | None) -> str:
    text = f"受付番号 {reception_number}"
    if issued_at is not None:
        text += f"　{to_japanese(issued_at.date())} {issued_at:%H:%M}"
    return text


def _check_bands(form: FilledForm, page_index: int, page: Page) -> None:
    """Boxes must leave the header and footer bands free (labels and lines may touch them)."""
    problems = [
        f"layout.pages[{page_index + 1}]: {box.field}"
        for box in page.boxes
        if box.y < HEADER_BOTTOM or box.y + box.h > FOOTER_TOP
    ]
    if problems:
        raise LayoutConflict(form.template.key, problems)


def qr_side_mm(matrix: Matrix, module_mm: float) -> float:
    """The printed side of the QR with its quiet zone, for a module of `module_mm`."""
    return max(QR_MIN_MM, (len(matrix) + 8) * module_mm)


class _Painter:
    """Draws pages on one canvas; keeps per-document state (signature image, counts)."""

    def __init__(self, canvas: Canvas, fonts: FontSet, signature_png: bytes | None) -> None:
        self.c = canvas
        self.fonts = fonts
        self.signature_png = signature_png
        self.stripped: dict[str, int] = {}
        self._images: dict[bytes, ImageReader] = {}

    # --- page -------------------------------------------------------------------------
    def page(
        self,
        form: FilledForm,
        page: Page,
        *,
        header: str,
        footer: str,
        qr: Matrix | None,
    ) -> None:
        c = self.c
        c.setLineWidth(BORDER_WIDTH)
        c.setStrokeColorRGB(0, 0, 0)
        for ln in page.lines:
            c.setLineWidth(ln.width)
            c.line(ln.x1 * mm, _y(ln.y1), ln.x2 * mm, _y(ln.y2))
        for n, text in enumerate(page.texts):
            self.static_text(text, f"layout.texts[{n}]")
        for box in page.boxes:
            self.box(form, box)
        self.bands(form, header, footer)
        if qr is not None:
            self.data_qr(form, page, qr)

    def bands(self, form: FilledForm, header: str, footer: str) -> None:
        labels = self.fonts.labels
        title = labels.shape(f"{form.template.title.ja}（{form.template.key}）", "template.title")
        self.line_at(title, labels, 10 * mm, _y(6.5), size=HEADER_SIZE, align="left")
        right = labels.shape(header, "reception_number")
        self.line_at(right, labels, PAGE_W - 10 * mm, _y(6.5), size=HEADER_SIZE, align="right")
        page_number = labels.shape(footer, "page")
        self.line_at(page_number, labels, PAGE_W / 2, _y(293.5), size=FOOTER_SIZE, align="center")

    def data_qr(self, form: FilledForm, page: Page, matrix: Matrix) -> None:
        labels = self.fonts.labels
        taken = occupied(page, lambda t, s: labels.shape(t, "").width(s) / mm)
        for module in QR_MODULES_MM:
            side = qr_side_mm(matrix, module)
            spot = find_free_square(side, taken)
            if spot is not None:
                draw_matrix(self.c, matrix, spot.x * mm, _y(spot.y + spot.h), spot.w * mm)
                return
        raise LayoutConflict(
            form.template.key,
            [
                f"データQR {side:.0f} mm 角の空きがありません / no free {side:.0f} mm square for the data QR"
            ],
        )

    # --- texts ------------------------------------------------------------------------
    def static_text(self, text: StaticText, ref: str) -> None:
        shaped = self.fonts.labels.shape(text.text, ref)
        self.line_at(
            shaped,
            self.fonts.labels,
            text.x * mm,
            _y(text.y),
            size=text.size,
            align=text.align,
            bold=text.bold,
        )

    def line_at(
        self,
        shaped: Shaped,
        chain: FontChain,
        x: float,
        baseline: float,
        *,
        size: float,
        align: str,
        bold: bool = False,
    ) -> None:
        width = shaped.width(size)
        start = {"left": x, "center": x - width / 2, "right": x - width}[align]
        t = self.c.beginText()
        t.setTextOrigin(start, baseline)
        if bold:  # IPAex has no bold face: fill and stroke the outline instead
            t.setTextRenderMode(2)
            self.c.setLineWidth(size * 0.03)
        for run in shaped.runs:
            t.setFont(run.font, size)
            t.textOut(run.text)
        self.c.drawText(t)
        if bold:
            self.c.setLineWidth(BORDER_WIDTH)

    # --- boxes ------------------------------------------------------------------------
    def box(self, form: FilledForm, box: Box) -> None:
        c = self.c
        rect = Rect(box.x, box.y, box.w, box.h)
        if box.border:
            c.setLineWidth(BORDER_WIDTH)
            c.rect(rect.x * mm, _y(rect.y + rect.h), rect.w * mm, rect.h * mm, stroke=1, fill=0)
        spec, _, _ = form.template.resolve_ref(box.field)
        value = form.values.get(box.field)
        if box.option is not None:
            if _chosen(value, box.option):
                self.check_mark(rect)
            return
        if spec.type == "checkbox":
            if value is True:
                self.check_mark(rect)
            return
        if spec.type == "signature":
            png = self.signature_png or value
            if png:
                self.image(png, rect)
            return
        self.value(form.text(box.field, box.part), box)

    def value(self, text: str, box: Box) -> None:
        if not text:
            return
        chain = self.fonts.values
        shaped = chain.shape(text, box.field)
        if shaped.stripped:
            self.stripped[box.field] = self.stripped.get(box.field, 0) + shaped.stripped
        pad_x = min(1.0, box.w * 0.08) * mm
        pad_y = min(0.5, box.h * 0.08) * mm
        inner_w = box.w * mm - 2 * pad_x
        inner_h = box.h * mm - 2 * pad_y
        fitted = fit_text(
            shaped,
            chain,
            width=inner_w,
            height=inner_h,
            size=box.size,
            min_size=box.min_size,
            mode=box.fit,
            ref=box.field,
        )
        self.lines(fitted, chain, box, pad_x, inner_h)

    def lines(
        self, fitted: Fitted, chain: FontChain, box: Box, pad_x: float, inner_h: float
    ) -> None:
        # Centre the block vertically; each line's glyphs span [baseline - descent, + ascent].
        top = _y(box.y) - (box.h * mm - fitted.height()) / 2
        left, right = box.x * mm + pad_x, (box.x + box.w) * mm - pad_x
        anchor = {"left": left, "center": (left + right) / 2, "right": right}[box.align]
        # pdfminer and viewers place a glyph's box at [baseline - descent, that + 1 em].
        above = 1.0 - chain.descent
        for n, line in enumerate(fitted.lines):
            baseline = top - fitted.size * above - n * fitted.leading
            self.line_at(line, chain, anchor, baseline, size=fitted.size, align=box.align)

    def check_mark(self, rect: Rect) -> None:
        """A vector ✓ inside the box (no font needed, prints on any device)."""
        c = self.c
        x, y, w, h = rect.x * mm, _y(rect.y + rect.h), rect.w * mm, rect.h * mm
        c.saveState()
        c.setLineWidth(max(0.6, min(w, h) * 0.12))
        c.setLineCap(1)
        c.setLineJoin(1)
        path = c.beginPath()
        path.moveTo(x + w * 0.18, y + h * 0.52)
        path.lineTo(x + w * 0.42, y + h * 0.22)
        path.lineTo(x + w * 0.84, y + h * 0.82)
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()

    def image(self, png: bytes, rect: Rect) -> None:
        reader = self._images.get(png)
        if reader is None:
            try:
                reader = ImageReader(io.BytesIO(png))
                reader.getSize()
            except Exception:  # PIL raises many types for a corrupt image
                raise BadSignatureImage() from None
            self._images[png] = reader
        pad = 0.5 * mm
        self.c.drawImage(
            reader,
            rect.x * mm + pad,
            _y(rect.y + rect.h) + pad,
            rect.w * mm - 2 * pad,
            rect.h * mm - 2 * pad,
            preserveAspectRatio=True,
            anchor="c",
            mask="auto",
        )


def _chosen(value: Any, option: str) -> bool:
    if isinstance(value, list):
        return option in value
    return value == option


def _y(mm_from_top: float) -> float:
    """Template y (mm from the top) → PDF y (points from the bottom)."""
    return PAGE_H - mm_from_top * mm
