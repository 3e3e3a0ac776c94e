"""`madoguchi staff enrol`: enrol this reception terminal with a one-time code.

    madoguchi staff enrol [--server URL] [--code CODE | --qr-image PNG | --scanner PORT]
                          [--data-dir DIR] [--json]

A reception terminal's enrolment gives the machine, not a person, its identity: the office CA
(the only certificate authority it trusts from then on), the server's URL, and a terminal
credential of role `reception` (`terminal.token`) that reads no records, for what belongs to
the machine (its alerts and heartbeats, the call board). Staff still sign in on it with their
own accounts; `madoguchi staff` then finds the server and the CA here by itself.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from forms.command_line import print_json

DATA_ENV = "MADOGUCHI_STAFF_DIR"
DEFAULT_DATA_DIR = Path("~/.local/share/madoguchi/reception")


def staff_data_dir(value: str | Path | None = None) -> Path:
    return Path(value or os.environ.get(DATA_ENV) or DEFAULT_DATA_DIR).expanduser()


def register(sub: argparse._SubParsersAction) -> None:
    from sync.enrolment_options import add_code_options

    p = sub.add_parser(
        "enrol", help="登録コードでこの受付端末を登録 / enrol this reception terminal"
    )
    add_code_options(p)
    p.add_argument("--data-dir", metavar="DIR", help=f"(${DATA_ENV}; {DEFAULT_DATA_DIR})")
    p.set_defaults(handler=_enrol)


def _scanned(args: argparse.Namespace) -> str | None:
    from devices.qr.once import enrolment_code_text
    from sync.protocol.enrolment import QR_SCHEME

    return enrolment_code_text(image=args.qr_image, scanner=args.scanner, prefix=f"{QR_SCHEME}:")


def _enrol(args: argparse.Namespace) -> int:
    from sync.enrolment import enrol
    from sync.enrolment_options import code_and_server
    from sync.protocol.vocabulary import Role

    server, code = code_and_server(args, _scanned(args))
    enrolled = enrol(server, code, data_dir=staff_data_dir(args.data_dir), role=Role.RECEPTION)
    if args.json:
        print_json(enrolled.as_dict())
    else:
        print(f"登録しました / enrolled: {enrolled.name} ({enrolled.server_url})")
    return 0
