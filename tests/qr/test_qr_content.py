"""A code's content exactly: text stays text (control characters included), binary is hex."""

from __future__ import annotations

import numpy as np
import pytest
from qrkit import byte_qr_image, eci_qr_image

from devices.qr import FrameReader
from devices.qr.text import decode_content


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"A\x01B\x10C\x1dD", ("A\x01B\x10C\x1dD", "text")),
        ("転入\r\n山﨑\t髙".encode(), ("転入\r\n山﨑\t髙", "text")),
        ("ヤマダ 髙橋".encode("cp932"), ("ヤマダ 髙橋", "text")),
        ("café".encode("latin-1"), ("café", "text")),
        (b"\x00\x01", ("0001", "hex")),  # NUL: no text encoder writes one
        (b"\xff\xfe\x80\x81", ("fffe8081", "hex")),  # C1 controls as ISO-8859-1
        (b"\xa0\xfd", ("\xa0\xfd", "text")),  # cp932 says private use; ISO-8859-1 fits
        (b"", ("", "text")),
    ],
)
def test_decode_content(data, expected):
    assert decode_content(data) == expected


def test_declared_character_set_wins_unless_it_is_not_text():
    assert decode_content("髙".encode("cp932"), declared="髙") == ("髙", "text")
    assert decode_content(b"\x00\x9f", declared="\x00\x9f") == ("009f", "hex")


def test_random_bytes_are_mostly_hex():
    rng = np.random.default_rng(4)
    samples = [rng.integers(0, 256, 32, dtype=np.uint8).tobytes() for _ in range(200)]
    hex_share = sum(decode_content(s)[1] == "hex" for s in samples) / len(samples)
    assert hex_share > 0.95


@pytest.mark.parametrize("step", ["zxing", "zbar"])
def test_both_decoders_give_the_same_exact_content(step):
    """zxing-cpp's default text mode writes <SOH>; zbar guesses Shift_JIS: neither leaks out."""
    reader = FrameReader([step], gated=False)
    try:
        controls = reader.read(byte_qr_image("A\x01B\x10C\x1d山﨑".encode()))
        binary = reader.read(byte_qr_image(bytes(range(8))))
        eci = reader.read(eci_qr_image("ヤマダ 髙橋\x1b", eci=20, encoding="cp932"))
    finally:
        reader.close()
    assert [(c.text, c.encoding) for c in controls] == [("A\x01B\x10C\x1d山﨑", "text")]
    assert [(c.text, c.encoding, c.data) for c in binary] == [
        ("0001020304050607", "hex", bytes(range(8)))
    ]
    if step == "zxing":  # zbar does not read this ECI code at all; the cascade has zxing first
        assert [(c.text, c.encoding) for c in eci] == [("ヤマダ 髙橋\x1b", "text")]
