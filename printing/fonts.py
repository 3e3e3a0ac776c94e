"""Embedded TrueType fonts with a per-character fallback chain.

Normal text prints in IPAex (Debian `fonts-ipaexfont`): Mincho for values, Gothic for labels.
Characters IPAex lacks (𠮷 U+20BB7 and the rest of the family-register set) fall back to
IPAmj明朝 (`fonts-ipamj-mincho`), then HanaMin A/B (`fonts-hanazono`) when installed. A value
is split into runs, each drawn in the first font of the chain that has every character of it.
A character no font has raises `GlyphMissing` naming the field: never a silent box.

Variation selectors (U+FE00–FE0F, U+E0100–E01EF: e.g. 辻 + U+E0100 for the one-dot form)
cannot be selected through reportlab, which has no cmap format 14 support and would print the
selector itself as a box. They are stripped before drawing and counted in `Shaped.stripped`;
the renderer reports the count per field (never the characters) so an operator can see that
a glyph variant printed as its base character.

Importing this module applies the ToUnicode fix for non-BMP characters (`printing.tounicode`)
and a copy-free view of the glyph table for subsetting (`printing.glyf_view`).
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from printing import glyf_view, tounicode
from printing.errors import FontNotFound, GlyphMissing

tounicode.apply()
glyf_view.apply()


@dataclass(frozen=True)
class FontFile:
    name: str  # the name registered with reportlab
    file_name: str
    package: str  # the Debian package that ships it
    required: bool


MINCHO = FontFile("Madoguchi-IPAexMincho", "ipaexm.ttf", "fonts-ipaexfont", True)
GOTHIC = FontFile("Madoguchi-IPAexGothic", "ipaexg.ttf", "fonts-ipaexfont", True)
IPAMJ = FontFile("Madoguchi-IPAmjMincho", "ipamjm.ttf", "fonts-ipamj-mincho", True)
HANAMIN_A = FontFile("Madoguchi-HanaMinA", "HanaMinA.ttf", "fonts-hanazono", False)
HANAMIN_B = FontFile("Madoguchi-HanaMinB", "HanaMinB.ttf", "fonts-hanazono", False)
FALLBACKS = (IPAMJ, HANAMIN_A, HANAMIN_B)

# Where Debian puts them (`dpkg -L`); other systems are searched under FONT_DIRS.
KNOWN_PATHS = {
    "ipaexm.ttf": "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "ipaexg.ttf": "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "ipamjm.ttf": "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",
    "HanaMinA.ttf": "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "HanaMinB.ttf": "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
}
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
FONT_DIRS_ENV = "MADOGUCHI_FONT_DIRS"  # extra folders, os.pathsep-separated, searched first


def is_variation_selector(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def find_font_file(file_name: str) -> Path | None:
    extra = [d for d in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if d]
    for folder in extra:
        hit = next(Path(folder).rglob(file_name), None)
        if hit is not None:
            return hit
    known = Path(KNOWN_PATHS.get(file_name, "/nonexistent"))
    if known.is_file():
        return known
    for folder in FONT_DIRS:
        if Path(folder).is_dir():
            hit = next(Path(folder).rglob(file_name), None)
            if hit is not None:
                return hit
    return None


@dataclass(frozen=True)
class Run:
    font: str
    text: str


@dataclass(frozen=True)
class Shaped:
    """A value split into runs by font coverage."""

    runs: tuple[Run, ...]
    stripped: int = 0  # variation selectors removed

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def width(self, size: float) -> float:
        return sum(pdfmetrics.stringWidth(r.text, r.font, size) for r in self.runs)


class FontChain:
    """The fonts to try, in order, for one role (values or labels)."""

    def __init__(self, fonts: list[TTFont]) -> None:
        self.fonts = fonts
        self._cmaps = [f.face.charToGlyph for f in fonts]
        self._widths: dict[str, float] = {}

    @property
    def primary(self) -> str:
        return self.fonts[0].fontName

    def font_for(self, ch: str) -> str | None:
        cp = ord(ch)
        for font, cmap in zip(self.fonts, self._cmaps, strict=True):
            if cp in cmap:
                return font.fontName
        return None

    def shape(self, text: str, ref: str) -> Shaped:
        """Split `text` into runs; raises GlyphMissing (naming `ref`) for an unprintable char."""
        runs: list[Run] = []
        stripped = 0
        current_font: str | None = None
        buf: list[str] = []
        for position, original in enumerate(text, 1):
            if is_variation_selector(original):
                stripped += 1
                continue
            ch = " " if original == "\t" else original
            if ch == "\r":
                continue  # CRLF → LF; a line break is "\n", which the fitter splits on
            font: str | None
            if ch == "\n":
                font = current_font or self.primary
            else:
                control = ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0
                font = None if control else self.font_for(ch)
            if font is None:
                raise GlyphMissing(ref, position)
            if font != current_font and current_font is not None:
                runs.append(Run(current_font, "".join(buf)))
                buf = []
            current_font = font
            buf.append(ch)
        if current_font is not None:
            runs.append(Run(current_font, "".join(buf)))
        return Shaped(tuple(runs), stripped)

    def char_width(self, ch: str) -> float:
        """Advance width of one character at size 1 (in points)."""
        width = self._widths.get(ch)
        if width is None:
            font = self.font_for(ch) or self.primary
            width = self._widths[ch] = pdfmetrics.stringWidth(ch, font, 1.0)
        return width

    @property
    def ascent(self) -> float:
        """Highest ascent of the chain's fonts, as a fraction of the size."""
        return max(f.face.ascent for f in self.fonts) / 1000.0

    @property
    def descent(self) -> float:
        """Deepest descent of the chain's fonts, positive, as a fraction of the size."""
        return max(-f.face.descent for f in self.fonts) / 1000.0


@dataclass(frozen=True)
class FontSet:
    values: FontChain  # Mincho first: what the resident entered
    labels: FontChain  # Gothic first: headers, labels, the slip


_lock = threading.Lock()


def _register(spec: FontFile) -> TTFont | None:
    try:
        return pdfmetrics.getFont(spec.name)  # type: ignore[return-value]  # registered by us: a TTFont
    except KeyError:
        pass
    path = find_font_file(spec.file_name)
    if path is None:
        if spec.required:
            raise FontNotFound(spec.file_name, spec.package)
        return None
    font = TTFont(spec.name, str(path))
    pdfmetrics.registerFont(font)
    return font


@functools.cache
def default_fonts() -> FontSet:
    """Find and register the fonts once per process (reportlab's registry is process-wide)."""
    with _lock:
        fallbacks = [f for f in (_register(s) for s in FALLBACKS) if f is not None]
        mincho = _register(MINCHO)
        gothic = _register(GOTHIC)
    assert mincho is not None and gothic is not None  # required fonts raise instead
    return FontSet(FontChain([mincho, *fallbacks]), FontChain([gothic, *fallbacks]))
