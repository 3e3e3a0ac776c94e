"""`madoguchi submit`: the kiosk's confirm step, headless (same code path as the kiosk)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forms.command_line import CliError, print_json, read_text


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "submit",
        help="申請を確定して送信待ちに入れる / confirm an application into the outbox (headless)",
    )
    p.add_argument(
        "--template",
        action="append",
        required=True,
        metavar="ID[@VERSION]",
        help="様式 (repeat for several forms of one application)",
    )
    p.add_argument("--data", required=True, metavar="FILE", help="session record JSON")
    p.add_argument("--db", metavar="PATH", help="outbox database (default: settings)")
    p.add_argument("--office-key", metavar="PEM", help="back office public key (X25519 PEM)")
    p.add_argument("--kiosk-id", metavar="ID")
    p.add_argument("--mode", choices=["resident", "staff"], default="resident")
    p.add_argument("--signature", metavar="PNG", help="the resident's signature image")
    p.add_argument("--pdf-out", metavar="PDF", help="also write the rendered PDF here")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_submit)


def _submit(args: argparse.Namespace) -> int:
    from forms.payload.keys import load_counter_public_key
    from forms.record import SessionRecord
    from kiosk.confirm import ApplicationInvalid, confirm_application
    from sync.outbox import Outbox
    from sync.protocol import Mode
    from sync.settings import KioskSettings
    from sync.templates import TemplateCache

    settings = KioskSettings.from_env(
        db_path=args.db, office_key=args.office_key, kiosk_id=args.kiosk_id
    )
    record = SessionRecord.from_json(read_text(args.data))
    catalog = TemplateCache(settings.template_cache).catalog()
    templates = [catalog.get(*_template_ref(ref)) for ref in args.template]
    signature = _read_bytes(args.signature) if args.signature else None
    office_key = load_counter_public_key(settings.office_key)
    with Outbox(settings.db_path) as outbox:
        try:
            confirmation = confirm_application(
                record,
                templates,
                outbox=outbox,
                office_public_key=office_key,
                kiosk_id=settings.kiosk_id,
                mode=Mode(args.mode),
                signature_png=signature,
            )
        except ApplicationInvalid as exc:
            print(f"madoguchi: {exc.ja} / {exc.en}", file=sys.stderr)
            for error in exc.errors:
                print(f"  - {error}", file=sys.stderr)
            return 1
    if args.pdf_out:
        from forms.private_files import write_private

        write_private(Path(args.pdf_out), confirmation.pdf)  # 0600 in 0700 folders
    if args.json:
        print_json(
            {
                "reception_number": confirmation.reception_number,
                "records": [
                    {"uuid": str(key), "template_id": t.id, "template_version": t.version}
                    for key, t in zip(confirmation.keys, templates, strict=True)
                ],
            }
        )
    else:
        print(f"受付番号 / reception number: {confirmation.reception_number}")
        for key, t in zip(confirmation.keys, templates, strict=True):
            print(f"{t.id} v{t.version}: {key}")
    return 0


def _template_ref(ref: str) -> tuple[str, int | None]:
    template_id, _, version = ref.partition("@")
    if not version:
        return template_id, None
    if not version.isdigit():
        raise CliError(f"様式の版が不正です: {ref}", f"bad template version: {ref}")
    return template_id, int(version)


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"ファイルがありません: {path}", f"no such file: {path}") from None
