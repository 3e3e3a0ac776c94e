"""Office key rotation: a new X25519 pair, the old ones kept for what was sealed to them.

Rows sealed before a rotation ingest after it; paper printed under the old key imports;
each pair has its own fingerprint; retiring an old key is refused while sealed data may still
arrive, unless forced with a reason; refusals and forced retirements are audited.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
import uuid

import pytest
from backoffice_factory import data_qr, sample_for, sealed_record, signing_pair
from sqlalchemy import select

from backoffice.models import AuditEntry, Terminal
from backoffice.office_keys import (
    PAPER_LIFE,
    RetirementRefused,
    find_record,
    retire,
    retirement_blockers,
)
from backoffice.services import accounts
from forms.payload.keys import fingerprint
from madoguchi.cli import main

API = "/api/v1"


def _cli(office, *args: str) -> list[str]:  # type: ignore[no-untyped-def]
    settings = office.context.settings
    return [
        "backoffice",
        "keys",
        *args,
        "--db",
        settings.database_url,
        "--data-dir",
        str(settings.data_dir),
    ]


def _rotate(office, capsys) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main([*_cli(office, "rotate"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    return out["previous"], out["current"]


def _keys(office, who: str = "kiosk") -> dict:  # type: ignore[no-untyped-def]
    answer = office.client.get(f"{API}/office-keys", headers=office.auth(who))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_rows_sealed_before_a_rotation_ingest_after_it(office, capsys) -> None:
    old_public = office.public_key
    before = [sealed_record(old_public, reception_number=f"A-00{n}") for n in range(3)]
    first, second = _rotate(office, capsys)
    assert first == fingerprint(old_public) and second != first
    assert fingerprint(office.public_key) == second  # the service follows the files

    listed = _keys(office)
    assert listed["current"]["fingerprint"] == second
    states = {k["fingerprint"]: k["superseded_at"] for k in listed["keys"]}
    assert states[second] is None and states[first] is not None
    assert office.client.get(f"{API}/office-key").json()["fingerprint"] == second

    after = sealed_record(office.public_key, reception_number="A-009")
    results = office.ingest([*before, after]).json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 4, results

    folder = office.context.settings.data_dir / "office_keys"
    kept = folder / f"{first.removeprefix('sha256:')}.pem"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_paper_printed_under_the_old_key_imports_after_rotations(office, capsys) -> None:
    private, pem = signing_pair()
    with office.context.sessions() as session, session.begin():
        accounts.set_signing_key(session, "kiosk-1", pem)
    record = sample_for("juminhyo", 1)
    old_paper = data_qr(record, [("juminhyo", 1)], private, office.public_key)
    _rotate(office, capsys)
    _rotate(office, capsys)  # two rotations on: still held
    answer = office.client.post(
        f"{API}/paper-imports", json={"digits": old_paper}, headers=office.auth("staff")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["items"][0]["outcome"] == "imported"
    other = record.model_copy(update={"id": uuid.uuid4()})  # another application
    new_paper = data_qr(other, [("juminhyo", 1)], private, office.public_key)
    answer = office.client.post(
        f"{API}/paper-imports", json={"digits": new_paper}, headers=office.auth("staff")
    )
    assert answer.status_code == 200, answer.text


def test_a_kiosk_pull_is_remembered(office, capsys) -> None:
    _, new = _rotate(office, capsys)
    _keys(office, "staff")  # a person's read is not a kiosk's pull
    _keys(office, "kiosk")
    with office.context.sessions() as session:
        rows = {t.name: t for t in session.scalars(select(Terminal))}
        assert rows["kiosk-1"].office_key_fingerprint == new
        assert rows["kiosk-1"].office_key_since is not None
        assert rows["kiosk-2"].office_key_fingerprint is None


def test_retiring_is_refused_while_sealed_data_may_arrive(office, capsys) -> None:
    old, new = _rotate(office, capsys)
    capsys.readouterr()
    # the current key: never
    assert main(_cli(office, "retire", new)) == 1
    assert "current key" in capsys.readouterr().err
    # the old key: kiosk-2 has not pulled the new one, and paper lives 5 years
    assert main(_cli(office, "retire", old)) == 1
    err = capsys.readouterr().err
    assert "kiosk-2" in err and "printed data QR" in err
    # forced without a reason: refused
    assert main(_cli(office, "retire", old, "--force")) == 1
    assert "--reason" in capsys.readouterr().err
    office.context.keys.refresh()
    sealed_to_old = sealed_record(office.context.keys.held[1].private.public_key())
    assert main(_cli(office, "retire", old, "--force", "--reason", "鍵の漏えい / key leaked")) == 0
    assert not (office.context.settings.data_dir / "office_keys" / f"{old[7:]}.pem").exists()
    result = office.ingest([sealed_to_old]).json()["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "seal_invalid"
    with office.context.sessions() as session:
        actions = [
            (e.action, e.target)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if "office_key" in e.action
        ]
        row = find_record(session, old)
        assert row.retired_reason == "鍵の漏えい / key leaked" and row.retired_at is not None
    assert actions == [
        ("rotate_office_key", f"office_key:{new}"),
        ("retire_office_key_refused", f"office_key:{new}"),
        ("retire_office_key_refused", f"office_key:{old}"),
        ("retire_office_key_forced", f"office_key:{old}"),
    ]
    capsys.readouterr()
    assert main([*_cli(office, "list"), "--json"]) == 0
    listed = {k["fingerprint"]: k for k in json.loads(capsys.readouterr().out)}
    assert listed[old]["state"] == "retired" and not listed[old]["private_key_held"]
    assert listed[new]["state"] == "current"


def test_unforced_retirement_once_every_kiosk_moved_on_and_paper_expired(office, capsys) -> None:
    old, new = _rotate(office, capsys)
    with office.context.sessions() as session, session.begin():
        for terminal in session.scalars(select(Terminal)):
            terminal.office_key_fingerprint = new
            terminal.office_key_since = find_record(session, old).superseded_at
    with office.context.sessions() as session, session.begin():
        row = find_record(session, old)
        assert row.superseded_at is not None
        last_day = row.superseded_at + PAPER_LIFE - dt.timedelta(seconds=1)
        ja, en = retirement_blockers(session, row, last_day)
        assert len(en) == 1 and "printed data QR" in en[0] and ja
        with pytest.raises(RetirementRefused):
            retire(session, old, "cli:test", now=last_day)
        done = retire(session, old, "cli:test", now=last_day + dt.timedelta(seconds=1))
        assert done.retired_at is not None and done.retired_reason is None
        assert retirement_blockers(session, find_record(session, new), last_day)[1] == [
            "it is the current key (rotate first)"
        ]
