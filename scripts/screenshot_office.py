"""What the reception screenshot scripts share (`screenshots_reception.py`,
`screenshots_visits.py`): a real back office on SQLite in a temporary folder with a kiosk and
a staff account, the reception window signed in on it, and waiting for and saving a screen.

Imported by those scripts from their own folder (run as `python scripts/<name>.py`); Qt's
platform is set by the script before this is imported.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

PASSWORD = "screenshot only 1"


def wait(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, path: Path, settle: float = 1.0) -> None:
    """Let Qt PDF render its pages (on its own thread) and the queue poll, then grab."""
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    widget.grab().save(str(path))
    sys.stdout.write(f"{path}\n")


def provision(data_dir: Path, *, signing_key: bool = False, admin: bool = False):
    """The kiosk "kiosk-1f" (with a fresh Ed25519 signing key if asked) and the staff account
    "sato" (and "admin"); returns the kiosk's token and the office's public key."""
    from backoffice.context import open_context
    from backoffice.services import accounts
    from backoffice.settings import BackofficeSettings
    from sync.protocol.vocabulary import Role

    pem = None
    if signing_key:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        signing = Ed25519PrivateKey.generate()
        pem = (
            signing.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
    context = open_context(BackofficeSettings(data_dir=data_dir))
    try:
        with context.sessions() as session, session.begin():
            token = accounts.add_terminal(session, "kiosk-1f", Role.KIOSK, pem)
            accounts.add_user(session, "sato", Role.STAFF, PASSWORD)
            if admin:
                accounts.add_user(session, "admin", Role.ADMIN, PASSWORD)
        return token, context.private_key.public_key()
    finally:
        context.close()


@dataclass(frozen=True)
class Office:
    url: str
    token: str  # the kiosk's
    office_key: Any
    temp: Path


@contextlib.contextmanager
def office(prefix: str, *, signing_key: bool = False, admin: bool = False) -> Iterator[Office]:
    """A provisioned back office serving on a free port; stopped by its PID at the end."""
    from backoffice.devserver import serve_subprocess

    with tempfile.TemporaryDirectory(prefix=prefix) as temp:
        data_dir = Path(temp) / "office"
        token, office_key = provision(data_dir, signing_key=signing_key, admin=admin)
        with serve_subprocess(
            data_dir=data_dir, log_path=data_dir / "server.log", start_timeout=30
        ) as url:
            yield Office(url, token, office_key, Path(temp))


def staff_client(place: Office):
    """An OfficeClient signed in as "sato"."""
    from sync.client import OfficeClient

    api = OfficeClient(place.url)
    api.login("sato", PASSWORD)
    return api


@contextlib.contextmanager
def reception_window(place: Office, api) -> Iterator[tuple[Any, Any]]:
    """The reception window at 1600×900, shown and started, and its lanes; once the block has
    run, the window is shut and closed, `api` signed out and closed, the lanes shut down."""
    from printing.spool import FolderSpooler
    from staff.background import RECEPTION_LANES, staff_lanes
    from staff.reception.window import ReceptionWindow

    ops = staff_lanes(RECEPTION_LANES)
    window = ReceptionWindow(api, ops, FolderSpooler(place.temp / "printed"))
    window.resize(1600, 900)
    window.show()
    window.start()
    yield window, ops
    window.shutdown()
    window.close()
    api.logout()
    api.close()
    ops.shutdown()
