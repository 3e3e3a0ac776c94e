"""Rendering every shipped template with every sample record: text, boxes, QR, header, size."""

from __future__ import annotations

import datetime as dt
import io
import logging
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from printkit import (
    RARE_NAMES,
    box_bbox,
    decode_qr,
    page_count,
    page_image,
    payload_from_digits,
    pdftotext_raw,
    poppler_page_image,
    sample_forms,
    squeeze,
    stand_in_digits,
    stand_in_payload,
    text_boxes,
)

from forms.catalog import Catalog
from forms.fill import fill
from forms.sample_records import load_sample, sample_info, sample_names
from printing.errors import DataQrNotNumeric, DataQrTooLarge, LayoutConflict
from printing.render import render_application, render_application_detailed

FORMS = sample_forms()


def _covering(template_id: str) -> str:
    """A sample whose life event fills `template_id`."""
    return next(n for n in sample_names() if template_id in sample_info(n).forms)


IDS = [name for name, _ in FORMS]
ISSUED = dt.datetime(2026, 4, 1, 9, 5, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    """Each sample form rendered once, with the stand-in data QR."""
    return {
        name: render_application(
            [form], reception_number="R-0042", data_qr=stand_in_digits, issued_at=ISSUED
        )
        for name, form in FORMS
    }


def test_catalogue_and_samples_are_covered() -> None:
    # Guards the generic tests below against an empty parametrisation.
    assert len(Catalog.builtin().latest()) >= 1
    assert len(sample_names()) >= 1
    templates = {t.id for t in Catalog.builtin().latest()}
    assert {form.template.id for _, form in FORMS} == templates  # every form prints
    assert {name.split(":")[0] for name, _ in FORMS} == set(sample_names())


@pytest.mark.parametrize(("name", "form"), FORMS, ids=IDS)
def test_sample_fills_without_errors(name: str, form) -> None:
    assert form.ok, [str(e) for e in form.errors]


@pytest.mark.parametrize(("name", "form"), FORMS, ids=IDS)
def test_every_value_prints_and_extracts_exactly(name: str, form, rendered) -> None:
    pdf = rendered[name]
    assert page_count(pdf) == len(form.template.layout.pages)
    text = squeeze(pdftotext_raw(pdf))
    expected = text_boxes(form)
    assert expected, "the sample fills no text box of this template"
    missing = [box.field for _, box, value in expected if squeeze(value) not in text]
    assert not missing


@pytest.mark.parametrize(("name", "form"), FORMS, ids=IDS)
def test_every_value_lies_inside_its_box(name: str, form, rendered) -> None:
    with pdfplumber.open(io.BytesIO(rendered[name])) as doc:
        for number, box, value in text_boxes(form):
            page = doc.pages[number - 1]
            inside = page.within_bbox(box_bbox(box, page.height))
            got = squeeze("".join(c["text"] for c in inside.chars))
            assert squeeze(value) in got, box.field


@pytest.mark.parametrize(("name", "form"), FORMS, ids=IDS)
def test_header_and_page_numbers_on_every_page(name: str, form, rendered) -> None:
    with pdfplumber.open(io.BytesIO(rendered[name])) as doc:
        total = len(doc.pages)
        for number, page in enumerate(doc.pages, 1):
            header = squeeze(page.crop((0, 0, page.width, 10 * 72 / 25.4)).extract_text())
            assert squeeze(form.template.title.ja) in header
            assert "受付番号R-0042" in header
            assert "令和8年4月1日09:05" in header
            footer = squeeze(
                page.crop((0, page.height - 8 * 72 / 25.4, page.width, page.height)).extract_text()
            )
            assert f"{number}/{total}" in footer


@pytest.mark.parametrize(("name", "form"), FORMS, ids=IDS)
def test_data_qr_decodes_back_on_every_page(name: str, form, rendered) -> None:
    pdf = rendered[name]
    digits = stand_in_digits(form)
    for number in range(1, page_count(pdf) + 1):
        found = decode_qr(page_image(pdf, number, dpi=300))
        assert found == [digits], f"page {number}"
    assert payload_from_digits(digits) == stand_in_payload(form)


@pytest.mark.parametrize(("name", "form"), FORMS, ids=IDS)
def test_size_per_page_within_budget(name: str, form, rendered) -> None:
    assert len(rendered[name]) / page_count(rendered[name]) <= 300 * 1024


def test_data_qr_decodes_from_a_poppler_rendering() -> None:
    _, form = FORMS[-1]
    pdf = render_application([form], reception_number="1", data_qr=stand_in_digits)
    assert decode_qr(poppler_page_image(pdf, 1, dpi=300)) == [stand_in_digits(form)]


def test_no_qr_without_data_qr() -> None:
    _, form = FORMS[0]
    pdf = render_application([form], reception_number="1")
    assert decode_qr(page_image(pdf, 1, dpi=150)) == []


def test_rare_kanji_names_extract_exactly_line_by_line() -> None:
    record = load_sample("yoshino_household")
    forms = [fill(t, record) for t in Catalog.builtin().latest()]
    pdf = render_application(forms, reception_number="1")
    # poppler writes the ideographic space U+3000 as a plain space; every other character,
    # 𠮷 (outside the BMP) included, must come back exactly and on one line.
    lines = pdftotext_raw(pdf).splitlines()
    for name in RARE_NAMES:
        assert any(name.replace("\u3000", " ") in line for line in lines), name
    # The PDF itself carries U+3000 (pdfminer reads the ToUnicode map as written).
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = "".join(c["text"] for page in doc.pages for c in page.chars)
    for name in RARE_NAMES:
        assert name in chars, name


def test_bundle_prints_every_form_in_one_pdf() -> None:
    catalog = Catalog.builtin()
    record = load_sample("yoshino_household")
    for bundle in catalog.bundles():
        templates = [catalog.get(t) for t in bundle.template_ids()]
        forms = [fill(t, record) for t in templates]
        result = render_application_detailed(forms, reception_number="7", data_qr=stand_in_digits)
        assert result.pages == sum(len(t.layout.pages) for t in templates)
        assert page_count(result.pdf) == result.pages
        text = squeeze(pdftotext_raw(result.pdf))
        for t in templates:
            assert squeeze(t.title.ja) in text
        # Each form's pages carry that form's own data QR.
        first_of_last = result.pages - len(templates[-1].layout.pages) + 1
        assert decode_qr(page_image(result.pdf, first_of_last)) == [stand_in_digits(forms[-1])]


def test_no_personal_data_in_logs_or_metadata(caplog: pytest.LogCaptureFixture) -> None:
    record = load_sample("yoshino_household")
    forms = [fill(t, record) for t in Catalog.builtin().latest()]
    with caplog.at_level(logging.DEBUG):
        pdf = render_application(forms, reception_number="1", data_qr=stand_in_digits)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        metadata = " ".join(str(v) for v in doc.metadata.values())
    for person in record.persons:
        for part in (person.name.family, person.name.given):
            assert part not in caplog.text
            assert part not in metadata


def test_empty_application_is_refused() -> None:
    with pytest.raises(ValueError):
        render_application([], reception_number="1")


@pytest.mark.parametrize("payload", ["", "12a4", "１２３", "12 34", "-123"])
def test_data_qr_must_be_digits(payload: str) -> None:
    _, form = FORMS[0]
    with pytest.raises(DataQrNotNumeric) as err:
        render_application([form], reception_number="1", data_qr=lambda f: payload)
    assert err.value.ja and err.value.en


def test_data_qr_too_large_is_refused() -> None:
    _, form = FORMS[0]
    with pytest.raises(DataQrTooLarge):
        render_application([form], reception_number="1", data_qr=lambda f: "7" * 7090)


def test_box_in_the_header_band_is_a_layout_conflict() -> None:
    template = Catalog.builtin().latest()[0].model_copy(deep=True)
    page = template.layout.pages[0]
    page.boxes[0] = page.boxes[0].model_copy(update={"y": 2.0})
    form = fill(template, load_sample(_covering(template.id)))
    with pytest.raises(LayoutConflict) as err:
        render_application([form], reception_number="1")
    assert any(page.boxes[0].field in p for p in err.value.problems)


def test_full_page_leaves_no_room_for_the_qr() -> None:
    from forms.template import Box

    template = Catalog.builtin().latest()[0].model_copy(deep=True)
    # Fill the page's free area with borderless boxes of an existing field.
    field = template.layout.pages[0].boxes[0].field
    template.layout.pages[0].boxes = [Box(field=field, x=6, y=11, w=198, h=277, border=False)]
    form = fill(template, load_sample(_covering(template.id)))
    with pytest.raises(LayoutConflict):
        render_application([form], reception_number="1", data_qr=lambda f: "123")
    render_application([form], reception_number="1")  # without a QR it prints
