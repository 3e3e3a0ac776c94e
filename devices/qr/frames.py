"""Reading QR codes in camera frames: a cheap look for a code, then the decoder cascade.

Most camera frames hold no code. A reader first tries zxing-cpp once on the frame at half size
(`zxing_half`, under 1 ms: reads the common well-lit code), then looks for finder patterns
(`devices.qr.finder`, ~2–3 ms on a 1280×720 frame) and runs the rest of the cascade only where
it saw one. The cascade stops at the first step that finds a code. Measured with
`madoguchi bench qr` (1280×720 frames; figures in docs/qr-payload.md):
- zxing-cpp is 5–10× faster than zbar and reads more degraded frames, so it goes first; its
  global-histogram binarizer (under 1 ms) rescues moiré;
- a 3×3 mean (`zxing_denoise`) rescues noisy low-light frames, an unsharp mask blur, both
  together the darkest frames;
- `zxing_roi_up2` enlarges only the region around the finder patterns seen, for small codes;
- zbar (binary mode) runs last, only when everything before found nothing.

`CASCADE` is the shipped order, `PREVIOUS_CASCADE` the one before the finder gate and the
new steps (kept for `bench qr`'s baseline). Image files (`qr scan`) are read without the gate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter

from devices.qr.events import QrSource
from devices.qr.finder import FinderHits, find_finders
from devices.qr.text import Encoding, decode_content
from devices.qr.zbar import ZbarQrReader

Frame = np.ndarray | Image.Image


@dataclass(frozen=True)
class FoundCode:
    """One code in one frame: its raw bytes and its content as shown.

    `text` is the content exactly (control characters included) when it is text, or the bytes
    as hex digits when it is binary; `encoding` says which ("text" or "hex").
    """

    data: bytes = field(repr=False)
    text: str = field(repr=False)
    decoder: str
    encoding: Encoding = "text"

    def __repr__(self) -> str:
        return f"FoundCode(decoder={self.decoder!r}, bytes={len(self.data)}, {self.encoding})"


def to_gray(frame: Frame) -> np.ndarray:
    """8-bit grayscale H×W from a PIL image or an H×W / H×W×3 (RGB) / H×W×4 array."""
    if isinstance(frame, Image.Image):
        return np.asarray(frame.convert("L"))
    array = np.asarray(frame)
    if array.ndim == 2:
        return array.astype(np.uint8, copy=False)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        rgb = array[..., :3].astype(np.uint16)
        # ITU-R BT.601 luma, integer arithmetic (fast enough per frame)
        return ((rgb[..., 0] * 77 + rgb[..., 1] * 150 + rgb[..., 2] * 29) >> 8).astype(np.uint8)
    raise ValueError("a frame is H×W gray or H×W×3/4 colour")


def contrast_stretch(gray: np.ndarray, low_pct: float = 1.0, high_pct: float = 99.0) -> np.ndarray:
    """Map the 1st–99th percentile of brightness to 0–255 (dim screens, glare washing out)."""
    sample = gray[::4, ::4]
    low, high = np.percentile(sample, (low_pct, high_pct))
    if high - low < 1:
        return gray
    lut = np.clip((np.arange(256) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    return lut[gray]


def invert(gray: np.ndarray) -> np.ndarray:
    """Light-on-dark (a phone in dark mode) to dark-on-light."""
    return 255 - gray


def rescale(gray: np.ndarray, factor: float) -> np.ndarray:
    """Upscale small modules (factor > 1) or shrink large frames (factor < 1)."""
    height, width = gray.shape
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    resample = Image.Resampling.BILINEAR if factor > 1 else Image.Resampling.BOX
    return np.asarray(Image.fromarray(gray).resize(size, resample))


ECI_IDENTIFIERS = ("]Q2", "]Q4", "]Q6")  # ISO/IEC 18004 symbology identifiers with an ECI


def _zxing_found(results: Sequence[zxingcpp.Barcode]) -> list[FoundCode]:
    out = []
    for result in results:
        data = bytes(result.bytes)
        # With an ECI header zxing-cpp's plain text is in the character set it names. Without
        # one zxing-cpp guesses, and its Shift_JIS lacks cp932's 髙/﨑: read the bytes here, as
        # for zbar, so both decoders give the same text.
        declared = result.text if result.symbology_identifier in ECI_IDENTIFIERS else None
        text, encoding = decode_content(data, declared)
        out.append(FoundCode(data, text, "zxing", encoding))
    return out


def sharpen(gray: np.ndarray) -> np.ndarray:
    """Unsharp mask: restores module edges of a slightly out-of-focus frame."""
    image = Image.fromarray(gray).filter(
        ImageFilter.UnsharpMask(radius=3, percent=200, threshold=0)
    )
    return np.asarray(image)


def read_zxing(
    gray: np.ndarray,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    *,
    thorough: bool = True,
) -> list[FoundCode]:
    """zxing-cpp, QR codes only; `thorough` also tries inverted and downscaled images."""
    return _zxing_found(
        zxingcpp.read_barcodes(
            gray,
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
            try_rotate=False,
            try_invert=thorough,
            try_downscale=thorough,
            text_mode=zxingcpp.TextMode.Plain,  # HRI would write control characters as <GS>
            binarizer=binarizer,
        )
    )


def read_zxing_half(gray: np.ndarray) -> list[FoundCode]:
    """The quick look: zxing-cpp once on the frame at half size (2×2 means), under 1 ms.

    Reads a well-lit code of 4 or more pixels per module, the common case, before the finder
    gate is even asked; anything harder goes to the cascade behind the gate.
    """
    half = np.asarray(Image.fromarray(np.ascontiguousarray(gray)).reduce(2))
    return read_zxing(half, thorough=False)


def denoise(gray: np.ndarray) -> np.ndarray:
    """3×3 mean: thirds the sensor noise of a dim frame before the binarizer sees it."""
    return np.asarray(Image.fromarray(gray).filter(ImageFilter.BoxBlur(1)))


def region(gray: np.ndarray, hits: FinderHits) -> np.ndarray | None:
    """The part of the frame around the finder patterns seen (None if it is most of it)."""
    box = hits.box(modules=16.0)
    if box is None:
        return None
    height, width = gray.shape
    left, top, right, bottom = (
        max(box[0], 0),
        max(box[1], 0),
        min(box[2], width),
        min(box[3], height),
    )
    if (right - left) * (bottom - top) > 0.4 * width * height or right <= left or bottom <= top:
        return None
    return gray[top:bottom, left:right]


class FrameReader:
    """Decodes frames with a cascade. One per thread (zbar's scanner is not shared).

    `gated`: decode only frames where `find_finders` saw a finder pattern (camera frames, most
    of which hold no code); image files are read with `gated=False`.
    """

    def __init__(self, cascade: Sequence[str] | None = None, *, gated: bool = True) -> None:
        self._zbar = ZbarQrReader()
        self.gated = gated
        self._hits: FinderHits | None = None
        steps: dict[str, Callable[[np.ndarray], list[FoundCode]]] = {
            "zxing": read_zxing,
            "zxing_half": read_zxing_half,
            "zxing_global": lambda g: read_zxing(g, zxingcpp.Binarizer.GlobalHistogram),
            "zxing_stretch": lambda g: read_zxing(contrast_stretch(g)),
            "zxing_denoise": lambda g: read_zxing(denoise(g)),
            "zxing_sharpen": lambda g: read_zxing(sharpen(g)),
            "zxing_denoise_sharpen": lambda g: read_zxing(sharpen(denoise(g))),
            "zxing_up2": lambda g: read_zxing(rescale(g, 2.0)),
            "zxing_roi_up2": self._read_region_up2,
            "zbar": self._read_zbar,
            "zbar_stretch": lambda g: self._read_zbar(contrast_stretch(g)),
            "zbar_invert": lambda g: self._read_zbar(invert(g)),
        }
        names = list(cascade) if cascade is not None else list(CASCADE)
        unknown = [n for n in names if n not in steps]
        if unknown:
            raise ValueError(f"unknown cascade steps: {unknown}")
        self._steps = [(name, steps[name]) for name in names]

    def _read_zbar(self, gray: np.ndarray) -> list[FoundCode]:
        out = []
        for data in self._zbar.read(gray):
            text, encoding = decode_content(data)
            out.append(FoundCode(data, text, "zbar", encoding))
        return out

    def _finders(self, gray: np.ndarray) -> FinderHits:
        if self._hits is None:
            self._hits = find_finders(gray)
        return self._hits

    def _read_region_up2(self, gray: np.ndarray) -> list[FoundCode]:
        part = region(gray, self._finders(gray))
        return [] if part is None else read_zxing(rescale(part, 2.0))

    def read(self, frame: Frame) -> list[FoundCode]:
        """Every QR code in the frame, from the first cascade step that finds any."""
        gray = to_gray(frame)
        self._hits = None
        for name, step in self._steps:
            # quick steps run on every frame; the others only where a finder was seen
            if self.gated and name not in QUICK_STEPS and not self._finders(gray):
                return []
            found = step(gray)
            if found:
                return found
        return []

    def close(self) -> None:
        self._zbar.close()


PREVIOUS_CASCADE: tuple[str, ...] = ("zxing", "zxing_global", "zxing_sharpen", "zbar")
QUICK_STEPS = frozenset({"zxing_half"})  # cheap enough for every frame: before the gate
CASCADE: tuple[str, ...] = (
    "zxing_half",
    "zxing",
    "zxing_global",
    "zxing_denoise",
    "zxing_roi_up2",
    "zxing_sharpen",
    "zxing_denoise_sharpen",
    "zbar",
)
STEPS: tuple[str, ...] = (
    "zxing_half",
    "zxing",
    "zxing_global",
    "zxing_stretch",
    "zxing_denoise",
    "zxing_sharpen",
    "zxing_denoise_sharpen",
    "zxing_up2",
    "zxing_roi_up2",
    "zbar",
    "zbar_stretch",
    "zbar_invert",
)


class CameraSource(QrSource):
    """Frames in (from the kiosk's camera thread), CodeRead events out.

    The Qt side converts each video frame to an array and calls `feed`; decoding happens on the
    caller's thread (keep it off the GUI thread). Repeated reads of a code are dropped.
    """

    kind = "camera"

    def __init__(self, dedupe_window: float = 3.0, cascade: Sequence[str] | None = None) -> None:
        super().__init__(dedupe_window)
        self._reader = FrameReader(cascade)

    def feed(self, frame: Frame, timestamp: float | None = None) -> list[str]:
        """Decode one frame; returns the texts that became new events."""
        moment = time.monotonic() if timestamp is None else timestamp
        emitted = []
        for code in self._reader.read(frame):
            if self._emit(code.text, moment) is not None:
                emitted.append(code.text)
        return emitted

    def close(self) -> None:
        super().close()
        self._reader.close()
