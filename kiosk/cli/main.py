"""`madoguchi` entry point.

Each module of this package that defines `register(subparsers)` adds its own subcommands, so a
command appears exactly when the feature behind it is built. A handler returns an exit code;
a `MadoguchiError` becomes one line on stderr and exit code `error.exit_code` (default 1).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import kiosk.cli as cli_package
from forms.errors import MadoguchiError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="madoguchi",
        description="書かない窓口 Madoguchi — the 'don't make them write' counter",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(cli_package.__path__), key=lambda m: m.name):
        if info.name in {"main", "common"}:
            continue
        module = importlib.import_module(f"kiosk.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except MadoguchiError as exc:
        print(f"madoguchi: {exc.ja} / {exc.en}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
