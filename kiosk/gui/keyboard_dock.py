"""The keyboards docked under the screens: the 50音 keyboard for フリガナ, Qt Virtual Keyboard for
everything else (loaded the first time a field asks for it). A tap on a field shows its
keyboard; focus moving elsewhere on the screen hides it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QScrollArea, QWidget

from kiosk.gui.chrome import WindowChrome
from kiosk.gui.widgets.kana_keyboard import KanaKeyboard
from kiosk.gui.widgets.virtual_keyboard import KeyboardUnavailable, VirtualKeyboard

log = logging.getLogger("kiosk.gui.app")  # the window's log


class KeyboardDock(WindowChrome):
    """The window's keyboards."""

    def _build_keyboards(self) -> None:
        """The 50音 keyboard and the virtual keyboard (its Qt Quick part loads on first use)."""
        old = getattr(self, "_kana", None)
        if old is not None:
            self._keyboards.removeWidget(old)
            old.deleteLater()
        self._kana: KanaKeyboard | None = None  # made when a フリガナ field first asks
        if getattr(self, "virtual_keyboard", None) is None:
            # One for the window's life: Qt Virtual Keyboard's input context holds on to the
            # panel it first met, so a language switch retranslates it, never replaces it.
            self.virtual_keyboard = VirtualKeyboard(self.i18n)
            self._keyboards.addWidget(self.virtual_keyboard)
        else:
            self.virtual_keyboard.retranslate(self.i18n)
        self.virtual_keyboard.set_language(self.i18n.language)

    @property
    def kana_keyboard(self) -> KanaKeyboard:
        """The 50音 keyboard, made on first use (sixty keys the welcome screen need not wait
        for)."""
        if self._kana is None:
            self._kana = KanaKeyboard(self.i18n)
            self._kana.closed.connect(self._kana.hide)
            self._kana.hide()
            self._keyboards.insertWidget(0, self._kana)
        return self._kana

    def show_keyboard_for(self, edit: QLineEdit) -> bool:
        """The keyboard that fits `edit`: 50音 for フリガナ, else the virtual keyboard."""
        edit.setFocus()
        if edit.property("keyboard") == "kana":
            self.virtual_keyboard.hide()
            self.kana_keyboard.set_target(edit)
            self.kana_keyboard.show()
            shown = True
        else:
            if self._kana is not None:
                self._kana.hide()
            shown = self.virtual_keyboard.show_keyboard()
        if shown:
            QTimer.singleShot(0, self, lambda: self._keep_visible(edit))
        return shown

    def show_kana_keyboard(self, target: QLineEdit) -> None:
        target.setProperty("keyboard", "kana")
        self.show_keyboard_for(target)

    def hide_keyboards(self) -> None:
        if self._kana is not None:
            self._kana.hide()
        if self.virtual_keyboard.isVisible():
            QGuiApplication.inputMethod().hide()
            self.virtual_keyboard.hide()

    def _load_keyboard(self) -> None:
        """Load the virtual keyboard as the review opens (not at start-up): Qt Virtual
        Keyboard set up after a field without an input method had the focus (a フリガナ field
        on the 50音 keyboard) stays on the "C" locale, without Japanese."""
        try:
            self.virtual_keyboard.ensure_loaded()
        except KeyboardUnavailable as exc:
            log.warning("virtual keyboard unavailable: %s", exc)

    def _keep_visible(self, edit: QLineEdit) -> None:
        """The field stays in sight above the keyboard (its page scrolls to it)."""
        # `scroll_area`, not `scroll`: that name is QWidget.scroll(), a method, on every screen
        scroll = getattr(self.stack.currentWidget(), "scroll_area", None)
        if isinstance(scroll, QScrollArea) and scroll.isAncestorOf(edit):
            scroll.ensureWidgetVisible(edit, 50, 50)

    def _focus_moved(self, widget: QWidget) -> None:
        """Focus on another control of the screen puts the keyboards away."""
        if widget.property("keyboard") or not self.stack.isAncestorOf(widget):
            return
        if self.keyboards.isAncestorOf(widget):
            return
        self.hide_keyboards()

    def _input_method_visibility(self) -> None:
        """The virtual keyboard's own "hide" key: put its dock away too."""
        if not QGuiApplication.inputMethod().isVisible() and self.virtual_keyboard.loaded:
            self.virtual_keyboard.hide()
