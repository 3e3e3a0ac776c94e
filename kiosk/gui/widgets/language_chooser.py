"""The language chooser: the ten languages of `forms.i18n.LANGUAGES`, each named in its own
script (no flags), as big buttons in the chooser's order.

The same grid sits on the welcome screen and in the panel the top bar's ことば button opens on
any screen (`kiosk.gui.screens.overlays.LanguageScreen`). A name reads the same whatever the
kiosk's language, so its label is marked as data (never translated); the chosen one is
checked.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QWidget

from forms.i18n import LANGUAGES
from kiosk.gui.theme import BIGGER_BODY_PX
from kiosk.gui.widgets.bilingual import BiButton, mark_data
from kiosk.i18n import Pair

COLUMNS = 5  # two rows of five at 1280 px, with both text sizes …
BIGGER_COLUMNS = 4  # … and three rows of four with any text bigger than that
MAX_FIVE_PX = BIGGER_BODY_PX


class LanguageChooser(QWidget):
    chosen = Signal(str)  # a language code of forms.i18n

    def __init__(self, current: str) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(12)
        self.columns = 0
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, BiButton] = {}
        for language in LANGUAGES:
            # A button of the kiosk's own kind (its colours follow the checked state in both
            # themes); the name is marked as data: it reads the same in every language.
            button = BiButton(Pair(language.native_name), role="option", checkable=True)
            mark_data(button.lead)
            button.lead.setProperty("script", language.code)  # its own face (theme)
            button.box.setContentsMargins(6, 2, 6, 2)  # five names a row fit
            button.setProperty("language", language.code)
            button.setChecked(language.code == current)
            button.clicked.connect(lambda _=False, code=language.code: self.chosen.emit(code))
            self.group.addButton(button)
            self.buttons[language.code] = button
        self._arrange(COLUMNS)

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        for button in self.buttons.values():
            self.grid.removeWidget(button)
        for column in range(max(columns, self.columns)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        for i, button in enumerate(self.buttons.values()):
            self.grid.addWidget(button, i // columns, i % columns)
        self.columns = columns

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """Text bigger than the bigger-text mode's: four names a row, not five."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            size = self.font().pixelSize()
            self._arrange(BIGGER_COLUMNS if size > MAX_FIVE_PX else COLUMNS)

    def choose(self, code: str) -> None:
        """As a tap on the language's button."""
        self.buttons[code].click()

    def focus_current(self) -> None:
        for button in self.buttons.values():
            if button.isChecked():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
