"""Commands of the domain: `madoguchi forms …` (templates), `madoguchi keys …` (key pairs) and
`madoguchi i18n …` (the translation catalogues of every installed part)."""

from __future__ import annotations

import argparse

from forms.cli import i18n, keys, templates

REQUIRES: tuple[str, ...] = ()


def register(subparsers: argparse._SubParsersAction) -> None:
    templates.register(subparsers)
    keys.register(subparsers)
    i18n.register(subparsers)
