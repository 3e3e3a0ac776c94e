"""The panels the kiosk window shows over the current screen: the staff PIN (staff hold the
top-left corner for three seconds, or press Ctrl+Shift+F10), "start over?" before 中止, the
language chooser and "staff called". Closing a panel shows the flow's screen again, wherever
the flow went meanwhile."""

from __future__ import annotations

from forms.errors import MadoguchiError
from kiosk.gui.read_aloud import ReadAloud
from kiosk.gui.screens.base import Screen
from kiosk.gui.screens.overlays import CancelConfirmScreen
from kiosk.gui.screens.staff_unlock import StaffUnlockScreen
from kiosk.gui.window_base import NO_CANCEL_STEPS
from kiosk.i18n import Pair
from sync.protocol import Mode


class OverlayHost(ReadAloud):
    """Panels over the screens: at most one at a time."""

    def open_overlay(self, panel: Screen) -> None:
        if self._overlay is not None:
            self.close_overlay()
        self.hide_keyboards()
        self._overlay = panel
        self.stack.addWidget(panel)
        self.stack.setCurrentWidget(panel)
        panel.entered()
        self._update_top_bar()
        self._guide_aloud(panel)

    def close_overlay(self) -> None:
        if self._overlay is not None:
            overlay, self._overlay = self._overlay, None
            self.stack.removeWidget(overlay)
            overlay.deleteLater()
        screen = self.step_screen(self.flow.step)
        if self._shown_step is not self.flow.step:  # the flow moved on meanwhile
            self._shown_step = self.flow.step
            self.stack.setCurrentWidget(screen)
            screen.entered()
        self.stack.setCurrentWidget(screen)
        screen.refresh()
        self._update_top_bar()
        self._guide_aloud(screen)

    @property
    def overlay(self) -> Screen | None:
        return self._overlay

    def _staff_clicked(self) -> None:
        if self.flow.mode is Mode.STAFF:
            self.flow.leave_staff_mode()
            return
        self._open_staff_unlock()

    def _open_staff_unlock(self) -> None:
        self.open_overlay(StaffUnlockScreen(self))

    def close_staff_unlock(self) -> None:
        self.close_overlay()

    def unlock_staff(self, pin: str) -> Pair | None:
        try:
            self.flow.enter_staff_mode(pin)
        except MadoguchiError as exc:
            return self.i18n.error_pair(exc)
        self.close_staff_unlock()
        return None

    def ask_cancel(self) -> None:
        """中止: ask first (everything entered would go). Never while printing."""
        if self.flow.step in NO_CANCEL_STEPS:
            return
        self.open_overlay(CancelConfirmScreen(self))

    def confirm_cancel(self) -> None:
        self.close_overlay()
        if self.flow.step not in NO_CANCEL_STEPS:
            self.flow.cancel()
