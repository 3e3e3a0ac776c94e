"""The site keeps nothing: no personal data in any log record, on disk, or left in memory."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import pytest
from preentry_support import (
    complete_pairs,
    fitting_samples,
    on_sample_day,
    personal_strings,
    post,
    samples,
)

from forms.catalog import Catalog
from preentry.webform import procedure_url, procedures

SAMPLES = samples()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_full_submission_leaves_no_personal_data_in_logs_or_files(
    make_client: Any,
    catalog: Catalog,
    *,
    clock: Any,
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
        for record in fitting_samples(procedure).values():
            on_sample_day(clock, record)
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
    for logged in caplog.records:
        text = logged.getMessage() + repr(logged.args)
        for secret in secrets:
            assert secret not in text, f"{logged.name} logged personal data"
    assert files_under(scratch) == [], "nothing spooled to the temp dir"
    assert files_under(workdir) == [], "nothing written to the working directory"


def test_reprs_hold_no_keys(make_settings: Any) -> None:
    settings = make_settings()
    text = repr(settings)
    assert "signing_key" not in text and "csrf_secret" not in text and "0123456789" not in text


def test_reprs_hold_no_answers(catalog: Catalog) -> None:
    """A post, a control and a question's view print counts, never what was entered."""
    from preentry_support import as_inputs

    from forms.bundle import questions
    from forms.paths import get_value, parse_path
    from preentry.controls import question_view
    from preentry.i18n import Page
    from preentry.posts import Post

    record = SAMPLES["smith_john"]
    procedure = next(p for p in procedures(catalog) if p.id == "juminhyo")
    asked = [
        q for q in questions(list(procedure.templates), record) if q.slot.path.root == "person"
    ]
    raw: dict[str, list[str]] = {}
    for q in asked:
        for name, value in as_inputs(q.path, get_value(record, parse_path(q.path))):
            raw.setdefault(name, []).append(value)
    secrets = personal_strings(record)
    assert secrets and any(s in str(raw) for s in secrets)  # the sample's name is posted
    post_ = Post(procedure, raw, Page("ja"), {"a": raw, "s": "guide"}, "next")
    views = [question_view(q, n, procedure.templates, raw, {}) for n, q in enumerate(asked)]
    texts = [repr(post_), str(post_), repr(views), repr([c for v in views for c in v.controls])]
    assert "fields=" in texts[0]
    for text in texts:
        for secret in secrets:
            assert secret not in text
