"""The site keeps nothing: no personal data in any log record, on disk, or left in memory."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import pytest
from preentry_support import complete_pairs, personal_strings, post, samples

from forms.catalog import Catalog
from preentry.webform import procedure_url, procedures

SAMPLES = samples()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_full_submission_leaves_no_personal_data_in_logs_or_files(
    make_client: Any,
    catalog: Catalog,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(workdir)
    for name in (
        "",
        "preentry",
        "uvicorn",
        "uvicorn.access",
        "uvicorn.error",
        "fastapi",
        "starlette",
    ):
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)

    client = make_client()
    secrets: set[str] = set()
    for procedure in procedures(catalog):
        for record in SAMPLES.values():
            low, high = procedure.people_range()
            if procedure.has_groups and not low <= len(record.persons) <= high:
                continue
            people = len(record.persons) if procedure.has_groups else 0
            pairs, response, _ = complete_pairs(
                client, procedure_url(procedure), f"people={people}", record
            )
            assert response.status_code == 200
            secrets |= personal_strings(record)
            # and a failing post too: errors are logged without values
            broken = [(k, "令和99年99月99日" if k.endswith("birth_date") else v) for k, v in pairs]
            post(client, procedure_url(procedure), broken)
    assert secrets and len(caplog.records) > 0
    assert any(r.name == "preentry" for r in caplog.records), "the site does log (safely)"
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        for secret in secrets:
            assert secret not in text, f"{record.name} logged personal data"
    assert files_under(scratch) == [], "nothing spooled to the temp dir"
    assert files_under(workdir) == [], "nothing written to the working directory"


def test_reprs_hold_no_keys(make_settings: Any) -> None:
    settings = make_settings()
    text = repr(settings)
    assert "signing_key" not in text and "csrf_secret" not in text and "0123456789" not in text
