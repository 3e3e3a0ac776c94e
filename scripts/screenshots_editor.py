"""Render the template editor to docs/screenshots/editor-*.png.

    xvfb-run -a .venv/bin/python scripts/screenshots_editor.py       # under Xvfb
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_editor.py

Starts a real back office (`madoguchi backoffice serve` on a throw-away SQLite data dir, a free
loopback port, stopped by PID at the end) with an admin and a staff account, then drives the
editor: sign-in, fields with the live preview (fictional sample residents only), layout
boxes, problems shown as you edit, a refusal by the back office, a bundle's navigator rule in its form, a staff account
turned away.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.gui.theme import japanese_family  # noqa: E402
from staff.editor.window import EditorWindow  # noqa: E402

PASSWORD = "screenshot password"
ADMIN, STAFF = "kanri", "sato"
WAIT_S = 30.0


@contextlib.contextmanager
def back_office(folder: Path) -> Iterator[str]:
    from backoffice.context import open_context
    from backoffice.devserver import serve_subprocess
    from backoffice.services import accounts
    from backoffice.settings import BackofficeSettings
    from sync.protocol.vocabulary import Role

    db_url = f"sqlite:///{folder / 'backoffice.db'}"
    context = open_context(BackofficeSettings(data_dir=folder, db_url=db_url))
    try:
        with context.sessions() as session, session.begin():
            accounts.add_user(session, ADMIN, Role.ADMIN, PASSWORD)
            accounts.add_user(session, STAFF, Role.STAFF, PASSWORD)
    finally:
        context.close()
    with serve_subprocess(
        data_dir=folder,
        db_url=db_url,
        log_path=folder / "server.log",
        cwd=ROOT,
        start_timeout=WAIT_S,
    ) as url:
        yield url


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.02)
    for _ in range(5):
        QCoreApplication.processEvents()
        time.sleep(0.02)


def shoot(window: EditorWindow, out: Path, name: str) -> None:
    QCoreApplication.processEvents()
    path = out / f"editor-{name}.png"
    window.grab().save(str(path))
    sys.stdout.write(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n")


def sign_in(window: EditorWindow, username: str) -> None:
    page = window.sign_in_page
    page.username.setText(username)
    page.password.setText(PASSWORD)
    page.button.click()


def open_latest(window: EditorWindow, template_id: str) -> None:
    version = window.template_list.latest_version(template_id)
    if version is None:
        raise LookupError(f"{template_id} is not published")
    window.open_version(template_id, version)


def edit(model, row: int, key: str, value: str) -> None:
    model.setData(model.index(row, model.column_of(key)), value, Qt.ItemDataRole.EditRole)


def run(out: Path, url: str) -> None:
    window = EditorWindow(url)
    window.setFont(QFont(japanese_family(), 10))
    window.resize(1600, 960)
    window.show()
    try:
        page = window.sign_in_page
        page.username.setText(ADMIN)
        shoot(window, out, "01-sign-in")

        sign_in(window, ADMIN)
        wait_until(lambda: window.template_list.entries != [], "the template list")
        window.template_list.expandAll()
        open_latest(window, "idou")
        wait_until(
            lambda: window.draft is not None and window.preview.last_pdf is not None, "the preview"
        )
        wait_until(lambda: not window.busy, "idle")
        window.field_table.selectRow(0)
        shoot(window, out, "02-fields-preview")

        window.tabs.setCurrentIndex(1)
        window.box_table.selectRow(0)
        shoot(window, out, "03-layout")

        edit(window.field_model, 1, "max_length", "12a")
        edit(window.box_model, 2, "w", "wide")
        wait_until(lambda: not window.busy, "idle")
        window.tabs.setCurrentIndex(0)
        shoot(window, out, "04-problems")

        edit(window.field_model, 1, "max_length", "")
        edit(window.box_model, 2, "w", "40")
        open_latest(window, "kokuho")
        wait_until(
            lambda: window.draft is not None and window.draft.template_id == "kokuho", "kokuho"
        )
        wait_until(lambda: not window.busy, "idle")
        window.publish()
        wait_until(lambda: "not published" in window.status.text(), "the refusal")
        shoot(window, out, "05-server-refusal")

        window.tabs.setCurrentIndex(2)
        bundles = window.bundle_editor
        bundles.chooser.setCurrentIndex(bundles.chooser.findData("okuyami"))
        bundles.parts.setCurrentIndex(2)  # the navigator's rules, in the form
        bundles.rules.list.setCurrentRow(2)
        shoot(window, out, "06-bundles")

        window.sign_out()
        wait_until(lambda: not window.busy, "signed out")
        sign_in(window, STAFF)
        wait_until(lambda: "admin" in page.message.text(), "the staff refusal")
        shoot(window, out, "07-staff-refused")
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with (
        tempfile.TemporaryDirectory(prefix="madoguchi-editor-shots-") as tmp,
        back_office(Path(tmp)) as url,
    ):
        run(args.out, url)
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
