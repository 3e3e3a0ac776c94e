"""`madoguchi demo [--headless]`: the whole kiosk flow on embedded defaults.

A virtual My Number Card with a fictional sample resident, the real confirm step writing an
outbox (SQLite) sealed to the embedded back office's key, a folder as the printer, and the
embedded back office itself (the real service on a loopback port) with the sync worker pushing
the outbox to it (`kiosk.embedded_office`). With `--headless` the flow runs scripted and
offscreen, writes the PDFs and screenshots into the output folder it prints, and ends once the
back office has acknowledged the application, printing its receipt numbers; without it the
kiosk window opens (windowed) on those defaults.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from kiosk.cli.common import CliError, print_json

DELIVERY_TIMEOUT_S = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="デモ / the whole flow on embedded defaults")
    p.add_argument("--headless", action="store_true", help="run the scripted flow offscreen")
    p.add_argument("--out", metavar="DIR", help="output folder (default: a new temp folder)")
    p.add_argument(
        "--delivery-timeout",
        type=float,
        default=DELIVERY_TIMEOUT_S,
        metavar="SECONDS",
        help="how long to wait for the back office's receipt (default 30)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    if not 0 < args.delivery_timeout <= 600:
        raise CliError(
            "--delivery-timeout は 0〜600 秒です", "--delivery-timeout must be 0-600 seconds"
        )
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="madoguchi-demo-"))
    if args.headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskWindow
    from kiosk.demo import DEMO_STAFF_PIN, build_demo, run_scripted

    app = QApplication.instance() or QApplication(sys.argv[:1])
    kit = build_demo(out)
    window = None
    try:
        kit.start_office(background=not args.headless)
        window = KioskWindow(kit.make_flow(), kit.services)
        window.resize(1280, 900)
        window.show()
        if not args.headless:
            print(f"demo: PIN {kit.profile.pin}, staff PIN {DEMO_STAFF_PIN}, output {out}")
            return int(app.exec())
        result = run_scripted(window, kit)
        receipts = kit.office.wait_delivered(result.keys, timeout=args.delivery_timeout)
        arrived = kit.office.backoffice.applications()
    finally:
        if window is not None:
            window.shutdown()
            window.close()
            window.deleteLater()
        kit.close()
    if args.json:
        print_json(
            {
                "out": str(out),
                "reception_number": result.reception_number,
                "printed": result.printed,
                "screenshots": result.screenshots,
                "outbox": str(out / "outbox.sqlite3"),
                "backoffice_receipts": receipts,
                "backoffice_applications": arrived,
            }
        )
    else:
        print(f"out: {out}")
        print(f"reception_number: {result.reception_number}")
        for path in result.printed:
            print(f"printed: {path}")
        for path in result.screenshots:
            print(f"screenshot: {path}")
        for receipt in receipts:
            print(f"backoffice_receipt: {receipt}")
        print(f"arrived: {arrived} application(s) in the back office")
    return 0
