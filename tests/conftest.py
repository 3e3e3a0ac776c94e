"""Suite-wide settings. Each area's conftest starts the servers it needs (by PID)."""

import os

# Qt must know before it loads: the GUI tests run offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
