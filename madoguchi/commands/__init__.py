"""The umbrella's own commands: `madoguchi demo` and `madoguchi bench NAME`."""

from __future__ import annotations

import argparse

from madoguchi.commands import bench, demo

REQUIRES = ("PySide6", "fastapi", "sqlalchemy", "reportlab")


def register(subparsers: argparse._SubParsersAction) -> None:
    demo.register(subparsers)
    bench.register(subparsers)
