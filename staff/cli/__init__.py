"""Commands of the staff desktop: `madoguchi staff` (reception) and `madoguchi admin` (editor)."""

from __future__ import annotations

import argparse

from staff.cli import editor, reception

REQUIRES = ("PySide6", "httpx", "reportlab")


def register(subparsers: argparse._SubParsersAction) -> None:
    reception.register(subparsers)
    editor.register(subparsers)
