"""CSV (per the template's export mapping) and JSONL export, over the API and the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from backoffice_factory import catalog, sample_for, sealed_record, template_keys

from backoffice.services.export import FIXED_COLUMNS
from forms.fill import fill
from madoguchi.cli import main

API = "/api/v1"


def receive_all(office) -> dict[str, tuple[str, int]]:  # type: ignore[no-untyped-def]
    keys = template_keys()
    results = office.ingest([sealed_record(office.public_key, t, v) for t, v in keys]).json()[
        "results"
    ]
    return {r["receipt_number"]: k for r, k in zip(results, keys, strict=True)}


def expected_columns(template_id: str, version: int) -> dict[str, str]:
    template = catalog().get(template_id, version)
    form = fill(template, sample_for(template_id, version))
    return {c.column: form.text(c.field, c.part) for c in template.export}


@pytest.mark.parametrize(("template_id", "version"), template_keys())
def test_csv_follows_the_templates_export_mapping(office, template_id: str, version: int) -> None:
    receipts = receive_all(office)
    answer = office.client.get(
        f"{API}/export",
        params={"format": "csv", "template_id": template_id},
        headers=office.auth("staff"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    mine = [r for r, k in receipts.items() if k == (template_id, version)]
    assert [r["受付番号"] for r in rows] == mine
    template = catalog().get(template_id, version)
    header = next(csv.reader(io.StringIO(answer.text)))
    assert header == FIXED_COLUMNS + [c.column for c in template.export]
    expected = expected_columns(template_id, version)
    assert {k: rows[0][k] for k in expected} == expected
    assert rows[0]["状態"] == "received" and rows[0]["端末"] == "kiosk-1"
    assert any(v for v in expected.values())  # the mapping produced real text


def test_jsonl_has_every_application_with_record_and_columns(office) -> None:
    receipts = receive_all(office)
    answer = office.client.get(
        f"{API}/export", params={"format": "jsonl"}, headers=office.auth("staff")
    )
    assert answer.status_code == 200
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert [line["receipt_number"] for line in lines] == list(receipts)
    for line in lines:
        template_id, version = receipts[line["receipt_number"]]
        assert line["template_id"] == template_id and line["template_version"] == version
        assert line["record"]["persons"]
        assert line["columns"] == expected_columns(template_id, version)
        assert "pdf" not in line
    audit = office.client.get(f"{API}/audit", headers=office.auth("admin")).json()
    assert ("user:sato", "export", "export:jsonl:*:*") in {
        (e["actor"], e["action"], e["target"]) for e in audit
    }


def test_export_filters_and_refusals(office) -> None:
    receive_all(office)
    csv_without_template = office.client.get(
        f"{API}/export", params={"format": "csv"}, headers=office.auth("staff")
    )
    assert csv_without_template.status_code == 422
    assert csv_without_template.json()["code"] == "bad_export_request"
    unknown = office.client.get(
        f"{API}/export",
        params={"format": "csv", "template_id": "nothing"},
        headers=office.auth("staff"),
    )
    assert unknown.status_code == 422
    xml = office.client.get(f"{API}/export", params={"format": "xml"}, headers=office.auth("staff"))
    assert xml.status_code == 422
    done = office.client.get(
        f"{API}/export", params={"status": "done"}, headers=office.auth("staff")
    )
    assert done.status_code == 200 and done.text == ""


def test_cli_export_matches_the_api(office, capsys: pytest.CaptureFixture[str]) -> None:
    receive_all(office)
    settings = office.context.settings
    args = [
        "backoffice",
        "export",
        "--db",
        settings.database_url,
        "--data-dir",
        str(settings.data_dir),
    ]
    assert main([*args, "--format", "jsonl"]) == 0
    cli = capsys.readouterr().out
    api = office.client.get(
        f"{API}/export", params={"format": "jsonl"}, headers=office.auth("staff")
    ).text
    assert cli == api
    assert main([*args, "--format", "csv", "--template", "juminhyo"]) == 0
    assert capsys.readouterr().out.startswith(",".join(FIXED_COLUMNS))
    assert main([*args, "--format", "csv"]) == 1
    assert "template" in capsys.readouterr().err
