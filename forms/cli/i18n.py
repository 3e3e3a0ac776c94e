"""`madoguchi i18n status | compile | check | extract-templates` (logic in `forms.i18n`)."""

from __future__ import annotations

import argparse
import sys

from forms.command_line import print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("i18n", help="翻訳カタログ / translation catalogues")
    sub = p.add_subparsers(dest="i18n_command", metavar="ACTION", required=True)
    status = sub.add_parser("status", help="言語ごとの未確認の数 / unreviewed entries per language")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    sub.add_parser("compile", help=".po → .mo (fuzzy を含む / fuzzy included)").set_defaults(
        handler=_compile
    )
    sub.add_parser("check", help="欠け・置換子・古い .mo の検査 / check catalogues").set_defaults(
        handler=_check
    )
    sub.add_parser(
        "extract-templates", help="様式の文言をカタログへ / template texts into the catalogue"
    ).set_defaults(handler=_extract)


def _status(args: argparse.Namespace) -> int:
    from forms.i18n.commands import status_json, status_lines
    from forms.i18n.domains import installed_domains

    domains = installed_domains()
    if args.json:
        print_json(status_json(domains))
    else:
        print("\n".join(status_lines(domains)))
    return 0


def _compile(args: argparse.Namespace) -> int:
    from forms.i18n.commands import main

    return main(["compile"])


def _check(args: argparse.Namespace) -> int:
    from forms.i18n.commands import main

    code = main(["check"])
    if code:
        print("madoguchi: 翻訳カタログに問題があります / catalogue problems", file=sys.stderr)
    return code


def _extract(args: argparse.Namespace) -> int:
    from forms.i18n.commands import main

    return main(["extract-templates"])
