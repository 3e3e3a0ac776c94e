"""Suite-wide settings and fixtures. Each area's conftest starts the servers it needs (by PID)."""

import itertools
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

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

# The modules that took most of the fast tier's time (85% of it, measured with
# `--durations=0` on the 2-core machine): marked `slow`, so `scripts/test.sh --fast` leaves them
# out; the full command runs them.
SLOW_MODULES = (
    "tests/backoffice/test_backoffice_concurrency.py",
    "tests/backoffice/test_backoffice_counter.py",
    "tests/backoffice/test_backoffice_export.py",
    "tests/backoffice/test_backoffice_reception.py",
    "tests/backoffice/test_backoffice_records.py",
    "tests/backoffice/test_backoffice_schemathesis.py",
    "tests/backoffice/test_backoffice_tls.py",
    "tests/forms/test_clock_defaults.py",
    "tests/forms/test_shipped_templates.py",
    "tests/kiosk/test_kiosk_bilingual.py",
    "tests/kiosk/test_kiosk_guided.py",
    "tests/kiosk/test_kiosk_sizes_contrast.py",
    "tests/kiosk/test_kiosk_window.py",
    "tests/madoguchi/test_demo_office.py",
    "tests/preentry/test_preentry_roundtrip.py",
    "tests/printing/test_print_cli.py",
    "tests/printing/test_print_render.py",
    "tests/qr/test_qr_cli.py",
    "tests/qr/test_qr_cli_refusals.py",
    "tests/qr/test_qr_photos.py",
    "tests/staff/editor/test_admin_cli.py",
    "tests/staff/editor/test_editor_draft.py",
    "tests/staff/editor/test_editor_window.py",
    "tests/staff/reception/test_reception_api.py",
    "tests/staff/reception/test_reception_window.py",
    "tests/sync/test_sync_bench_drain.py",
    "tests/sync/test_sync_chaos.py",
    "tests/sync/test_sync_confirm.py",
    "tests/sync/test_sync_faults.py",
    "tests/sync/test_sync_templates.py",
    "tests/sync/test_sync_worker.py",
)

# Single tests of the fast tier that took more than 3 s each (`--durations=30`, 2 cores, load
# 1.3, 2026-12-03): slow too. The benchmarks' smoke tests still run in the full command.
SLOW_TESTS = (
    "tests/preentry/test_preentry_privacy.py::test_a_full_submission_leaves_no_personal_data_in_logs_or_files",
    "tests/madoguchi/test_bench_smoke.py::test_bench_runs_with_a_tiny_count[qr]",
    "tests/madoguchi/test_bench_smoke.py::test_bench_runs_with_a_tiny_count[startup]",
    "tests/madoguchi/test_bench_smoke.py::test_bench_runs_with_a_tiny_count[drain]",
    "tests/madoguchi/test_bench_smoke.py::test_bench_runs_with_a_tiny_count[visit]",
    "tests/kiosk/test_kiosk_real_office.py::test_the_kiosk_learns_its_reserved_offline_letter",
    "tests/kiosk/test_kiosk_session.py::test_the_session_starts_seals_and_comes_back_after_sigkill",
    "tests/kiosk/test_kiosk_camera.py::test_a_video_file_through_the_camera_path_moves_the_flow_on",
    "tests/kiosk/test_kiosk_visits.py::test_bench_visit_prints_its_figures",
    "tests/backoffice/test_backoffice_metrics.py::test_served_logs_are_json_lines_without_personal_data",
)


def _deselects_every_slow_test(markexpr: str) -> bool:
    """True if `-m markexpr` leaves out every test marked slow, whatever other markers it has."""
    if not markexpr:
        return False
    expression = Expression.compile(markexpr)
    names = sorted(set(re.findall(r"[A-Za-z_][\w.]*", markexpr)) - {"and", "or", "not", "slow"})
    for size in range(len(names) + 1):
        for others in itertools.combinations(names, size):
            present = {"slow", *others}
            if expression.evaluate(lambda name, /, present=present, **_: name in present):
                return False
    return True


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A module of SLOW_MODULES is not even imported when `-m` deselects all of it (the fast
    tier): importing them cost each pytest-xdist worker seconds of collection."""
    if not collection_path.name.startswith("test_") or collection_path.suffix != ".py":
        return None
    try:
        relative = collection_path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return None
    if relative in SLOW_MODULES and _deselects_every_slow_test(config.option.markexpr):
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a service fixture (itself or through another fixture) gets the
    service's marker before `-m` selects: the fast tier never starts a service by accident."""
    for item in items:
        slow = item.nodeid.startswith(SLOW_MODULES) or item.nodeid in SLOW_TESTS
        if slow and item.get_closest_marker("slow") is None:
            item.add_marker("slow")
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
