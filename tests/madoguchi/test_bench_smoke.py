"""Every `madoguchi bench NAME` runs through the real CLI with its smallest counts, exits 0 and
prints its figures, among them a ratio to a baseline measured in the same run.

The names come from the bench command's own registry (`madoguchi.commands.bench.available`),
so a new benchmark is covered without touching this file. The figures are not checked: this is
a smoke test (a benchmark is never a timed test). A benchmark that needs a system service
starts and stops its own (pcscd, cupsd, a throwaway PostgreSQL cluster), as the areas'
fixtures do; it carries that service's marker, so `-m "not pcsc"` etc. leave it out and the
device lock (`flock /tmp/madoguchi-hw.lock`) covers it.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.commands.bench import available

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "card": pytest.mark.pcsc,  # pcscd + vpcd
    "pdf": pytest.mark.cups,  # cupsd + cups-pdf
    "ingest": pytest.mark.postgres,  # a throwaway PostgreSQL cluster (and SQLite)
}
TINY = ("--runs", "1", "--count", "2")  # each bench reads what it has: samples, records, photos
FIGURE = re.compile(r"(?P<name>[\w.]+): (?P<value>\S+)(?: .*)?")


def _is_ratio(name: str) -> bool:
    return "_vs_" in name or "ratio" in name


def _number(text: str) -> float:
    value = float(text)
    assert math.isfinite(value), text
    return value


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=SERVICES.get(n, ()), id=n) for n in available()]
)
def test_bench_runs_with_a_tiny_count(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", "bench", name, *TINY],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert len(lines) >= 3, done.stdout
    figures = {}
    for text in lines:
        found = FIGURE.fullmatch(text)
        assert found, f"not a `name: value unit` line: {text!r}"
        figures[found["name"]] = found["value"]
    ratios = {n: _number(v) for n, v in figures.items() if _is_ratio(n)}
    assert ratios, f"bench {name} printed no ratio line: {sorted(figures)}"
    # A ratio may be 0 where the measured figure is (the QR visit types no character); each
    # bench has at least one against a baseline that is a positive number.
    assert all(v >= 0 for v in ratios.values()), ratios
    assert any(v > 0 for v in ratios.values()), ratios
