"""The reception terminal's keyboard: one table of shortcuts, bound on the main window
(`install`), and the ? overlay that lists them (`ShortcutOverlay`).

F-keys for the visit's work (they never type a character, so they work while a text field has
focus), Ctrl combinations for the rest. `?` opens the overlay when the focus is not in a text
field (there it types a ?); F1 opens it anywhere. The table is the one place the keys are
written: docs/reception.md lists the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from staff.reception.messages import ja, tr


@dataclass(frozen=True)
class Key:
    name: str  # the action (ReceptionWindow binds a callable to it)
    keys: tuple[str, ...]  # QKeySequence strings
    text: str  # message id of what it does
    shown: str = ""  # how the overlay writes the keys, when not the sequences themselves


SHORTCUTS: tuple[Key, ...] = (
    Key("next", ("F2",), "keys.next"),
    Key("call", ("F3",), "keys.call"),
    Key("review", ("F4",), "keys.review"),
    Key("identity", ("F6",), "keys.identity"),
    Key("document", ("Ctrl+D",), "keys.document"),
    Key("complete", ("F8", "Ctrl+Return"), "keys.complete"),
    Key("return", ("Ctrl+R",), "keys.return"),
    Key("reprint", ("Ctrl+P",), "keys.reprint"),
    Key("scan", ("F7",), "keys.scan"),
    Key("refresh", ("F5",), "keys.refresh"),
    Key("queue", ("Esc",), "keys.queue"),
    Key("prev_tab", ("Ctrl+PgUp",), "keys.tabs", shown="Ctrl+PgUp / Ctrl+PgDown"),
    Key("next_tab", ("Ctrl+PgDown",), ""),
    Key("help", ("F1", "?"), "keys.help"),
)
# Not a shortcut of ours, listed in the overlay: Qt's own focus keys.
LISTED_ONLY = (Key("tab", (), "keys.tab", shown="Tab / Shift+Tab"),)


def install(window: QWidget, actions: dict[str, Callable[[], None]]) -> list[QShortcut]:
    """Bind every shortcut whose action `actions` has, for the whole window."""
    made = []
    for key in SHORTCUTS:
        action = actions.get(key.name)
        if action is None:
            continue
        for sequence in key.keys:
            shortcut = QShortcut(QKeySequence(sequence), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)
            made.append(shortcut)
    return made


class ShortcutOverlay(QFrame):
    """The ? overlay: a panel over the window listing every key; any key closes it."""

    def __init__(self, parent: QWidget, extra: tuple[tuple[str, str], ...] = ()) -> None:
        """`extra`: (keys, "日本語 / English") of the window's other shortcuts (its actions')."""
        super().__init__(parent)
        self.setObjectName("shortcut-overlay")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#shortcut-overlay { background: #FFFFFF; border: 2px solid #0A2A57;"
            " border-radius: 8px; }"
            " QLabel { color: #111111; }"
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFont(parent.font())  # the desktop's Japanese family, as everywhere
        self.setAccessibleName(tr("keys.title"))
        self._back: QWidget | None = None
        title = QLabel(tr("keys.title"), self)
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        rows = []
        for key in (*SHORTCUTS, *LISTED_ONLY):
            if key.text:
                shown = key.shown or " / ".join(
                    QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) or s
                    for s in key.keys
                )
                rows.append((shown, ja(key.text), tr(key.text).split(" / ", 1)[1]))
        for shown, text in extra:
            japanese, _, english = text.partition(" / ")
            rows.append((shown, japanese, english))
        for row, (shown, japanese_text, english_text) in enumerate(rows):
            keys = QLabel(shown, self)
            keys.setStyleSheet(
                "font-family: monospace; font-weight: bold; background: #ECEFF1;"
                " padding: 2px 6px; border-radius: 3px;"
            )
            grid.addWidget(keys, row, 0, Qt.AlignmentFlag.AlignRight)
            japanese_label = QLabel(japanese_text, self)
            japanese_label.setFont(parent.font())
            grid.addWidget(japanese_label, row, 1)
            english_label = QLabel(english_text, self)
            english_label.setStyleSheet("color: #37474F;")
            grid.addWidget(english_label, row, 2)
        close = QLabel(tr("keys.close"), self)
        close.setStyleSheet("color: #37474F;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.close_overlay()
        else:
            self.open_overlay()

    def open_overlay(self) -> None:
        from PySide6.QtWidgets import QApplication

        self._back = QApplication.focusWidget()
        parent = self.parentWidget()
        assert parent is not None
        self.adjustSize()
        width = min(self.sizeHint().width(), parent.width() - 40)
        height = min(self.sizeHint().height(), parent.height() - 40)
        self.setGeometry(
            (parent.width() - width) // 2, (parent.height() - height) // 2, width, height
        )
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_overlay(self) -> None:
        self.hide()
        if self._back is not None:
            self._back.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._back = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        self.close_overlay()
        event.accept()
