"""Synthetic camera frames of a QR code, clean and degraded, for tests and `bench qr`.

Each degradation imitates what a counter camera sees of a phone screen or a printout:
blur (out of focus), glare (a ceiling light on glass), rotation, perspective (phone held at an
angle), low contrast (dim screen), small modules (phone held far away) and moiré (the screen's
pixel grid beating against the camera's). Deterministic for a given seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import qrcode
import qrcode.constants
import qrcode.util
from PIL import Image, ImageFilter

FRAME_SIZE = (1280, 720)


def qr_modules(digits: str, ecc: int = qrcode.constants.ERROR_CORRECT_M) -> np.ndarray:
    """The code's modules as a bool array (True = dark), with a 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=ecc, border=4, box_size=1)
    numeric = qrcode.util.QRData(digits, mode=qrcode.util.MODE_NUMBER)  # type: ignore[call-overload]  # types-qrcode: MODE_NUMBER is an int, not Literal[1]
    code.add_data(numeric)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def frame_with_code(
    modules: np.ndarray, module_px: float, *, background: int = 200, seed: int = 0
) -> Image.Image:
    """A 1280×720 grayscale frame with the code centred at `module_px` pixels per module."""
    rng = np.random.default_rng(seed)
    side = max(1, round(modules.shape[0] * module_px))
    code = Image.fromarray(np.where(modules, 20, 245).astype(np.uint8)).resize(
        (side, side), Image.Resampling.NEAREST
    )
    frame = Image.new("L", FRAME_SIZE, background)
    offset = ((FRAME_SIZE[0] - side) // 2, (FRAME_SIZE[1] - side) // 2)
    frame.paste(code, offset)
    noise = rng.normal(0, 4, (FRAME_SIZE[1], FRAME_SIZE[0]))
    return Image.fromarray(np.clip(np.asarray(frame) + noise, 0, 255).astype(np.uint8))


def _blur(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(1.8, 2.8))))


def _glare(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    a = np.asarray(img).astype(np.float32)
    h, w = a.shape
    cy, cx = h / 2 + rng.uniform(-60, 60), w / 2 + rng.uniform(-60, 60)
    yy, xx = np.mgrid[0:h, 0:w]
    spot = np.exp(-(((yy - cy) / 90) ** 2 + ((xx - cx) / 140) ** 2))
    return Image.fromarray(np.clip(a + spot * 215, 0, 255).astype(np.uint8))


def _rotation(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    angle = float(rng.uniform(10, 35)) * (1 if rng.random() < 0.5 else -1)
    return img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=200)


def _perspective(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    w, h = img.size
    d = rng.uniform(0.06, 0.12)
    # (a..h) maps output to input pixels: a keystone as from a phone tilted away at the top
    coeffs = _perspective_coeffs(
        [(0, 0), (w, 0), (w, h), (0, h)],
        [(w * d, h * d / 2), (w * (1 - d), h * d / 3), (w, h), (0, h)],
    )
    return img.transform(
        img.size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=200
    )


def _perspective_coeffs(
    dst: list[tuple[float, float]], src: list[tuple[float, float]]
) -> list[float]:
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    solution = np.linalg.solve(np.array(rows, float), np.array([c for p in src for c in p], float))
    return [float(c) for c in solution]


def _low_contrast(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    a = np.asarray(img).astype(np.float32)
    span = rng.uniform(0.07, 0.14)
    out = 110 + (a - 128) * span + rng.normal(0, 3, a.shape)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def _moire(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    a = np.asarray(img).astype(np.float32)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w]
    theta = rng.uniform(0, np.pi)
    freq = rng.uniform(0.35, 0.6)
    wave = np.sin((xx * np.cos(theta) + yy * np.sin(theta)) * freq)
    beat = np.sin((xx * np.cos(theta + 0.05) + yy * np.sin(theta + 0.05)) * freq * 1.03)
    out = a * (0.7 + 0.3 * wave * beat) + rng.normal(0, 3, a.shape)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


DEGRADATIONS: dict[str, Callable[[Image.Image, np.random.Generator], Image.Image]] = {
    "blur": _blur,
    "glare": _glare,
    "rotation": _rotation,
    "perspective": _perspective,
    "low_contrast": _low_contrast,
    "moire": _moire,
}


def degraded_set(
    digits_list: list[str], per_kind: int = 4, seed: int = 1
) -> list[tuple[str, str, Image.Image]]:
    """(kind, expected text, frame) for every degradation, plus `small_modules` frames."""
    rng = np.random.default_rng(seed)
    out = []
    for n in range(per_kind):
        digits = digits_list[n % len(digits_list)]
        modules = qr_modules(digits)
        for kind, degrade in DEGRADATIONS.items():
            base = frame_with_code(
                modules, float(rng.uniform(4.0, 6.0)), seed=int(rng.integers(1 << 30))
            )
            out.append((kind, digits, degrade(base, rng)))
        small = frame_with_code(
            modules, float(rng.uniform(2.3, 3.0)), seed=int(rng.integers(1 << 30))
        )
        out.append(("small_modules", digits, _blur_light(small)))
    return out


def _blur_light(img: Image.Image) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius=0.7))
