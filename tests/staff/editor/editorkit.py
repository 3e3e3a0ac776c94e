"""Helpers of the editor tests: accounts, and waits (each with a timeout)."""

from __future__ import annotations

PASSWORD = "correct horse battery"
ADMIN = "kanri"
STAFF = "sato"
WAIT_MS = 15_000


def sign_in(qtbot, window, username: str = ADMIN, password: str = PASSWORD) -> None:
    """Type the credentials and press the button, as an admin would; wait for the list."""
    page = window.sign_in_page
    page.username.setText(username)
    page.password.setText(password)
    with qtbot.waitSignal(window.listed, timeout=WAIT_MS):
        page.button.click()


def open_template(qtbot, window, template_id: str, version: int | None = None) -> None:
    version = version or window.template_list.latest_version(template_id)
    with qtbot.waitSignal(window.opened, timeout=WAIT_MS):
        window.open_version(template_id, version)
    wait_preview(qtbot, window)


def wait_preview(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.preview.busy, timeout=WAIT_MS)


def wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
