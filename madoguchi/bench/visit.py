"""`madoguchi bench visit`: what a visit costs the resident, for scripted residents.

Drives the kiosk's flow headless on the demo kit's real parts (`kiosk.visits`): a household
of four moving in by My Number Card, the same household by pre-entry QR, one 住民票の写し
by typing, おくやみ for a 78-year-old on 後期高齢者医療 with 介護保険 (the notifier's own
card), a birth in a household with 児童手当 (the mother's card). For each: screens shown,
taps, characters typed, characters prefilled from the card or the QR, and the characters the
same forms need on paper (form by form), with the ratio typed / paper. One block of
`name: value unit` lines per visit, then a table of the same figures (its rows are
`visit_table: …` lines). Counts, not times: each visit is dated on its sample's day,
so the figures are the same every run.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from madoguchi.bench.stats import line


def run(args: argparse.Namespace) -> None:
    from kiosk.demo import build_demo
    from kiosk.visits import RESIDENTS, run_visit

    rows = []
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
        rows.append(figures)
    width = max(len(f.resident) for f in rows)
    columns = ("screens", "taps", "typed", "prefilled", "paper", "typed/paper")
    print(f"visit_table: {'visit':<{width}}  " + "  ".join(columns))
    for f in rows:
        ratio = f.typed / f.paper if f.paper else 0.0
        values = (f.screens, f.taps, f.typed, f.prefilled, f.paper)
        cells = [f"{v:>{len(c)}}" for v, c in zip(values, columns, strict=False)]
        print(f"visit_table: {f.resident:<{width}}  " + "  ".join([*cells, f"{ratio:>11.3f}"]))
