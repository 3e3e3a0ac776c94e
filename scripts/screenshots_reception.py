"""Render the reception terminal and the call board to docs/screenshots/reception-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_reception.py
    xvfb-run -a .venv/bin/python scripts/screenshots_reception.py

Starts a real back office (`madoguchi backoffice serve`, SQLite in a temporary folder) on a
free port, pushes the shipped sample residents through the kiosk's sync client (fictional
people only), signs a staff account in, and saves the queue with a record open, the totals tab
and the call board. The server is stopped by its PID at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from forms.clock import office_clock  # noqa: E402

PASSWORD = "screenshot only 1"


def _wait(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def _save(widget: QWidget, path: Path, settle: float = 1.0) -> None:
    """Let Qt PDF render its pages (on its own thread) and the queue poll, then grab."""
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    widget.grab().save(str(path))
    sys.stdout.write(f"{path}\n")


def _provision(data_dir: Path):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from backoffice.context import open_context
    from backoffice.services import accounts
    from backoffice.settings import BackofficeSettings
    from sync.protocol.vocabulary import Role

    signing = Ed25519PrivateKey.generate()
    pem = signing.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    context = open_context(BackofficeSettings(data_dir=data_dir))
    try:
        with context.sessions() as session, session.begin():
            token = accounts.add_terminal(session, "kiosk-1f", Role.KIOSK, pem.decode())
            accounts.add_user(session, "sato", Role.STAFF, PASSWORD)
        return token, context.private_key.public_key()
    finally:
        context.close()


def _push_samples(url: str, token: str, office_key) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from forms.catalog import Catalog
    from forms.fill import fill
    from forms.sample_records import load_sample, sample_names
    from printing.render import render_application
    from sync.application import make_ingest_records
    from sync.client import OfficeClient

    catalog = Catalog.builtin()
    now = dt.datetime.now(dt.UTC)
    number = 100
    bodies = []
    for minutes, (template, sample) in enumerate(
        (t, r)
        for r in (load_sample(n) for n in sample_names())
        for t in catalog.latest()
        if fill(t, r).ok
    ):
        number += 1
        record = sample.model_copy(update={"id": uuid.uuid4()})
        pdf = render_application([fill(template, record)], reception_number=f"A-{number}")
        bodies += [
            r.model_dump_json()
            for r in make_ingest_records(
                record,
                [template],
                {template.id: pdf},
                kiosk_id="kiosk-1f",
                mode="resident",
                reception_number=f"A-{number}",
                office_public_key=office_key,
                measurement={
                    "step_seconds": {"identify": 20.0 + minutes, "review": 60.0, "sign": 15.0},
                    "typed_chars": 4 + minutes,
                    "prefilled_chars": 80,
                },
                created_at=now - dt.timedelta(minutes=40 - 3 * minutes),
            )
        ]
    with OfficeClient(url, token) as client:
        client.ingest(bodies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from backoffice.devserver import serve_subprocess
    from printing.spool import FolderSpooler
    from staff.background import RECEPTION_LANES, staff_lanes
    from staff.reception.window import ReceptionWindow
    from sync.client import OfficeClient

    with tempfile.TemporaryDirectory(prefix="madoguchi-reception-shots-") as temp:
        data_dir = Path(temp) / "office"
        token, office_key = _provision(data_dir)
        with serve_subprocess(
            data_dir=data_dir, log_path=data_dir / "server.log", start_timeout=30
        ) as url:
            _push_samples(url, token, office_key)
            ops = staff_lanes(RECEPTION_LANES)
            api = OfficeClient(url)
            api.login("sato", PASSWORD)
            window = ReceptionWindow(api, ops, FolderSpooler(Path(temp) / "printed"))
            window.resize(1600, 900)
            window.show()
            window.start()
            window.tabs.setCurrentIndex(1)  # 様式別一覧: the per-form queue (visits: tab 0)
            _wait(lambda: window.queue.model.rowCount() > 0)
            items = window.queue.model.items()
            first, second = items[0].receipt_number, items[1].receipt_number
            api.change_status(second, "in_review")
            api.call(second)
            window.queue.refresh()
            window.record.open(first)
            _wait(lambda: window.record.pdf_view.page_count > 0)
            window.queue.select(first)
            _save(window, args.out / "reception-1-queue-record.png")

            window.tabs.setCurrentWidget(window.totals)
            today = office_clock().today()
            window.totals.set_range(today - dt.timedelta(days=1), today)
            window.totals.load()
            _wait(lambda: window.totals.table.rowCount() > 0)
            _save(window, args.out / "reception-2-totals.png")

            board = window.open_call_board()
            _wait(lambda: board.lists and any(lst.count() for lst in board.lists.values()))
            _save(board, args.out / "reception-3-call-board.png")

            window.shutdown()
            window.close()
            api.logout()
            api.close()
            ops.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
