"""Enrolment by one-time code, end to end in process: the admin's code, the new machine's
two steps (`sync.enrolment.enrol` over the real app), and every refusal."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from backoffice.models import AuditEntry, Terminal, utcnow
from backoffice.services import enrolment as service
from forms.payload import keys
from madoguchi.cli import main
from sync.enrolment import OfficeNotProven, WrongEnrolmentRole, enrol
from sync.errors import NotAuthenticated
from sync.protocol.counter import OFFLINE_LETTERS
from sync.protocol.enrolment import (
    BadEnrolmentCode,
    format_code,
    normalise_code,
    parse_qr_text,
    qr_text,
)
from sync.protocol.vocabulary import Role

API = "/api/v1"
URL = "http://127.0.0.1"  # the in-process app: plain loopback, no CA


def _code(office, name: str, role: str = "kiosk") -> str:  # type: ignore[no-untyped-def]
    made = office.client.post(
        f"{API}/enrolments", json={"name": name, "role": role}, headers=office.auth("admin")
    )
    assert made.status_code == 201, made.text
    body = made.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(minutes=9) < expires - utcnow() <= dt.timedelta(minutes=10)
    return body["code"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_codes_are_short_tolerant_and_carry_the_server_in_the_qr() -> None:
    code = "k7qm-4xt2-9pzr-h3c8"
    assert format_code(code) == "K7QM-4XT2-9PZR-H3C8"
    assert normalise_code("K7QM 4XT2 9PZR H3C8") == "K7QM4XT29PZRH3C8"
    assert normalise_code("OIL0" + "0" * 12)[:4] == "0110"  # O, I and L read as 0 and 1
    for bad in ("", "K7QM-4XT2", "K7QM-4XT2-9PZR-H3CU", "K7QM-4XT2-9PZR-H3C8-X"):
        with pytest.raises(BadEnrolmentCode):
            normalise_code(bad)
    text = qr_text("https://office.example:8700", code)
    assert parse_qr_text(text) == ("https://office.example:8700", "K7QM4XT29PZRH3C8")


def test_a_kiosk_enrols_with_a_code(office, tmp_path: Path) -> None:
    code = _code(office, "kiosk-new")
    _signing, public = keys.generate_signing_keypair()
    data = tmp_path / "kiosk"
    enrolled = enrol(
        URL,
        code.lower(),  # typed sloppily
        data_dir=data,
        role=Role.KIOSK,
        signing_public_key_pem=keys.public_pem(public).decode(),
        transport=office.client._transport,
    )
    assert enrolled.name == "kiosk-new" and enrolled.role is Role.KIOSK
    assert enrolled.office_key_fingerprint == keys.fingerprint(office.public_key)
    token = (data / "terminal.token").read_text().strip()
    me = office.client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    body = me.json()
    letter = body.pop("offline_letter")
    assert body == {"kind": "terminal", "name": "kiosk-new", "role": "kiosk"}
    assert letter is not None and letter in OFFLINE_LETTERS  # an enrolled kiosk gets its letter too
    assert keys.load_counter_public_key(data / "office_public.pem") == office.public_key
    record = json.loads((data / "enrolment.json").read_text())
    assert record["server_url"] == URL and record["name"] == "kiosk-new"
    assert token not in (data / "enrolment.json").read_text()
    assert _mode(data) == 0o700
    for name in ("terminal.token", "office_public.pem", "enrolment.json"):
        assert _mode(data / name) == 0o600, name
    assert not (data / "office_ca.pem").exists()  # a plain-http development office has none
    with office.context.sessions() as session:
        row = session.scalars(select(Terminal).where(Terminal.name == "kiosk-new")).one()
        assert row.signing_key_fingerprint == keys.fingerprint(public) and not row.pending
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert "create_enrolment" in actions and "enrol" in actions

    again = office.client.post(f"{API}/enrol", json={"code": code})  # used: refused
    assert again.status_code == 401 and again.json()["code"] == "enrolment_refused"
    with pytest.raises(NotAuthenticated):
        enrol(
            URL,
            code,
            data_dir=tmp_path / "second",
            role=Role.KIOSK,
            transport=office.client._transport,
        )


def test_an_expired_code_is_refused(office) -> None:
    with office.context.sessions() as session, session.begin():
        code, _ = service.create(
            session,
            "kiosk-late",
            Role.KIOSK,
            "user:admin",
            ca_pem=None,
            ttl=dt.timedelta(minutes=10),
            now=utcnow() - dt.timedelta(minutes=10, seconds=1),
        )
    hello = office.client.post(f"{API}/enrol/hello", json={"lookup": code[:4]})
    assert hello.status_code == 401 and hello.json()["code"] == "enrolment_refused"
    answer = office.client.post(f"{API}/enrol", json={"code": code})
    assert answer.status_code == 401 and answer.json()["code"] == "enrolment_refused"


def test_five_wrong_codes_lock_the_address_out(office, caplog) -> None:
    code = _code(office, "kiosk-target")
    for n in range(5):
        wrong = office.client.post(f"{API}/enrol", json={"code": f"ZZZZ-ZZZZ-ZZZZ-ZZZ{n}"})
        assert wrong.status_code == 401 and wrong.json()["code"] == "enrolment_refused"
    locked = office.client.post(f"{API}/enrol", json={"code": code})  # even the right one
    assert locked.status_code == 429 and locked.json()["code"] == "enrolment_locked"
    hello = office.client.post(f"{API}/enrol/hello", json={"lookup": code[:4]})
    assert hello.status_code == 429
    with office.context.sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("enrol_%"))).all()
        assert [e.action for e in rows] == ["enrol_failed"] * 5 + ["enrol_locked"] * 2
        assert {e.actor for e in rows} == {"address:testclient"}
        assert session.scalar(select(Terminal).where(Terminal.name == "kiosk-target")) is None
    assert "ZZZZ" not in caplog.text and code not in caplog.text  # codes are never logged


def test_a_code_for_a_reception_terminal_is_not_a_kiosks(office, tmp_path: Path) -> None:
    code = _code(office, "reception-2f", role="reception")
    with pytest.raises(WrongEnrolmentRole):
        enrol(
            URL, code, data_dir=tmp_path / "k", role=Role.KIOSK, transport=office.client._transport
        )
    enrolled = enrol(
        URL, code, data_dir=tmp_path / "r", role=Role.RECEPTION, transport=office.client._transport
    )
    assert enrolled.role is Role.RECEPTION  # the refusal above did not use the code up


def test_the_code_never_leaves_for_an_office_that_cannot_prove_it_made_it(tmp_path: Path) -> None:
    """A machine in the middle answers step 1 with its own CA: it cannot compute the proof,
    so the new terminal stops before step 2, and the code was never sent."""
    seen: list[httpx.Request] = []

    def impostor(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "name": "kiosk-x",
                "role": "kiosk",
                "ca_pem": "-----BEGIN CERTIFICATE-----",
                "proof": "0" * 64,
            },
        )

    code = "K7QM-4XT2-9PZR-H3C8"
    with pytest.raises(OfficeNotProven):
        enrol(
            URL, code, data_dir=tmp_path, role=Role.KIOSK, transport=httpx.MockTransport(impostor)
        )
    assert [r.url.path for r in seen] == ["/api/v1/enrol/hello"]
    assert b"4XT2" not in seen[0].content and json.loads(seen[0].content) == {"lookup": "K7QM"}
    assert not (tmp_path / "terminal.token").exists()


def test_the_cli_makes_a_code_and_a_qr(office, tmp_path: Path, capsys) -> None:
    settings = office.context.settings
    store = ["--db", settings.database_url, "--data-dir", str(settings.data_dir)]
    png = tmp_path / "enrol.png"
    args = ["backoffice", "terminal", "enrol", "kiosk-cli", "--url", "https://office.example:8700"]
    assert main([*args, "--qr-out", str(png), "--json", *store]) == 0
    made = json.loads(capsys.readouterr().out)
    assert parse_qr_text(made["qr_text"]) == (
        "https://office.example:8700",
        normalise_code(made["code"]),
    )
    assert png.read_bytes().startswith(b"\x89PNG") and _mode(png) == 0o600
    from devices.qr.once import codes_in_image

    assert codes_in_image(png) == [made["qr_text"]]  # what the new machine's camera reads
    assert main(["backoffice", "terminal", "enrol", "kiosk-cli", *store]) == 1  # one live code
    assert "kiosk-cli" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # core systems are set up by hand, never by a code
        main(["backoffice", "terminal", "enrol", "x", "--role", "core", *store])
