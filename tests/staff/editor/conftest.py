"""Template editor tests: offscreen Qt against a REAL back office (`madoguchi backoffice serve`
on SQLite, uvicorn on a free loopback port), started once per session and stopped by PID.

Accounts: an admin, a reception-staff user and a kiosk terminal, made in the database before
the server starts.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.vocabulary import Role
from tests.kiosk.kioskkit import process_deletes
from tests.staff.editor.editorkit import ADMIN, PASSWORD, STAFF, sign_in


@dataclass(frozen=True)
class OfficeServer:
    url: str
    kiosk_token: str
    log_path: Path


@pytest.fixture(scope="session")
def office_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeServer]:
    root = tmp_path_factory.mktemp("editor-office")
    db_url = f"sqlite:///{root / 'backoffice.db'}"
    context = open_context(BackofficeSettings(data_dir=root, db_url=db_url))
    try:
        with context.sessions() as session, session.begin():
            accounts.add_user(session, ADMIN, Role.ADMIN, PASSWORD)
            accounts.add_user(session, STAFF, Role.STAFF, PASSWORD)
            token = accounts.add_terminal(session, "kiosk-editor-test", Role.KIOSK)
    finally:
        context.close()
    log_path = root / "server.log"
    with serve_subprocess(data_dir=root, db_url=db_url, log_path=log_path, start_timeout=30) as url:
        yield OfficeServer(url, token, log_path)


@pytest.fixture
def no_leaked_widgets(qapp) -> Iterator[None]:
    """Fail a test that leaves a top-level widget behind (as in tests/kiosk)."""
    process_deletes()
    before = {id(w) for w in qapp.topLevelWidgets()}
    yield
    process_deletes()
    leaked = [type(w).__name__ for w in qapp.topLevelWidgets() if id(w) not in before]
    assert not leaked, f"leaked top-level widgets: {leaked}"


@pytest.fixture
def make_editor(qtbot, office_server: OfficeServer, no_leaked_widgets) -> Iterator[Callable]:
    """Build an EditorWindow on the test back office; shut down, closed and deleted after."""
    from staff.editor.window import EditorWindow

    windows: list[EditorWindow] = []

    def make() -> EditorWindow:
        window = EditorWindow(office_server.url)
        window.resize(1500, 900)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
        window.close()
        window.deleteLater()
    process_deletes()


@pytest.fixture
def editor(qtbot, make_editor):
    """An editor signed in as the admin, with the template list loaded."""
    window = make_editor()
    sign_in(qtbot, window)
    return window
