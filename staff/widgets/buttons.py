"""A push button whose accessible name is its text, calling a slot without arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget


def named_button(parent: QWidget, text: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(text)
    button.clicked.connect(lambda _checked=False: slot())
    return button
