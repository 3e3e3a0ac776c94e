#!/usr/bin/env bash
# The whole test suite from a fresh Debian/Ubuntu machine: set-up, lint, import contracts, pytest.
# Servers the tests need (pcscd + vpcd, cupsd + cups-pdf, PostgreSQL, uvicorn, Chromium) are
# started by session fixtures and stopped by PID when the run ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/.venv/bin:$PATH"
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
ruff check .
ruff format --check .
echo "== import contracts"
lint-imports
echo "== types"
mypy
echo "== pytest"
exec pytest "$@"
