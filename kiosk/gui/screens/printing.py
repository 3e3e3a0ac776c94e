"""Print: progress while the application and the slip go to the printer."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar

from kiosk.gui.screens.base import Controller, Screen


class PrintScreen(Screen):
    def __init__(self, controller: Controller) -> None:
        super().__init__(controller, "print.title")
        self.layout_.addWidget(self.text(self.i18n.pair("print.wait")))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator: spoolers report no percentage
        self.progress.setAccessibleName(self.i18n.both("print.title"))
        self.layout_.addWidget(self.progress)
        self.layout_.addStretch(1)

    def entered(self) -> None:
        self.c.start_print()
