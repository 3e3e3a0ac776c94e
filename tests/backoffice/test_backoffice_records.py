"""Queue, record detail, status changes with who and when, identity checks, the audit log and
the core systems' pull API."""

from __future__ import annotations

import datetime as dt

import pytest
from backoffice_factory import PDF, sample_for, sealed_record, template_keys

API = "/api/v1"


def receive(office, count: int = 1, template: tuple[str, int] = ("juminhyo", 1)) -> list[str]:  # type: ignore[no-untyped-def]
    records = [sealed_record(office.public_key, *template) for _ in range(count)]
    results = office.ingest(records).json()["results"]
    assert {r["status"] for r in results} == {"accepted"}
    return [r["receipt_number"] for r in results]


def change(office, receipt: str, status: str, reason: str | None = None, who: str = "staff"):  # type: ignore[no-untyped-def]
    body = {"status": status} if reason is None else {"status": status, "reason": reason}
    prefix = "/core" if who == "core" else ""
    return office.client.post(
        f"{API}{prefix}/applications/{receipt}/status", json=body, headers=office.auth(who)
    )


def audit(office, target: str) -> list[dict]:  # type: ignore[no-untyped-def]
    answer = office.client.get(
        f"{API}/audit", params={"target": target}, headers=office.auth("admin")
    )
    return answer.json()


def test_queue_filters_by_status_procedure_and_date(office_at, office_clock_source) -> None:
    # received 30 s after the office's midnight: already 1 July in Tokyo, still 30 June in UTC
    office = office_at
    office_clock_source.moment = dt.datetime(2026, 6, 30, 15, 0, 30, tzinfo=dt.UTC)
    keys = template_keys()
    other = next(k for k in keys if k[0] != "juminhyo")
    first, second = receive(office, 2)
    third = receive(office, 1, other)[0]
    change(office, second, "in_review")

    def get(**q: object) -> dict:
        return office.client.get(
            f"{API}/applications", params=q, headers=office.auth("staff")
        ).json()

    everything = get()
    assert everything["total"] == 3
    assert [i["receipt_number"] for i in everything["items"]] == [first, second, third]
    assert {i["receipt_number"] for i in get(status="received")["items"]} == {first, third}
    assert [i["receipt_number"] for i in get(status="in_review")["items"]] == [second]
    assert [i["receipt_number"] for i in get(template_id=other[0])["items"]] == [third]
    today = dt.date(2026, 7, 1)
    assert office.context.clock.today() == today
    assert get(date_from=today.isoformat(), date_to=today.isoformat())["total"] == 3
    assert get(date_to=(today - dt.timedelta(days=1)).isoformat())["total"] == 0
    assert get(date_from=(today + dt.timedelta(days=1)).isoformat())["total"] == 0
    page = get(limit=1, offset=1)
    assert page["total"] == 3 and [i["receipt_number"] for i in page["items"]] == [second]
    item = everything["items"][0]
    assert "record" not in item and "persons" not in str(item)  # the queue shows no personal data
    bad = office.client.get(
        f"{API}/applications", params={"status": "lost"}, headers=office.auth("staff")
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"


@pytest.mark.parametrize(("template_id", "version"), template_keys())
def test_detail_shows_data_and_pdf_and_every_read_is_audited(
    office, template_id: str, version: int
) -> None:
    (receipt,) = receive(office, 1, (template_id, version))
    detail = office.client.get(f"{API}/applications/{receipt}", headers=office.auth("staff"))
    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert body["receipt_number"] == receipt
    assert body["template_id"] == template_id and body["status"] == "received"
    sample = sample_for(template_id, version)
    assert body["record"]["persons"][0]["name"] == sample.persons[0].name.model_dump()
    assert body["fields"] and all(f["label"] for f in body["fields"])
    assert body["history"][0]["to_status"] == "received"
    assert body["history"][0]["actor"] == "terminal:kiosk-1"
    pdf = office.client.get(body["pdf_url"], headers=office.auth("staff"))
    assert pdf.status_code == 200 and pdf.content == PDF
    assert pdf.headers["content-type"] == "application/pdf"
    entries = audit(office, receipt)
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("user:sato", "read_pdf"),
        ("user:sato", "read_record"),
    ]
    assert all(set(e) == {"at", "actor", "action", "target"} for e in entries)


def test_unknown_receipt_numbers(office) -> None:
    for path in ("/applications/2099-000042", "/applications/2099-000042/pdf"):
        answer = office.client.get(f"{API}{path}", headers=office.auth("staff"))
        assert answer.status_code == 404 and answer.json()["code"] == "application_not_found"
    malformed = office.client.get(f"{API}/applications/../../etc", headers=office.auth("staff"))
    assert malformed.status_code in (404, 422)
    assert audit(office, "2099-000042") == []  # nothing was read


