"""Commands of the resident kiosk: `madoguchi kiosk` (GUI) and `madoguchi submit` (headless)."""

from __future__ import annotations

import argparse

from kiosk.cli import kiosk, submit

REQUIRES = ("PySide6", "smartcard", "reportlab", "sqlalchemy", "httpx")


def register(subparsers: argparse._SubParsersAction) -> None:
    kiosk.register(subparsers)
    submit.register(subparsers)
