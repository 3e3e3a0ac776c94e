"""Suite-wide settings and fixtures. Each area's conftest starts the servers it needs (by PID)."""

import os
import time
from collections.abc import Iterator

import pytest

# Qt must know before it loads: the GUI tests run offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
