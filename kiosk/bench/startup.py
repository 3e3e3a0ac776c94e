"""`madoguchi bench startup`: process start → the kiosk's welcome screen shown.

Each sample starts a fresh Python process that builds the demo kiosk (catalogue, virtual card
thread, outbox, window) offscreen and reports once the welcome screen has been painted. The
baseline, measured in the same run, is a process that only imports PySide6.QtWidgets.
Target: ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from kiosk.bench.stats import line, median, ms

DEFAULT_RUNS = 5
READY = "welcome-shown"
PROBE = "from kiosk.bench.startup import probe; probe()"
BASELINE = "import PySide6.QtWidgets"
TIMEOUT_S = 60.0


def probe() -> None:
    """Child process: show the kiosk window and say so once the welcome screen is painted."""
    import tempfile

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskWindow
    from kiosk.demo import build_demo

    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        kit = build_demo(tmp)
        window = KioskWindow(kit.make_flow(), kit.services)
        window.resize(1280, 900)
        window.show()
        QCoreApplication.processEvents()
        window.grab()  # the welcome screen, painted
        print(READY, flush=True)
        window.shutdown()
        window.close()
        kit.close()
    del app


def _time_process(code: str, wait_for: str | None) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as child:
        assert child.stdout is not None
        if wait_for is None:
            child.wait(timeout=TIMEOUT_S)
            return time.perf_counter() - start
        for text in child.stdout:
            if text.strip() == wait_for:
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError("the kiosk probe ended without showing the welcome screen")
        child.wait(timeout=TIMEOUT_S)
    return elapsed


def run(args: argparse.Namespace) -> None:
    runs = args.runs or DEFAULT_RUNS
    _time_process(PROBE, READY)  # warm the file cache once
    kiosk = [_time_process(PROBE, READY) for _ in range(runs)]
    baseline = [_time_process(BASELINE, None) for _ in range(runs)]
    line("startup_welcome_shown_median", ms(median(kiosk)), "ms")
    line("startup_welcome_shown_max", ms(max(kiosk)), "ms")
    line("baseline_import_qtwidgets_median", ms(median(baseline)), "ms")
    line("startup_vs_baseline", median(kiosk) / median(baseline), "x")
    line("startup_target", 1500.0, "ms")
