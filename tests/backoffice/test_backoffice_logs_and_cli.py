"""No personal data in logs, error bodies or reprs; the terminal, user and key commands."""

from __future__ import annotations

import io
import json
import logging
import stat

import pytest
from backoffice_factory import PASSWORD, personal_strings, sample_for, sealed_record, template_keys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from backoffice.logs import JsonFormatter
from backoffice.models import Application, Terminal, User
from backoffice.security import token_hash, verify_password
from madoguchi.cli import main

API = "/api/v1"


def test_no_personal_data_in_logs_or_error_bodies(office, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    public = office.public_key
    bad_record = sample_for("juminhyo", 1).model_copy(deep=True)
    bad_record.addresses = {}
    records = [sealed_record(public, t, v) for t, v in template_keys()]
    rejected = [
        sealed_record(public, record=bad_record),
        sealed_record(X25519PrivateKey.generate().public_key()),
        {**sealed_record(public), "template_version": 77},
    ]
    answer = office.ingest([*records, *rejected])
    results = answer.json()["results"]
    assert [r["status"] for r in results[-3:]] == ["rejected"] * 3
    receipts = [r["receipt_number"] for r in results if r["receipt_number"]]
    office.ingest([{**records[0], "reception_number": "other"}])  # conflict
    for receipt in receipts:
        office.client.get(f"{API}/applications/{receipt}", headers=office.auth("staff"))
    office.client.post(
        f"{API}/applications/{receipts[0]}/status",
        json={"status": "returned", "reason": "住所の記載漏れ"},
        headers=office.auth("staff"),
    )
    office.client.get(f"{API}/export?format=jsonl", headers=office.auth("staff"))
    office.client.get(f"{API}/export?format=csv&template_id=juminhyo", headers=office.auth("staff"))
    office.client.post(
        f"{API}/ingest",
        content=b'{"records": [',
        headers={**office.auth("kiosk"), "Content-Type": "application/json"},
    )

    # The service's lines as `serve` writes them: JSON, one object per line (backoffice.logs).
    formatter = JsonFormatter()
    lines = [json.loads(formatter.format(r)) for r in caplog.records]
    assert all(set(line) >= {"ts", "level", "logger", "msg"} for line in lines)
    log_text = "\n".join(line["msg"] for line in lines)
    assert "ingest batch" in log_text and "ingest rejected" in log_text
    error_text = answer.text
    needles = personal_strings()
    assert needles
    for needle in needles:
        assert needle not in log_text, needle
        assert needle not in error_text, needle
    with office.context.sessions() as session:
        app = session.scalar(select(Application))
        assert not any(n in repr(app) for n in needles)


def test_terminal_commands(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    store = ["--data-dir", str(tmp_path)]
    assert main(["backoffice", "terminal", "add", "kiosk-7", *store]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("mdt_") and len(token) > 40
    assert main(["backoffice", "terminal", "add", "juki", "--role", "core", "--json", *store]) == 0
    assert '"role": "core"' in capsys.readouterr().out
    assert main(["backoffice", "terminal", "add", "kiosk-7", *store]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["backoffice", "terminal", "add", "bad name!", *store]) == 1
    assert main(["backoffice", "terminal", "revoke", "kiosk-7", *store]) == 0
    assert main(["backoffice", "terminal", "revoke", "ghost", *store]) == 1
    capsys.readouterr()
    assert main(["backoffice", "terminal", "list", *store]) == 0
    listing = capsys.readouterr().out
    assert "kiosk-7\tkiosk\trevoked" in listing and "juki\tcore\tactive" in listing
    from backoffice.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'backoffice.db'}")
    with engine.connect() as conn:
        stored = conn.execute(
            select(Terminal.token_sha256).where(Terminal.name == "kiosk-7")
        ).scalar()
    engine.dispose()
    assert stored == token_hash(token) and token not in stored  # only the hash is kept


def test_user_commands(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = ["--data-dir", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["backoffice", "user", "add", "tanaka", "--role", "admin", *store]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["backoffice", "user", "add", "suzuki", "--role", "staff", *store]) == 1
    assert "at least" in capsys.readouterr().err
    assert main(["backoffice", "user", "disable", "tanaka", *store]) == 0
    capsys.readouterr()
    assert main(["backoffice", "user", "list", *store]) == 0
    assert capsys.readouterr().out.strip() == "tanaka\tadmin\tdisabled"
    from backoffice.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'backoffice.db'}")
    with engine.connect() as conn:
        hashed = conn.execute(select(User.password_hash)).scalar()
    engine.dispose()
    assert PASSWORD not in hashed and hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(PASSWORD, hashed) and not verify_password("wrong", hashed)


def test_keys_command(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "keys"
    assert main(["backoffice", "keys", "--out", str(out)]) == 0
    first = capsys.readouterr().out
    assert "fingerprint" in first
    private = out / "office_key.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert main(["backoffice", "keys", "--out", str(out)]) == 0  # kept, not replaced
    assert first.splitlines()[-1] == capsys.readouterr().out.splitlines()[-1]
    private.write_text("not a key")
    assert main(["backoffice", "keys", "--out", str(out)]) == 1
    assert "key file" in capsys.readouterr().err


def test_a_disabled_user_cannot_log_in(shared_office) -> None:
    client = shared_office.client
    with shared_office.context.sessions() as session, session.begin():
        from backoffice.services import accounts
        from sync.protocol.vocabulary import Role

        accounts.add_user(session, "leaving", Role.STAFF, PASSWORD)
    token = client.post(
        f"{API}/auth/login", json={"username": "leaving", "password": PASSWORD}
    ).json()["token"]
    disabled = client.post(f"{API}/users/leaving/disable", headers=shared_office.auth("admin"))
    assert disabled.status_code == 200 and disabled.json()["disabled_at"]
    assert (
        client.get(f"{API}/applications", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    again = client.post(f"{API}/auth/login", json={"username": "leaving", "password": PASSWORD})
    assert again.status_code == 401


def test_admin_provisions_and_revokes_a_terminal_over_the_api(shared_office) -> None:
    client = shared_office.client
    made = client.post(
        f"{API}/terminals",
        json={"name": "kiosk-new", "role": "kiosk"},
        headers=shared_office.auth("admin"),
    )
    assert made.status_code == 201
    token = made.json()["token"]
    ok = client.get(f"{API}/templates", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    client.post(f"{API}/terminals/kiosk-new/revoke", headers=shared_office.auth("admin"))
    gone = client.get(f"{API}/templates", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401 and gone.json()["code"] == "terminal_revoked"
    listed = {
        t["name"]: t
        for t in client.get(f"{API}/terminals", headers=shared_office.auth("admin")).json()
    }
    assert listed["kiosk-new"]["revoked_at"] and "token" not in listed["kiosk-new"]
    wrong_role = client.post(
        f"{API}/terminals",
        json={"name": "t2", "role": "admin"},
        headers=shared_office.auth("admin"),
    )
    assert wrong_role.status_code == 422 and wrong_role.json()["code"] == "bad_role"
    user_as_kiosk = client.post(
        f"{API}/users",
        json={"username": "u2", "role": "kiosk", "password": PASSWORD},
        headers=shared_office.auth("admin"),
    )
    assert user_as_kiosk.status_code == 422 and user_as_kiosk.json()["code"] == "bad_role"


def test_an_unexpected_error_is_a_json_500_logged_by_type_only(
    shared_office, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = next(iter(sorted(personal_strings())))

    def explode(*_args: object) -> None:
        raise RuntimeError(f"something about {secret}")

    monkeypatch.setattr(shared_office.context.ingest, "ingest", explode)
    caplog.set_level(logging.INFO)
    answer = shared_office.ingest([sealed_record(shared_office.public_key)])
    assert answer.status_code == 500
    assert answer.json()["code"] == "internal_error"
    assert secret not in answer.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unhandled RuntimeError on POST /api/v1/ingest" in logged
    assert secret not in logged
    assert not any(r.exc_info for r in caplog.records)
