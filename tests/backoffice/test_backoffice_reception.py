"""What the reception terminal needs from the back office, on SQLite and PostgreSQL: the
queue's ETag, calling a number, the public call board, identity-check notes, measurement
totals, kiosk signing keys and paper import (both orders against the kiosk's sync)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from backoffice_factory import (
    PDF,
    catalog,
    data_qr,
    personal_strings,
    sample_for,
    samples,
    sealed_record,
    signing_pair,
    template_keys,
)
from cryptography.hazmat.primitives import serialization

from backoffice.services import accounts
from forms.payload.prune import record_for_form
from sync.application import ingest_key

API = "/api/v1"


def _ingest_one(office, **kw) -> str:  # type: ignore[no-untyped-def]
    answer = office.ingest([sealed_record(office.public_key, **kw)])
    result = answer.json()["results"][0]
    assert result["status"] == "accepted", result
    return result["receipt_number"]


def _register_key(office, name: str = "kiosk-1"):  # type: ignore[no-untyped-def]
    private, pem = signing_pair()
    with office.context.sessions() as session, session.begin():
        accounts.set_signing_key(session, name, pem)
    return private


# -- the queue's ETag (cheap live polling) ----------------------------------------------


def test_the_queue_answers_304_until_something_it_shows_changes(office) -> None:
    staff = office.auth("staff")
    first = office.client.get(f"{API}/applications", headers=staff)
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.json()["etag"] == etag
    same = office.client.get(f"{API}/applications", headers={**staff, "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""

    receipt = _ingest_one(office)
    after_ingest = office.client.get(
        f"{API}/applications", headers={**staff, "If-None-Match": etag}
    )
    assert after_ingest.status_code == 200 and after_ingest.json()["total"] == 1
    etag = after_ingest.headers["etag"]

    # a status change, a call: each changes the tag; an identity check does not (not shown)
    for path, body in (
        (f"/applications/{receipt}/status", {"status": "in_review"}),
        (f"/applications/{receipt}/call", None),
    ):
        assert office.client.post(f"{API}{path}", json=body, headers=staff).status_code == 200
        answer = office.client.get(f"{API}/applications", headers={**staff, "If-None-Match": etag})
        assert answer.status_code == 200, path
        etag = answer.headers["etag"]
    office.client.post(
        f"{API}/applications/{receipt}/identity-checks",
        json={"document": "my_number_card"},
        headers=staff,
    )
    assert (
        office.client.get(
            f"{API}/applications", headers={**staff, "If-None-Match": etag}
        ).status_code
        == 304
    )
    # another filter is another view: its own tag
    filtered = office.client.get(f"{API}/applications?status=done", headers=staff)
    assert filtered.headers["etag"] != etag and filtered.json()["total"] == 0


# -- calling and the call board ---------------------------------------------------------


def test_the_call_board_shows_numbers_and_states_only(office_at, office_clock_source) -> None:
    # 15:30 UTC on 31 December: already New Year's Day at the office (the hour this test
    # used to fail at, and the year it could no longer fail in)
    office = office_at
    now = office_clock_source.moment = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)
    staff = office.auth("staff")
    # as the kiosk seals it for the default form (juminhyo): pruned, no individual number
    bundle = record_for_form(samples()["yoshino_household"], catalog().get("juminhyo", 1))
    # two applications under one reception number: one entry on the board
    a = _ingest_one(office, created_at=now, reception_number="A-101", record=bundle)
    b = _ingest_one(
        office,
        created_at=now,
        reception_number="A-101",
        record=bundle.model_copy(update={"id": uuid.uuid4()}),
    )
    c = _ingest_one(office, created_at=now, reception_number="A-102")
    d = _ingest_one(office, created_at=now, reception_number="A-103")
    assert [a, b, c, d] == [f"2027-00000{n}" for n in range(1, 5)]

    board = office.client.get(f"{API}/call-board").json()  # no Authorization at all
    states = {e["reception_number"]: e["state"] for e in board["entries"]}
    assert states == {"A-101": "waiting", "A-102": "waiting", "A-103": "waiting"}

    assert office.client.post(f"{API}/applications/{c}/call", headers=staff).status_code == 200
    for receipt in (a, b):
        for status in ("in_review", "done"):
            office.client.post(
                f"{API}/applications/{receipt}/status", json={"status": status}, headers=staff
            )
    office.context.call_board._at = -1e9  # expire the one-second cache
    board = office.client.get(f"{API}/call-board").json()
    assert [(e["reception_number"], e["state"]) for e in board["entries"]] == [
        ("A-102", "called"),
        ("A-103", "waiting"),
        ("A-101", "done"),
    ]
    text = json.dumps(board, ensure_ascii=False)
    assert not [s for s in personal_strings() if s in text]
    assert set(board["entries"][0]) == {
        "reception_number", "state", "called_at", "call_number", "counter",
    }  # fmt: skip
    assert board["day"] == "2027-01-01"
    assert not [r for r in (a, b, c, d) if r in text]  # no receipt numbers either

    # a finished application cannot be called
    refused = office.client.post(f"{API}/applications/{a}/call", headers=staff)
    assert refused.status_code == 409 and refused.json()["code"] == "cannot_call"

    page = office.client.get(f"{API}/call-board/view")
    assert page.status_code == 200 and "呼出し表示" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_the_call_board_is_cached_so_a_flood_reads_the_database_once(office) -> None:
    cache = office.context.call_board
    cache._at = -1e9
    before = cache.reads
    for _ in range(50):
        assert office.client.get(f"{API}/call-board").status_code == 200
    assert cache.reads - before == 1


# -- identity checks ---------------------------------------------------------------------


def test_identity_checks_keep_the_document_its_note_and_who(office) -> None:
    staff = office.auth("staff")
    receipt = _ingest_one(office)
    for body in (
        {"document": "drivers_licence"},
        {"document": "other", "note": "年金手帳"},
    ):
        answer = office.client.post(
            f"{API}/applications/{receipt}/identity-checks", json=body, headers=staff
        )
        assert answer.status_code == 201, answer.text
    checks = office.client.get(f"{API}/applications/{receipt}", headers=staff).json()[
        "identity_checks"
    ]
    assert [(c["document"], c["note"], c["actor"]) for c in checks] == [
        ("drivers_licence", None, "user:sato"),
        ("other", "年金手帳", "user:sato"),
    ]
    for bad in (
        {"document": "library_card"},
        {"document": "other", "note": "x" * 101},
        {"document": "other", "extra": 1},
    ):
        answer = office.client.post(
            f"{API}/applications/{receipt}/identity-checks", json=bad, headers=staff
        )
        assert answer.status_code == 422, bad


# -- measurement totals --------------------------------------------------------------------


def test_measurement_totals_per_day_and_procedure(office) -> None:
    day1 = dt.datetime(2026, 5, 11, 0, 30, tzinfo=dt.UTC)  # 09:30 in Tokyo
    day2 = dt.datetime(2026, 5, 11, 16, 0, tzinfo=dt.UTC)  # 01:00 on the 12th in Tokyo
    m1 = {"step_seconds": {"identify": 10.0, "review": 30.5}, "typed_chars": 4,
          "prefilled_chars": 40}  # fmt: skip
    m2 = {"step_seconds": {"identify": 5.0, "sign": 7.0}, "typed_chars": 6, "prefilled_chars": 20}
    odd = {"step_seconds": {"review": "slow", "sign": -3}, "typed_chars": True}
    _ingest_one(office, created_at=day1, measurement=m1)
    _ingest_one(office, created_at=day1, measurement=m2)
    _ingest_one(office, created_at=day1, measurement=odd)  # counted, not measured
    _ingest_one(office, created_at=day2, measurement=m1)
    _ingest_one(office, created_at=day2 + dt.timedelta(days=30), measurement=m1)  # outside

    answer = office.client.get(
        f"{API}/measurements?date_from=2026-05-11&date_to=2026-05-12", headers=office.auth("admin")
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert rows == [
        {
            "day": "2026-05-11",
            "template_id": "juminhyo",
            "applications": 3,
            "measured": 2,
            "typed_chars": 10,
            "prefilled_chars": 60,
            "step_seconds": {"identify": 15.0, "review": 30.5, "sign": 7.0},
        },
        {
            "day": "2026-05-12",
            "template_id": "juminhyo",
            "applications": 1,
            "measured": 1,
            "typed_chars": 4,
            "prefilled_chars": 40,
            "step_seconds": {"identify": 10.0, "review": 30.5},
        },
    ]
    for query in ("date_from=2026-05-12&date_to=2026-05-11", "date_from=2025-01-01&date_to=2026-05-11",
                  "date_from=nope&date_to=2026-05-11"):  # fmt: skip
        bad = office.client.get(f"{API}/measurements?{query}", headers=office.auth("staff"))
        assert bad.status_code == 422, query
        assert set(bad.json()) >= {"code", "ja", "en"}


# -- kiosk signing keys ----------------------------------------------------------------


def test_terminal_signing_keys_are_checked_and_unique(office) -> None:
    admin = office.auth("admin")
    _, pem = signing_pair()
    made = office.client.post(
        f"{API}/terminals",
        json={"name": "kiosk-9", "role": "kiosk", "signing_public_key_pem": pem},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    assert len(made.json()["signing_key_fingerprint"]) >= 16
    again = office.client.post(
        f"{API}/terminals",
        json={"name": "kiosk-10", "signing_public_key_pem": pem},
        headers=admin,
    )
    assert again.status_code == 409 and again.json()["code"] == "signing_key_taken"
    x25519_pem = office.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    for bad in (
        "not a key",
        x25519_pem,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ):
        answer = office.client.post(
            f"{API}/terminals",
            json={"name": "kiosk-11", "signing_public_key_pem": bad},
            headers=admin,
        )
        assert answer.status_code == 422 and answer.json()["code"] == "bad_signing_key", bad
    core = office.client.post(
        f"{API}/terminals",
        json={"name": "core-2", "role": "core", "signing_public_key_pem": signing_pair()[1]},
        headers=admin,
    )
    assert core.status_code == 422 and core.json()["code"] == "bad_role"


# -- paper import -------------------------------------------------------------------------


@pytest.mark.parametrize(("template_id", "version"), template_keys())
def test_paper_first_then_the_kiosk_copy_attaches(office, template_id: str, version: int) -> None:
    """Every shipped template: the paper imports once; the kiosk's copy later is DUPLICATE
    with the paper's receipt, and brings its PDF."""
    staff = office.auth("staff")
    key = _register_key(office)
    record = sample_for(template_id, version)
    digits = data_qr(record, [(template_id, version)], key, office.public_key)

    first = office.client.post(f"{API}/paper-imports", json={"digits": digits}, headers=staff)
    assert first.status_code == 200, first.text
    [item] = first.json()["items"]
    assert item["outcome"] == "imported" and first.json()["signer"] == "kiosk-1"
    receipt = item["receipt_number"]
    detail = office.client.get(f"{API}/applications/{receipt}", headers=staff).json()
    assert detail["source"] == "paper" and detail["has_pdf"] is False
    assert detail["uuid"] == str(ingest_key(record.id, template_id))
    no_pdf = office.client.get(f"{API}/applications/{receipt}/pdf", headers=staff)
    assert no_pdf.status_code == 404 and no_pdf.json()["code"] == "pdf_not_attached"

    again = office.client.post(f"{API}/paper-imports", json={"digits": digits}, headers=staff)
    assert again.json()["items"][0] == {**item, "outcome": "existing"}

    kiosk_copy = sealed_record(
        office.public_key,
        template_id,
        version,
        record,
        key=ingest_key(record.id, template_id),
        reception_number="K-007",
    )
    result = office.ingest([kiosk_copy]).json()["results"][0]
    assert result == {
        "uuid": kiosk_copy["uuid"],
        "status": "duplicate",
        "receipt_number": receipt,
        "error": None,
    }
    replay = office.ingest([kiosk_copy]).json()["results"][0]
    assert replay["status"] == "duplicate" and replay["receipt_number"] == receipt
    queue = office.client.get(f"{API}/applications", headers=staff).json()
    assert queue["total"] == 1
    [row] = queue["items"]
    assert row["has_pdf"] is True and row["reception_number"] == "K-007"
    assert row["source"] == "paper"
    pdf = office.client.get(f"{API}/applications/{receipt}/pdf", headers=staff)
    assert pdf.status_code == 200 and pdf.content == PDF


