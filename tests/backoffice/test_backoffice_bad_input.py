"""Bad input on the ingest endpoint: each refused with a clear JSON error, nothing stored."""

from __future__ import annotations

import json

import pytest
from backoffice_factory import sealed_record
from sqlalchemy import func, select

from backoffice.models import Application

API = "/api/v1"


def stored(office) -> int:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        return session.scalar(select(func.count(Application.id))) or 0


@pytest.fixture
def office(shared_office):  # type: ignore[no-untyped-def]
    """The module's back office; each test must leave the number of stored records as it
    found it (checked here), unless it sets `expected_growth`."""
    before = stored(shared_office)
    shared_office.expected_growth = 0
    yield shared_office
    assert stored(shared_office) == before + shared_office.expected_growth


def post_raw(office, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return office.client.post(
        f"{API}/ingest",
        content=body,
        headers={"Content-Type": "application/json", **office.auth("kiosk"), **headers},
    )


def assert_clear(answer, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["code"] == code
    assert body["ja"] and body["en"]
    return body


@pytest.mark.parametrize("body", [b"{", b"{'records': []}", b"\xff\xfe", b"null", b"", b"[1, 2"])
def test_malformed_json(office, body: bytes) -> None:
    answer = post_raw(office, body)
    assert answer.status_code == 422
    assert answer.json()["code"] in ("malformed_json", "invalid_request")


def test_malformed_json_is_named_as_such(office) -> None:
    assert_clear(post_raw(office, b'{"records": [}'), 422, "malformed_json")


def wrong(record: dict, **change: object) -> dict:
    return {**record, **change}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"template_version": "one"}, "template_version"),
        ({"template_version": 0}, "template_version"),
        ({"template_id": "Bad Id"}, "template_id"),
        ({"mode": "robot"}, "mode"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"sealed": 12345}, "sealed"),
        ({"sealed": ""}, "sealed"),
        ({"kiosk_id": ""}, "kiosk_id"),
        ({"extra_field": "smuggled"}, "extra_field"),
    ],
)
def test_wrong_types_are_refused_whole_and_name_the_field(office, change: dict, where: str) -> None:
    good = sealed_record(office.public_key)
    bad = wrong(sealed_record(office.public_key), **change)
    answer = office.ingest([good, bad])
    body = assert_clear(answer, 422, "invalid_request")
    assert any(where in p for p in body["problems"]), body["problems"]
    # a malformed batch stores nothing, not even its good records (checked by the fixture)


def test_missing_field(office) -> None:
    record = sealed_record(office.public_key)
    del record["uuid"]
    body = assert_clear(office.ingest([record]), 422, "invalid_request")
    assert any("uuid" in p for p in body["problems"])


@pytest.mark.parametrize("records", [[], "nope", [1, 2]])
def test_bad_batch_shapes(office, records: object) -> None:
    answer = office.client.post(
        f"{API}/ingest", json={"records": records}, headers=office.auth("kiosk")
    )
    assert_clear(answer, 422, "invalid_request")


def test_batch_over_the_protocol_maximum(office) -> None:
    record = sealed_record(office.public_key)
    answer = office.ingest([record] * 101)
    body = assert_clear(answer, 422, "invalid_request")
    assert any("records" in p for p in body["problems"])


def test_oversize_body_by_content_length_is_refused_before_parsing(office) -> None:
    limit = office.context.settings.max_ingest_body
    answer = post_raw(office, b"x" * (limit + 1))
    assert_clear(answer, 413, "body_too_large")


def test_oversize_streamed_body_without_length_is_refused(office) -> None:
    limit = office.context.settings.max_ingest_body
    chunk = b" " * (1 << 20)

    def stream():  # type: ignore[no-untyped-def]
        sent = 0
        while sent <= limit:
            yield chunk
            sent += len(chunk)

    answer = office.client.post(
        f"{API}/ingest",
        content=stream(),
        headers={"Content-Type": "application/json", **office.auth("kiosk")},
    )
    assert_clear(answer, 413, "body_too_large")


def test_other_endpoints_have_a_small_limit(office) -> None:
    answer = office.client.post(
        f"{API}/auth/login",
        content=json.dumps({"username": "x", "password": "y" * (2 << 20)}),
        headers={"Content-Type": "application/json"},
    )
    assert_clear(answer, 413, "body_too_large")


def test_a_good_batch_still_goes_through_after_all_that(office) -> None:
    before = stored(office)
    post_raw(office, b"{")
    answer = office.ingest([sealed_record(office.public_key)])
    assert answer.json()["results"][0]["status"] == "accepted"
    assert stored(office) == before + 1
    office.expected_growth = 1


def test_a_database_that_is_down_answers_503_not_a_traceback(shared_office) -> None:
    import dataclasses

    from fastapi.testclient import TestClient

    from backoffice.app import create_app
    from backoffice.db import make_engine, make_sessionmaker

    context = shared_office.context
    dead_engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    down = dataclasses.replace(context, engine=dead_engine, sessions=make_sessionmaker(dead_engine))
    with TestClient(create_app(context.settings, down)) as client:
        health = client.get(f"{API}/health")
        assert health.status_code == 503
        assert health.json()["code"] == "database_unavailable"
        answer = client.get(f"{API}/templates", headers=shared_office.auth("kiosk"))
        assert answer.status_code == 503
        assert answer.json()["code"] == "database_unavailable"
    dead_engine.dispose()
