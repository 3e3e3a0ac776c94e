"""`madoguchi admin`: the template editor (GUI), and the signed template bundle for the
pre-entry site.

    madoguchi admin [--server URL]
    madoguchi admin export-bundle --out FILE [--signing-key PEM]
                                  [--server URL --user NAME (password on stdin) | --local] [--json]

The bundle is signed with an Ed25519 key (default `<key dir>/templates-signing.key`, made with
`madoguchi keys signing --name templates`); the pre-entry site trusts `templates-signing.pub`.
`--server` takes the newest published version of every template from the back office (an
admin signs in); `--local` the templates shipped with this installation.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from forms.command_line import CliError, print_json

SERVER_ENV = "MADOGUCHI_SERVER_URL"
DEFAULT_SERVER = "http://127.0.0.1:8000"


def _default_server() -> str:
    return os.environ.get(SERVER_ENV, DEFAULT_SERVER)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("admin", help="様式エディタ / the template editor (GUI)")
    p.add_argument("--server", default=None, help=f"back office URL (default ${SERVER_ENV})")
    p.add_argument("--windowed", action="store_true", help="not maximised")
    p.set_defaults(handler=_gui)
    sub = p.add_subparsers(dest="admin_command", metavar="ACTION", required=False)
    q = sub.add_parser(
        "export-bundle",
        help="事前入力サイト用の署名付き様式パッケージ / signed template bundle for pre-entry",
    )
    q.add_argument("--out", type=Path, required=True)
    q.add_argument("--signing-key", type=Path, default=None, help="Ed25519 private key PEM")
    source = q.add_mutually_exclusive_group()
    source.add_argument("--server", dest="bundle_server", default=None, help="back office URL")
    source.add_argument("--local", action="store_true", help="the shipped templates (default)")
    q.add_argument("--user", default=None, help="admin account for --server (password on stdin)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_export_bundle)


def _signing_key_path(args: argparse.Namespace) -> Path:
    from forms.payload import keys
    from staff.editor.bundle_export import SIGNING_KEY_NAME

    if args.signing_key is not None:
        return args.signing_key
    path = keys.default_key_dir() / keys.signing_private_name(SIGNING_KEY_NAME)
    if not path.exists():
        raise CliError(
            f"署名鍵がありません（{path}）。madoguchi keys signing --name {SIGNING_KEY_NAME} で作成してください",
            f"no signing key at {path}; make one with: madoguchi keys signing --name {SIGNING_KEY_NAME}",
        )
    return path


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("パスワード / password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _export_bundle(args: argparse.Namespace) -> int:
    from forms.catalog import Catalog
    from forms.payload import keys
    from staff.editor import bundle_export

    key = keys.load_signing_private_key(_signing_key_path(args))
    builtin = Catalog.builtin()
    if args.bundle_server is not None:
        from staff.editor.admin_api import AdminApi

        if not args.user:
            raise CliError("--server には --user が必要です", "--server needs --user")
        with AdminApi(args.bundle_server) as api:
            api.sign_in_admin(args.user, _read_password())
            try:
                templates, bundles = bundle_export.from_server(api, builtin.bundles())
            finally:
                api.logout()
    else:
        templates, bundles = bundle_export.from_catalog(builtin)
    size = bundle_export.write_signed_bundle(args.out, templates, bundles, key)
    summary = {
        "out": str(args.out),
        "bytes": size,
        "signer": keys.fingerprint(key.public_key()),
        "templates": [t.key for t in templates],
        "bundles": [b.id for b in bundles],
    }
    if args.json:
        print_json(summary)
    else:
        print(
            f"{args.out}: {len(templates)} templates, {len(bundles)} bundles, "
            f"{size} bytes, signed by {summary['signer']}"
        )
    return 0


def _gui(args: argparse.Namespace) -> int:
    import functools

    from PySide6.QtWidgets import QApplication

    from staff.cli.enrol import staff_data_dir
    from staff.cli.reception import office_ca
    from staff.editor.admin_api import AdminApi
    from staff.editor.window import EditorWindow
    from staff.theme import desktop_font
    from sync.enrolment import read_enrolment

    data_dir = staff_data_dir()
    server = args.server or os.environ.get(SERVER_ENV) or read_enrolment(data_dir).get("server_url")
    server = server or DEFAULT_SERVER
    # On an enrolled machine the editor trusts the office CA (and only it) over https://.
    ca = office_ca(server, data_dir) if server.lower().startswith("https://") else None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = EditorWindow(server, api_factory=functools.partial(AdminApi, ca_file=ca))
    window.setFont(desktop_font())
    if args.windowed:
        window.resize(1500, 900)
        window.show()
    else:
        window.showMaximized()
    return int(app.exec())
