"""`madoguchi demo [--headless]`: the whole kiosk flow on embedded defaults.

A virtual My Number Card with a fictional sample resident, the real confirm step writing an
outbox (SQLite) sealed to the embedded back office's key, a folder as the printer, and the
embedded back office itself (the real service on a loopback port) with the sync worker pushing
the outbox to it (`madoguchi.demo.embedded_office`). With `--headless` the flow runs scripted and
offscreen, writes the PDFs and screenshots into the output folder it prints, and ends once the
back office has acknowledged the application, printing its receipt numbers; without it the
kiosk window opens (windowed) on those defaults.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from forms.command_line import CliError, print_json

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
    from kiosk.demo import DEMO_STAFF_PIN, build_demo
    from kiosk.gui.launch import run_demo_headless, run_demo_window
    from madoguchi.demo import embedded_office
    from madoguchi.demo.embedded_office import DemoOffice

    kit = build_demo(out, office=embedded_office)
    try:
        if not args.headless:
            print(f"demo: PIN {kit.profile.pin}, staff PIN {DEMO_STAFF_PIN}, output {out}")
            return run_demo_window(kit)
        office = kit.start_office()
        assert isinstance(office, DemoOffice)  # the factory above made it
        result = run_demo_headless(kit)
        receipts = office.wait_delivered(result.keys, timeout=args.delivery_timeout)
        arrived = office.backoffice.applications()
    finally:
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
