"""The reception slip: 80 mm wide, number, procedures and fees, total, time, QR."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from printkit import MM, decode_qr, page_image, pdftotext_raw

from printing.errors import GlyphMissing, ValueDoesNotFit
from printing.slip import render_slip

ISSUED = dt.datetime(2019, 5, 1, 8, 45, tzinfo=ZoneInfo("Asia/Tokyo"))
PROCEDURES = [("住民票の写し等交付請求書", 600), ("印鑑登録申請書", 50), ("住民異動届", 0)]


def test_slip_is_receipt_width_and_says_everything() -> None:
    pdf = render_slip(reception_number="A-0107", procedures=PROCEDURES, issued_at=ISSUED)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        assert doc.pages[0].width == pytest.approx(80 * MM, abs=0.01)
    lines = pdftotext_raw(pdf).splitlines()
    assert "A-0107" in lines
    assert "令和元年（2019年）5月1日 08:45" in lines
    assert "住民票の写し等交付請求書 600円" in lines
    assert "印鑑登録申請書 50円" in lines
    assert "住民異動届 0円" in lines
    assert "合計 / Total 650円" in lines
    assert "千代田区役所 区民課" in lines


def test_slip_qr_is_the_reception_number() -> None:
    pdf = render_slip(reception_number="A-0107", procedures=PROCEDURES, issued_at=ISSUED)
    assert decode_qr(page_image(pdf, 1, dpi=300)) == ["A-0107"]


def test_slip_grows_with_the_procedures() -> None:
    def height(n: int) -> float:
        pdf = render_slip(reception_number="1", procedures=PROCEDURES[:1] * n, issued_at=ISSUED)
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            return doc.pages[0].height

    assert height(5) > height(1)


def test_slip_office_name_and_unprintable_characters() -> None:
    pdf = render_slip(
        reception_number="1", procedures=PROCEDURES, issued_at=ISSUED, office_name="新宿区役所"
    )
    assert "新宿区役所" in pdftotext_raw(pdf)
    with pytest.raises(GlyphMissing) as err:
        render_slip(reception_number="1\U000f0000", procedures=[], issued_at=ISSUED)
    assert err.value.ref == "reception_number"


def test_long_procedure_name_shrinks_clear_of_its_fee() -> None:
    title = "国民健康保険被保険者資格取得・喪失・変更届（世帯主変更を含む）"
    pdf = render_slip(reception_number="1", procedures=[(title, 12345)], issued_at=ISSUED)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        chars = page.chars
    name_chars = [c for c in chars if c["text"] == "）" and c["size"] < 9]
    fee_chars = [c for c in chars if c["text"] == "1" and c["size"] == pytest.approx(9)]
    assert name_chars and fee_chars
    assert max(c["x1"] for c in name_chars) < min(c["x0"] for c in fee_chars)
    assert all(c["x1"] <= page.width - 4 * MM + 0.1 for c in chars)
    with pytest.raises(ValueDoesNotFit):
        render_slip(reception_number="1", procedures=[("長" * 80, 1)], issued_at=ISSUED)


def test_a_long_reception_number_shrinks_to_stay_on_the_slip() -> None:
    number = "demo-kiosk-1123-0001"  # the kiosk outbox's format: <kiosk id>-MMDD-NNNN
    pdf = render_slip(reception_number=number, procedures=PROCEDURES, issued_at=ISSUED)
    assert number in pdftotext_raw(pdf).splitlines()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        big = [c for c in page.chars if c["size"] > 12]
    assert "".join(c["text"] for c in big) == number
    assert min(c["x0"] for c in big) >= 4 * MM - 0.1
    assert max(c["x1"] for c in big) <= page.width - 4 * MM + 0.1
    short = render_slip(reception_number="A-0107", procedures=PROCEDURES, issued_at=ISSUED)
    with pdfplumber.open(io.BytesIO(short)) as doc:
        assert max(c["size"] for c in doc.pages[0].chars) == pytest.approx(30)


def test_slip_with_a_call_number_says_where_to_go() -> None:
    pdf = render_slip(
        reception_number="demo-kiosk-1202-0001",
        procedures=PROCEDURES,
        issued_at=ISSUED,
        call_number="A-023",
        destinations=[
            ("3", "市民課 住民記録係", "Residents' records"),
            ("7", "保険年金課", "Health insurance"),
        ],
    )
    lines = pdftotext_raw(pdf).splitlines()
    assert "A-023" in lines
    assert "呼出番号 / Call number" in lines
    assert "3番窓口 市民課 住民記録係" in lines  # pdftotext writes the wide space as one
    assert "Residents' records" in lines
    assert "7番窓口 保険年金課" in lines
    assert any(line.endswith("demo-kiosk-1202-0001") for line in lines)
    assert decode_qr(page_image(pdf, 1, dpi=300)) == ["demo-kiosk-1202-0001"]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        sizes = {c["text"]: c["size"] for c in page.chars if c["text"] in "A-023"}
        assert all(c["x1"] <= page.width - 4 * MM + 0.1 for c in page.chars)
    assert sizes["A"] == pytest.approx(30)


def test_slip_in_vietnamese_names_the_section_in_the_residents_words() -> None:
    pdf = render_slip(
        reception_number="1",
        procedures=PROCEDURES[:1],
        issued_at=ISSUED,
        language="vi",
        call_number="K-001",
        destinations=[("1", "市民課 証明係", "Certificates")],
    )
    text = pdftotext_raw(pdf)
    assert "Số gọi" in text and "Mời đến quầy" in text and "Certificates" in text
