"""Security findings of the outside review, back-office side.

* A credential that can read records, made through the API, is pending until a second person
  (another admin, or the server's command line) activates it; its appearance is audited.
* Login user names that are no account never reach the log or the audit log verbatim.
* Password hashes are argon2id at OWASP's cost; older scrypt hashes move on at the next login.
"""

from __future__ import annotations

import base64
import hashlib
import logging

from backoffice_factory import PASSWORD
from sqlalchemy import select

from backoffice import security
from backoffice.models import AuditEntry, User
from backoffice.services import accounts
from madoguchi.cli import main
from sync.protocol.counter import OFFLINE_LETTERS
from sync.protocol.vocabulary import Role

API = "/api/v1"


def _login(office, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return office.client.post(
        f"{API}/auth/login", json={"username": username, "password": password}
    )


def _second_admin(office) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session, session.begin():
        accounts.add_user(session, "admin2", Role.ADMIN, PASSWORD, created_by="cli:root")
    token = _login(office, "admin2").json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _audit(office, action: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [(e.actor, e.target) for e in rows]


def test_a_core_terminal_made_by_one_admin_needs_another(office, caplog) -> None:
    admin = office.auth("admin")
    with caplog.at_level(logging.WARNING, logger="backoffice"):
        made = office.client.post(
            f"{API}/terminals", json={"name": "juki-2", "role": "core"}, headers=admin
        )
    assert made.status_code == 201 and made.json()["pending"] is True
    token = {"Authorization": f"Bearer {made.json()['token']}"}
    refused = office.client.get(f"{API}/core/applications/2099-000001", headers=token)
    assert refused.status_code == 401 and refused.json()["code"] == "credential_pending"
    assert _audit(office, "pending_credential") == [("user:admin", "terminal:juki-2:core")]
    assert "pending terminal credential juki-2 (role core) made by user:admin" in caplog.text

    itself = office.client.post(f"{API}/terminals/juki-2/activate", headers=admin)
    assert itself.status_code == 403 and itself.json()["code"] == "second_person_required"
    other = office.client.post(f"{API}/terminals/juki-2/activate", headers=_second_admin(office))
    assert other.status_code == 200, other.text
    assert other.json()["pending"] is False and other.json()["activated_by"] == "user:admin2"
    works = office.client.get(f"{API}/core/applications/2099-000001", headers=token)
    assert works.status_code == 404  # past authentication: the receipt does not exist
    assert _audit(office, "activate_terminal") == [("user:admin2", "terminal:juki-2")]


def test_kiosk_and_reception_terminals_are_active_at_once(office) -> None:
    for name, role in (("kiosk-9", "kiosk"), ("reception-9", "reception")):
        made = office.client.post(
            f"{API}/terminals", json={"name": name, "role": role}, headers=office.auth("admin")
        )
        assert made.status_code == 201 and made.json()["pending"] is False, made.text
        me = office.client.get(
            f"{API}/auth/me", headers={"Authorization": f"Bearer {made.json()['token']}"}
        )
        body = me.json()
        letter = body.pop("offline_letter")
        assert body == {"kind": "terminal", "name": name, "role": role}
        # only a kiosk gets a reserved letter for numbers it gives while the office is away
        assert (letter is not None and letter in OFFLINE_LETTERS) == (role == "kiosk"), letter
    assert _audit(office, "pending_credential") == []


def test_accounts_made_through_the_api_wait_for_a_second_person(office, tmp_path, capsys) -> None:
    admin = office.auth("admin")
    for username, role in (("suzuki", "staff"), ("juki", "core"), ("admin3", "admin")):
        made = office.client.post(
            f"{API}/users",
            json={"username": username, "role": role, "password": PASSWORD},
            headers=admin,
        )
        assert made.status_code == 201 and made.json()["pending"] is True, made.text
        wrong = _login(office, username, "not the password")
        assert wrong.json()["code"] == "bad_credentials"  # pending is said only with the password
        pending = _login(office, username)
        assert pending.status_code == 401 and pending.json()["code"] == "credential_pending"
    # the server's own command line is the second person too
    settings = office.context.settings
    store = ["--db", settings.database_url, "--data-dir", str(settings.data_dir)]
    assert main(["backoffice", "user", "activate", "suzuki", *store]) == 0
    assert _login(office, "suzuki").status_code == 200
    assert main(["backoffice", "user", "list", *store]) == 0
    listing = capsys.readouterr().out
    assert "juki\tcore\tpending" in listing and "suzuki\tstaff\tactive" in listing
    refused = office.client.post(f"{API}/users/juki/activate", headers=admin)
    assert refused.json()["code"] == "second_person_required"
    assert office.client.post(f"{API}/users/ghost/activate", headers=admin).status_code == 404


def test_unknown_user_names_are_never_written_verbatim(office, caplog) -> None:
    typed = "Tr0ub4dor&3-password-in-the-name-box"
    with caplog.at_level(logging.INFO, logger="backoffice"):
        for _ in range(2):
            assert _login(office, typed, "whatever1").status_code == 401
        assert _login(office, "sato", "wrong-password").status_code == 401
    failed = _audit(office, "login_failed")
    assert failed[0] == failed[1] and failed[0][0].startswith("unknown-user:")
    assert len(failed[0][0]) == len("unknown-user:") + 12  # a keyed hash, the same each time
    assert failed[2] == ("user:sato", "session")
    assert typed not in caplog.text and failed[0][0] in caplog.text
    with office.context.sessions() as session:
        every = session.scalars(select(AuditEntry)).all()
        assert not [e for e in every if typed in e.actor or typed in e.target]
    # keyed: without the office's secret the hash cannot be recomputed from a guess
    assert security.pseudonym(b"another key", typed) != failed[0][0].split(":")[1]
    key_file = office.context.settings.pseudonym_key_path
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_an_old_scrypt_hash_is_replaced_at_the_next_login(office) -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    legacy = "$".join(
        [
            "scrypt",
            "16384",
            "8",
            "1",
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )
    with office.context.sessions() as session, session.begin():
        session.scalars(select(User).where(User.username == "sato")).one().password_hash = legacy
    assert security.needs_rehash(legacy) and security.verify_password(PASSWORD, legacy)
    assert _login(office, "sato", "wrong-password").status_code == 401
    with office.context.sessions() as session:
        assert session.scalar(select(User.password_hash).where(User.username == "sato")) == legacy
    assert _login(office, "sato").status_code == 200
    with office.context.sessions() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "sato"))
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and not security.needs_rehash(
        stored
    )
    assert _login(office, "sato").status_code == 200
