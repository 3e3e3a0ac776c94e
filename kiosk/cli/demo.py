"""`madoguchi demo [--headless]`: the whole kiosk flow on embedded defaults.

A virtual My Number Card with a fictional sample resident, the real confirm step writing an
outbox (SQLite) sealed to a key made for this run, and a folder as the printer. With
`--headless` the flow runs scripted and offscreen and writes the PDFs and screenshots into
the output folder it prints; without it the kiosk window opens (windowed) on those defaults.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from kiosk.cli.common import print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="デモ / the whole flow on embedded defaults")
    p.add_argument("--headless", action="store_true", help="run the scripted flow offscreen")
    p.add_argument("--out", metavar="DIR", help="output folder (default: a new temp folder)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="madoguchi-demo-"))
    if args.headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskWindow
    from kiosk.demo import DEMO_STAFF_PIN, build_demo, run_scripted

    app = QApplication.instance() or QApplication(sys.argv[:1])
    kit = build_demo(out)
    window = KioskWindow(kit.make_flow(), kit.services)
    window.resize(1280, 900)
    try:
        window.show()
        if not args.headless:
            print(f"demo: PIN {kit.profile.pin}, staff PIN {DEMO_STAFF_PIN}, output {out}")
            return int(app.exec())
        result = run_scripted(window, kit)
    finally:
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
            }
        )
    else:
        print(f"out: {out}")
        print(f"reception_number: {result.reception_number}")
        for path in result.printed:
            print(f"printed: {path}")
        for path in result.screenshots:
            print(f"screenshot: {path}")
    return 0
