"""Visits on SQLite and PostgreSQL: a moving-in household's 5 forms (with seal registration)
sealed and pushed as the kiosk's sync does, listed as one row, reviewed, identity-checked once
and taken to 完了 with one call, every form's own history written; one form returned alone;
すべて完了 refused (and nothing changed) while a form has no identity check; a paper import
joining its visit; the queue's ETag and filters."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from backoffice_factory import PDF, catalog, data_qr, samples, signing_pair
from sqlalchemy import select

from backoffice.models import AuditEntry
from backoffice.services import accounts
from sync.application import make_ingest_records

API = "/api/v1"
# 引越し・転入 with 印鑑登録: what the kiosk's navigator gives the Yoshino household.
MOVING_IN = ["idou", "kokuho", "jidou_teate", "inkan", "kodomo_iryo"]


def _push_visit(office, forms=MOVING_IN, *, sample="yoshino_household", reception="K1-0001"):  # type: ignore[no-untyped-def]
    """Confirm at the kiosk: a call number from the back office, then every form sealed with
    the record pruned to it (sync.application.make_ingest_records) and POSTed as one batch."""
    record = samples()[sample].model_copy(update={"id": uuid.uuid4()})
    kiosk = office.auth("kiosk")
    issued = office.client.post(
        f"{API}/call-numbers", json={"visit": reception, "procedures": forms}, headers=kiosk
    )
    assert issued.status_code == 200, issued.text
    call_number = issued.json()["call_number"]
    cat = catalog()
    templates = [cat.get(t, cat.versions(t)[-1]) for t in forms]
    records = make_ingest_records(
        record,
        templates,
        {t: PDF for t in forms},
        kiosk_id="kiosk-1",
        mode="resident",
        reception_number=reception,
        office_public_key=office.public_key,
        call_number=call_number,
    )
    answer = office.ingest([json.loads(r.model_dump_json()) for r in records])
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * len(forms), results
    return record, call_number, [r["receipt_number"] for r in results]


def _visit(office, visit_id):  # type: ignore[no-untyped-def]
    answer = office.client.get(f"{API}/visits/{visit_id}", headers=office.auth("staff"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _post(office, visit_id, action: str, body=None):  # type: ignore[no-untyped-def]
    return office.client.post(
        f"{API}/visits/{visit_id}/{action}", json=body, headers=office.auth("staff")
    )


def test_a_five_form_visit_is_one_row_and_done_with_one_action(office) -> None:
    record, call_number, receipts = _push_visit(office)
    staff = office.auth("staff")
    page = office.client.get(f"{API}/visits", headers=staff).json()
    assert page["total"] == 1
    [row] = page["items"]
    assert row["visit_id"] == str(record.id)
    assert row["call_number"] == call_number and len(call_number) <= 5
    assert row["procedures"] == MOVING_IN
    assert row["people"] == len(record.persons) >= 2
    assert row["state"] == "waiting" and row["wait_seconds"] >= 0
    assert [f["receipt_number"] for f in row["forms"]] == receipts
    assert not row["identity_checked"]

    assert _post(office, record.id, "call").status_code == 200
    assert _visit(office, record.id)["state"] == "called"
    reviewed = _post(office, record.id, "review")
    assert reviewed.status_code == 200 and reviewed.json()["changed"] == receipts
    assert reviewed.json()["visit"]["state"] == "in_review"
    checked = _post(office, record.id, "identity", {"document": "my_number_card"})
    assert checked.status_code == 201 and checked.json()["changed"] == receipts
    assert checked.json()["visit"]["identity_checked"]

    done = _post(office, record.id, "complete")
    assert done.status_code == 200, done.text
    assert done.json()["changed"] == receipts
    assert done.json()["visit"]["state"] == "done"
    assert done.json()["visit"]["finished_at"] is not None

    visit = _visit(office, record.id)
    assert len(visit["identity_checks"]) == 1  # recorded once for the visit
    for form in visit["applications"]:  # …and written into every form's own history
        assert form["status"] == "done"
        assert [(h["from_status"], h["to_status"]) for h in form["history"]] == [
            (None, "received"),
            ("received", "in_review"),
            ("in_review", "done"),
        ]
        assert all(h["actor"] == "user:sato" for h in form["history"][1:])
        assert [c["document"] for c in form["identity_checks"]] == ["my_number_card"]
    with office.context.sessions() as session:
        actions = [
            (e.action, e.target)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.actor == "user:sato"))
        ]
    for receipt in receipts:
        assert ("change_status", receipt) in actions and ("identity_check", receipt) in actions
    assert ("complete_visit", f"visit:{record.id}") in actions
    # a finished visit has nothing left to finish
    again = _post(office, record.id, "complete")
    assert again.status_code == 409 and again.json()["code"] == "visit_nothing_to_do"
    assert office.client.get(f"{API}/visits?open=true", headers=staff).json()["total"] == 0
    assert office.client.get(f"{API}/visits?state=done", headers=staff).json()["total"] == 1


def test_one_form_is_returned_alone_and_the_rest_finished(office) -> None:
    record, _call, receipts = _push_visit(office)
    staff = office.auth("staff")
    assert _post(office, record.id, "review").status_code == 200
    inkan = receipts[MOVING_IN.index("inkan")]
    # 差戻し needs a reason, and moves only that form
    bare = office.client.post(
        f"{API}/applications/{inkan}/status", json={"status": "returned"}, headers=staff
    )
    assert bare.status_code == 422 and bare.json()["code"] == "reason_required"
    returned = office.client.post(
        f"{API}/applications/{inkan}/status",
        json={"status": "returned", "reason": "登録する印鑑をお持ちください"},
        headers=staff,
    )
    assert returned.status_code == 200, returned.text
    visit = _visit(office, record.id)
    assert visit["state"] == "in_review"
    assert {f["receipt_number"]: f["status"] for f in visit["forms"]} == {
        r: "returned" if r == inkan else "in_review" for r in receipts
    }
    assert _post(office, record.id, "identity", {"document": "drivers_licence"}).status_code == 201
    done = _post(office, record.id, "complete")
    assert done.status_code == 200, done.text
    assert done.json()["changed"] == [r for r in receipts if r != inkan]
    assert done.json()["visit"]["state"] == "returned"  # the returned form waits
    forms = {f["receipt_number"]: f for f in _visit(office, record.id)["applications"]}
    assert forms[inkan]["status"] == "returned"
    assert forms[inkan]["return_reason"] == "登録する印鑑をお持ちください"
    assert [h["to_status"] for h in forms[inkan]["history"]] == [
        "received",
        "in_review",
        "returned",
    ]
    page = office.client.get(f"{API}/visits?state=returned", headers=staff).json()
    assert [v["visit_id"] for v in page["items"]] == [str(record.id)]


def test_all_done_is_refused_while_one_form_has_no_identity_check(office) -> None:
    record, _call, receipts = _push_visit(office)
    staff = office.auth("staff")
    # not reviewed yet: refused, naming the first form
    early = _post(office, record.id, "complete")
    assert early.status_code == 409 and early.json()["code"] == "visit_cannot_complete"
    assert early.json()["problems"] == [receipts[0]]
    assert _post(office, record.id, "review").status_code == 200
    # identity checked on four forms only (the per-form endpoint), not on the fifth
    for receipt in receipts[:4]:
        office.client.post(
            f"{API}/applications/{receipt}/identity-checks",
            json={"document": "passport"},
            headers=staff,
        )
    refused = _post(office, record.id, "complete")
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["code"] == "visit_cannot_complete" and body["problems"] == [receipts[4]]
    assert receipts[4] in body["ja"] and "本人確認" in body["ja"]
    assert receipts[4] in body["en"] and "identity check" in body["en"]
    # nothing changed: every form still in review, with two history rows
    visit = _visit(office, record.id)
    assert {f["status"] for f in visit["applications"]} == {"in_review"}
    assert all(len(f["history"]) == 2 for f in visit["applications"])
    assert not visit["identity_checked"]
    # the visit's check covers the fifth; now it goes through
    assert _post(office, record.id, "identity", {"document": "passport"}).status_code == 201
    assert _post(office, record.id, "complete").status_code == 200


def test_visits_are_kept_apart_and_filtered_and_the_etag_moves(office) -> None:
    staff = office.auth("staff")
    first, _c1, _r1 = _push_visit(office, ["juminhyo"], sample="smith_john", reception="K1-0001")
    second, _c2, _r2 = _push_visit(office, ["idou", "kokuho"], reception="K1-0002")
    page = office.client.get(f"{API}/visits", headers=staff)
    etag = page.headers["etag"]
    assert [v["visit_id"] for v in page.json()["items"]] == [str(first.id), str(second.id)]
    same = office.client.get(f"{API}/visits", headers={**staff, "If-None-Match": etag})
    assert same.status_code == 304
    by_form = office.client.get(f"{API}/visits?template_id=kokuho", headers=staff).json()
    assert [v["visit_id"] for v in by_form["items"]] == [str(second.id)]
    # an identity check on one application changes the page (its flag)
    receipt = page.json()["items"][0]["forms"][0]["receipt_number"]
    office.client.post(
        f"{API}/applications/{receipt}/identity-checks",
        json={"document": "passport"},
        headers=staff,
    )
    after = office.client.get(f"{API}/visits", headers={**staff, "If-None-Match": etag})
    assert after.status_code == 200 and after.json()["items"][0]["identity_checked"]
    assert office.client.get(f"{API}/visits?state=waiting", headers=staff).json()["total"] == 2
    missing = office.client.get(f"{API}/visits/{uuid.uuid4()}", headers=staff)
    assert missing.status_code == 404 and missing.json()["code"] == "visit_not_found"
    for action in ("review", "call", "complete"):
        assert _post(office, uuid.uuid4(), action).status_code == 404


def test_a_paper_import_joins_its_visit_when_the_kiosk_copy_arrives(office) -> None:
    private, pem = signing_pair()
    with office.context.sessions() as session, session.begin():
        accounts.set_signing_key(session, "kiosk-1", pem)
    record = samples()["yoshino_household"].model_copy(update={"id": uuid.uuid4()})
    cat = catalog()
    version = cat.versions("idou")[-1]
    digits = data_qr(record, [("idou", version)], private, office.public_key)
    staff = office.auth("staff")
    imported = office.client.post(f"{API}/paper-imports", json={"digits": digits}, headers=staff)
    assert imported.status_code == 200, imported.text
    paper_row = office.client.get(f"{API}/visits/{record.id}", headers=staff).json()
    assert paper_row["procedures"] == ["idou"] and paper_row["call_number"] is None
    assert paper_row["applications"][0]["source"] == "paper"

    # the kiosk's sync delivers the whole visit later: one visit, the paper form inside it
    forms = ["idou", "kokuho"]
    templates = [cat.get(t, cat.versions(t)[-1]) for t in forms]
    records = make_ingest_records(
        record,
        templates,
        {t: PDF for t in forms},
        kiosk_id="kiosk-1",
        mode="resident",
        reception_number="K1-0009",
        office_public_key=office.public_key,
        call_number="A-009",
        created_at=dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC),
    )
    answer = office.ingest([json.loads(r.model_dump_json()) for r in records]).json()
    assert [r["status"] for r in answer["results"]] == ["duplicate", "accepted"]
    page = office.client.get(f"{API}/visits", headers=staff).json()
    assert page["total"] == 1
    [row] = page["items"]
    assert row["procedures"] == ["idou", "kokuho"]
    assert row["call_number"] == "A-009" and row["reception_number"] == "K1-0009"
    assert all(f["has_pdf"] for f in row["forms"])


def test_the_migration_gives_existing_applications_their_visit(db_url: str) -> None:
    """0005 reads each stored record's id: two forms of one session share a visit."""
    from sqlalchemy import text

    from backoffice import migrate
    from backoffice.db import make_engine

    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0004_security")
        session_id = uuid.uuid4()
        now = dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC).replace(tzinfo=None)
        with engine.begin() as conn:
            for n, (template, record) in enumerate(
                (
                    ("idou", {"id": str(session_id)}),
                    ("kokuho", {"id": str(session_id)}),
                    ("juminhyo", {"persons": []}),
                ),  # the last: no id (a visit of its own)
                1,
            ):
                conn.execute(
                    text(
                        "INSERT INTO applications (uuid, receipt_number, body_sha256, template_id,"
                        " template_version, kiosk_id, terminal, mode, reception_number,"
                        " created_at, received_at, status, status_changed_at, status_changed_by,"
                        " record_json, measurement_json, pdf, source, has_pdf, updated_at)"
                        " VALUES (:uuid, :receipt, 'x', :template, 1, 'k', 'k', 'resident', 'R',"
                        " :now, :now, 'received', :now, 'k', :record, '{}', :pdf, 'kiosk',"
                        " :yes, :now)"
                    ),
                    {
                        "uuid": uuid.uuid4().hex
                        if engine.dialect.name == "sqlite"
                        else uuid.uuid4(),
                        "receipt": f"2026-00000{n}",
                        "template": template,
                        "now": now,
                        "record": json.dumps(record),
                        "pdf": b"%PDF-",
                        "yes": True,
                    },
                )
        migrate.upgrade(engine)
        with engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT template_id, visit_key FROM applications")).all())
        as_uuid = {k: uuid.UUID(str(v)) for k, v in keys.items()}
        assert as_uuid["idou"] == as_uuid["kokuho"] == session_id
        assert as_uuid["juminhyo"] != session_id
    finally:
        engine.dispose()
