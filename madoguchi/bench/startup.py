"""`madoguchi bench startup`: process start → the kiosk's welcome screen shown.

Each sample starts a fresh Python process that runs the real command, `madoguchi kiosk --demo
--windowed` (the CLI's parser with every subcommand module, the demo kit: catalogue, virtual
card thread, keys; the window) offscreen, and reports once the welcome screen has been painted
(a timer queued before the command runs fires on the first turn of its event loop; it grabs
the window, says so and quits). What the window defers until after that (the QR and confirm
lanes' warm-up, the embedded back office) is not counted: the resident can already touch the
screen. The baseline, measured in the same run, is a process that only imports
PySide6.QtWidgets. Target: ≤ 1.5 s, and at most 3× the baseline.

Both run as an installed kiosk runs: with Python's bytecode cache (here a private
`PYTHONPYCACHEPREFIX`, filled by a first unmeasured run of each), even where the environment
says PYTHONDONTWRITEBYTECODE. The kiosk's child has the on-screen keyboard's input context
loaded (`QT_IM_MODULE=qtvirtualkeyboard`, as `madoguchi kiosk` sets it); the keyboard's Qt
Quick part is loaded only when a field first asks for it, so it is not counted here.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from madoguchi.bench.stats import line, median, ms

DEFAULT_RUNS = 5
READY = "welcome-shown"
PROBE = "from madoguchi.bench.startup import probe; probe()"
BASELINE = "import PySide6.QtWidgets"
TIMEOUT_S = 60.0


def probe() -> None:
    """Child process: run `madoguchi kiosk --demo` and say so once the welcome screen shows."""
    import tempfile

    from kiosk.gui.launch import announce_first_window
    from madoguchi.cli import main

    app = announce_first_window(READY)  # the command takes this one (QApplication.instance())
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        main(["kiosk", "--demo", "--windowed", "--data-dir", tmp])
    app.shutdown()


def _time_process(code: str, wait_for: str | None, cache: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
    import tempfile

    runs = args.runs or DEFAULT_RUNS
    with tempfile.TemporaryDirectory(prefix="madoguchi-pycache-") as cache:
        _time_process(PROBE, READY, cache)  # warm the file and bytecode caches once
        _time_process(BASELINE, None, cache)
        kiosk = [_time_process(PROBE, READY, cache) for _ in range(runs)]
        baseline = [_time_process(BASELINE, None, cache) for _ in range(runs)]
    line("startup_welcome_shown_median", ms(median(kiosk)), "ms")
    line("startup_welcome_shown_max", ms(max(kiosk)), "ms")
    line("baseline_import_qtwidgets_median", ms(median(baseline)), "ms")
    line("startup_vs_baseline", median(kiosk) / median(baseline), "x")
    line("startup_target", 1500.0, "ms")
