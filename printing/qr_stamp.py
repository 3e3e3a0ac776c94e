"""QR codes for the page: the numeric data QR and the slip's reception number.

The data QR is numeric mode only: digits are what every scanner type reads back exactly
(reference/qr.md). The matrix comes from zxing-cpp's encoder, which puts an all-digit text in
numeric mode and evaluates the eight mask patterns as ISO/IEC 18004 asks, in about 2 ms; the
pure-Python `qrcode` package needs ~45 ms for a 1,700-digit payload (almost all of it the
mask search), which alone would blow the 50 ms-per-page budget. `qrcode` with
`QRData(digits, mode=MODE_NUMBER)` gives the same version for the same digits, which the tests
check, so the mode is numeric. Error correction M when the payload allows it, else L.
"""

from __future__ import annotations

import numpy as np
import qrcode
import zxingcpp
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from printing.errors import DataQrNotNumeric, DataQrTooLarge

QUIET_ZONE = 4  # modules, as the standard asks
MAX_NUMERIC_DIGITS = 7089  # version 40-L

Matrix = np.ndarray  # square, bool, True = dark module, no quiet zone


def numeric_matrix(digits: str) -> Matrix:
    """The module matrix of a numeric-mode QR code of `digits`."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise DataQrNotNumeric()
    if len(digits) > MAX_NUMERIC_DIGITS:
        raise DataQrTooLarge(len(digits))
    for level in ("M", "L"):
        try:
            code = zxingcpp.create_barcode(digits, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
        except (ValueError, RuntimeError):  # too long for this level
            continue
        return np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128
    raise DataQrTooLarge(len(digits))


def text_matrix(text: str) -> Matrix:
    """The module matrix of a short text (the reception number on the slip)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return np.array(qr.get_matrix(), dtype=bool)


def matrix_image(matrix: Matrix) -> Image.Image:
    """One pixel per module, quiet zone included, black on white."""
    padded = np.pad(matrix, QUIET_ZONE, constant_values=False)
    return Image.fromarray(np.where(padded, 0, 255).astype(np.uint8), mode="L")


def draw_matrix(canvas: Canvas, matrix: Matrix, x: float, y: float, size: float) -> None:
    """Draw `matrix` with its quiet zone into the square of side `size` whose lower-left is (x, y).

    As a one-pixel-per-module bitmap scaled up: PDF images are not interpolated unless they
    ask for it, so every module prints as a sharp square, for a few hundred bytes (drawing each
    dark run as a vector rectangle cost ~25 ms a page in content-stream formatting).
    """
    canvas.drawImage(ImageReader(matrix_image(matrix)), x, y, size, size)