def test_status_flow_records_who_and_when(office_at, office_clock_source) -> None:
    office = office_at
    (receipt,) = receive(office)
    when = office_clock_source.moment = dt.datetime(2026, 7, 1, 1, 2, 3, tzinfo=dt.UTC)
    assert change(office, receipt, "in_review").json()["status"] == "in_review"
    done = change(office, receipt, "done").json()
    assert done["status"] == "done"
    assert done["status_changed_by"] == "user:sato"
    assert dt.datetime.fromisoformat(done["status_changed_at"]) == when  # the office's clock
    history = office.client.get(
        f"{API}/applications/{receipt}", headers=office.auth("staff")
    ).json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "received"),
        ("received", "in_review"),
        ("in_review", "done"),
    ]
    assert [h["actor"] for h in history[1:]] == ["user:sato", "user:sato"]
    refused = change(office, receipt, "in_review")  # 完了 is final
    assert refused.status_code == 409 and refused.json()["code"] == "bad_transition"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_returning_needs_a_reason(office, reason: str | None) -> None:
    (receipt,) = receive(office)
    answer = change(office, receipt, "returned", reason)
    assert answer.status_code == 422
    assert answer.json()["code"] == "reason_required"
    detail = office.client.get(f"{API}/applications/{receipt}", headers=office.auth("staff")).json()
    assert detail["status"] == "received" and len(detail["history"]) == 1


def test_returned_with_a_reason_and_back_to_review(office) -> None:
    (receipt,) = receive(office)
    returned = change(office, receipt, "returned", "本人確認書類が不足")
    assert returned.status_code == 200
    assert returned.json()["return_reason"] == "本人確認書類が不足"
    again = change(office, receipt, "in_review").json()
    assert again["status"] == "in_review" and again["return_reason"] is None
    skip = change(office, receipt, "received")
    assert skip.status_code == 409


def test_bad_status_bodies(office) -> None:
    (receipt,) = receive(office)
    for body in (
        {"status": "lost"},
        {"status": "done", "by": "me"},
        {},
        {"status": "returned", "reason": "x" * 1001},
    ):
        answer = office.client.post(
            f"{API}/applications/{receipt}/status", json=body, headers=office.auth("staff")
        )
        assert answer.status_code == 422, body
    skip = change(office, receipt, "done")  # 受付 → 完了 skips 審査中
    assert skip.status_code == 409 and "received" in skip.json()["en"]


def test_identity_check_is_recorded_with_who(office) -> None:
    (receipt,) = receive(office)
    added = office.client.post(
        f"{API}/applications/{receipt}/identity-checks",
        json={"document": "drivers_licence"},
        headers=office.auth("staff"),
    )
    assert added.status_code == 201
    assert added.json()["actor"] == "user:sato"
    detail = office.client.get(f"{API}/applications/{receipt}", headers=office.auth("staff")).json()
    assert [c["document"] for c in detail["identity_checks"]] == ["drivers_licence"]
    bad = office.client.post(
        f"{API}/applications/{receipt}/identity-checks",
        json={"document": "library_card"},
        headers=office.auth("staff"),
    )
    assert bad.status_code == 422


def test_core_system_pulls_by_receipt_number_and_writes_status_back(office) -> None:
    first, second = receive(office, 2)
    listing = office.client.get(
        f"{API}/core/applications", params={"status": "received"}, headers=office.auth("core")
    ).json()
    assert [i["receipt_number"] for i in listing["items"]] == [first, second]
    fetched = office.client.get(f"{API}/core/applications/{first}", headers=office.auth("core"))
    assert fetched.status_code == 200
    assert fetched.json()["columns"]  # the template's export mapping
    pdf = office.client.get(fetched.json()["pdf_url"], headers=office.auth("core"))
    assert pdf.content == PDF
    assert change(office, first, "in_review", who="core").status_code == 200
    assert (
        change(office, first, "done", who="core").json()["status_changed_by"]
        == "terminal:juki-core"
    )
    remaining = office.client.get(
        f"{API}/core/applications", params={"status": "received"}, headers=office.auth("core")
    ).json()
    assert [i["receipt_number"] for i in remaining["items"]] == [second]
    actions = [(e["actor"], e["action"]) for e in audit(office, first)]
    assert ("terminal:juki-core", "core_read") in actions
    assert ("terminal:juki-core", "change_status") in actions
