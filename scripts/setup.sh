#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: Debian packages, then .venv.
# Quick when everything is already there (checks dpkg and a stamp of pyproject.toml).
# `--fast` (for `scripts/test.sh --fast`): leaves out the system services' packages (pcscd and
# vpcd, CUPS, PostgreSQL, Chromium), which only the tests left out of the fast tier use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fast=0
[ "${1:-}" = "--fast" ] && fast=1

SERVICE_PACKAGES=(
  # card path: pcscd + vsmartcard virtual reader
  pcscd vsmartcard-vpcd
  # printing: CUPS with the cups-pdf virtual printer
  cups cups-client cups-bsd printer-driver-cups-pdf
  # back office production database
  postgresql
  # pre-entry page tests (and npm for axe-core, the accessibility checker they run)
  chromium chromium-driver nodejs
)
APT_PACKAGES=(
  # pyscard builds from source
  libpcsclite-dev swig
  # printing: fonts, PDF tools
  fonts-ipaexfont fonts-ipamj-mincho poppler-utils
  # the resident's summary page: Noto CJK (zh, ko), Noto Sans and Noto Sans Devanagari (Latin
  # with Vietnamese diacritics, Nepali)
  fonts-noto-cjk fonts-noto-core
  # read-aloud: Open JTalk with its dictionary (Japanese), espeak-ng (the other languages)
  open-jtalk open-jtalk-mecab-naist-jdic espeak-ng
  # QR decoding (pyzbar loads libzbar)
  libzbar0
  # the camera path's test: a video file made with ffmpeg, played through Qt Multimedia
  ffmpeg
  # tests at any hour: a process run with the system clock at the office's New Year
  faketime
  # Qt runtime libraries (offscreen and Xvfb) and screenshots
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 xvfb xauth
  # the locked-down kiosk session (cage's headless backend in tests; grim: the second client; x11-utils: window sizes)
  cage xwayland grim x11-utils
  # the back office behind nginx (tests/backoffice/test_backoffice_nginx.py)
  nginx
  # build tools
  gcc python3-dev
)

((fast)) || APT_PACKAGES+=("${SERVICE_PACKAGES[@]}")
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.madoguchi-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[all]"
  echo "$want" > "$stamp"
fi

# axe-core for the pre-entry pages' accessibility test (tests/preentry/test_preentry_axe.py),
# from the npm registry into a project-local folder (nothing global).
# Not in the fast tier (it runs no Chromium test).
if ! ((fast)); then
  AXE_VERSION=4.11.4
  AXE_DIR=.cache/axe
  if ! command -v npm >/dev/null; then  # Debian's nodejs comes without npm (NodeSource's has it)
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] \
    || ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
    mkdir -p "$AXE_DIR"
    npm install --prefix "$AXE_DIR" --no-audit --no-fund --silent "axe-core@$AXE_VERSION" \
      || echo "setup: axe-core not installed (npm registry unreachable?); the axe test will skip" >&2
  fi
fi
