"""`madoguchi qr encode | decode | scan`: pre-entry payloads and QR codes in images.

Keys come from `--keys DIR` (default: the key folder, see `madoguchi keys`) or explicit files.
Every refusal is a one-line reason on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from forms.command_line import CliError, print_json, read_text
from forms.errors import MadoguchiError, UnknownTemplate, ValidationFailed

if TYPE_CHECKING:
    from forms.catalog import Catalog

# The payload codec (cryptography, cbor2, qrcode) is imported by the handlers: the `madoguchi`
# command loads every CLI module to build its parser, and `madoguchi kiosk` must start fast.


class NoCodeFound(MadoguchiError):
    code = "qr_none_found"
    exit_code = 1

    def __init__(self, path: str) -> None:
        super().__init__(f"QR コードが見つかりません: {path}", f"no QR code found in {path}")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("qr", help="QR コード / pre-entry QR payloads and QR images")
    sub = p.add_subparsers(dest="qr_command", metavar="ACTION", required=True)

    q = sub.add_parser("encode", help="記録を QR に / session record → payload QR image")
    q.add_argument("--template", required=True, help="template or bundle id (e.g. idou, moving_in)")
    q.add_argument("--version", type=int, default=None, help="template version (default: newest)")
    q.add_argument("--data", required=True, type=Path, help="session record JSON")
    q.add_argument("--out", required=True, type=Path, help="PNG (or SVG with --svg) to write")
    q.add_argument("--svg", action="store_true")
    q.add_argument("--digits-out", type=Path, default=None, help="also write the digits here")
    q.add_argument("--keys", type=Path, default=None, help="key folder")
    q.add_argument("--signing-key", type=Path, default=None, help="Ed25519 private key PEM")
    q.add_argument("--counter-public-key", type=Path, default=None, help="X25519 public key PEM")
    q.add_argument("--ttl-days", type=int, default=30)
    q.set_defaults(handler=_encode)

    q = sub.add_parser("decode", help="QR を記録に / payload (image or digits) → session record")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("image", nargs="?", type=Path, help="image with the QR code")
    src.add_argument("--text", help="the payload digits")
    q.add_argument("--json", action="store_true", help="record with templates, dates and signer")
    q.add_argument("--keys", type=Path, default=None, help="key folder")
    q.add_argument("--counter-key", type=Path, default=None, help="X25519 private key PEM")
    q.add_argument(
        "--signer-key", type=Path, action="append", default=None, help="trusted Ed25519 public key"
    )
    q.set_defaults(handler=_decode)

    q = sub.add_parser(
        "scan", help="画像内の QR の内容 / exact content of every QR code in images (binary: hex)"
    )
    q.add_argument("images", nargs="+", type=Path)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_scan)


def _key_dir(args: argparse.Namespace) -> Path:
    from forms.payload import keys

    return args.keys if args.keys is not None else keys.default_key_dir()


def _templates(catalog: Catalog, name: str, version: int | None) -> list[tuple[str, int]]:
    try:
        template = catalog.get(name, version)
        return [(template.id, template.version)]
    except UnknownTemplate:
        if version is not None:
            raise
    bundle = catalog.bundle(name)  # raises UnknownTemplate(name) if neither
    return [(t.id, t.version) for t in (catalog.get(i) for i in bundle.template_ids())]


def _encode(args: argparse.Namespace) -> int:
    import datetime as dt

    from forms.catalog import Catalog
    from forms.fill import fill
    from forms.payload import encode_payload, keys, prune_record, qr_image, qr_version
    from forms.record import SessionRecord

    catalog = Catalog.builtin()
    ids = _templates(catalog, args.template, args.version)
    templates = [catalog.get(t, v) for t, v in ids]
    record = SessionRecord.from_json(read_text(args.data))
    for template in templates:
        form = fill(template, record)
        if form.errors:
            for error in form.errors:  # each field by its path and label, never its value
                print(f"  - {error}", file=sys.stderr)
            raise ValidationFailed(form.errors)
    record = prune_record(record, templates)
    if args.ttl_days < 1:
        raise CliError("有効日数は1以上です", "--ttl-days must be at least 1")
    folder = _key_dir(args)
    signing = keys.load_signing_private_key(
        args.signing_key or folder / keys.signing_private_name("preentry")
    )
    counter = keys.load_counter_public_key(args.counter_public_key or folder / keys.COUNTER_PUBLIC)
    digits = encode_payload(
        record,
        ids,
        signing_key=signing,
        counter_public_key=counter,
        ttl=dt.timedelta(days=args.ttl_days),
    )
    args.out.write_bytes(qr_image(digits, svg=args.svg))
    if args.digits_out is not None:
        args.digits_out.write_text(digits + "\n", encoding="ascii")
    print(f"{args.out}: {len(digits)} digits, QR version {qr_version(digits)} (ECC M)")
    return 0


def _payload_texts(image: Path) -> list[str]:
    from devices.qr.images import scan_images

    codes = scan_images([image])[0]
    if not codes:
        raise NoCodeFound(str(image))
    return [c.text for c in codes]


def _decode(args: argparse.Namespace) -> int:
    from forms.catalog import Catalog
    from forms.payload import decode_payload, keys
    from forms.payload.errors import NotOurPayload

    folder = _key_dir(args)
    counter = keys.load_counter_private_key(args.counter_key or folder / keys.COUNTER_PRIVATE)
    signer_paths = args.signer_key or sorted(folder.glob("*-signing.pub"))
    if not signer_paths:
        raise CliError(
            f"信頼する署名鍵がありません（{folder}）", f"no trusted signing key in {folder}"
        )
    signers = [keys.load_signing_public_key(p) for p in signer_paths]
    catalog = Catalog.builtin()
    texts = [args.text] if args.text is not None else _payload_texts(args.image)
    refusal: MadoguchiError = NotOurPayload()
    for text in texts:  # an image may hold other codes beside ours: the first of ours wins
        try:
            decoded = decode_payload(
                text, counter_private_key=counter, signer_public_keys=signers, catalog=catalog
            )
        except NotOurPayload as exc:
            refusal = exc
            continue
        if args.json:
            print_json(
                {
                    "templates": [[t, v] for t, v in decoded.templates],
                    "issued_at": decoded.issued_at.isoformat(),
                    "expires_at": decoded.expires_at.isoformat(),
                    "signer": decoded.signer,
                    "record": json.loads(decoded.record.model_dump_json()),
                }
            )
        else:
            print(decoded.record.model_dump_json(indent=2))
        return 0
    raise refusal


def _scan(args: argparse.Namespace) -> int:
    from devices.qr.images import code_entries, scan_images

    results = scan_images(args.images)
    if args.json:
        print_json(
            [
                {"image": str(path), "codes": code_entries(codes)}
                for path, codes in zip(args.images, results, strict=True)
            ]
        )
    else:
        for codes in results:
            for code in codes:
                print(code.text)
    return 0
