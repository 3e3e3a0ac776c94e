"""`madoguchi preentry serve`: the smartphone pre-entry site.

Keys come from a folder (default: the key folder of `madoguchi keys`): the site's signing key
`preentry-signing.key` and the office's counter public key `counter.pub`. It never needs the
counter's private key. Without `--keys` and with no keys in the default folder it makes a
throw-away pair for a demo and says so on stderr (no counter can read those QR codes).
"""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from forms.command_line import CliError

if TYPE_CHECKING:
    from forms.catalog import Catalog


REQUIRES = ("fastapi", "jinja2", "uvicorn")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("preentry", help="スマートフォン事前入力サイト / pre-entry site")
    sub = p.add_subparsers(dest="preentry_command", metavar="COMMAND", required=True)
    serve = sub.add_parser("serve", help="サイトを起動 / serve the site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8300)
    serve.add_argument(
        "--keys",
        type=Path,
        default=None,
        help="preentry-signing.key と counter.pub のフォルダ / folder with the site's keys",
    )
    serve.add_argument(
        "--https",
        action="store_true",
        help="TLS の背後で動かす（Secure クッキー, HSTS）/ behind TLS: Secure cookies and HSTS",
    )
    serve.add_argument(
        "--trust-forwarded-for",
        action="store_true",
        help="プロキシの X-Forwarded-For を使う / rate-limit by the proxy's X-Forwarded-For",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=None,
        metavar="NAME",
        help="受け付ける Host ヘッダー（複数可）/ a Host the site answers to (repeat; default: "
        "localhost, 127.0.0.1, ::1 and --host)",
    )
    serve.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="署名付き様式バンドル / signed template bundle from `madoguchi admin export-bundle`",
    )
    serve.add_argument(
        "--bundle-key",
        type=Path,
        default=None,
        help="様式バンドルの署名公開鍵 / the bundle signer's public key (templates-signing.pub)",
    )
    serve.add_argument("--rate-burst", type=int, default=60)
    serve.add_argument("--rate-per-second", type=float, default=1.0)
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.set_defaults(handler=_serve)


def load_site_keys(folder: Path) -> tuple[object, object]:
    """(signing private key, counter public key) from `folder`."""
    from forms.payload import keys

    signing = keys.load_signing_private_key(folder / keys.signing_private_name("preentry"))
    counter = keys.load_counter_public_key(folder / keys.COUNTER_PUBLIC)
    return signing, counter


def _keys(args: argparse.Namespace) -> tuple[object, object]:
    from forms.payload import keys

    folder = args.keys if args.keys is not None else keys.default_key_dir()
    wanted = [folder / keys.signing_private_name("preentry"), folder / keys.COUNTER_PUBLIC]
    if all(p.exists() for p in wanted):
        return load_site_keys(folder)
    if args.keys is not None:
        raise CliError(
            f"鍵がありません（{folder} に preentry-signing.key と counter.pub が必要）",
            f"no keys: {folder} needs preentry-signing.key and counter.pub",
        )
    signing, _ = keys.generate_signing_keypair()
    _, counter = keys.generate_counter_keypair()
    print(
        "madoguchi: 鍵がないため一時的な鍵で起動します（この QR コードは窓口では読めません）/ "
        f"no keys in {folder}: using throw-away demo keys, no counter can read these QR codes",
        file=sys.stderr,
    )
    return signing, counter


def site_catalog(templates: Path | None, bundle_key: Path | None) -> Catalog:
    """The shipped templates, or a signed bundle the office exported (the site has no network
    path to the office: templates arrive this way only)."""
    from forms.catalog import Catalog

    if templates is None:
        return Catalog.builtin()
    if bundle_key is None:
        raise CliError("--templates には --bundle-key が必要です", "--templates needs --bundle-key")
    from forms.payload.keys import load_signing_public_key
    from forms.signed_bundle import read_signed_bundle_catalog

    return read_signed_bundle_catalog(templates, [load_signing_public_key(bundle_key)])


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from preentry.app import create_app
    from preentry.settings import PreentrySettings, RateLimit

    if not 0 < args.port < 65536:
        raise CliError("ポート番号が不正です", "invalid port number")
    catalog = site_catalog(args.templates, args.bundle_key)
    signing, counter = _keys(args)
    settings = PreentrySettings(
        signing_key=signing,
        counter_public_key=counter,
        catalog=catalog,
        csrf_secret=secrets.token_bytes(32),
        rate_limit=RateLimit(burst=args.rate_burst, per_second=args.rate_per_second),
        https=args.https,
        trust_forwarded_for=args.trust_forwarded_for,
        allowed_hosts=tuple(
            args.allowed_host or dict.fromkeys(("localhost", "127.0.0.1", "::1", args.host))
        ),
    )
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    print(f"madoguchi: http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        server_header=False,
        proxy_headers=False,
    )
    return 0
