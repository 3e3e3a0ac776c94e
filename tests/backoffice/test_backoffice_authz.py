"""The authorisation matrix, endpoint by endpoint, for every kind of caller.

Callers: kiosk, reception and core-system terminals, staff and admin users, a revoked
terminal, a core terminal still pending its second person, a token that was never issued, and
no token at all. An allowed caller must get past authorisation
(anything but 401/403); everyone else gets 403 (authenticated, wrong role) or 401.
"""

from __future__ import annotations

import uuid

import pytest
from backoffice_factory import PASSWORD, sealed_record

API = "/api/v1"
CALLERS = ["kiosk", "reception", "core", "staff", "admin", "revoked", "pending", "bad", "none"]
AUTHENTICATED = ("kiosk", "reception", "core", "staff", "admin")
R = "2099-000001"  # a receipt number that does not exist: allowed callers get 404
NOW = "2026-12-01T09:00:00+09:00"
A = "00000000-0000-4000-8000-000000000000"  # an alert that does not exist: 404
V = "00000000-0000-4000-8000-00000000000a"  # a visit that does not exist: 404

# (method, path, body kind, roles allowed; "*" = any authenticated, "public" = anyone)
MATRIX: list[tuple[str, str, str | None, set[str]]] = [
    ("GET", "/health", None, {"public"}),
    ("GET", "/office-key", None, {"public"}),
    ("GET", "/office-keys", None, {"*"}),
    ("GET", "/openapi.json", None, {"public"}),
    ("GET", "/auth/me", None, {"*"}),
    ("POST", "/ingest", "ingest", {"kiosk"}),
    ("GET", "/templates", None, {"kiosk", "staff", "admin"}),
    ("GET", "/templates/juminhyo/1", None, {"kiosk", "staff", "admin"}),
    ("POST", "/templates", "yaml", {"admin"}),
    ("GET", "/applications", None, {"staff"}),
    ("GET", f"/applications/{R}", None, {"staff"}),
    ("GET", f"/applications/{R}/pdf", None, {"staff"}),
    ("POST", f"/applications/{R}/status", "status", {"staff"}),
    ("POST", f"/applications/{R}/identity-checks", "identity", {"staff"}),
    ("POST", f"/applications/{R}/call", None, {"staff"}),
    ("POST", "/paper-imports", "paper", {"staff"}),
    ("GET", "/visits", None, {"staff"}),
    ("GET", f"/visits/{V}", None, {"staff"}),
    ("POST", f"/visits/{V}/review", None, {"staff"}),
    ("POST", f"/visits/{V}/identity", "identity", {"staff"}),
    ("POST", f"/visits/{V}/call", None, {"staff"}),
    ("POST", f"/visits/{V}/complete", None, {"staff"}),
    ("GET", "/measurements?date_from=2026-04-01&date_to=2026-04-30", None, {"staff", "admin"}),
    ("GET", "/call-board", None, {"public"}),
    ("GET", "/call-board/view", None, {"public"}),
    ("GET", "/export?format=jsonl", None, {"staff"}),
    ("GET", "/core/applications", None, {"core"}),
    ("GET", f"/core/applications/{R}", None, {"core"}),
    ("GET", f"/core/applications/{R}/pdf", None, {"core"}),
    ("POST", f"/core/applications/{R}/status", "status", {"core"}),
    ("GET", "/users", None, {"admin"}),
    ("POST", "/users", "user", {"admin"}),
    ("POST", "/users/nobody/disable", None, {"admin"}),
    ("POST", "/users/nobody/activate", None, {"admin"}),
    ("GET", "/terminals", None, {"admin"}),
    ("POST", "/terminals", "terminal", {"admin"}),
    ("POST", "/terminals/nothing-here/revoke", None, {"admin"}),
    ("POST", "/terminals/nothing-here/activate", None, {"admin"}),
    ("GET", "/audit", None, {"admin"}),
    ("POST", "/call-numbers", "call_number", {"kiosk"}),
    ("GET", "/routing", None, {"kiosk", "staff", "admin"}),
    ("PUT", "/routing", "routing", {"admin"}),
    ("POST", "/alerts", "alert", {"kiosk"}),
    ("GET", "/alerts?open=true", None, {"staff"}),
    ("POST", f"/alerts/{A}/ack", None, {"staff"}),
    ("POST", "/heartbeats", "heartbeat", {"kiosk"}),
    ("GET", "/terminals/status", None, {"staff", "admin"}),
    ("POST", "/enrolments", "enrolment", {"admin"}),
    ("POST", "/enrol/hello", "hello", {"public"}),
    ("POST", "/enrol", "enrol", {"public"}),
    ("GET", "/retention", None, {"admin"}),
    ("GET", "/retention/preview", None, {"admin"}),
    ("GET", "/metrics", None, {"admin"}),  # and the metrics token (test_backoffice_metrics)
    ("PUT", "/retention/juminhyo", "retention", {"admin"}),
    ("POST", "/reservations/import", "reservations", {"admin"}),  # personal data in: admin
    ("POST", "/reservations/match", "reservation_query", {"kiosk"}),  # and out: kiosk only
]