def test_kiosk_first_then_the_paper_opens_it(office) -> None:
    staff = office.auth("staff")
    key = _register_key(office)
    record = sample_for("juminhyo", 1)
    receipt = _ingest_one(office, record=record, key=ingest_key(record.id, "juminhyo"))
    digits = data_qr(record, [("juminhyo", 1)], key, office.public_key)
    for _ in range(2):
        answer = office.client.post(f"{API}/paper-imports", json={"digits": digits}, headers=staff)
        assert answer.json()["items"] == [
            {
                "template_id": "juminhyo",
                "template_version": 1,
                "receipt_number": receipt,
                "outcome": "existing",
            }
        ]
    queue = office.client.get(f"{API}/applications", headers=staff).json()
    assert queue["total"] == 1 and queue["items"][0]["source"] == "kiosk"
    audit = office.client.get(f"{API}/audit?target={receipt}", headers=office.auth("admin"))
    assert [e["action"] for e in audit.json()].count("paper_import") == 2


def test_the_kiosk_copy_of_another_template_version_is_a_conflict(office) -> None:
    staff = office.auth("staff")
    key = _register_key(office)
    record = sample_for("juminhyo", 1)
    digits = data_qr(record, [("juminhyo", 1)], key, office.public_key)
    receipt = office.client.post(
        f"{API}/paper-imports", json={"digits": digits}, headers=staff
    ).json()["items"][0]["receipt_number"]
    text = office.client.get(f"{API}/templates/juminhyo/1", headers=staff).text
    newer = text.replace("version: 1\n", "version: 2\n", 1)
    assert newer != text
    published = office.client.post(
        f"{API}/templates",
        content=newer.encode(),
        headers={**office.auth("admin"), "Content-Type": "text/yaml"},
    )
    assert published.status_code == 201, published.text
    kiosk_copy = sealed_record(
        office.public_key, "juminhyo", 2, record, key=ingest_key(record.id, "juminhyo")
    )
    result = office.ingest([kiosk_copy]).json()["results"][0]
    assert result["status"] == "conflict"
    detail = office.client.get(f"{API}/applications/{receipt}", headers=staff).json()
    assert detail["has_pdf"] is False and detail["template_version"] == 1


