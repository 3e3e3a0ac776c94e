"""Bounds: a request that passes its schema never breaks the database (no 500, on SQLite and
PostgreSQL); one that breaks a bound is refused with 422, and an ingest batch names each
record at fault as REJECTED. Also the UUID check: a sealed application under another key."""

from __future__ import annotations

import uuid

import pytest
import yaml
from backoffice_factory import catalog, sample_for, sealed_record
from sqlalchemy import func, select

from backoffice.models import Application
from forms.template import dump_template
from sync.protocol import INT32_MAX, ingest_key

API = "/api/v1"


def stored(office) -> int:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        return session.scalar(select(func.count(Application.id))) or 0


@pytest.fixture
def office(shared_office):  # type: ignore[no-untyped-def]
    """The module's back office; a test stores only what it says it stores."""
    before = stored(shared_office)
    shared_office.expected_growth = 0
    yield shared_office
    assert stored(shared_office) == before + shared_office.expected_growth


# -- ingest: the wire schema's bounds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "0001-01-01T00:00:00+14:00"),  # before year 1 in UTC
        ("created_at", "9999-12-31T23:59:59-14:00"),  # after year 9999 in UTC
        ("created_at", "0001-01-01T00:00:00"),
        ("created_at", "1969-12-31T23:59:59Z"),
        ("created_at", "2200-01-01T00:00:00Z"),
        ("template_version", 2**31),  # PostgreSQL INTEGER
        ("template_version", 2**63),  # SQLite INTEGER
        ("template_version", 10**30),
        ("kiosk_id", "kiosk\x00one"),
        ("kiosk_id", "kiosk\x1b[2J"),
        ("kiosk_id", "kiosk\x7f"),
        ("kiosk_id", "kiosk\x85"),  # C1 (NEL)
        ("reception_number", "A-\x00001"),
        ("reception_number", "A-001\n"),
    ],
)
def test_a_record_outside_the_bounds_is_refused_by_name(office, field: str, value: object) -> None:
    good = sealed_record(office.public_key)
    bad = {**sealed_record(office.public_key), field: value}
    answer = office.ingest([good, bad])
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "invalid_request" and body["ja"] and body["en"]
    # exactly the bad record, by position and key, REJECTED with the field named
    [result] = body["results"]
    assert result["index"] == 1
    assert result["uuid"] == bad["uuid"]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "record_invalid"
    assert field in result["error"]["en"] and field in result["error"]["ja"]
    assert repr(value) not in answer.text  # the value itself is never echoed


def test_every_record_at_fault_is_named_and_an_unreadable_key_is_null(office) -> None:
    records = [sealed_record(office.public_key) for _ in range(4)]
    records[0]["uuid"] = "not-a-uuid"
    records[2]["created_at"] = "0001-01-01T00:00:00+14:00"
    records[2]["kiosk_id"] = "\x00"
    answer = office.ingest(records)
    assert answer.status_code == 422
    results = answer.json()["results"]
    assert [(r["index"], r["uuid"]) for r in results] == [(0, None), (2, records[2]["uuid"])]
    assert "created_at" in results[1]["error"]["en"] and "kiosk_id" in results[1]["error"]["en"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "1970-01-01T00:00:00Z"),
        ("created_at", "1970-01-01T09:00:00+09:00"),  # the first instant, written in JST
        ("created_at", "2199-12-31T23:59:59.999999Z"),
        ("kiosk_id", "窓口-1 東棟"),
        ("reception_number", "𠮷-0001"),
    ],
)
def test_values_at_the_edges_inside_the_bounds_are_stored(office, field: str, value: str) -> None:
    record = {**sealed_record(office.public_key), field: value}
    answer = office.ingest([record])
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "accepted"
    office.expected_growth = 1
    with office.context.sessions() as session:
        app = session.scalar(
            select(Application).where(Application.uuid == uuid.UUID(record["uuid"]))
        )
        assert app is not None
        if field != "created_at":
            assert getattr(app, field) == value


def test_the_largest_version_is_a_clean_unknown_template(office) -> None:
    record = {**sealed_record(office.public_key), "template_version": INT32_MAX}
    answer = office.ingest([record])
    assert answer.status_code == 200
    assert answer.json()["results"][0]["error"]["code"] == "unknown_template"


# -- the UUID the record and template imply ---------------------------------------------------


