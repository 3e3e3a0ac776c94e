"""Ingest: accepted, replayed, conflicting and refused records, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import re
import uuid

import pytest
from backoffice_factory import PDF, sample_for, sealed_record, template_keys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select

from backoffice.models import Application, ReceiptCounter, StatusChange
from sync.protocol import ingest_key


def count_applications(office) -> int:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        return session.scalar(select(func.count(Application.id))) or 0


def test_every_shipped_template_is_accepted_with_sequential_receipts(office) -> None:
    records = [sealed_record(office.public_key, tid, v) for tid, v in template_keys()]
    assert len(records) >= 1
    answer = office.ingest(records)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * len(records)
    assert [r["uuid"] for r in results] == [r["uuid"] for r in records]
    numbers = [r["receipt_number"] for r in results]
    assert all(re.fullmatch(r"\d{4}-\d{6}", n) for n in numbers)
    year = numbers[0][:4]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, len(records) + 1)]
    with office.context.sessions() as session:
        stored = {str(a.uuid): a for a in session.scalars(select(Application))}
        assert len(stored) == len(records)
        for sent, result in zip(records, results, strict=True):
            app = stored[sent["uuid"]]
            assert app.receipt_number == result["receipt_number"]
            assert app.status == "received"
            assert app.terminal == "kiosk-1"
            assert app.pdf == PDF
            assert json.loads(app.record_json)["persons"]  # opened and stored
        history = session.scalars(select(StatusChange)).all()
        assert len(history) == len(records)
        assert {h.actor for h in history} == {"terminal:kiosk-1"}


def test_replay_answers_duplicate_with_the_original_receipt(office) -> None:
    record = sealed_record(office.public_key)
    first = office.ingest([record]).json()["results"][0]
    assert first["status"] == "accepted"
    for _ in range(3):
        again = office.ingest([record]).json()["results"][0]
        assert again == {**first, "status": "duplicate"}
    # from another kiosk too: the key decides, not who sends it
    other = office.ingest([record], who="kiosk2").json()["results"][0]
    assert other["status"] == "duplicate"
    assert other["receipt_number"] == first["receipt_number"]
    assert count_applications(office) == 1


def test_same_key_different_body_is_a_conflict_and_never_an_overwrite(office) -> None:
    resident = sample_for("juminhyo", 1).model_copy(update={"id": uuid.uuid4()})
    key = ingest_key(resident.id, "juminhyo")
    original = sealed_record(office.public_key, record=resident)
    accepted = office.ingest([original]).json()["results"][0]
    # the same content sealed again is a different body (HPKE is randomised) …
    resealed = sealed_record(office.public_key, record=resident)
    # … and so is different metadata around the same sealed text
    relabelled = {**original, "reception_number": "B-999"}
    answer = office.ingest([resealed, relabelled])
    assert answer.status_code == 200
    for result in answer.json()["results"]:
        assert result["status"] == "conflict"
        assert result["receipt_number"] is None
        assert result["error"]["code"] == "idempotency_conflict"
        assert result["error"]["ja"] and result["error"]["en"]
    with office.context.sessions() as session:
        app = session.scalar(select(Application).where(Application.uuid == key))
        assert app.receipt_number == accepted["receipt_number"]
        assert app.reception_number == "A-001"
    assert count_applications(office) == 1


def test_a_key_repeated_inside_one_batch(office) -> None:
    record = sealed_record(office.public_key)
    clash = {**record, "reception_number": "Z-1"}
    results = office.ingest([record, record, clash]).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "duplicate", "conflict"]
    assert results[1]["receipt_number"] == results[0]["receipt_number"]
    assert count_applications(office) == 1


def refused(office, record: dict, code: str) -> None:  # type: ignore[no-untyped-def]
    good = sealed_record(office.public_key)
    answer = office.ingest([record, good])
    assert answer.status_code == 200, answer.text
    bad, ok = answer.json()["results"]
    assert bad["status"] == "rejected"
    assert bad["receipt_number"] is None
    assert bad["error"]["code"] == code, bad
    assert ok["status"] == "accepted"  # one bad record does not block the rest
    assert count_applications(office) == 1
    with office.context.sessions() as session:
        assert session.scalar(select(Application.uuid)) == uuid.UUID(good["uuid"])


def test_unknown_template_version_is_rejected(office) -> None:
    record = sealed_record(office.public_key)
    refused(office, {**record, "template_version": 999}, "unknown_template")
    assert (
        office.ingest([{**record, "template_id": "no_such_form"}]).json()["results"][0]["error"][
            "code"
        ]
        == "unknown_template"
    )


def test_a_seal_that_does_not_open_is_rejected(office) -> None:
    stranger = X25519PrivateKey.generate().public_key()
    refused(office, sealed_record(stranger), "seal_invalid")


@pytest.mark.parametrize(
    "sealed",
    [
        "not base64 at all!",
        base64.b64encode(b"\x01short").decode(),
        base64.b64encode(b"\x09" + b"\0" * 80).decode(),
    ],
)
def test_garbage_seals_are_rejected(office, sealed: str) -> None:
    record = sealed_record(office.public_key)
    refused(office, {**record, "sealed": sealed}, "seal_invalid")


def test_a_sealed_body_with_a_tampered_byte_is_rejected(office) -> None:
    record = sealed_record(office.public_key)
    raw = bytearray(base64.b64decode(record["sealed"]))
    raw[-5] ^= 0x01
    refused(office, {**record, "sealed": base64.b64encode(bytes(raw)).decode()}, "seal_invalid")


def test_a_record_that_fails_its_template_is_rejected(office) -> None:
    record = sample_for("juminhyo", 1).model_copy(deep=True)
    record.persons = []  # the requester's name and birth date are required
    refused(office, sealed_record(office.public_key, record=record), "validation_failed")


def test_a_record_that_is_not_a_session_record_is_rejected(office) -> None:
    bogus = sealed_record(office.public_key, record_json={"persons": "nobody", "shoe_size": 42})
    refused(office, bogus, "record_invalid")


@pytest.mark.parametrize("pdf", [b"", b"<html>not a pdf</html>"])
def test_a_missing_or_fake_pdf_is_rejected(office, pdf: bytes) -> None:
    refused(office, sealed_record(office.public_key, pdf=pdf), "pdf_invalid")


def test_records_from_a_revoked_terminal_are_refused_and_nothing_stored(office) -> None:
    answer = office.ingest([sealed_record(office.public_key)], who="revoked")
    assert answer.status_code == 401
    assert answer.json()["code"] == "terminal_revoked"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert count_applications(office) == 0


def test_replays_and_conflicts_leave_no_gaps_in_receipt_numbers(office) -> None:
    first = sealed_record(office.public_key)
    office.ingest([first])
    office.ingest([first, {**first, "kiosk_id": "kiosk-9"}])  # duplicate + conflict
    office.ingest([sealed_record(X25519PrivateKey.generate().public_key())])  # rejected
    second = office.ingest([sealed_record(office.public_key)]).json()["results"][0]
    assert second["receipt_number"].endswith("-000002")
    with office.context.sessions() as session:
        assert session.scalar(select(ReceiptCounter.last)) == 2


def test_an_individual_number_on_a_form_without_legal_basis_is_rejected(office) -> None:
    """The kiosk prunes it (record_for_form); the back office enforces 番号法 §19 as well."""
    from forms.catalog import Catalog
    from forms.sample_records import load_sample

    carried = load_sample("yoshino_household")
    assert carried.card is not None and carried.card.individual_number
    assert not Catalog.builtin().get("juminhyo").uses_individual_number
    refused(
        office,
        sealed_record(office.public_key, "juminhyo", 1, record=carried),
        "individual_number_not_allowed",
    )  # and only the good record of the batch was stored
    kokuho = Catalog.builtin().get("kokuho")
    assert kokuho.uses_individual_number
    answer = office.ingest(
        [sealed_record(office.public_key, "kokuho", kokuho.version, record=carried)]
    )
    assert answer.json()["results"][0]["status"] == "accepted"
