"""Commands of the domain: `madoguchi forms …` (templates) and `madoguchi keys …` (key pairs)."""

from __future__ import annotations

import argparse

from forms.cli import keys, templates

REQUIRES: tuple[str, ...] = ()


def register(subparsers: argparse._SubParsersAction) -> None:
    templates.register(subparsers)
    keys.register(subparsers)