def test_paper_that_is_not_ours_is_refused_clearly_and_stores_nothing(office, caplog) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    staff = office.auth("staff")
    registered = _register_key(office)
    unregistered, _ = signing_pair()
    revoked = _register_key(office, "stolen-kiosk")
    record = sample_for("juminhyo", 1)
    cases = {
        "paper_not_from_kiosk": data_qr(record, [("juminhyo", 1)], unregistered, office.public_key),
        "paper_not_from_kiosk ": data_qr(record, [("juminhyo", 1)], revoked, office.public_key),
        "payload_wrong_key": data_qr(
            record, [("juminhyo", 1)], registered, X25519PrivateKey.generate().public_key()
        ),
        "payload_expired": data_qr(
            record,
            [("juminhyo", 1)],
            registered,
            office.public_key,
            issued_at=office.context.clock.now() - dt.timedelta(days=60),
            ttl=dt.timedelta(days=30),
        ),
        "payload_unknown_template": data_qr(record, [("juminhyo", 99)], registered, office.public_key),
        "payload_not_ours": "hello",
        "payload_truncated": data_qr(record, [("juminhyo", 1)], registered, office.public_key)[:-40],
    }  # fmt: skip
    for code, digits in cases.items():
        answer = office.client.post(f"{API}/paper-imports", json={"digits": digits}, headers=staff)
        assert answer.status_code == 422, code
        body = answer.json()
        assert body["code"] == code.strip(), body
        assert body["ja"] and body["en"]
    for bad in ({"digits": ""}, {"digits": "1" * 9000}, {"text": "1"}, {}):
        answer = office.client.post(f"{API}/paper-imports", json=bad, headers=staff)
        assert answer.status_code == 422, bad
    assert office.client.get(f"{API}/applications", headers=staff).json()["total"] == 0
    logged = caplog.text
    assert not [s for s in personal_strings() if s in logged]


