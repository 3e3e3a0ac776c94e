"""The Qt binding we ship must survive a long-running kiosk's signal traffic.

PySide6 6.12.0 dropped one reference to `True` on every `Signal.emit()` from Python; after a
few thousand emits the interpreter aborted ("bool_dealloc"). pyproject.toml keeps us below it;
this test fails if an upgrade brings such a binding back.
"""

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Probe(QObject):
    fired = Signal(object)
probe = Probe()
seen = []
probe.fired.connect(seen.append)
before = sys.getrefcount(True)
for n in range(20000):
    probe.fired.emit(n)
print(len(seen), sys.getrefcount(True) - before)
"""


def test_twenty_thousand_emits_leave_true_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    emitted, leaked = map(int, done.stdout.split())
    assert emitted == 20000
    assert abs(leaked) < 100
