"""Suite-wide settings and fixtures. Each area's conftest starts the servers it needs (by PID)."""

import os
import time
from collections.abc import Iterator

import pytest

# Qt must know before it loads: the GUI tests run offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The fixtures that start a system service, and the marker a test that uses one must carry
# (`scripts/test.sh --fast` leaves those markers out).
SERVICE_FIXTURES = {
    "pcscd": "pcsc",
    "vpcd_server": "pcsc",
    "cups": "cups",
    "postgres_url": "postgres",
    "postgres_server_url": "postgres",
    "browser": "chromium",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a service fixture (itself or through another fixture) gets the
    service's marker before `-m` selects: the fast tier never starts a service by accident."""
    for item in items:
        for name in getattr(item, "fixturenames", ()):
            marker = SERVICE_FIXTURES.get(name)
            if marker is not None and item.get_closest_marker(marker) is None:
                item.add_marker(marker)


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest) -> None:
    """Under `scripts/test.sh --fast`, a service fixture reached at run time (getfixturevalue)
    fails the test, naming the marker it lacks, instead of starting the service."""
    marker = SERVICE_FIXTURES.get(fixturedef.argname)
    if marker is not None and os.environ.get("MADOGUCHI_TEST_NO_SERVICES"):
        pytest.fail(
            f"{request.node.nodeid} starts {fixturedef.argname}: mark it {marker}",
            pytrace=False,
        )


@pytest.fixture(params=["UTC", "Asia/Tokyo"])
def machine_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The process's local zone (TZ, then tzset): what the office clock says must not depend
    on it. The office's own zone stays the default, Asia/Tokyo."""
    monkeypatch.setenv("TZ", request.param)
    monkeypatch.delenv("MADOGUCHI_OFFICE_TZ", raising=False)
    time.tzset()
    try:
        yield request.param
    finally:
        monkeypatch.undo()
        time.tzset()
