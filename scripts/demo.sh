#!/usr/bin/env bash
# The kiosk demo on embedded defaults (SQLite outbox, virtual My Number Card, PDF printer).
# With a display it opens the kiosk; without one it runs the scripted flow headless and says
# where the PDF and the screenshot went.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/.venv/bin:$PATH"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec madoguchi demo "$@"
else
  QT_QPA_PLATFORM=offscreen exec madoguchi demo --headless "$@"
fi
