"""Walk every screen of a kiosk window (and its overlays and keyboards) and measure what a
resident meets there: touch targets, text sizes, and the contrast of every visible text
against what is drawn behind it, read from the window's own pixels."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
)

from kiosk.gui.widgets.bilingual import InlineBiLabel

SPAN_PX = re.compile(r"font-size:(\d+)px")


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pixels(image: QImage) -> np.ndarray:
    """The image as an (h, w) array of 0xRRGGBB."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(
        image.constBits(), dtype=np.uint32, count=image.bytesPerLine() // 4 * height
    )
    return (data.reshape(height, image.bytesPerLine() // 4)[:, :width] & 0xFFFFFF).copy()


def _rgb(value: int) -> tuple[int, int, int]:
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def text_contrast(image: np.ndarray, rect: QRect) -> float | None:
    """The contrast of the text drawn in `rect`: the most common colour is the background;
    the text is the colour (seen on a few pixels at least, not one stray edge pixel) that
    stands out most from it. None where nothing but the background is drawn."""
    height, width = image.shape
    rect = rect.intersected(QRect(0, 0, width, height))
    if rect.width() < 2 or rect.height() < 2:
        return None
    crop = image[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
    colours, counts = np.unique(crop, return_counts=True)
    background = int(colours[np.argmax(counts)])
    inked = [int(c) for c, n in zip(colours, counts, strict=True) if n >= 3 and c != background]
    if not inked:
        return None
    bg = _rgb(background)
    return max(contrast(bg, _rgb(c)) for c in inked)


@dataclass(frozen=True)
class Finding:
    where: str
    what: str
    value: float
    limit: float

    def __str__(self) -> str:
        return f"{self.where}: {self.what} {self.value:.2f} < {self.limit}"


def _visible(window: QWidget, widget: QWidget) -> bool:
    if not widget.isVisibleTo(window) or widget.width() < 2 or widget.height() < 2:
        return False
    area = window.rect()
    top_left = widget.mapTo(window, QPoint(0, 0))
    return area.intersects(QRect(top_left, widget.size()))


def _clip_to_viewports(window: QWidget, widget: QWidget, rect: QRect) -> QRect:
    """The part of `rect` (window coordinates) not scrolled out of sight."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        top_left = parent.mapTo(window, QPoint(0, 0))
        rect = rect.intersected(QRect(top_left, parent.size()))
        parent = parent.parentWidget()
    return rect


def resident_controls(window: QWidget) -> Iterator[QWidget]:
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit | QCheckBox | QListWidget) and _visible(
            window, widget
        ):
            yield widget


def small_targets(window: QWidget, state: str, minimum: int = 60) -> list[Finding]:
    out = []
    for control in resident_controls(window):
        if control.property("role") == "corner":
            continue  # staff's: not a resident control (and 64 px anyway)
        name = f"{state}/{type(control).__name__}:{control.accessibleName()[:30]}"
        if isinstance(control, QListWidget):
            for i in range(control.count()):
                item = control.item(i)
                if not item.isHidden():
                    height = control.visualItemRect(item).height()
                    if height < minimum:
                        out.append(Finding(name, "row height", height, minimum))
            continue
        if control.height() < minimum:
            out.append(Finding(name, "height", control.height(), minimum))
    return out


def small_texts(window: QWidget, state: str, minimum: int) -> list[Finding]:
    out = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton | QLineEdit | QListWidget):
            continue
        if not _visible(window, widget):
            continue
        if isinstance(widget, QLabel) and not widget.text():
            continue
        px = QFontInfo(widget.font()).pixelSize()
        name = f"{state}/{type(widget).__name__}:{widget.accessibleName()[:30]}"
        if px < minimum:
            out.append(Finding(name, "text px", px, minimum))
        if isinstance(widget, InlineBiLabel):
            out.extend(
                Finding(name, "second-language px", int(span), minimum)
                for span in SPAN_PX.findall(widget.text())
                if int(span) < minimum
            )
    return out


def low_contrast(window: QWidget, state: str, minimum: float) -> tuple[list[Finding], int]:
    """Every visible text of the window measured on the window's own pixels; (problems,
    how many texts were measured)."""
    image = pixels(window.grab().toImage())
    ratio = window.devicePixelRatioF()
    out: list[Finding] = []
    measured = 0

    def measure(widget: QWidget, rect: QRect, what: str) -> None:
        nonlocal measured
        whole = rect.height()
        rect = _clip_to_viewports(window, widget, rect)
        if rect.height() < whole * 0.8:
            return  # mostly scrolled out of sight: what shows may be no text at all
        scaled = QRect(
            int(rect.x() * ratio),
            int(rect.y() * ratio),
            int(rect.width() * ratio),
            int(rect.height() * ratio),
        )
        found = text_contrast(image, scaled)
        if found is None:
            return
        measured += 1
        if found < minimum:
            name = f"{state}/{type(widget).__name__}:{widget.accessibleName()[:30]}"
            out.append(Finding(name, what, found, minimum))

    for widget in window.findChildren(QWidget):
        if not _visible(window, widget):
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        if isinstance(widget, QLabel) and widget.text():
            measure(widget, QRect(top_left, widget.size()), "text")
        elif isinstance(widget, QLineEdit) and (widget.text() or widget.placeholderText()):
            inner = widget.rect().adjusted(6, 6, -6, -6)
            measure(widget, inner.translated(top_left), "field text")
        elif isinstance(widget, QAbstractButton) and widget.text():
            inner = widget.rect().adjusted(6, 6, -6, -6)
            measure(widget, inner.translated(top_left), "button text")
        elif isinstance(widget, QListWidget):
            viewport = widget.viewport()
            origin = viewport.mapTo(window, QPoint(0, 0))
            for i in range(widget.count()):
                item = widget.item(i)
                rect = widget.visualItemRect(item)
                if not item.isHidden() and viewport.rect().intersects(rect):
                    measure(viewport, rect.adjusted(2, 2, -2, -2).translated(origin), "row")
    return out, measured


Check = Callable[[QWidget, str], list[Finding]]
