"""`madoguchi bench visit`: what a visit costs the resident, for scripted residents.

Drives the kiosk's flow headless on the demo kit's real parts (`kiosk.visits`): a household
of four moving in by My Number Card, the same household by pre-entry QR, one 住民票の写し
by typing, おくやみ for a 78-year-old on 後期高齢者医療 with 介護保険 (the notifier's own
card), a birth in a household with 児童手当 (the mother's card), the household of four
with a 転入予約 that the embedded back office (SQLite, in-process) holds and the card read
finds. For each: screens shown,
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
from typing import TYPE_CHECKING, cast

from madoguchi.bench.stats import line

if TYPE_CHECKING:
    from kiosk.demo import DemoKit
    from madoguchi.demo.embedded_office import DemoOffice


def _kit_with_office(folder: Path) -> DemoKit:
    """A demo kit with the embedded back office (the real service on SQLite, in-process),
    its clock on the household sample's day, so the kiosk finds the 転入予約 imported there."""
    from kiosk.demo import build_demo
    from kiosk.visits import household_sample, visit_day
    from madoguchi.demo.embedded_office import DemoOffice

    day = visit_day(household_sample())

    def office(data: Path, outbox: Path, kiosk_public_pem: str) -> DemoOffice:
        return DemoOffice(data, outbox, signing_key_pem=kiosk_public_pem, clock=day)

    return build_demo(folder, office=office)


def run(args: argparse.Namespace) -> None:
    from kiosk.demo import build_demo
    from kiosk.visits import (
        NEEDS_OFFICE,
        RESIDENTS,
        household_sample,
        reservation_file,
        run_visit,
    )

    rows = []
    for resident in RESIDENTS:
        with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
            make = _kit_with_office if resident in NEEDS_OFFICE else build_demo
            kit = make(Path(tmp))
            try:
                if resident in NEEDS_OFFICE:
                    office = cast("DemoOffice", kit.start_office())
                    office.backoffice.import_reservations(reservation_file(household_sample()))
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
