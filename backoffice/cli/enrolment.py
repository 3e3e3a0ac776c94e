"""`madoguchi backoffice terminal enrol NAME`: a one-time enrolment code for a new terminal,
printed, and as a QR code the new machine scans (`madoguchi kiosk enrol` / `staff enrol`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from backoffice.cli.store import cli_actor, command, option, session, settings_of
from forms.command_line import CliError, print_json


def register(tsub: argparse._SubParsersAction) -> None:
    command(
        tsub,
        "enrol",
        "新しい端末の登録コード（10分・1回限り）/ a one-time enrolment code for a new terminal",
        enrol,
        options=(
            option("name", help="the new terminal's name (e.g. kiosk-2f-1)"),
            option("--role", choices=["kiosk", "reception"], default="kiosk"),
            option(
                "--url",
                metavar="URL",
                help="the back office's address as the terminals reach it (https://…): put in "
                "the QR",
            ),
            option("--qr-out", type=Path, metavar="FILE", help="write the QR code (.png or .svg)"),
            option("--show-qr", action="store_true", help="draw the QR code on this terminal"),
        ),
        json=True,
    )


def enrol(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from backoffice.models import utcnow
    from backoffice.services import audit, enrolment
    from sync.protocol.enrolment import qr_text
    from sync.protocol.vocabulary import Role

    if (args.qr_out or args.show_qr) and not args.url:
        raise CliError("QR コードには --url が必要です", "a QR code needs --url")
    url = args.url.strip().rstrip("/") if args.url else None
    if url and urlsplit(url).scheme not in ("https", "http"):  # the new machine checks more
        raise CliError("--url は https:// で始めてください", "--url must be an https:// URL")
    settings = settings_of(args)
    actor = cli_actor()
    with session(args) as s:
        code, row = enrolment.create(
            s,
            args.name,
            Role(args.role),
            actor,
            ca_pem=enrolment.read_ca_pem(settings),
            ttl=settings.enrolment_ttl,
            now=utcnow(),
        )
        audit.record(s, actor, audit.Action.CREATE_ENROLMENT, f"enrolment:{row.name}:{row.role}")
        expires = row.expires_at
    text = qr_text(url, code) if url else None
    if args.qr_out:
        _write_qr(text or "", args.qr_out)
    if args.json:
        print_json(
            {
                "name": args.name,
                "role": args.role,
                "code": code,
                "expires_at": expires.isoformat(),
                "qr_text": text,
            }
        )
        return 0
    command_name = "kiosk" if args.role == "kiosk" else "staff"
    print(f"登録コード / enrolment code: {code}")
    print(f"有効期限 / expires: {expires.isoformat()} (10 min, once)")
    print(f"新しい端末で / on the new machine: madoguchi {command_name} enrol")
    if args.show_qr and text:
        import qrcode

        code_image = qrcode.QRCode(border=2)
        code_image.add_data(text)
        code_image.print_ascii(invert=True)
    return 0


def _write_qr(text: str, out: Path) -> None:
    import io

    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(box_size=10, border=4)
    code.add_data(text)
    buffer = io.BytesIO()
    if out.suffix.lower() == ".svg":
        code.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    else:
        try:
            code.make_image(fill_color="black", back_color="white").save(buffer)
        except ImportError:
            raise CliError(
                "PNG には Pillow が必要です（.svg を使ってください）",
                "PNG needs Pillow here; use a .svg file",
            ) from None
    from forms.private_files import write_private

    write_private(out, buffer.getvalue())  # a live code: 0600
