"""The data QR matrix (numeric mode) and where it goes on the page."""

from __future__ import annotations

import pytest
import qrcode
from PIL import Image
from printkit import decode_qr
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M
from qrcode.util import MODE_NUMBER, QRData

from forms.template import Page
from printing.errors import DataQrNotNumeric, DataQrTooLarge
from printing.placement import EDGE, Rect, find_free_square, occupied
from printing.qr_stamp import matrix_image, numeric_matrix, text_matrix


def qrcode_numeric_size(digits: str, level: int) -> int:
    qr = qrcode.QRCode(error_correction=level, border=0)
    qr.add_data(QRData(digits, mode=MODE_NUMBER))
    qr.make(fit=True)
    return len(qr.get_matrix())


@pytest.mark.parametrize("length", [1, 17, 300, 1700, 3000, 5596])
def test_matrix_is_numeric_mode_at_level_m(length: int) -> None:
    digits = ("31415926535897932384626433832795" * 200)[:length]
    matrix = numeric_matrix(digits)
    # Same version as qrcode in explicit numeric mode; byte mode would need a far larger one.
    assert matrix.shape == (qrcode_numeric_size(digits, ERROR_CORRECT_M),) * 2
    big = matrix_image(matrix).resize((matrix.shape[0] * 4 + 32,) * 2, Image.NEAREST)
    assert decode_qr(big) == [digits]


def test_past_level_m_capacity_falls_back_to_level_l() -> None:
    digits = "9" * 7000
    matrix = numeric_matrix(digits)
    assert matrix.shape == (qrcode_numeric_size(digits, ERROR_CORRECT_L),) * 2 == (177, 177)


@pytest.mark.parametrize("digits", ["", "12a", "１２", "1 2", "+1", "\u0661\u0662"])
def test_non_digits_are_refused(digits: str) -> None:
    with pytest.raises(DataQrNotNumeric):
        numeric_matrix(digits)


def test_too_many_digits_are_refused() -> None:
    with pytest.raises(DataQrTooLarge) as err:
        numeric_matrix("1" * 7090)
    assert "7090" in err.value.en


def test_text_matrix_round_trips() -> None:
    matrix = text_matrix("A-0107")
    big = matrix_image(matrix).resize((matrix.shape[0] * 6,) * 2, Image.NEAREST)
    assert decode_qr(big) == ["A-0107"]


def test_empty_page_puts_the_qr_in_the_bottom_right_corner() -> None:
    spot = find_free_square(30, [])
    assert spot == Rect(210 - EDGE - 30, 297 - EDGE - 30, 30, 30)


def test_qr_avoids_boxes_labels_and_lines() -> None:
    page = Page.model_validate(
        {
            "boxes": [{"field": "x", "x": 150, "y": 250, "w": 50, "h": 40}],
            "texts": [{"text": "受付", "x": 100, "y": 285, "size": 9}],
            "lines": [{"x1": 10, "y1": 240, "x2": 200, "y2": 240}],
        }
    )
    taken = occupied(page, lambda text, size: len(text) * size * 25.4 / 72)
    spot = find_free_square(30, taken)
    assert spot is not None
    assert not any(spot.intersects(r) for r in taken)
    # Still on the bottom row, but left of the label (1.5 mm gap) and below the line.
    assert spot.y + spot.h == 297 - EDGE
    assert spot.x + spot.w <= 100 - 1.5
    assert spot.y >= 240


def test_full_page_has_no_free_square() -> None:
    assert find_free_square(30, [Rect(0, 0, 210, 297)]) is None
