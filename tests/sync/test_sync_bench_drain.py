"""`madoguchi bench drain` with a tiny count, so that the benchmark cannot rot: it renders real
PDFs, queues sealed applications of realistic size, drains them into a real back office and
prints every figure, beside the plain-outbox baseline of the same run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

COUNT = 12
_LINE = re.compile(r"^(?P<name>[a-z_]+): (?P<value>[0-9.]+|yes|no)(?: (?P<unit>.+))?$")


def test_bench_drain_runs_with_a_tiny_count(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", "bench", "drain", "--count", str(COUNT)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    figures: dict[str, float] = {}
    for text in result.stdout.splitlines():
        match = _LINE.match(text)
        assert match, f"not a `name: value unit` line: {text!r}"
        figures[match["name"]] = float(match["value"])
    assert figures["drain_records"] == COUNT
    assert figures["drain_set_aside"] == 0 and figures["drain_failures"] == 0
    assert figures["drain_rate"] > 0 and figures["drain_throughput"] > 0
    assert figures["baseline_outbox_read_mark_rate"] > 0
    assert figures["baseline_outbox_read_mark_throughput"] > 0
    assert figures["ratio_drain_vs_baseline"] > 0
    # realistic records: real rendered PDFs, sealed with their record and signature
    assert figures["drain_pdf_size_mean"] > 40
    assert 100 < figures["drain_record_size_mean"] < 400
    assert not list(tmp_path.glob("madoguchi-drain-*"))  # its temporary files are gone
