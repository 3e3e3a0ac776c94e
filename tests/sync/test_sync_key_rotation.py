"""A kiosk offline through an office key rotation catches up.

The real back office runs in-process (its FastAPI app behind the kiosk's own `OfficeClient`);
the kiosk's outbox, key file and sync worker are the real ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sync_residents import ingest_records

from backoffice.app import create_app
from backoffice.context import open_context
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from forms.payload import keys
from madoguchi.cli import main
from sync.client import OfficeClient
from sync.office_key import OfficeKeyFile, OfficeKeyPull
from sync.outbox import Outbox
from sync.protocol.vocabulary import Role
from sync.sealing import SealError, open_sealed
from sync.worker import SyncWorker


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[TestClient, BackofficeSettings, str]]:
    settings = BackofficeSettings(data_dir=tmp_path / "office")
    context = open_context(settings)
    with context.sessions() as session, session.begin():
        token = accounts.add_terminal(session, "kiosk-t1", Role.KIOSK)
    with TestClient(create_app(settings, context)) as client:
        yield client, settings, token
    context.close()


def _rotate(settings: BackofficeSettings, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    store = ["--db", settings.database_url, "--data-dir", str(settings.data_dir)]
    assert main(["backoffice", "keys", "rotate", "--json", *store]) == 0
    return json.loads(capsys.readouterr().out)["current"]


def test_a_kiosk_offline_through_a_rotation_catches_up(
    office: tuple[TestClient, BackofficeSettings, str], tmp_path: Path, capsys
) -> None:
    http, settings, token = office
    kiosk_key = tmp_path / "kiosk" / "office_public.pem"
    first = keys.load_counter_private_key(settings.private_key_path)
    keys.save_public_key(first.public_key(), kiosk_key)  # what enrolment wrote
    key_file = OfficeKeyFile(kiosk_key)

    with Outbox(tmp_path / "kiosk" / "outbox.sqlite3") as outbox:
        outbox.add(ingest_records(2, key_file.current(), start=0))  # offline, before
        new = _rotate(settings, capsys)
        outbox.add(ingest_records(1, key_file.current(), start=2))  # offline, after: old key
        assert keys.fingerprint(key_file.current()) == keys.fingerprint(first.public_key())

        with OfficeClient("http://127.0.0.1", token, transport=http._transport) as client:
            worker = SyncWorker(outbox, client, office_key=OfficeKeyPull(kiosk_key))
            report = worker.run_once()  # back online
            assert report.office_key is not None and report.office_key.changed
            assert report.office_key.fingerprint == new
            assert report.sent == 3 and not report.set_aside and report.pending_left == 0
            assert keys.fingerprint(key_file.current()) == new  # no restart needed

            fresh = ingest_records(1, key_file.current(), start=3)
            with pytest.raises(SealError):  # sealed to the new key: the old one cannot open it
                open_sealed(fresh[0].sealed, first)
            outbox.add(fresh)
            again = worker.run_once()
            assert again.sent == 1 and not again.office_key.changed
        assert outbox.status().pending == 0
    assert kiosk_key.stat().st_mode & 0o777 == 0o600


def test_an_offline_office_leaves_the_key_file_alone(tmp_path: Path, office_key) -> None:
    path = tmp_path / "office_public.pem"
    keys.save_public_key(office_key.public_key(), path)
    before = path.read_bytes()
    with OfficeClient("http://127.0.0.1:9", "t0ken", timeout=0.5) as client:
        report = OfficeKeyPull(path).pull(client)
    assert report.offline and not report.changed and path.read_bytes() == before