def test_a_sealed_application_posted_again_under_a_new_uuid_is_refused(office) -> None:
    original = sealed_record(office.public_key)
    first = office.ingest([original]).json()["results"][0]
    assert first["status"] == "accepted"
    office.expected_growth = 1
    replayed = {**original, "uuid": str(uuid.uuid4())}  # the same sealed body, another key
    result = office.ingest([replayed]).json()["results"][0]
    assert result["status"] == "rejected" and result["receipt_number"] is None
    assert result["error"]["code"] == "uuid_mismatch"
    assert result["error"]["ja"] and "imply" in result["error"]["en"]
    # the genuine key still answers with the original receipt
    again = office.ingest([original]).json()["results"][0]
    assert (again["status"], again["receipt_number"]) == ("duplicate", first["receipt_number"])


def test_the_key_of_another_form_of_the_same_session_is_refused(office) -> None:
    resident = sample_for("juminhyo", 1).model_copy(update={"id": uuid.uuid4()})
    other_form = ingest_key(resident.id, "kokuho")
    record = sealed_record(office.public_key, record=resident, key=other_form)
    result = office.ingest([record]).json()["results"][0]
    assert (result["status"], result["error"]["code"]) == ("rejected", "uuid_mismatch")


# -- every other endpoint: integers, dates and text bounded -----------------------------------


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("kiosk", "/templates/juminhyo/265113731299993699269738496"),
        ("kiosk", f"/templates/juminhyo/{2**31}"),
        ("staff", "/applications?offset=224525364571043891760806756352"),
        ("staff", f"/applications?offset={2**31}"),
        ("admin", f"/audit?offset={2**63}"),
        ("core", f"/core/applications?offset={2**40}"),
        ("staff", "/applications?date_from=0001-01-01"),
        ("staff", "/applications?date_to=9999-12-31"),
        ("staff", "/measurements?date_from=9999-12-30&date_to=9999-12-31"),
        ("admin", "/measurements?date_from=0001-01-01&date_to=0001-01-02"),
        ("admin", "/audit?target=session%00"),
        ("staff", "/applications/%D9%A2%D9%A0%D9%A2%D9%A6-000001"),  # Arabic-Indic digits
    ],
)
def test_out_of_range_parameters_are_refused_with_422(office, who: str, path: str) -> None:
    answer = office.client.get(f"{API}{path}", headers=office.auth(who))
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("kiosk", f"/templates/juminhyo/{INT32_MAX}", 404),
        ("staff", f"/applications?offset={INT32_MAX}", 200),
        ("admin", f"/audit?offset={INT32_MAX}", 200),
        ("core", f"/core/applications?offset={INT32_MAX}", 200),
        ("staff", "/applications?date_from=1970-01-01&date_to=2199-12-31", 200),
        ("staff", "/measurements?date_from=2199-12-01&date_to=2199-12-31", 200),
        ("staff", "/measurements?date_from=1970-01-01&date_to=1970-01-01", 200),
    ],
)
def test_the_largest_values_inside_the_bounds_answer_cleanly(
    office, who: str, path: str, status: int
) -> None:
    answer = office.client.get(f"{API}{path}", headers=office.auth(who))
    assert answer.status_code == status, answer.text


def test_control_characters_in_stored_text_are_refused(office) -> None:
    login = office.client.post(f"{API}/auth/login", json={"username": "sa\x00to", "password": "x"})
    assert login.status_code == 422
    receipt = office.ingest([sealed_record(office.public_key)]).json()["results"][0]
    office.expected_growth = 1
    number = receipt["receipt_number"]
    staff = office.auth("staff")
    note = office.client.post(
        f"{API}/applications/{number}/identity-checks",
        json={"document": "other", "note": "年金手帳\x00"},
        headers=staff,
    )
    assert note.status_code == 422
    office.client.post(
        f"{API}/applications/{number}/status", json={"status": "in_review"}, headers=staff
    )
    nul = office.client.post(
        f"{API}/applications/{number}/status",
        json={"status": "returned", "reason": "記入漏れ\x00"},
        headers=staff,
    )
    assert nul.status_code == 422
    lines = office.client.post(
        f"{API}/applications/{number}/status",
        json={"status": "returned", "reason": "記入漏れ:\n\t続柄"},
        headers=staff,
    )
    assert lines.status_code == 200, lines.text


def test_a_template_version_beyond_the_column_is_refused_on_publish(office) -> None:
    data = yaml.safe_load(dump_template(catalog().get("juminhyo")))
    data["version"] = 2**31
    answer = office.client.post(
        f"{API}/templates",
        content=yaml.safe_dump(data, allow_unicode=True).encode("utf-8"),
        headers={**office.auth("admin"), "Content-Type": "text/yaml"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "template_invalid"
    assert str(INT32_MAX) in answer.json()["problems"][0]
