"""The editor's retention screen against a real back office (`madoguchi backoffice serve` on
SQLite): the declared period, the admin's shorter setting (a longer one is refused), and the
dry run's count of what `retention run` would erase, which changes nothing.

The office's finished applications are placed in the database before the server starts, dated
from the office clock's now (so the test holds on any date): two far past every period, one
900 days old (kept under 住民票's 3 years, expired under 1 year), one from today. They carry
no personal data (an empty record).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.models import Application
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from forms.clock import OfficeClock
from sync.protocol.vocabulary import Role, Status
from tests.kiosk.kioskkit import process_deletes
from tests.staff.editor.editorkit import ADMIN, PASSWORD, WAIT_MS, sign_in

AGES_DAYS = (20 * 366, 19 * 366, 900, 0)


def _application(n: int, at: dt.datetime) -> Application:
    return Application(
        uuid=uuid.uuid4(),
        receipt_number=f"R{n:07d}",
        body_sha256="0" * 64,
        template_id="juminhyo",
        template_version=1,
        kiosk_id="kiosk-retention",
        terminal="kiosk-retention",
        mode="self",
        reception_number=f"{n:04d}",
        created_at=at,
        received_at=at,
        status=Status.DONE.value,
        status_changed_at=at,
        status_changed_by="sato",
        record_json="{}",
        visit_key=uuid.uuid4(),
        measurement_json="{}",
        pdf=b"",
        has_pdf=False,
        updated_at=at,
    )


@pytest.fixture(scope="module")
def retention_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("retention-office")
    db_url = f"sqlite:///{root / 'backoffice.db'}"
    context = open_context(BackofficeSettings(data_dir=root, db_url=db_url))
    now = OfficeClock().now()
    try:
        with context.sessions() as session, session.begin():
            accounts.add_user(session, ADMIN, Role.ADMIN, PASSWORD)
            for n, days in enumerate(AGES_DAYS, start=1):
                session.add(_application(n, now - dt.timedelta(days=days)))
    finally:
        context.close()
    with serve_subprocess(
        data_dir=root, db_url=db_url, log_path=root / "server.log", start_timeout=30
    ) as url:
        yield url, db_url


def _stored(db_url: str) -> int:
    context = open_context(BackofficeSettings(data_dir=Path(db_url[10:]).parent, db_url=db_url))
    try:
        with context.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Application)) or 0)
    finally:
        context.close()


def _row(dialog, template_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    [row] = [r for r, p in enumerate(dialog.periods) if p.template_id == template_id]
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def test_the_admin_sees_shortens_and_previews_retention(  # type: ignore[no-untyped-def]
    qtbot, retention_office, no_leaked_widgets
) -> None:
    from staff.editor.window import EditorWindow

    url, db_url = retention_office
    window = EditorWindow(url)
    window.resize(1400, 800)
    window.show()
    try:
        sign_in(qtbot, window)
        dialog = window.open_retention()
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)

        # declared 3 years, in force 3; the dry run would delete the two oldest
        row = _row(dialog, "juminhyo")
        assert row[1].startswith("3 年") and row[2].startswith("3 年") and row[5] == "2"
        assert dialog.preview is not None and dialog.preview.records_deleted == 2
        assert "住民基本台帳" in row[7]
        assert _stored(db_url) == len(AGES_DAYS)  # the dry run changed nothing

        # the boxes stop at the declaration; the back office refuses a longer period anyway
        dialog.select("juminhyo")
        assert dialog.years_box.maximum() == 3 and not dialog.days_box.isEnabled()
        with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS) as refused:
            dialog.save("juminhyo", 5, None)
        assert "never lengthened" in refused.args[0] and "長く" in refused.args[0]

        # shortened to 1 year: the 900-day-old one joins the preview; still nothing erased
        dialog.select("juminhyo")
        dialog.years_box.setValue(1)
        with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
            dialog.save_selected()
        row = _row(dialog, "juminhyo")
        assert row[2].startswith("1 年") and "短縮" in row[2] and row[5] == "3"
        assert _stored(db_url) == len(AGES_DAYS)
        out = os.environ.get("MADOGUCHI_RETENTION_SHOT")
        if out:
            qtbot.wait(50)
            assert dialog.grab().save(out)

        # back to the declaration
        dialog.select("juminhyo")
        with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
            dialog.reset_selected()
        row = _row(dialog, "juminhyo")
        assert row[2] == "3 年 / y" and row[5] == "2"
        dialog.close()
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        process_deletes()