def request_for(office, method: str, path: str, body: str | None, who: str):  # type: ignore[no-untyped-def]
    headers = office.auth(who)
    kwargs: dict = {}
    if body == "ingest":
        kwargs["json"] = {"records": [sealed_record(office.public_key)]}
    elif body == "yaml":
        kwargs["content"] = "id: x\n"
        headers["Content-Type"] = "text/yaml"
    elif body == "status":
        kwargs["json"] = {"status": "in_review"}
    elif body == "identity":
        kwargs["json"] = {"document": "my_number_card"}
    elif body == "paper":
        kwargs["json"] = {"digits": "1234"}  # not a payload: 422 when allowed
    elif body == "user":
        kwargs["json"] = {"username": "short", "role": "staff", "password": "x"}
    elif body == "call_number":
        kwargs["json"] = {"visit": "authz-1", "procedures": ["juminhyo"]}
    elif body == "routing":
        kwargs["json"] = []
    elif body == "retention":
        kwargs["json"] = {}
    elif body == "reservations":
        kwargs["json"] = {"format": "jsonl", "content": ""}
    elif body == "reservation_query":
        kwargs["json"] = {"name": "見本 花子", "birth_date": "1990-04-01"}
    elif body == "alert":
        kwargs["json"] = {"id": str(uuid.uuid4()), "kind": "call_staff", "raised_at": NOW}
    elif body == "heartbeat":
        kwargs["json"] = {
            "app_version": "1",
            "reader_present": True,
            "printer_state": "idle",
            "outbox_pending": 0,
            "sent_at": NOW,
        }
    elif body == "enrolment":
        kwargs["json"] = {"name": "kiosk-1", "role": "kiosk"}  # exists: 409 when allowed
    elif body == "hello":
        kwargs["json"] = {"lookup": "ZZZZ"}  # no such code: 401 enrolment_refused for anyone
        return _public_refusal(office, method, path, headers, kwargs)
    elif body == "enrol":
        kwargs["json"] = {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}
        return _public_refusal(office, method, path, headers, kwargs)
    elif body == "terminal":
        kwargs["json"] = {"name": "kiosk-1", "role": "kiosk"}  # exists: 409 when allowed
    return office.client.request(method, f"{API}{path}", headers=headers, **kwargs)


class _Answered:
    """A public enrolment step's refusal of a wrong code (401 `enrolment_refused`) is no
    authorisation decision: it answers anyone alike. Seen as 404 by the matrix."""

    def __init__(self, answer) -> None:  # type: ignore[no-untyped-def]
        assert answer.status_code == 401 and answer.json()["code"] == "enrolment_refused", (
            answer.text
        )
        self.status_code = 404


def _public_refusal(office, method, path, headers, kwargs):  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from backoffice.models import EnrolmentFailure

    answer = office.client.request(method, f"{API}{path}", headers=headers, **kwargs)
    with office.context.sessions() as session, session.begin():  # the matrix is no attack
        session.execute(delete(EnrolmentFailure))
    return _Answered(answer)


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_matrix(shared_office, method: str, path: str, body: str | None, allowed: set[str]) -> None:
    for who in CALLERS:
        answer = request_for(shared_office, method, path, body, who)
        authenticated = who in AUTHENTICATED
        ok = "public" in allowed or ("*" in allowed and authenticated) or who in allowed
        if ok:
            assert answer.status_code not in (401, 403), (who, answer.status_code, answer.text)
            assert answer.status_code < 500, (who, answer.text)
            continue
        payload = answer.json()
        assert set(payload) >= {"code", "ja", "en"}, payload
        if not authenticated:
            assert answer.status_code == 401, (who, answer.text)
            assert answer.headers.get("www-authenticate") == "Bearer"
            expected = {
                "revoked": "terminal_revoked",
                "bad": "bad_credentials",
                "pending": "credential_pending",
            }
            assert payload["code"] == expected.get(who, "not_authenticated")
        else:
            assert answer.status_code == 403, (who, answer.text)
            assert payload["code"] == "forbidden"
            assert who in payload["en"]  # says which role was refused


