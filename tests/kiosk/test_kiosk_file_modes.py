"""Files of the kiosk that hold a resident's data are 0600 in 0700 folders, whatever the umask:
`submit --pdf-out` PDFs, the measurement log (metrics.jsonl) and the demo's screenshots."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from forms.payload.keys import public_pem
from forms.sample_records import load_sample
from kiosk.measurement import MetricsLog, SessionMetrics


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_submit_pdf_out_is_private(tmp_path: Path, umask: int) -> None:
    key = tmp_path / "office.pub.pem"
    key.write_bytes(public_pem(X25519PrivateKey.generate().public_key()))
    data = tmp_path / "record.json"
    data.write_text(load_sample("yoshino_household").model_dump_json(), encoding="utf-8")
    out = tmp_path / "made" / "here" / "application.pdf"
    env = {**os.environ, "MADOGUCHI_DATA_DIR": str(tmp_path / "data"), "MADOGUCHI_KIOSK_ID": "k1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "madoguchi.cli",
            "submit",
            "--template",
            "juminhyo",
            "--data",
            str(data),
            "--office-key",
            str(key),
            "--pdf-out",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )  # the child inherits this test's umask
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert mode(out) == 0o600
    assert mode(out.parent) == 0o700 and mode(out.parent.parent) == 0o700


def test_the_measurement_log_is_private(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "kiosk" / "data" / "metrics.jsonl"
    log = MetricsLog(path)
    log.append(SessionMetrics(mode="resident", method="card", templates=["juminhyo"]))
    log.append(SessionMetrics(mode="resident", method="card", templates=["juminhyo"]))
    assert len(path.read_text().splitlines()) == 2
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    path.chmod(0o644)  # an older file is tightened at the next line
    log.append(SessionMetrics(mode="resident", method="card", templates=["juminhyo"]))
    assert mode(path) == 0o600


def test_screenshots_are_written_private(qapp, tmp_path: Path, umask: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPixmap

    from forms.private_files import write_private
    from kiosk.gui.scripted import png_bytes

    pixmap = QPixmap(8, 8)
    pixmap.fill(QColor("white"))
    data = png_bytes(pixmap)
    assert data.startswith(b"\x89PNG")
    path = tmp_path / "shots" / "welcome.png"
    write_private(path, data)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
