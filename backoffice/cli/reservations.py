"""`madoguchi backoffice reservations import FILE`: the 転入予約 (引越しワンストップ), a
JSON Lines or CSV file taken all or nothing (docs/reservations.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backoffice.cli.store import cli_actor, command, group, option, session, settings_of
from forms.command_line import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:
    rsub = group(sub, "reservations", "転入予約（引越しワンストップ）/ moving-in reservations")
    command(
        rsub,
        "import",
        "予約ファイルを取り込む（全件か無し）/ import a reservation file (all or nothing; "
        "docs/reservations.md)",
        import_file,
        options=(
            option("file", type=Path, metavar="FILE", help="JSON Lines or CSV (by its suffix)"),
            option("--format", choices=["jsonl", "csv"], help="override the suffix's format"),
        ),
        json=True,
    )


def import_file(args: argparse.Namespace) -> int:
    from backoffice.errors import ReservationFileRefused
    from backoffice.services import audit, reservations

    try:
        source = reservations.FileImport.from_path(args.file, args.format)
    except (OSError, UnicodeDecodeError):
        raise CliError("予約ファイルを読めません", "cannot read the reservation file") from None
    settings = settings_of(args)
    try:
        with session(args) as s:
            report = reservations.store(
                s, source, actor=cli_actor(), now=settings.office_clock.now()
            )
            audit.record(
                s, cli_actor(), audit.Action.IMPORT_RESERVATIONS, f"reservations:{report.imported}"
            )
    except ReservationFileRefused as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CliError(exc.ja, exc.en) from None
    if args.json:
        print_json({"imported": report.imported, "unchanged": report.unchanged})
        return 0
    print(f"imported: {report.imported}")
    print(f"unchanged: {report.unchanged}")
    return 0
