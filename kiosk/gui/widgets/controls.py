"""Buttons and labels made the kiosk's way: an accessible name always, a style role when asked.

Every control the resident can reach gets an accessible name (screen readers, and the tests
that walk the widget tree) and a strong keyboard focus policy.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

L = TypeVar("L", bound=QLabel)


def make_button(
    text: str,
    *,
    accessible: str | None = None,
    role: str | None = None,
    checkable: bool = False,
    parent: QWidget | None = None,
) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(accessible or text)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setCheckable(checkable)
    button.setAutoDefault(True)  # Enter presses the focused button
    if role:
        button.setProperty("role", role)
    return button


def make_label(text: str = "", *, role: str | None = None, wrap: bool = True) -> QLabel:
    return setup_label(QLabel(text), role=role, wrap=wrap)


def setup_label(label: L, *, role: str | None = None, wrap: bool = True) -> L:
    """`make_label`'s settings on a label of another class (a `RubyText`)."""
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)  # no copy-out
    if role:
        label.setProperty("role", role)
        label.setAccessibleName(role)
    return label
