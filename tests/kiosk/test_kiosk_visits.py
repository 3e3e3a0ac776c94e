"""The scripted residents of `madoguchi bench visit`: nothing the card or the QR holds is
typed again, and every visit types less than the same forms on paper."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from kiosk.visits import RESIDENTS, run_visit


@pytest.mark.parametrize("resident", RESIDENTS)
def test_a_scripted_visit_types_nothing_the_card_or_qr_holds(kit, resident: str) -> None:
    figures = run_visit(kit, resident)
    assert figures.typed_over_prefill == 0
    assert 0 <= figures.typed < figures.paper
    assert figures.screens >= 8 and figures.taps >= 8
    if resident == "moving_in_qr_4":
        assert figures.typed == 0 and figures.prefilled > 200  # the QR holds every answer
    if resident == "moving_in_card_4":
        assert figures.prefilled > 0 and figures.typed > 0  # the three others are typed
        assert set(figures.forms) >= {"idou", "kokuho", "jidou_teate"}
    if resident == "juminhyo_typed_1":
        assert figures.prefilled == 0
    assert re.fullmatch(r"[A-Z]-\d{3}", figures.call_number)


def test_bench_visit_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", "bench", "visit"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = [line.split(":")[0] for line in done.stdout.splitlines()]
    for resident in RESIDENTS:
        for figure in ("screens", "taps", "typed", "prefilled", "paper", "typed_vs_paper"):
            assert f"visit_{resident}_{figure}" in names
