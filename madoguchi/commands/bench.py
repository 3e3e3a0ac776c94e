"""`madoguchi bench NAME`: run one benchmark module of `madoguchi.bench`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil

import madoguchi.bench as bench_package


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench_package.__path__) if m.name != "stats")


def register(subparsers: argparse._SubParsersAction) -> None:
    names = available()
    p = subparsers.add_parser("bench", help="ベンチマーク / run a benchmark: " + ", ".join(names))
    p.add_argument("name", choices=names)
    p.add_argument("--runs", type=int, default=None, help="samples per figure (default: per bench)")
    p.add_argument(
        "--count", type=int, default=None, help="records/items to use (default: per bench)"
    )
    p.add_argument(
        "--instances",
        type=int,
        default=1,
        help="ingest: back-office instances on one PostgreSQL (kiosks split between them)",
    )
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    module = importlib.import_module(f"madoguchi.bench.{args.name}")
    module.run(args)
    return 0
