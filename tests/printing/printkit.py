"""Helpers for the printing tests: text and images out of PDFs, a stand-in data QR, a test form."""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
import zlib
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from forms.catalog import Catalog
from forms.fill import FilledForm, fill
from forms.sample_records import load_sample, sample_info, sample_names
from forms.template import Box, Template, parse_template

MM = 72 / 25.4
# The session's cups-pdf queues (see conftest.py).
QUEUE = "MADOGUCHI_TEST"
HELD_QUEUE = "MADOGUCHI_HELD"  # jobs wait forever: the timeout path
ABORT_QUEUE = "MADOGUCHI_ABORT"  # abort-job policy: a failing filter aborts the job
# Residents whose names must print and extract exactly.
RARE_NAMES = ("𠮷野\u3000髙子", "山﨑\u3000太郎")


def pdftotext_raw(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return out.stdout.decode("utf-8")


def page_count(pdf: bytes | Path) -> int:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return len(doc.pages)


def page_image(pdf: bytes, page: int, dpi: int = 300) -> Image.Image:
    """Page `page` (1-based) rasterised by pdfium (fast), as a scanner would see the paper."""
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page - 1].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()


def poppler_page_image(pdf: bytes, page: int, dpi: int = 300) -> Image.Image:
    """Page `page` (1-based) rasterised by poppler's pdftoppm (slower: ~1 s a page)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "in.pdf")
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-gray",
                "-png",
                "-singlefile",
                str(source),
                str(Path(folder, "page")),
            ],
            capture_output=True,
            check=True,
            timeout=60,
        )
        with Image.open(Path(folder, "page.png")) as image:
            return image.copy()


def decode_qr(image: Image.Image) -> list[str]:
    return [
        r.text
        for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        if r.valid
    ]


def stand_in_payload(form: FilledForm) -> dict[str, str]:
    """What the stand-in data QR carries: the template and every printed value."""
    values = {ref: form.text(ref) for ref in sorted(form.values)}
    return {"template": form.template.key, **values}


def stand_in_digits(form: FilledForm) -> str:
    """JSON → deflate → one big integer in decimal: digits only, exactly reversible."""
    data = zlib.compress(json.dumps(stand_in_payload(form), ensure_ascii=False).encode(), 9)
    return str(int.from_bytes(b"\x01" + data, "big"))


def payload_from_digits(digits: str) -> dict[str, str]:
    number = int(digits)
    data = number.to_bytes((number.bit_length() + 7) // 8, "big")
    assert data[0] == 1
    return json.loads(zlib.decompress(data[1:]))


def sample_forms() -> list[tuple[str, FilledForm]]:
    """Every shipped sample over each template it covers (newest versions), filled.

    A sample fills the forms of its life event (`forms/samples/index.yaml`); together the
    samples cover every shipped template.
    """
    catalog = Catalog.builtin()
    out = []
    for name in sample_names():
        record = load_sample(name)
        for template_id in sample_info(name).forms:
            out.append((f"{name}:{template_id}", fill(catalog.get(template_id), record)))
    return out


def box_bbox(box: Box, page_height_pt: float) -> tuple[float, float, float, float]:
    """pdfplumber's (x0, top, x1, bottom) of a template box, a hair larger for rounding."""
    eps = 0.05
    return (
        box.x * MM - eps,
        box.y * MM - eps,
        (box.x + box.w) * MM + eps,
        (box.y + box.h) * MM + eps,
    )


def text_boxes(form: FilledForm) -> list[tuple[int, Box, str]]:
    """(page number, box, expected text) for every box that prints a text value."""
    out = []
    for number, page in enumerate(form.template.layout.pages, 1):
        for box in page.boxes:
            spec, _, _ = form.template.resolve_ref(box.field)
            if box.option is not None or spec.type in ("checkbox", "signature"):
                continue
            text = form.text(box.field, box.part)
            if text:
                out.append((number, box, text))
    return out


def squeeze(text: str) -> str:
    """Text without any whitespace: wrapped lines and spacing do not matter to the check."""
    return "".join(text.split())


TEST_TEMPLATE = """
id: printtest
version: 1
title: {ja: 印刷試験, en: Print test}
legal_basis: なし
fields:
  - {id: d1, type: date, label: {ja: 日付1}}
  - {id: d2, type: date, label: {ja: 日付2}}
  - {id: d3, type: date, label: {ja: 日付3}}
  - {id: d4, type: date, label: {ja: 日付4}}
  - {id: name, type: person_name, label: {ja: 氏名}}
  - {id: short, type: text, label: {ja: 短文}}
  - {id: long, type: free_text, max_length: 400, label: {ja: 長文}}
  - {id: latin, type: text, label: {ja: 英字}}
  - id: kind
    type: select
    label: {ja: 種類}
    options: [{value: a, ja: 甲}, {value: b, ja: 乙}]
  - id: many
    type: multi_select
    label: {ja: 複数}
    options: [{value: x, ja: 一}, {value: y, ja: 二}, {value: z, ja: 三}]
  - {id: agree, type: checkbox, label: {ja: 同意}}
  - {id: sign, type: signature, label: {ja: 署名}}
layout:
  pages:
    - texts:
        - {text: 印刷試験, x: 105, y: 18, size: 14, bold: true, align: center}
      boxes:
        - {field: d1, x: 20, y: 25, w: 90, h: 8}
        - {field: d2, x: 20, y: 35, w: 90, h: 8}
        - {field: d3, x: 20, y: 45, w: 90, h: 8}
        - {field: d4, x: 20, y: 55, w: 90, h: 8}
        - {field: name, x: 20, y: 65, w: 60, h: 10, size: 14}
        - {field: short, x: 20, y: 80, w: 30, h: 8, size: 12, min_size: 4, fit: shrink}
        - {field: long, x: 20, y: 95, w: 60, h: 24, size: 12, min_size: 5}
        - {field: latin, x: 90, y: 95, w: 40, h: 16, size: 11, min_size: 6, fit: wrap}
        - {field: kind, option: a, x: 20, y: 125, w: 5, h: 5}
        - {field: kind, option: b, x: 30, y: 125, w: 5, h: 5}
        - {field: many, option: x, x: 20, y: 135, w: 5, h: 5}
        - {field: many, option: y, x: 30, y: 135, w: 5, h: 5}
        - {field: many, option: z, x: 40, y: 135, w: 5, h: 5}
        - {field: agree, x: 50, y: 125, w: 5, h: 5}
        - {field: sign, x: 20, y: 145, w: 80, h: 20}
    - boxes:
        - {field: name, x: 20, y: 25, w: 60, h: 10}
"""


def test_template(**box_overrides: dict[str, object]) -> Template:
    """The test form; `box_overrides` maps a field id to new values for its first box."""
    template = parse_template(TEST_TEMPLATE, "printtest")
    for field_id, changes in box_overrides.items():
        page = template.layout.pages[0]
        for n, box in enumerate(page.boxes):
            if box.field == field_id:
                page.boxes[n] = box.model_copy(update=changes)
                break
    return template


test_template.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
