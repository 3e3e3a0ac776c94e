"""`madoguchi bench visit`: what a visit costs the resident, for scripted residents.

Drives the kiosk's flow headless on the demo kit's real parts (`kiosk.visits`): a household
of four moving in by My Number Card, the same household by pre-entry QR, one 住民票の写し
by typing. For each: screens shown, taps, characters typed, characters prefilled from the
card or the QR, and the characters the same forms need on paper (form by form), with the
ratio typed / paper. Counts, not times: the same every run.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from madoguchi.bench.stats import line


def run(args: argparse.Namespace) -> None:
    from kiosk.demo import build_demo
    from kiosk.visits import RESIDENTS, run_visit

    for resident in RESIDENTS:
        with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
            kit = build_demo(Path(tmp))
            try:
                figures = run_visit(kit, resident)
            finally:
                kit.close()
        for name, value, unit in figures.lines():
            line(name, value, unit)
        line(f"visit_{resident}_typed_over_card_or_qr", figures.typed_over_prefill, "chars")
