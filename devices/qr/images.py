"""QR codes in image files (`madoguchi qr scan`, `qr decode IMAGE`)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from devices.qr.frames import FoundCode, FrameReader
from forms.errors import MadoguchiError


class ImageUnreadable(MadoguchiError):
    code = "qr_image_unreadable"

    def __init__(self, path: str) -> None:
        super().__init__(f"画像を読み込めません: {path}", f"cannot read the image {path}")
        self.path = path


def load_gray(path: str | Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            return image.convert("L")
    except (FileNotFoundError, IsADirectoryError, UnidentifiedImageError, OSError):
        raise ImageUnreadable(str(path)) from None


def scan_images(
    paths: list[str | Path], reader: FrameReader | None = None
) -> list[list[FoundCode]]:
    """The codes of each image, in the order given, with one reader for all of them."""
    own = reader is None
    active = reader or FrameReader(gated=False)  # a file is read whole, gate or not
    try:
        return [active.read(load_gray(p)) for p in paths]
    finally:
        if own:
            active.close()


def code_entries(codes: list[FoundCode]) -> list[dict[str, str]]:
    """`qr scan --json`'s view of an image's codes: the exact content and how it is written.

    `encoding` is "text" (the text itself, control characters included) or "hex" (binary
    content, two hex digits per byte).
    """
    return [{"text": code.text, "encoding": code.encoding} for code in codes]
