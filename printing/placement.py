"""Where the data QR goes: a free square on the page, found by looking, not assumed.

Templates are drawn by admins and change between versions; rather than forbid a fixed corner
to every layout, we look for the first square that touches no box, label or line, scanning
from the bottom-right corner leftwards, then upwards. Every coordinate here is mm from the
page's top-left corner, as in the template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from forms.template import A4, Page

EDGE = 6.0  # mm kept clear at the paper's edge (printers cannot print there)
HEADER_BOTTOM = 10.0  # the printed header's band: y < 10 mm
FOOTER_TOP = 289.0  # the page number's line: y > 289 mm, 40 mm wide at the centre
GAP = 1.5  # mm between the QR's quiet zone and anything else
STEP = 2.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def intersects(self, other: Rect) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


def occupied(page: Page, text_width_mm: Callable[[str, float], float]) -> list[Rect]:
    """Everything the template draws on `page`, as rectangles (labels measured, lines padded)."""
    rects = [Rect(b.x, b.y, b.w, b.h) for b in page.boxes]
    for t in page.texts:
        width = text_width_mm(t.text, t.size)
        height = t.size * 25.4 / 72  # one em, in mm
        left = {"left": t.x, "center": t.x - width / 2, "right": t.x - width}[t.align]
        rects.append(Rect(left, t.y - height * 0.88, width, height))
    for ln in page.lines:
        pad = ln.width * 25.4 / 72
        x, y = min(ln.x1, ln.x2) - pad, min(ln.y1, ln.y2) - pad
        rects.append(Rect(x, y, abs(ln.x2 - ln.x1) + 2 * pad, abs(ln.y2 - ln.y1) + 2 * pad))
    return rects


def reserved() -> list[Rect]:
    """What the renderer itself prints on every page: the header band and the page number."""
    width, _ = A4
    return [
        Rect(0, 0, width, HEADER_BOTTOM),
        Rect(width / 2 - 20, FOOTER_TOP, 40, A4[1] - FOOTER_TOP),
    ]


def find_free_square(size: float, taken: list[Rect]) -> Rect | None:
    """The first free `size` square from the bottom-right corner, or None if the page is full."""
    width, height = A4
    grown = [Rect(r.x - GAP, r.y - GAP, r.w + 2 * GAP, r.h + 2 * GAP) for r in taken]
    grown.extend(reserved())
    y = height - EDGE - size
    while y >= HEADER_BOTTOM:
        x = width - EDGE - size
        while x >= EDGE:
            candidate = Rect(x, y, size, size)
            if not any(candidate.intersects(r) for r in grown):
                return candidate
            x -= STEP
        y -= STEP
    return None
