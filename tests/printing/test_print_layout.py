"""The test form: era dates at the boundaries, fitting, check marks, signature, bad characters."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pdfplumber
import pytest
from PIL import Image
from printkit import MM, box_bbox, pdftotext_raw, squeeze, test_template

from forms.fill import FilledForm, fill
from forms.record import Person, PersonName, SessionRecord
from printing.errors import BadSignatureImage, GlyphMissing, ValueDoesNotFit
from printing.fit import wrap
from printing.fonts import default_fonts
from printing.render import render_application, render_application_detailed

BOUNDARIES = {
    "d1": (dt.date(1989, 1, 7), "昭和64年（1989年）1月7日"),
    "d2": (dt.date(1989, 1, 8), "平成元年（1989年）1月8日"),
    "d3": (dt.date(2019, 4, 30), "平成31年（2019年）4月30日"),
    "d4": (dt.date(2019, 5, 1), "令和元年（2019年）5月1日"),
}


def png(width: int = 300, height: int = 80) -> bytes:
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    for x in range(20, width - 20):
        image.putpixel((x, height // 2 + (x % 7) - 3), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def record(**answers: object) -> SessionRecord:
    base: dict[str, object] = {key: day.isoformat() for key, (day, _) in BOUNDARIES.items()}
    base.update(
        name={"family": "𠮷野", "given": "髙子"},
        short="山﨑",
        long="転入に伴う各種手続き",
        latin="SMITH John",
        kind="b",
        many=["x", "z"],
        agree=True,
    )
    base.update(answers)
    return SessionRecord(
        persons=[Person(name=PersonName(family="𠮷野", given="髙子"))],
        answers={f"printtest.{key}": value for key, value in base.items()},
    )


def render(rec: SessionRecord, **kwargs: object) -> bytes:
    form = fill(test_template(), rec)
    assert form.ok, [str(e) for e in form.errors]
    return render_application([form], reception_number="T-1", **kwargs)


def chars_in(pdf: bytes, field: str, page: int = 1) -> str:
    template = test_template()
    box = next(b for b in template.layout.pages[page - 1].boxes if b.field == field)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        p = doc.pages[page - 1]
        return "".join(c["text"] for c in p.within_bbox(box_bbox(box, p.height)).chars)


def test_era_dates_at_the_boundaries() -> None:
    pdf = render(record())
    lines = pdftotext_raw(pdf).splitlines()
    for field, (_, expected) in BOUNDARIES.items():
        assert expected in lines, field
        assert chars_in(pdf, field) == expected


def test_every_page_of_a_form_prints() -> None:
    pdf = render(record())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        assert "𠮷野\u3000髙子" in "".join(c["text"] for c in doc.pages[1].chars)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("short", "山﨑山﨑山﨑山﨑山﨑山﨑山﨑"),  # shrinks on one line
        ("long", "転入届と同時に国民健康保険・児童手当・印鑑登録の手続きを行います。" * 2),  # wraps
        ("long", "一行目\n二行目\n三行目は少し長めの文です"),  # explicit lines
        ("latin", "Supercalifragilisticexpialidocious Street, Apartment 1203"),  # breaks a word
    ],
)
def test_long_values_fit_inside_their_box(field: str, value: str) -> None:
    pdf = render(record(**{field: value}))
    assert squeeze(chars_in(pdf, field)) == squeeze(value)


def test_shrink_goes_no_smaller_than_min_size() -> None:
    pdf = render(record(short="山﨑山﨑山﨑山﨑山﨑"))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        box = next(b for b in test_template().layout.pages[0].boxes if b.field == "short")
        sizes = {round(c["size"], 1) for c in page.within_bbox(box_bbox(box, page.height)).chars}
    assert len(sizes) == 1
    assert box.min_size <= sizes.pop() < box.size


@pytest.mark.parametrize(
    ("field", "value", "changes"),
    [
        ("short", "あ" * 80, {}),  # shrink only: 80 characters at 4 pt are wider than 30 mm
        ("long", "長" * 400, {}),  # shrink and wrap: still taller than the box
        ("latin", "W" * 200, {}),  # wrap only at its size
        ("name", "𠮷野 髙子", {"h": 1.0, "min_size": 4}),  # no line fits 1 mm
    ],
)
def test_value_that_cannot_fit_is_refused_naming_the_field(
    field: str, value: str, changes: dict[str, object]
) -> None:
    template = test_template(**({field: changes} if changes else {}))
    form = fill(template, record(**{field: value}))
    with pytest.raises(ValueDoesNotFit) as err:
        render_application([form], reception_number="1")
    assert err.value.ref == field
    assert field in err.value.en and field in err.value.ja
    assert value[:2] not in str(err.value)


def test_check_marks_only_on_chosen_options() -> None:
    pdf = render(record())
    template = test_template()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        marked = {}
        for box in template.layout.pages[0].boxes:
            if box.option is None and box.field != "agree":
                continue
            inside = page.within_bbox(box_bbox(box, page.height))
            marked[(box.field, box.option)] = len(inside.curves) > 0
    assert marked == {
        ("kind", "a"): False,
        ("kind", "b"): True,
        ("many", "x"): True,
        ("many", "y"): False,
        ("many", "z"): True,
        ("agree", None): True,
    }
    unticked = render(record(agree=False))
    with pdfplumber.open(io.BytesIO(unticked)) as doc:
        page = doc.pages[0]
        box = next(b for b in template.layout.pages[0].boxes if b.field == "agree")
        assert page.within_bbox(box_bbox(box, page.height)).curves == []


def test_signature_image_prints_inside_its_box() -> None:
    template = test_template()
    box = next(b for b in template.layout.pages[0].boxes if b.field == "sign")
    for pdf in (render(record(), signature_png=png()), render(record(sign=png(120, 120)))):
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            images = doc.pages[0].images
        signature = [i for i in images if i["x0"] < 150]  # the data QR is not drawn here
        assert len(signature) == 1
        image = signature[0]
        assert image["x0"] >= box.x * MM - 0.1 and image["x1"] <= (box.x + box.w) * MM + 0.1
        assert image["top"] >= box.y * MM - 0.1 and image["bottom"] <= (box.y + box.h) * MM + 0.1
    no_signature = render(record())
    with pdfplumber.open(io.BytesIO(no_signature)) as doc:
        assert doc.pages[0].images == []


def test_corrupt_signature_image_is_refused() -> None:
    with pytest.raises(BadSignatureImage):
        render(record(), signature_png=b"\x89PNG\r\n\x1a\nnot really")


@pytest.mark.parametrize(
    ("value", "position"),
    [
        ("山田\U000f0000", 3),  # supplementary private use: no font has it
        ("あ\U0001fae0", 2),  # an emoji: not in any Japanese form font
        ("A\x07B", 2),  # a control character
    ],
)
def test_character_no_font_has_fails_naming_the_field(value: str, position: int) -> None:
    form = fill(test_template(), record(short=value))
    # refused by validation already (forms.printable: the same fonts' coverage)…
    assert [e.path for e in form.errors] == ["short"]
    assert f"{position}文字目" in form.errors[0].ja
    assert f"character {position}" in form.errors[0].en
    # …and by printing, if an unvalidated value ever reaches it
    unchecked = FilledForm(form.template, {**form.values, "short": value})
    with pytest.raises(GlyphMissing) as err:
        render_application([unchecked], reception_number="1")
    assert err.value.ref == "short"
    assert err.value.position == position
    assert "short" in err.value.ja and "short" in err.value.en
    assert "山田" not in str(err.value)


def test_variation_selector_is_stripped_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    form = fill(test_template(), record(short="辻\U000e0100󠄀子\ufe00"))
    with caplog.at_level(logging.INFO, logger="printing.render"):
        result = render_application_detailed([form], reception_number="1")
    assert result.stripped_selectors == {"short": 3}
    assert "3 variation selector(s) of field short" in caplog.text
    assert "辻" not in caplog.text
    text = pdftotext_raw(result.pdf)
    assert "辻子" in text
    assert "\U000e0100" not in text and "\ufe00" not in text


def test_wrap_keeps_closing_punctuation_off_a_line_start() -> None:
    chain = default_fonts().values
    # Ten full-width characters per line at 10 pt in 100 pt: 。 would start line two.
    lines = wrap("一二三四五六七八九十。次", chain, 100.0, 10.0)
    assert lines is not None
    assert all(not line.startswith("。") for line in lines)
    assert "".join(lines) == "一二三四五六七八九十。次"


def test_wrap_refuses_a_character_wider_than_the_line() -> None:
    assert wrap("山", default_fonts().values, 5.0, 10.0) is None