def test_cli_registers_a_kiosk_signing_key(db_url: str, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from madoguchi.cli import main

    store = ["--db", db_url, "--data-dir", str(tmp_path / "office")]
    _, pem = signing_pair()
    key_file = tmp_path / "kiosk-signing.pub"
    key_file.write_text(pem)
    bad_file = tmp_path / "bad.pub"
    bad_file.write_text("not a key")
    assert (
        main(["backoffice", "terminal", "add", "k1", "--signing-key", str(key_file), *store]) == 0
    )
    capsys.readouterr()
    assert (
        main(["backoffice", "terminal", "add", "k2", "--signing-key", str(key_file), *store]) == 1
    )
    assert "another terminal" in capsys.readouterr().err
    assert main(["backoffice", "terminal", "add", "k3", *store]) == 0
    assert main(["backoffice", "terminal", "set-key", "k3", str(bad_file), *store]) == 1
    assert "Ed25519" in capsys.readouterr().err
    assert main(["backoffice", "terminal", "set-key", "k3", str(tmp_path / "none"), *store]) == 1
    _, other = signing_pair()
    key_file.write_text(other)
    assert main(["backoffice", "terminal", "set-key", "k3", str(key_file), *store]) == 0
    capsys.readouterr()
    assert main(["backoffice", "terminal", "list", "--json", *store]) == 0
    listed = {t["name"]: t["signing_key"] for t in json.loads(capsys.readouterr().out)}
    assert listed["k1"] and listed["k3"] and listed["k1"] != listed["k3"]
