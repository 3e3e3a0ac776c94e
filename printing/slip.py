"""The reception slip (受付票): an 80 mm receipt-printer page the resident takes to the counter.

It carries the call number the resident waits for ("A-023", large: the call board shows the
same), where to go for each procedure (counter and section), the reception number (also as a
QR code the staff terminal scans), the procedures with their fees and the total, and the time.
Without a call number (a kiosk that has none) the reception number is the large one. It
carries nothing personal: a slip left on the counter tells nobody who the resident is.

Its fixed texts come from the `printing` catalogue: Japanese first, then " / " and the
resident's language (English by default), each in its own font (`printing.language_fonts`).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from forms.clock import OfficeClock, office_clock
from forms.era import to_japanese
from forms.i18n import Domain
from printing.errors import ValueDoesNotFit
from printing.fonts import FontChain, default_fonts
from printing.language_fonts import DocumentFonts
from printing.qr_stamp import draw_matrix, text_matrix

SLIP_WIDTH_MM = 80.0
MARGIN_MM = 4.0
QR_MM = 28.0
DEFAULT_OFFICE = "千代田区役所 区民課"
SLIP_DOMAIN = Domain("printing", Path(__file__).resolve().parent / "locale")
Destination = tuple[str, str, str]  # counter ("3"), section (Japanese), section (resident's)


def render_slip(
    *,
    reception_number: str,
    procedures: list[tuple[str, int]],
    issued_at: dt.datetime,
    office_name: str = DEFAULT_OFFICE,
    language: str = "en",
    clock: OfficeClock | None = None,
    call_number: str | None = None,
    destinations: list[Destination] | None = None,
) -> bytes:
    """An 80 mm wide PDF; its height grows with the procedures and destinations. `language`
    is the resident's, shown after the Japanese (none when it is Japanese); `destinations`
    are (counter, section in Japanese, section in the resident's language).

    `issued_at` (aware) is printed on the office's wall clock (`clock`, default the process's).
    """
    from printing.language_fonts import DocumentFonts

    issued_at = (clock or office_clock()).local(issued_at)
    chain = default_fonts().labels
    second = "" if language in {"ja", "ja-easy"} else language
    keys = ("slip.title", "slip.number", "slip.total", "slip.wait", "slip.call", "slip.go_to")
    seconds = {k: SLIP_DOMAIN.text(second, k) for k in keys} if second else {}
    places = [
        (SLIP_DOMAIN.text("ja", "slip.counter", counter=c), section, other if second else "")
        for c, section, other in destinations or []
    ]
    with DocumentFonts(second or "ja", [*seconds.values(), *(p[2] for p in places)]) as fonts:
        return _render(
            chain,
            fonts.resident,
            fonts,
            seconds,
            reception_number=reception_number,
            procedures=procedures,
            issued_at=issued_at,
            office_name=office_name,
            call_number=call_number,
            places=places,
        )


def _render(
    chain: FontChain,
    second_chain: FontChain,
    fonts: DocumentFonts,
    seconds: dict[str, str],
    *,
    reception_number: str,
    procedures: list[tuple[str, int]],
    issued_at: dt.datetime,
    office_name: str,
    call_number: str | None,
    places: list[tuple[str, str, str]],
) -> bytes:
    rows = len(procedures)
    height_mm = 20 + 16 + 8 + 6 * rows + 10 + QR_MM + 14
    if call_number:
        height_mm += 10 + 8 + 11 * len(places)
    width, height = SLIP_WIDTH_MM * mm, height_mm * mm
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    c.setTitle("受付票")
    c.setCreator("Madoguchi")
    left, right = MARGIN_MM * mm, width - MARGIN_MM * mm
    y = height - 8 * mm

    def text(value: str, x: float, size: float, align: str = "left", ref: str = "slip") -> None:
        _draw(c, chain, value, x, y, size=size, align=align, ref=ref)

    def both(key: str, x: float, size: float, align: str = "left") -> None:
        pair = (SLIP_DOMAIN.text("ja", key), seconds.get(key, ""))
        _draw_pair(c, (chain, second_chain), fonts, pair, x=x, y=y, size=size, align=align)

    text(office_name, width / 2, 9, "center", "office_name")
    y -= 6 * mm
    both("slip.title", width / 2, 11, "center")
    y -= 6 * mm
    if call_number:
        y = _call_part(
            c,
            (chain, second_chain),
            fonts,
            seconds,
            y=y,
            box=(left, right, width),
            call_number=call_number,
            places=places,
            reception_number=reception_number,
        )
    else:
        both("slip.number", width / 2, 8, "center")
        y -= 12 * mm
        number_size = _fitting_size(chain, reception_number, right - left, "reception_number", 30.0)
        text(reception_number, width / 2, number_size, "center", "reception_number")
        y -= 8 * mm
    text(f"{to_japanese(issued_at.date(), western=True)} {issued_at:%H:%M}", width / 2, 8, "center")
    y -= 3 * mm
    c.setLineWidth(0.5)
    c.line(left, y, right, y)
    y -= 5 * mm
    for title, fee in procedures:
        fee_text = f"{fee:,}円"
        room = right - left - chain.shape(fee_text, "fee").width(9) - 3 * mm
        text(title, left, _fitting_size(chain, title, room, "procedure", 9.0), "left", "procedure")
        text(fee_text, right, 9, "right")
        y -= 6 * mm
    y += 2 * mm
    c.line(left, y, right, y)
    y -= 5 * mm
    both("slip.total", left, 10)
    text(f"{sum(fee for _, fee in procedures):,}円", right, 10, "right")
    y -= 4 * mm
    draw_matrix(
        c, text_matrix(reception_number), (width - QR_MM * mm) / 2, y - QR_MM * mm, QR_MM * mm
    )
    y -= QR_MM * mm + 5 * mm
    both("slip.wait", width / 2, 6.5, "center")
    c.showPage()
    c.save()
    return buffer.getvalue()


def _call_part(
    c: Canvas,
    chains: tuple[FontChain, FontChain],
    fonts: DocumentFonts,
    seconds: dict[str, str],
    *,
    y: float,
    box: tuple[float, float, float],
    call_number: str,
    places: list[tuple[str, str, str]],
    reception_number: str,
) -> float:
    """The call number, large; where to go; the reception number, small. Returns the new y."""
    left, right, width = box
    chain, second_chain = chains

    def text(value: str, x: float, size: float, align: str = "left", ref: str = "slip") -> None:
        _draw(c, chain, value, x, y, size=size, align=align, ref=ref)

    def both(key: str, x: float, size: float, align: str = "left") -> None:
        pair = (SLIP_DOMAIN.text("ja", key), seconds.get(key, ""))
        _draw_pair(c, (chain, second_chain), fonts, pair, x=x, y=y, size=size, align=align)

    both("slip.call", width / 2, 8, "center")
    y -= 12 * mm
    text(
        call_number,
        width / 2,
        _fitting_size(chain, call_number, right - left, "call_number", 30.0),
        "center",
        "call_number",
    )
    y -= 8 * mm
    both("slip.go_to", left, 8)
    for counter, section, other in places:
        y -= 5 * mm
        line = f"{counter}　{section}"
        text(line, left, _fitting_size(chain, line, right - left, "destination", 10.0))
        y -= 4 * mm
        if other:
            t = c.beginText(left + 3 * mm, y)
            fonts.draw(t, second_chain, other, 7, "destination")
            c.drawText(t)
        y -= 2 * mm
    y -= 6 * mm
    both("slip.number", left, 7)
    text(reception_number, right, 8, "right", "reception_number")
    return y - 6 * mm


def _draw_pair(
    c: Canvas,
    chains: tuple[FontChain, FontChain],
    fonts: DocumentFonts,
    pair: tuple[str, str],
    *,
    x: float,
    y: float,
    size: float,
    align: str,
) -> None:
    """The Japanese text, then " / " and the resident's language in its own font."""
    chain, second_chain = chains
    ja, other = pair
    if not other:
        _draw(c, chain, ja, x, y, size=size, align=align, ref="slip")
        return
    head = f"{ja} / "
    head_width = chain.shape(head, "slip").width(size)
    width = head_width + fonts.width(second_chain, other, size)
    start = {"left": x, "center": x - width / 2, "right": x - width}[align]
    _draw(c, chain, head, start, y, size=size, align="left", ref="slip")
    t = c.beginText(start + head_width, y)
    fonts.draw(t, second_chain, other, size, "slip")
    c.drawText(t)


def _fitting_size(chain: FontChain, value: str, room: float, ref: str, largest: float) -> float:
    """`largest` pt, or smaller down to 5 pt so the text stays inside `room` (a long procedure
    name never runs into its fee; a long reception number never runs off the slip)."""
    width = chain.shape(value, ref).width(1.0)
    size = min(largest, room / width) if width else largest
    if size < 5.0:
        raise ValueDoesNotFit(ref)
    return size


def _draw(
    c: Canvas,
    chain: FontChain,
    value: str,
    x: float,
    y: float,
    *,
    size: float,
    align: str,
    ref: str,
) -> None:
    shaped = chain.shape(value, ref)
    width = shaped.width(size)
    start = {"left": x, "center": x - width / 2, "right": x - width}[align]
    t = c.beginText()
    t.setTextOrigin(start, y)
    for run in shaped.runs:
        t.setFont(run.font, size)
        t.textOut(run.text)
    c.drawText(t)
