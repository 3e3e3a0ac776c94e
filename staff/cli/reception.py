"""`madoguchi staff [--server URL]`: the reception terminal (GUI).

The server is `--server`, else `$MADOGUCHI_OFFICE_URL`, else the one this terminal was
enrolled with (`madoguchi staff enrol`), else http://127.0.0.1:8700. Over https:// the office
CA from enrolment is the only certificate authority trusted; without it the terminal does not
connect. Reprints
go to the CUPS queue `--printer` (or `$MADOGUCHI_STAFF_PRINTER`), else into a folder
(`--print-dir`, default `~/.local/share/madoguchi/reception/printed`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from forms.command_line import CliError
from staff.cli import enrol

DEFAULT_SERVER = "http://127.0.0.1:8700"
SERVER_ENV = "MADOGUCHI_OFFICE_URL"
PRINTER_ENV = "MADOGUCHI_STAFF_PRINTER"
DEFAULT_PRINT_DIR = Path("~/.local/share/madoguchi/reception/printed")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("staff", help="受付端末 / the reception terminal (GUI)")
    p.add_argument("--server", metavar="URL", help=f"back office (${SERVER_ENV}; {DEFAULT_SERVER})")
    p.add_argument("--user", metavar="NAME", default="", help="username to fill in")
    p.add_argument("--printer", metavar="QUEUE", help=f"CUPS queue for reprints (${PRINTER_ENV})")
    p.add_argument("--print-dir", metavar="DIR", type=Path, help="folder when there is no printer")
    p.add_argument("--call-board", action="store_true", help="also open the call board window")
    p.add_argument("--data-dir", metavar="DIR", help="where enrolment wrote the server and CA")
    p.set_defaults(handler=_staff)
    sub = p.add_subparsers(dest="staff_command", metavar="ACTION", required=False)
    enrol.register(sub)


def server_url(value: str | None, enrolled: str | None = None) -> str:
    url = (value or os.environ.get(SERVER_ENV) or enrolled or DEFAULT_SERVER).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise CliError(
            "--server は http:// か https:// で始まる URL です",
            "--server must be an http:// or https:// URL",
        )
    from sync.client import require_secure_url

    return require_secure_url(url, "--server")  # plain http:// only to this machine


def office_ca(url: str, data_dir: Path) -> Path | None:
    """The enrolled office CA for https:// (CliError if missing), None for loopback http://."""
    if not url.lower().startswith("https://"):
        return None
    from sync.enrolment import CA_FILE

    ca = data_dir / CA_FILE
    if not ca.is_file():
        raise CliError(
            f"認証局の証明書がありません（{ca}）。madoguchi staff enrol で登録してください",
            f"no office CA at {ca}; enrol this terminal with `madoguchi staff enrol`",
        )
    return ca


def _staff(args: argparse.Namespace) -> int:
    from sync.enrolment import read_enrolment

    data_dir = enrol.staff_data_dir(args.data_dir)
    url = server_url(args.server, read_enrolment(data_dir).get("server_url"))
    ca = office_ca(url, data_dir)
    from PySide6.QtWidgets import QApplication, QDialog

    from printing.spool import CupsSpooler, FolderSpooler
    from staff.background import RECEPTION_LANES, staff_lanes
    from staff.reception.login_dialog import LoginDialog
    from staff.reception.window import ReceptionWindow
    from sync.client import OfficeClient

    printer = args.printer or os.environ.get(PRINTER_ENV)
    spooler = (
        CupsSpooler(printer)
        if printer
        else FolderSpooler((args.print_dir or DEFAULT_PRINT_DIR).expanduser())
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ops = staff_lanes(RECEPTION_LANES)
    with OfficeClient(url, ca_file=ca) as api:
        try:
            login = LoginDialog(api, ops, username=args.user)
            if login.exec() != QDialog.DialogCode.Accepted:
                return 1
            window = ReceptionWindow(api, ops, spooler)
            window.resize(1600, 900)
            window.show()
            window.start()
            if args.call_board:
                window.open_call_board()
            return int(app.exec())
        finally:
            ops.shutdown()
