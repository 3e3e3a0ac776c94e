"""`madoguchi kiosk enrol`: enrol this kiosk with a one-time code from an admin.

    madoguchi kiosk enrol [--server URL] [--code CODE | --qr-image PNG | --scanner PORT]
                          [--data-dir DIR] [--keys DIR] [--json]

The code comes typed (asked for when not given), or from the admin's screen as a QR code
(a photo or screenshot with `--qr-image`, or a serial QR scanner with `--scanner`), which also
carries the server's URL. The kiosk's data-QR signing key (`kiosk-signing.key` in the key
folder) is made if missing, and its public half registered with the office; the terminal
token, office key and office CA land in the data folder (`sync.enrolment`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from forms.command_line import print_json


def register(sub: argparse._SubParsersAction) -> None:
    from sync.enrolment_options import add_code_options

    p = sub.add_parser("enrol", help="登録コードでこの窓口端末を登録 / enrol this kiosk")
    add_code_options(p)
    p.add_argument("--data-dir", metavar="DIR")
    p.add_argument("--keys", metavar="DIR", help="key folder (kiosk-signing.key)")
    p.set_defaults(handler=_enrol)


def scanned_qr(args: argparse.Namespace) -> str | None:
    """The enrolment QR code's text from `--qr-image` or `--scanner`, if one was given."""
    from devices.qr.once import enrolment_code_text
    from sync.protocol.enrolment import QR_SCHEME

    return enrolment_code_text(image=args.qr_image, scanner=args.scanner, prefix=f"{QR_SCHEME}:")


def _signing_public_pem(key_dir: Path) -> str:
    from forms.payload import keys

    private_path = key_dir / keys.signing_private_name("kiosk")
    if not private_path.exists():
        key, public = keys.generate_signing_keypair()
        keys.save_private_key(key, private_path)
        keys.save_public_key(public, key_dir / keys.signing_public_name("kiosk"))
    key = keys.load_signing_private_key(private_path)
    return keys.public_pem(key.public_key()).decode("ascii")


def _enrol(args: argparse.Namespace) -> int:
    from forms import locations
    from forms.payload import keys
    from sync.enrolment import enrol
    from sync.enrolment_options import code_and_server
    from sync.protocol.vocabulary import Role

    server, code = code_and_server(args, scanned_qr(args))
    data_dir = Path(args.data_dir) if args.data_dir else locations.data_dir()
    key_dir = Path(args.keys) if args.keys else keys.default_key_dir()
    enrolled = enrol(
        server,
        code,
        data_dir=data_dir,
        role=Role.KIOSK,
        signing_public_key_pem=_signing_public_pem(key_dir),
    )
    if args.json:
        print_json(enrolled.as_dict())
    else:
        print(f"登録しました / enrolled: {enrolled.name} ({enrolled.server_url})")
        print(f"窓口鍵 / office key: {enrolled.office_key_fingerprint}")
    return 0
