"""Prometheus metrics at /api/v1/metrics (metrics token or admin only) and the served JSON-line
log with no personal data, on a real `madoguchi backoffice serve` (stopped by PID)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
from backoffice_factory import PASSWORD, personal_strings, sealed_record, template_keys
from prometheus_client.parser import text_string_to_metric_families

from backoffice import metrics
from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.counter import Heartbeat
from sync.protocol.vocabulary import Role

API = "/api/v1"


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_need_the_metrics_token_or_an_admin(shared_office) -> None:
    office = shared_office
    data_dir = office.context.settings.data_dir
    token = metrics.new_token(data_dir)
    get = office.client.get
    assert get(f"{API}/metrics").status_code == 401
    for who in ("kiosk", "core", "reception", "staff"):
        assert get(f"{API}/metrics", headers=office.auth(who)).status_code == 403, who
    assert get(f"{API}/metrics", headers=office.auth("bad")).status_code == 401
    wrong = {"Authorization": "Bearer mdm_not-the-token"}
    assert get(f"{API}/metrics", headers=wrong).status_code == 401
    answer = get(f"{API}/metrics", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    assert get(f"{API}/metrics", headers=office.auth("admin")).status_code == 200
    again = metrics.new_token(data_dir)  # a new token replaces the old one
    assert get(f"{API}/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert get(f"{API}/metrics", headers={"Authorization": f"Bearer {again}"}).status_code == 200


def test_the_figures(office_at, office_clock_source) -> None:
    office = office_at
    office_clock_source.moment = dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC)
    records = [sealed_record(office.public_key) for _ in range(3)]
    results = office.ingest([*records, {**records[0], "reception_number": "other"}]).json()
    assert [r["status"] for r in results["results"]] == ["accepted"] * 3 + ["conflict"]
    office.ingest(records[:1])  # duplicate
    beat = Heartbeat(
        app_version="1",
        reader_present=True,
        printer_state="idle",
        outbox_pending=0,
        sent_at=office_clock_source.moment,
    ).model_dump(mode="json")
    assert office.client.post(
        f"{API}/heartbeats", json=beat, headers=office.auth("kiosk")
    ).status_code in (200, 204)
    receipt = results["results"][0]["receipt_number"]
    office.client.post(
        f"{API}/applications/{receipt}/status",
        json={"status": "in_review"},
        headers=office.auth("staff"),
    )
    office_clock_source.moment += dt.timedelta(minutes=5)
    text = office.client.get(f"{API}/metrics", headers=office.auth("admin")).text
    s = _samples(text)
    assert s[("madoguchi_ingest_results_total", (("status", "accepted"),))] == 3
    assert s[("madoguchi_ingest_results_total", (("status", "conflict"),))] == 1
    assert s[("madoguchi_ingest_results_total", (("status", "duplicate"),))] == 1
    assert s[("madoguchi_queue_depth", (("status", "received"),))] == 2
    assert s[("madoguchi_queue_depth", (("status", "in_review"),))] == 1
    assert s[("madoguchi_queue_oldest_waiting_seconds", ())] == 300
    assert s[("madoguchi_kiosk_heartbeat_age_seconds", (("kiosk", "kiosk-1"),))] == 300
    assert s[("madoguchi_kiosks_silent", ())] == 1  # 5 minutes > 2
    ingest = (("method", "POST"), ("route", "/api/v1/ingest"), ("status", "200"))
    assert s[("madoguchi_http_requests_total", ingest)] == 2
    # a receipt number never becomes a label: the route's template does
    assert receipt not in text and "/applications/{receipt_number}/status" in text


def test_served_logs_are_json_lines_without_personal_data(tmp_path: Path) -> None:
    data = tmp_path / "office"
    settings = BackofficeSettings(data_dir=data)
    context = open_context(settings)
    with context.sessions() as session, session.begin():
        kiosk = accounts.add_terminal(session, "kiosk-1", Role.KIOSK)
        accounts.add_user(session, "sato", Role.STAFF, PASSWORD)
    public = context.private_key.public_key()
    context.close()
    token = metrics.new_token(data)
    log = tmp_path / "serve.log"
    with serve_subprocess(data_dir=data, log_path=log, workers=2) as url:
        records = [sealed_record(public, t, v) for t, v in template_keys()]
        auth = {"Authorization": f"Bearer {kiosk}"}
        answer = httpx.post(
            f"{url}{API}/ingest", json={"records": records}, headers=auth, timeout=60
        )
        assert answer.status_code == 200
        login = httpx.post(
            f"{url}{API}/auth/login", json={"username": "佐藤花子 1990-01-01", "password": "x" * 12}
        )
        assert login.status_code == 401
        accepted = sum(r["status"] == "accepted" for r in answer.json()["results"])
        # two workers: whichever answers the scrape counts both workers' ingests
        figures = {}
        for _ in range(4):
            text = httpx.get(
                f"{url}{API}/metrics", headers={"Authorization": f"Bearer {token}"}
            ).text
            figures = _samples(text)
            assert (
                figures[("madoguchi_ingest_results_total", (("status", "accepted"),))] == accepted
            )
    lines = [line for line in log.read_text("utf-8").splitlines() if line.strip()]
    assert lines
    parsed = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"ts", "level", "logger", "msg"} <= set(p) for p in parsed)
    assert any("ingest batch" in p["msg"] for p in parsed)
    text = "\n".join(lines)
    for needle in personal_strings() | {"佐藤花子", "1990-01-01"}:
        assert needle not in text, needle
