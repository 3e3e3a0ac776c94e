"""`madoguchi print`: render a filled form (or a reception slip) to a PDF file or a CUPS queue.

    madoguchi print --template ID --data FILE (--out PDF | --printer NAME) [--reception-number N]
                    [--keys DIR [--office-key PEM]]
    madoguchi print --slip --reception-number N --procedure ID [--procedure ID ...]
                    (--out PDF | --printer NAME)

With `--keys DIR` every page carries the data QR (`printing.data_qr`), signed with the kiosk key
`DIR/kiosk-signing.key` and encrypted to the back office's public key (`--office-key`, default
the kiosk settings' `office_public.pem`), as the kiosk's confirm step prints it.

A record that does not validate is refused with every error listed (field refs and reasons,
never values), exit code 1. Printer problems exit with code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forms.catalog import Catalog
from forms.clock import office_clock
from forms.command_line import CliError, read_text
from forms.errors import ValidationFailed
from forms.fill import fill
from forms.record import SessionRecord

PRINTER_EXIT_CODE = 2


REQUIRES = ("reportlab", "PIL", "zxingcpp")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "print",
        help="様式・受付票を印刷 / print a filled form or a reception slip",
        description="様式を記入して PDF に出力または印刷します / render a form to PDF or a printer",
    )
    p.add_argument("--template", metavar="ID", help="様式ID / template id (e.g. juminhyo)")
    p.add_argument("--version", type=int, default=None, help="様式の版 / template version")
    p.add_argument("--data", metavar="FILE", help="記録データ (JSON) / session record JSON")
    p.add_argument("--slip", action="store_true", help="受付票を印刷 / print a reception slip")
    p.add_argument(
        "--procedure",
        action="append",
        default=[],
        metavar="ID",
        help="受付票の手続（繰り返し可）/ a procedure on the slip (repeatable)",
    )
    p.add_argument("--copies", type=int, default=1, help="受付票: 通数 / slip: copies of each")
    p.add_argument("--reception-number", default="0001", metavar="N", help="受付番号")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="PDF", help="PDF ファイルに保存 / write a PDF file")
    where.add_argument("--printer", metavar="NAME", help="CUPS のプリンタ名 / CUPS queue")
    p.add_argument("--timeout", type=float, default=60.0, help="印刷完了待ち秒数 / seconds to wait")
    p.add_argument("--keys", metavar="DIR", help="データQRを付ける / stamp the data QR (kiosk key)")
    p.add_argument("--office-key", metavar="PEM", help="窓口サーバーの公開鍵 / back office key")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    catalog = Catalog.builtin()
    if args.slip:
        if args.template or args.data:
            raise CliError(
                "--slip には --template/--data を指定できません",
                "--slip takes --procedure, not --template/--data",
            )
        pdf, title = _slip(args, catalog)
    else:
        if not args.template or not args.data:
            raise CliError("--template と --data が必要です", "--template and --data are required")
        pdf, title = _form(args, catalog)
    return _deliver(args, pdf, title)


def _form(args: argparse.Namespace, catalog: Catalog) -> tuple[bytes, str]:
    from printing.render import render_application

    template = catalog.get(args.template, args.version)
    record = SessionRecord.from_json(read_text(args.data))
    form = fill(template, record)
    if not form.ok:
        for error in form.errors:
            print(f"  - {error}", file=sys.stderr)
        raise ValidationFailed(form.errors)
    pdf = render_application(
        [form],
        reception_number=args.reception_number,
        issued_at=office_clock().now(),
        data_qr=_data_qr(args, record),
    )
    return pdf, f"{template.id} {args.reception_number}"


def _data_qr(args: argparse.Namespace, record: SessionRecord):
    if not args.keys:
        if args.office_key:
            raise CliError("--office-key には --keys が必要です", "--office-key needs --keys")
        return None
    from forms import locations
    from forms.payload import keys
    from printing.data_qr import DataQrStamper

    signing = keys.load_signing_private_key(Path(args.keys) / keys.signing_private_name("kiosk"))
    office = keys.load_counter_public_key(args.office_key or locations.office_key_file())
    return DataQrStamper(signing, office).for_record(record)


def _slip(args: argparse.Namespace, catalog: Catalog) -> tuple[bytes, str]:
    from printing.slip import render_slip

    if not args.procedure:
        raise CliError("--procedure が必要です", "--slip needs at least one --procedure")
    if args.copies < 1:
        raise CliError("--copies は1以上です", "--copies must be at least 1")
    procedures = []
    for template_id in args.procedure:
        template = catalog.get(template_id)
        fee = (template.fee_yen or 0) * (args.copies if template.fee_per_field else 1)
        procedures.append((template.title.ja, fee))
    pdf = render_slip(
        reception_number=args.reception_number,
        procedures=procedures,
        issued_at=office_clock().now(),
    )
    return pdf, f"slip {args.reception_number}"


def _deliver(args: argparse.Namespace, pdf: bytes, title: str) -> int:
    if args.out:
        try:
            Path(args.out).write_bytes(pdf)
        except OSError:
            raise CliError(f"書き込めません: {args.out}", f"cannot write {args.out}") from None
        print(args.out)
        return 0
    from printing.errors import SpoolError
    from printing.spool import CupsSpooler

    try:
        result = CupsSpooler(args.printer, timeout=args.timeout).print_pdf(pdf, title=title)
    except SpoolError as exc:
        exc.exit_code = PRINTER_EXIT_CODE
        raise
    print(f"{result.spooler} job {result.job_id} completed ({result.seconds:.2f} s)")
    return 0
