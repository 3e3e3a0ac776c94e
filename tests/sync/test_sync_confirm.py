"""The confirm step (`kiosk.confirm`) and `madoguchi submit`, with the real PDF renderer.

Covers every shipped template and the bundle generically, by iterating the catalogue.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sync_residents import SAMPLE_NAMES, resident_record

from forms.catalog import Catalog
from forms.payload.keys import public_pem
from forms.sample_records import sample_names
from kiosk.confirm import ApplicationInvalid, confirm_application
from sync.application import ingest_key, make_ingest_records
from sync.outbox import DuplicateApplication, Outbox, State
from sync.protocol import Mode
from sync.sealing import open_sealed

CATALOG = Catalog.builtin()
TEMPLATE_IDS = [t.id for t in CATALOG.latest()]
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_catalogue_has_the_five_forms_and_the_bundle():
    assert {"idou", "juminhyo", "inkan", "kokuho", "jidou_teate"} <= set(TEMPLATE_IDS)
    assert "moving_in" in [b.id for b in CATALOG.bundles()]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_confirm_each_template_writes_sealed_rows(outbox, office_key, template_id):
    template = CATALOG.get(template_id)
    record = resident_record(TEMPLATE_IDS.index(template_id))
    done = confirm_application(
        record,
        [template],
        outbox=outbox,
        office_public_key=office_key.public_key(),
        kiosk_id="kiosk-c1",
        signature_png=PNG_1PX,
        measurement={"review_seconds": 4.0},
    )
    assert done.pdf.startswith(b"%PDF")
    assert done.keys == (ingest_key(record.id, template_id),)
    [pending] = outbox.pending()
    body = json.loads(pending.body)
    assert (body["template_id"], body["template_version"]) == (template_id, template.version)
    assert body["reception_number"] == done.reception_number
    content = open_sealed(body["sealed"], office_key)
    assert base64.b64decode(content.pdf) == done.pdf
    assert content.record["id"] == str(record.id)
    assert base64.b64decode(content.record["answers"]["signature"]) == PNG_1PX
    assert content.measurement == {"review_seconds": 4.0}
    assert "signature" not in record.answers  # the caller's record is left as it was


def test_confirm_a_bundle_is_one_transaction_with_one_row_per_form(outbox, office_key):
    bundle = CATALOG.bundle("moving_in")
    templates = [CATALOG.get(t) for t in bundle.templates]
    record = resident_record(0)
    done = confirm_application(
        record,
        templates,
        outbox=outbox,
        office_public_key=office_key.public_key(),
        kiosk_id="kiosk-c1",
        mode=Mode.STAFF,
    )
    assert len(done.keys) == len(templates) == len(set(done.keys))
    bodies = [json.loads(p.body) for p in outbox.pending()]
    assert [b["template_id"] for b in bodies] == bundle.templates
    assert {b["mode"] for b in bodies} == {"staff"}
    assert len({b["reception_number"] for b in bodies}) == 1
    # Confirming the same session again is refused and writes nothing more.
    with pytest.raises(DuplicateApplication):
        confirm_application(
            record,
            templates,
            outbox=outbox,
            office_public_key=office_key.public_key(),
            kiosk_id="kiosk-c1",
        )
    assert outbox.status().pending == len(templates)


def test_confirm_refuses_with_every_error_and_writes_nothing(outbox, office_key):
    record = resident_record(0)
    record.persons[0].name = None
    record.persons[0].birth_date = None
    templates = [CATALOG.get(t) for t in TEMPLATE_IDS]
    rendered = []
    with pytest.raises(ApplicationInvalid) as info:
        confirm_application(
            record,
            templates,
            outbox=outbox,
            office_public_key=office_key.public_key(),
            kiosk_id="kiosk-c1",
            render=lambda *a, **k: rendered.append(1) or [],
        )
    error = info.value
    assert len(error.by_template) >= 2  # several forms read the same missing data
    assert len(error.errors) >= len(error.by_template)
    assert all(":" in e.path for e in error.errors)
    assert rendered == [] and outbox.status().pending == 0
    for name in SAMPLE_NAMES:
        assert name not in str(error)


def test_keys_are_stable_across_retries_and_crashes(office_key):
    record = resident_record(0)
    catalog = Catalog.builtin()
    juminhyo, idou = catalog.get("juminhyo", 1), catalog.get("idou", 1)
    first = make_ingest_records(
        record,
        [juminhyo, idou],
        {"juminhyo": b"%PDF", "idou": b"%PDF"},
        kiosk_id="k",
        mode="resident",
        reception_number="R",
        office_public_key=office_key.public_key(),
    )
    again = make_ingest_records(
        record,
        [idou, juminhyo],
        {"juminhyo": b"%PDF", "idou": b"%PDF"},
        kiosk_id="k",
        mode="resident",
        reception_number="R",
        office_public_key=office_key.public_key(),
    )
    assert {r.uuid for r in first} == {r.uuid for r in again}
    assert first[0].uuid == uuid.uuid5(record.id, "juminhyo")
    assert first[0].created_at.tzinfo is not None
    with pytest.raises(ValueError, match="twice"):
        make_ingest_records(
            record,
            [idou, idou],
            {"idou": b""},
            kiosk_id="k",
            mode="resident",
            reception_number="R",
            office_public_key=office_key.public_key(),
        )
    with pytest.raises(ValueError, match="at least one"):
        make_ingest_records(
            record,
            [],
            {},
            kiosk_id="k",
            mode="resident",
            reception_number="R",
            office_public_key=office_key.public_key(),
        )


# --- madoguchi submit ------------------------------------------------------------------------


def _madoguchi(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
        "MADOGUCHI_KIOSK_ID": "kiosk-cli",
    }
    return subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_env(tmp_path, office_key):
    key_path = tmp_path / "office.pub.pem"
    key_path.write_bytes(public_pem(office_key.public_key()))
    data = tmp_path / "record.json"
    data.write_text(resident_record(1).model_dump_json(), encoding="utf-8")
    return key_path, data


def test_submit_every_template_then_status(tmp_path, cli_env, office_key):
    key_path, data = cli_env
    db = tmp_path / "outbox.sqlite3"
    refs = [f"--template={t}" for t in TEMPLATE_IDS]
    result = _madoguchi(
        tmp_path,
        "submit",
        *refs,
        "--data",
        str(data),
        "--db",
        str(db),
        "--office-key",
        str(key_path),
        "--pdf-out",
        str(tmp_path / "out.pdf"),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["reception_number"].startswith("kiosk-cli-")
    assert [r["template_id"] for r in answer["records"]] == TEMPLATE_IDS
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    with Outbox(db) as box:
        for r in answer["records"]:
            assert box.receipt(uuid.UUID(r["uuid"])) == (State.PENDING, None)
    status = _madoguchi(tmp_path, "sync", "status", "--db", str(db), "--json")
    assert status.returncode == 0
    assert json.loads(status.stdout)["pending"] == len(TEMPLATE_IDS)
    # Same session again: refused, nothing added.
    again = _madoguchi(
        tmp_path,
        "submit",
        "--template",
        "juminhyo",
        "--data",
        str(data),
        "--db",
        str(db),
        "--office-key",
        str(key_path),
    )
    assert again.returncode == 1 and "already confirmed" in again.stderr
    for name in SAMPLE_NAMES:
        assert name not in result.stdout + result.stderr + again.stderr


def test_submit_lists_every_error(tmp_path, cli_env):
    key_path, _ = cli_env
    record = resident_record(1)
    record.persons[0].name = None
    record.persons[0].birth_date = None
    data = tmp_path / "bad.json"
    data.write_text(record.model_dump_json(), encoding="utf-8")
    db = tmp_path / "outbox.sqlite3"
    result = _madoguchi(
        tmp_path,
        "submit",
        "--template",
        "juminhyo",
        "--data",
        str(data),
        "--db",
        str(db),
        "--office-key",
        str(key_path),
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("madoguchi: ") and "field(s) need attention" in lines[0]
    assert len(lines) >= 3 and all(line.startswith("  - juminhyo:") for line in lines[1:])
    with Outbox(db) as box:
        assert box.status().pending == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--template", "nope"], "unknown template nope"),
        (["--template", "juminhyo@999"], "unknown template juminhyo v999"),
        (["--template", "juminhyo@x"], "bad template version"),
        (["--template", "juminhyo", "--data", "missing.json"], "no such file"),
        (["--template", "juminhyo", "--data", "garbage.json"], "malformed record data"),
        (["--template", "juminhyo", "--office-key", "missing.pem"], "missing"),
        (["--template", "juminhyo", "--office-key", "garbage.json"], "not a PEM public key"),
        (["--template", "juminhyo", "--kiosk-id", "bad id!"], "setting kiosk_id is invalid"),
    ],
)
def test_submit_bad_input_is_refused_clearly(tmp_path, cli_env, args, message):
    key_path, data = cli_env
    (tmp_path / "garbage.json").write_text('{"persons": "x"}', encoding="utf-8")
    base = {"--data": str(data), "--office-key": str(key_path)}
    for flag in ("--data", "--office-key"):
        if flag not in args:
            args = [*args, flag, base[flag]]
    result = _madoguchi(tmp_path, "submit", "--db", str(tmp_path / "o.sqlite3"), *args)
    assert result.returncode == 1
    assert result.stderr.startswith("madoguchi: ") and message in result.stderr


def test_sample_records_all_submit(outbox, office_key):
    """Every shipped sample fills every shipped template (the generic coverage above relies on it)."""
    from forms.sample_records import load_sample

    templates = CATALOG.latest()
    for name in sample_names():
        record = load_sample(name)
        done = confirm_application(
            record,
            templates,
            outbox=outbox,
            office_public_key=office_key.public_key(),
            kiosk_id="kiosk-s",
        )
        assert len(done.keys) == len(templates)
