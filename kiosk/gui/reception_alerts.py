"""職員を呼ぶ and the machine's own alerts to the reception: a press sends an alert (kept while
the back office is out of reach) with the current error's technical detail; a machine's fault
(printer, reader, network…) reaches the reception by itself, once per error."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.flow import Step
from kiosk.gui.overlay_host import OverlayHost
from kiosk.gui.screens.overlays import CallStaffScreen
from kiosk.trouble import technical_detail, trouble_of

log = logging.getLogger("kiosk.gui.app")  # the window's log


class ReceptionAlerts(OverlayHost):
    """The window's calls for help."""

    def call_staff(self) -> None:
        """An alert to the reception (kept while the back office is down), and a panel that
        tells the resident help is coming. The current error's detail goes with it."""
        flow = self.flow
        error = flow.error.error if flow.step is Step.ERROR and flow.error else None
        detail = technical_detail(error) if error is not None else ""
        self.calls += 1
        panel = CallStaffScreen(self)
        self.open_overlay(panel)
        self._raise_alert("call_staff", detail, panel)

    def _raise_alert(self, kind: str, detail: str, panel: CallStaffScreen | None = None) -> None:
        desk = self.services.desk
        if desk is None:
            if panel is not None:
                panel.show_queued(True)
            log.warning("no counter desk: alert %s not sent", kind)
            return
        step = self.flow.step.value
        pending = getattr(desk, "pending", None)

        def job() -> int:
            desk.raise_alert(kind, step=step, detail=detail)
            return pending() if pending is not None else 0

        def done(left: Any) -> None:
            if panel is not None and panel is self._overlay:
                panel.show_queued(bool(left))

        self.ops.run("desk", job, on_success=done, on_failure=lambda e: done(1))

    def _alert_machine_trouble(self) -> None:
        """A machine's fault (printer, reader, network…) reaches the reception by itself."""
        flow = self.flow
        if flow.step is not Step.ERROR or flow.error is None:
            return
        error = flow.error.error
        trouble = trouble_of(error)
        if not trouble.technical or id(error) in self._alerted or trouble.alert_kind is None:
            return
        self._alerted.add(id(error))
        self._raise_alert(trouble.alert_kind, technical_detail(error))
