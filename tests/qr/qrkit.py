"""Helpers for the QR tests: images of codes the `qrcode` package cannot write by itself."""

from __future__ import annotations

import qrcode
import qrcode.base
import qrcode.constants
import qrcode.util
from PIL import Image


def eci_qr_image(
    text: str, eci: int = 26, encoding: str = "utf-8", version: int = 5
) -> Image.Image:
    """A QR code whose byte segment is preceded by an ECI header (ISO/IEC 18004 §7.4.2).

    `qrcode` has no ECI mode, so the bit stream is built here (mode 0111, an 8-bit designator,
    then a byte-mode segment) and handed to it as the finished data codewords.
    """
    data = text.encode(encoding)
    ecc = qrcode.constants.ERROR_CORRECT_M
    buffer = qrcode.util.BitBuffer()
    buffer.put(0b0111, 4)
    buffer.put(eci, 8)
    buffer.put(qrcode.util.MODE_8BIT_BYTE, 4)
    buffer.put(len(data), qrcode.util.length_in_bits(qrcode.util.MODE_8BIT_BYTE, version))
    for byte in data:
        buffer.put(byte, 8)
    rs_blocks = qrcode.base.rs_blocks(version, ecc)
    bit_limit = sum(block.data_count * 8 for block in rs_blocks)
    assert len(buffer) <= bit_limit, "text too long for this version"
    for _ in range(min(bit_limit - len(buffer), 4)):
        buffer.put_bit(False)
    while len(buffer) % 8:
        buffer.put_bit(False)
    for i in range((bit_limit - len(buffer)) // 8):
        buffer.put(qrcode.util.PAD0 if i % 2 == 0 else qrcode.util.PAD1, 8)
    code = qrcode.QRCode(version=version, error_correction=ecc, box_size=6, border=4)
    code.data_cache = qrcode.util.create_bytes(buffer, rs_blocks)
    code.make(fit=False)
    return code.make_image().get_image().convert("L")


def byte_qr_image(data: bytes, box_size: int = 6) -> Image.Image:
    """A byte-mode QR code without ECI (how most Japanese codes are made)."""
    code = qrcode.QRCode(box_size=box_size, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")
