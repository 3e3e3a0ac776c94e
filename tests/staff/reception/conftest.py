"""Reception-terminal tests: one real back office (SQLite, `madoguchi backoffice serve` in its
own process on a free port, stopped by PID) for the whole session, provisioned with a kiosk
terminal that has a signing key, a staff account and an admin; offscreen Qt; a guard against
leaked top-level widgets."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt

from collections.abc import Iterator
from pathlib import Path

import pytest
from receptionkit import Office, start_office

from tests.kiosk.kioskkit import process_deletes


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    with start_office(tmp_path_factory.mktemp("reception-office")) as running:
        yield running


@pytest.fixture
def no_leaked_widgets(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    process_deletes()
    before = {id(w) for w in qapp.topLevelWidgets()}
    yield
    process_deletes()
    leaked = [type(w).__name__ for w in qapp.topLevelWidgets() if id(w) not in before]
    assert not leaked, f"leaked top-level widgets: {leaked}"


@pytest.fixture
def ops(qapp):  # type: ignore[no-untyped-def]
    from staff.background import RECEPTION_LANES, staff_lanes

    operations = staff_lanes(RECEPTION_LANES)
    yield operations
    operations.shutdown(10_000)
    process_deletes()


@pytest.fixture
def staff_api(office: Office):  # type: ignore[no-untyped-def]
    api = office.api("staff")
    yield api
    api.logout()
    api.close()


@pytest.fixture
def print_dir(tmp_path: Path) -> Path:
    return tmp_path / "printed"
