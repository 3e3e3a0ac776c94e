"""`madoguchi card …`: PC/SC readers, reading a card, serving a virtual card to vpcd.

Exit codes: 0 read; 2 no reader / no card / not a supported card / removed; 3 wrong PIN (tries
left on stderr); 4 PIN blocked; 5 one try left and not confirmed (`--confirm-last-try`);
1 anything else. The PIN comes from stdin (`--pin-stdin`) or the terminal, never from argv.
`--individual-number` needs `--template ID` naming a form that declares
`uses_individual_number` (the legal basis); otherwise exit 2 before the card is touched.
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from typing import Any

from forms.command_line import CliError, print_json

READ_TIMEOUT = 60.0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("card", help="ICカード / IC cards over PC/SC")
    sub = p.add_subparsers(dest="card_command", metavar="ACTION", required=True)

    readers = sub.add_parser("readers", help="list PC/SC readers, one per line")
    readers.set_defaults(handler=_readers)

    read = sub.add_parser("read", help="read the basic four items of a card")
    read.add_argument("--reader", help="reader name (default: the first holding a card)")
    read.add_argument("--pin-stdin", action="store_true", help="read the 4-digit PIN from stdin")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument(
        "--individual-number",
        action="store_true",
        help="also read (and print) the 12-digit individual number (needs --template)",
    )
    read.add_argument(
        "--template",
        metavar="ID",
        help="the form the individual number or 本籍 is read for (must declare the need)",
    )
    read.add_argument("--licence", action="store_true", help="read a driver's licence IC card")
    read.add_argument(
        "--domicile",
        action="store_true",
        help="with --licence: also read 本籍 behind PIN 2 (needs --template declaring "
        "uses_licence_domicile; with --pin-stdin, PIN 2 is the second line)",
    )
    read.add_argument(
        "--confirm-last-try",
        action="store_true",
        help="allow the VERIFY when only one PIN try is left",
    )
    read.set_defaults(handler=_read)

    virtual = sub.add_parser("virtual", help="serve a virtual card to vpcd until stopped")
    virtual.add_argument(
        "--profile", required=True, help="resident profile YAML (or the name of a bundled one)"
    )
    virtual.add_argument("--index", type=int, default=0, help="which resident of the file")
    virtual.add_argument("--port", type=int, default=35963, help="vpcd port (35963: reader 00)")
    virtual.add_argument("--licence", action="store_true", help="a driver's licence card")
    virtual.add_argument("--tries", type=int, default=3, help="PIN tries left at start")
    virtual.set_defaults(handler=_virtual)


def _readers(args: argparse.Namespace) -> int:
    from devices.card import CardService, wait

    with CardService() as service:
        for name in wait(service.readers(), READ_TIMEOUT):
            print(name)
    return 0


def _check_domicile_need(args: argparse.Namespace) -> None:
    """Refuse `--domicile` unless it is a licence read for a form that declares the need."""
    if not args.licence:
        raise CliError(
            "本籍は運転免許証（--licence）からだけ読み取れます",
            "--domicile needs --licence (only the driver's licence holds 本籍)",
            exit_code=2,
        )
    from forms import locations
    from forms.catalog import Catalog
    from forms.errors import UnknownTemplate

    if not args.template:
        raise CliError(
            "本籍の読み取りには --template（本籍を使う様式）が必要です",
            "--domicile needs --template ID (a form that declares uses_licence_domicile)",
            exit_code=2,
        )
    catalog = Catalog.installed(locations.template_cache_dir())
    try:
        template = catalog.get(args.template)
    except UnknownTemplate as exc:
        raise CliError(exc.ja, exc.en, exit_code=2) from None
    if not template.uses_licence_domicile:
        raise CliError(
            f"様式 {template.id} は本籍を使いません",
            f"template {template.id} does not declare uses_licence_domicile",
            exit_code=2,
        )


def _check_legal_basis(template_ref: str | None) -> None:
    """Refuse `--individual-number` unless `--template` names a form with a legal basis."""
    if not template_ref:
        raise CliError(
            "個人番号の読み取りには --template（個人番号を扱う様式）が必要です",
            "--individual-number needs --template ID (a form that declares uses_individual_number)",
            exit_code=2,
        )
    from forms import locations
    from forms.catalog import Catalog
    from forms.errors import UnknownTemplate

    catalog = Catalog.installed(locations.template_cache_dir())
    try:
        template = catalog.get(template_ref)
    except UnknownTemplate as exc:
        raise CliError(exc.ja, exc.en, exit_code=2) from None
    if not template.uses_individual_number:
        raise CliError(
            f"様式 {template.id} は個人番号を扱いません（根拠条文がありません）",
            f"template {template.id} does not declare uses_individual_number (no legal basis)",
            exit_code=2,
        )


def _read(args: argparse.Namespace) -> int:
    from devices.card import CardService, wait

    if args.individual_number:  # before the PIN and the card: no legal basis, no read
        _check_legal_basis(args.template)
    if args.domicile:  # likewise: no declared need, no PIN 2 and no read
        _check_domicile_need(args)
    pin: bytearray | None = None
    pin2: bytearray | None = None
    if args.pin_stdin:
        pin = bytearray(sys.stdin.buffer.readline().rstrip(b"\r\n"))
        if args.domicile:
            pin2 = bytearray(sys.stdin.buffer.readline().rstrip(b"\r\n"))
    elif not sys.stdin.isatty():
        raise CliError("暗証番号は --pin-stdin で渡してください", "pass the PIN with --pin-stdin")

    def provide(tries: int) -> bytearray | str:
        if pin is not None:
            return pin
        return getpass.getpass(f"暗証番号 / PIN (残り{tries}回 / {tries} tries left): ")

    def provide2(tries: int) -> bytearray | str:
        if pin2 is not None:
            return pin2
        return getpass.getpass(f"暗証番号2 / PIN 2 (残り{tries}回 / {tries} tries left): ")

    def confirm() -> bool:
        if args.confirm_last_try:
            return True
        if pin is None and sys.stdin.isatty():
            answer = input("残り1回です。続けますか / one try left, continue? [y/N] ")
            return answer.strip().lower() in {"y", "yes", "はい"}
        return False

    try:
        with CardService() as service:
            card = wait(
                service.read(
                    args.reader,
                    kind="drivers_licence" if args.licence else "my_number",
                    pin=provide,
                    confirm_last_try=confirm,
                    individual_number=args.individual_number and not args.licence,
                    domicile_pin=provide2 if args.domicile else None,
                ),
                READ_TIMEOUT,
            )
    finally:
        for secret in (pin, pin2):
            if secret is not None:
                secret[:] = bytes(len(secret))

    out: dict[str, Any] = {
        "name": card.name,
        "address": card.address,
        "birth_date": card.birth_date.isoformat(),
        "sex": card.sex.value if card.sex is not None else None,
        "card": card.kind,
    }
    if card.kana:
        out["kana"] = card.kana
    if args.individual_number and card.individual_number is not None:
        out["individual_number"] = card.individual_number
    if args.domicile and card.domicile is not None:
        out["domicile"] = card.domicile
    if args.json:
        print_json(out)
    else:
        for key, value in out.items():
            print(f"{key}: {value}")
    return 0


def _virtual(args: argparse.Namespace) -> int:
    from devices.card.virtual import (
        VirtualLicence,
        VirtualMyNumberCard,
        VpcdCard,
        load_profiles,
        resolve_profile_file,
    )

    profiles = load_profiles(resolve_profile_file(args.profile))
    if not 0 <= args.index < len(profiles):
        raise CliError(
            f"--index は 0〜{len(profiles) - 1} です", f"--index must be 0..{len(profiles) - 1}"
        )
    profile = profiles[args.index]
    card = (
        VirtualLicence(profile, tries=args.tries)
        if args.licence
        else VirtualMyNumberCard(profile, tries=args.tries)
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = VpcdCard(card, port=args.port).start()
    kind = "driver's licence" if args.licence else "My Number Card"
    # The profile's label only: the resident's data stays off the terminal and out of logs.
    print(
        f"serving {profile.label} as a virtual {kind} on vpcd port {args.port} "
        f"({server.reader_name}); stop with Ctrl-C",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
