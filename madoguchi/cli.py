"""`madoguchi`: a small dispatcher over the commands of every installed part.

Each part (forms, devices, printing, sync, backoffice, preentry, kiosk, staff, and this
package's own demo and benchmarks) declares a `register(subparsers)` function under the entry
point group `madoguchi.commands`, and a `REQUIRES` tuple of the third-party modules its
commands need. A part whose requirements are not installed (a reception terminal has no
FastAPI; a pre-entry server no PySide6) has no commands, so `madoguchi --help` lists what this
machine can actually run.

A handler returns an exit code; a `MadoguchiError` becomes one line on stderr (Japanese and
English) and exit code `error.exit_code` (default 1). A closed pipe (`… | head`) ends quietly.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from forms.errors import MadoguchiError

GROUP = "madoguchi.commands"


def _installed(module: ModuleType) -> bool:
    return all(
        importlib.util.find_spec(name) is not None for name in getattr(module, "REQUIRES", ())
    )


def parts(names: set[str] | None = None) -> Iterator[tuple[str, ModuleType]]:
    """(name, cli module) of every part (or of the parts `names`) whose commands can run on
    this machine."""
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        if names is not None and point.name not in names:
            continue
        module = importlib.import_module(point.value.partition(":")[0])
        if _installed(module):
            yield point.name, module


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every part's commands; with `command`, first only the part of that name (and the
    composition root): `madoguchi kiosk` starts without importing every other part's
    command modules. A command another part owns falls back to the full parser."""
    if command is not None:
        quick, commands = _parser(parts({command, "madoguchi"}))
        if command in commands:
            return quick
    return _parser(parts())[0]


def _parser(
    found: Iterator[tuple[str, ModuleType]],
) -> tuple[argparse.ArgumentParser, set[str]]:
    parser = argparse.ArgumentParser(
        prog="madoguchi",
        description="書かない窓口 Madoguchi — the 'don't make them write' counter",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    installed = set()
    for name, module in found:
        register: Callable[[argparse._SubParsersAction], None] = module.register
        register(subparsers)
        installed.add(name)
    if {"kiosk", "madoguchi"} <= installed:
        # The composition root wires the kiosk's demo to the embedded back office.
        subparsers.choices["kiosk"].set_defaults(demo_office=_embedded_office)
    return parser, set(subparsers.choices)


def _embedded_office(folder: Path, outbox_path: Path, kiosk_public_pem: str) -> Any:
    from madoguchi.demo import embedded_office

    return embedded_office(folder, outbox_path, kiosk_public_pem)


def _quiet_broken_pipe() -> int:
    """Stdout was closed by the reader: point it at /dev/null so the exit flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, as a shell reports it


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    first = words[0] if words and not words[0].startswith("-") else None
    parser = build_parser(first)
    args = parser.parse_args(words)
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except MadoguchiError as exc:
        print(f"madoguchi: {exc.ja} / {exc.en}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
