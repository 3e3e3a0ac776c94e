"""The options every `… enrol` command shares (`madoguchi kiosk enrol`, `madoguchi staff
enrol`): where the one-time code comes from. Light on purpose: building the command line
imports nothing heavy; `sync.enrolment` does the work when a command runs."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def add_code_options(p: argparse.ArgumentParser) -> None:
    """Where the code comes from: typed (asked when not given), or the admin's QR code."""
    p.add_argument("--server", metavar="URL", help="the back office (https://…), if not in a QR")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--code", metavar="CODE", help="the code as shown (asked if omitted)")
    source.add_argument(
        "--qr-image", type=Path, metavar="IMAGE", help="a photo/screenshot of the admin's QR code"
    )
    source.add_argument("--scanner", metavar="PORT", help="read the QR code with a serial scanner")
    p.add_argument("--json", action="store_true")


def code_and_server(args: argparse.Namespace, qr: str | None) -> tuple[str, str]:
    """(server URL, code): from the QR code's text, else the options and the keyboard."""
    from forms.command_line import CliError

    if qr is not None:
        from sync.protocol.enrolment import parse_qr_text

        server, code = parse_qr_text(qr)
        return args.server or server, code
    if not args.server:
        raise CliError(
            "--server を指定するか QR コードを使ってください", "give --server, or use the QR code"
        )
    code = args.code
    if code is None:
        if sys.stdin.isatty():
            code = getpass.getpass("登録コード / enrolment code: ")  # not echoed
        else:
            code = sys.stdin.readline().strip()
    return args.server, code
