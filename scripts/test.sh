#!/usr/bin/env bash
# The whole test suite from a fresh Debian/Ubuntu machine: set-up, lint, import contracts, pytest.
# Servers the tests need (pcscd + vpcd, cupsd + cups-pdf, PostgreSQL, uvicorn, Chromium) are
# started by session fixtures and stopped by PID when the run ends. This is the CI command.
#
# `--fast` (a development aid for the edit-test loop, under 2 minutes on 2 cores): the same
# lint, contracts and types, then only the tests that need no system service (not pcsc, cups,
# postgres, chromium, nor the slow and venvs tests), on one pytest-xdist worker per core;
# set-up skips the services' Debian packages but still makes sure .venv is there. Every other
# argument goes to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fast=0
args=()
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then fast=1; else args+=("$arg"); fi
done
if ((fast)); then
  bash scripts/setup.sh --fast
else
  bash scripts/setup.sh
fi
export PATH="$ROOT/.venv/bin:$PATH"
export QT_QPA_PLATFORM=offscreen
# Bytecode caches (__pycache__, git-ignored), as Python keeps them by default: with
# PYTHONDONTWRITEBYTECODE set (some containers do), every pytest-xdist worker and every
# command a test runs (the CLI tests start hundreds) compiled the whole project again, and
# pytest rewrote the asserts of every test module again (~7 s of each worker's collection).
unset PYTHONDONTWRITEBYTECODE
echo "== ruff"
ruff check .
ruff format --check .
echo "== import contracts"
lint-imports
echo "== types"
mypy
echo "== pytest"
if ((fast)); then
  # Markers of the tests that need a system service or are slow (pyproject.toml lists them).
  export MADOGUCHI_TEST_NO_SERVICES=1  # tests/conftest.py: a service fixture fails loudly
  # pytest-xdist: one worker per core (no session service to share in this tier)
  exec pytest -n auto -m "not pcsc and not cups and not postgres and not chromium and not slow and not venvs" \
    ${args[@]+"${args[@]}"}
fi
exec pytest ${args[@]+"${args[@]}"}
