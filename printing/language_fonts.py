"""Fonts for text in the resident's language, embedded in the PDF.

| language | font (Debian package) |
| --- | --- |
| ja, ja-easy | IPAex Gothic (`fonts-ipaexfont`), as the rest of printing |
| en, pt, fil, id, vi | Noto Sans (`fonts-noto-core`): Latin with Vietnamese diacritics |
| zh-Hans | Noto Sans CJK SC (`fonts-noto-cjk`), converted per document (`printing.cff_fonts`) |
| ko | Noto Sans CJK KR (`fonts-noto-cjk`), likewise |
| ne | Noto Sans Devanagari (`fonts-noto-core`), shaped with HarfBuzz |

Devanagari needs shaping: conjuncts (क्ष, प्र, श्री), the reph (र्) and vowel signs placed
around their consonant. reportlab (4.2+) shapes TrueType text through `uharfbuzz` when it is
installed, but only in its paragraph and bidi paths; we call its `shapeStr` ourselves for the
runs in a font that needs it. A shaped run draws glyphs that have no Unicode character of
their own (ligatures), so each one is wrapped in a marked-content span with `/ActualText`:
copy, search and `pdftotext` give back the original text.

Japanese text on the same page (the legal names of the procedures, the office) keeps IPAex
Gothic: `DocumentFonts.japanese`.
"""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr
from reportlab.pdfgen.textobject import PDFTextObject

from printing.cff_fonts import truetype_subset
from printing.errors import FontNotFound
from printing.fonts import FontChain, default_fonts, find_font_file


@dataclass(frozen=True)
class ScriptFont:
    file_name: str
    package: str
    family: str = ""  # for a collection (.ttc): the face's full name
    shaping: bool = False

    @property
    def collection(self) -> bool:
        return self.file_name.endswith(".ttc")


NOTO_SANS = ScriptFont("NotoSans-Regular.ttf", "fonts-noto-core")
NOTO_DEVANAGARI = ScriptFont("NotoSansDevanagari-Regular.ttf", "fonts-noto-core", shaping=True)
NOTO_CJK_SC = ScriptFont("NotoSansCJK-Regular.ttc", "fonts-noto-cjk", "Noto Sans CJK SC")
NOTO_CJK_KR = ScriptFont("NotoSansCJK-Regular.ttc", "fonts-noto-cjk", "Noto Sans CJK KR")

LANGUAGE_FONTS: dict[str, ScriptFont | None] = {
    "ja": None,
    "ja-easy": None,
    "en": NOTO_SANS,
    "pt": NOTO_SANS,
    "fil": NOTO_SANS,
    "id": NOTO_SANS,
    "vi": NOTO_SANS,
    "zh-Hans": NOTO_CJK_SC,
    "ko": NOTO_CJK_KR,
    "ne": NOTO_DEVANAGARI,
}

_lock = threading.Lock()


def _font_path(spec: ScriptFont) -> Path:
    path = find_font_file(spec.file_name)
    if path is None:
        raise FontNotFound(spec.file_name, spec.package)
    return path


def _static_font(spec: ScriptFont) -> TTFont:
    """A TrueType font, registered once per process."""
    name = f"Madoguchi-{Path(spec.file_name).stem}"
    with _lock:
        try:
            return pdfmetrics.getFont(name)  # type: ignore[return-value]  # registered by us: a TTFont
        except KeyError:
            font = TTFont(name, str(_font_path(spec)))
            pdfmetrics.registerFont(font)
            return font


def _face_number(path: Path, family: str) -> int:
    collection = TTCollection(str(path), lazy=True)
    for number, face in enumerate(collection.fonts):
        if face["name"].getDebugName(4) == family:
            return number
    raise FontNotFound(f"{path.name} ({family})", "fonts-noto-cjk")


def marked_content(t: PDFTextObject, operator: str) -> None:
    """A marked-content operator (`/Span … BDC`, `EMC`) written into a text object as is."""
    t._code.append(operator)  # type: ignore[attr-defined]  # reportlab's own operator list, left out of its stubs


class DocumentFonts:
    """The font chains of one document in one language. Fonts cut for this document are
    unregistered by `close()` (use it as a context manager), so a kiosk printing all day does
    not grow reportlab's process-wide registry."""

    def __init__(self, language: str, texts: Iterable[str]) -> None:
        base = default_fonts().labels
        self.japanese: FontChain = base
        self.shaped: frozenset[str] = frozenset()
        self._own: list[TTFont] = []
        spec = LANGUAGE_FONTS[language]
        if spec is None:
            self.resident = base
            return
        if spec.collection:
            path = _font_path(spec)
            text = "".join(texts)
            data = truetype_subset(path, _face_number(path, spec.family), text)
            name = f"Madoguchi-{spec.family.replace(' ', '')}-{uuid.uuid4().hex[:12]}"
            font = TTFont(name, io.BytesIO(data))
            pdfmetrics.registerFont(font)
            self._own.append(font)
        else:
            font = _static_font(spec)
        if spec.shaping:
            self.shaped = frozenset({font.fontName})
        self.resident = FontChain([font, *base.fonts])

    def close(self) -> None:
        for font in self._own:
            font.unregister()
        self._own.clear()

    def __enter__(self) -> DocumentFonts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- measuring and drawing ----------------------------------------------------------------

    def width(self, chain: FontChain, text: str, size: float, ref: str = "text") -> float:
        total = 0.0
        for run in chain.shape(text, ref).runs:
            if run.font in self.shaped:
                shaped = shapeStr(run.text, run.font, size)
                data = getattr(shaped, "__shapeData__", None)
                if data is not None:
                    total += sum(d.x_advance for d in data) * size / 1000
                    continue
            total += pdfmetrics.stringWidth(run.text, run.font, size)
        return total

    def draw(
        self, t: PDFTextObject, chain: FontChain, text: str, size: float, ref: str = "text"
    ) -> None:
        """Write `text` into a text object at its current position, run by run."""
        for run in chain.shape(text, ref).runs:
            t.setFont(run.font, size)
            if run.font in self.shaped:
                actual = run.text.encode("utf-16-be").hex().upper()
                marked_content(t, f"/Span <</ActualText <FEFF{actual}>>> BDC")
                t.textOut(shapeStr(run.text, run.font, size))
                marked_content(t, "EMC")
            else:
                t.textOut(run.text)