def test_every_route_is_in_the_matrix(shared_office) -> None:
    """A new endpoint must be added to the matrix (and so get an authorisation decision).

    Read from the OpenAPI document: FastAPI ≥ 0.160 no longer flattens included routers into
    `app.routes`, which made an enumeration of those silently empty."""
    paths = shared_office.client.get(f"{API}/openapi.json").json()["paths"]
    routes = {(m.upper(), p.removeprefix(API)) for p, ops in paths.items() for m in ops}
    assert len(routes) > 20  # the enumeration itself works
    listed = set()
    for method, path, _, _ in MATRIX:
        plain = path.split("?")[0].replace(R, "{receipt_number}")
        plain = plain.replace("/juminhyo/1", "/{template_id}/{version}")
        plain = plain.replace("/users/nobody/", "/users/{username}/")
        plain = plain.replace("/terminals/nothing-here/", "/terminals/{name}/")
        plain = plain.replace(A, "{alert_id}")
        plain = plain.replace(V, "{visit_id}")
        plain = plain.replace("/retention/juminhyo", "/retention/{template_id}")
        listed.add((method, plain))
    missing = routes - listed - {("POST", "/auth/login"), ("POST", "/auth/logout")}
    assert not missing, missing


def test_login_logout_and_expired_or_wrong_passwords(shared_office) -> None:
    client = shared_office.client
    bad = client.post(f"{API}/auth/login", json={"username": "sato", "password": "wrong-password"})
    assert bad.status_code == 401 and bad.json()["code"] == "bad_credentials"
    unknown = client.post(f"{API}/auth/login", json={"username": "ghost", "password": "whatever1"})
    assert unknown.status_code == 401 and unknown.json() == bad.json()  # no user enumeration
    token = client.post(
        f"{API}/auth/login", json={"username": "sato", "password": PASSWORD}
    ).json()["token"]
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"kind": "user", "name": "sato", "role": "staff", "offline_letter": None}
    assert (
        client.post(f"{API}/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code
        == 204
    )
    after = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401


def test_failed_logins_are_audited_and_five_lock_the_username(office, caplog) -> None:
    from sqlalchemy import select

    from backoffice.models import AuditEntry
    from backoffice.services.login_throttle import LoginThrottle

    clock = [1000.0]
    office.context.login_throttle = LoginThrottle(clock=lambda: clock[0])
    client = office.client

    def login(username: str, password: str):  # type: ignore[no-untyped-def]
        return client.post(f"{API}/auth/login", json={"username": username, "password": password})

    with caplog.at_level("WARNING", logger="backoffice.api.routes.accounts"):
        for _ in range(4):
            assert login("sato", "wrong-password").status_code == 401
        assert login("sato", PASSWORD).status_code == 200  # a success clears the count
        for _ in range(5):
            assert login("sato", "wrong-password").status_code == 401
        locked = login("sato", PASSWORD)  # even the right password, while locked
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "too_many_logins" and set(body) == {"code", "ja", "en"}
    assert "5分後" in body["ja"] and "try again in 5 min" in body["en"]
    assert login("admin", PASSWORD).status_code == 200  # per username
    assert "wrong-password" not in caplog.text and "sato" in caplog.text
    clock[0] += 299
    assert login("sato", PASSWORD).status_code == 429
    clock[0] += 2
    assert login("sato", PASSWORD).status_code == 200  # five minutes on
    assert login("ghost", "whatever1").status_code == 401  # unknown users count too
    with office.context.sessions() as session:
        failed = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "login_failed").order_by(AuditEntry.id)
        ).all()
        assert [(e.actor, e.target) for e in failed[:9]] == [("user:sato", "session")] * 9
        assert failed[9].actor.startswith("unknown-user:") and "ghost" not in failed[9].actor
        every = session.scalars(select(AuditEntry)).all()
        assert not [e for e in every if "wrong-password" in f"{e.actor} {e.target}"]


def test_the_login_throttle_stays_bounded() -> None:
    from backoffice.services import login_throttle
    from backoffice.services.login_throttle import LoginThrottle

    throttle = LoginThrottle(clock=lambda: 0.0)
    for _ in range(5):
        throttle.failed("sato")
    for n in range(login_throttle.MAX_TRACKED + 10):
        throttle.failed(f"guess{n}")
    assert len(throttle._failures) <= login_throttle.MAX_TRACKED
    with pytest.raises(login_throttle.TooManyLogins):  # a running lockout is kept
        throttle.check("sato")


def test_an_expired_session_is_refused(shared_office) -> None:
    import datetime as dt

    from sqlalchemy import update

    from backoffice.models import UserSession
    from backoffice.security import token_hash

    client = shared_office.client
    token = client.post(
        f"{API}/auth/login", json={"username": "sato", "password": PASSWORD}
    ).json()["token"]
    with shared_office.context.sessions() as session, session.begin():
        session.execute(
            update(UserSession)
            .where(UserSession.token_sha256 == token_hash(token))
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    answer = client.get(f"{API}/applications", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and answer.json()["code"] == "session_expired"


def test_malformed_authorization_headers(shared_office) -> None:
    for value in ("Basic dXNlcjpwYXNz", "Bearer", "bearer ", "Token abc", "Bearer mds_x y"):
        answer = shared_office.client.get(f"{API}/applications", headers={"Authorization": value})
        assert answer.status_code == 401, value
        assert answer.json()["code"] in ("not_authenticated", "bad_credentials")
