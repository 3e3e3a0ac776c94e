"""The counter's endpoints on SQLite and PostgreSQL: call numbers per office day (concurrent
kiosks, day rollover, letters), routing, call-staff alerts (idempotent, acknowledged once),
heartbeats and the kiosks' status (media-empty marker, silent after 2 minutes)."""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from backoffice_factory import PASSWORD, sealed_record
from counter_office import Hands, office_on_clock
from sqlalchemy import update

from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.models import CallNumberCounter
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.counter import OFFLINE_LETTERS, ONLINE_LETTERS
from sync.protocol.vocabulary import Role

API = "/api/v1"
# 23:59:58 in Tokyo on New Year's Eve: two seconds before the office day (and year) turns,
# while UTC is still at 14:59 of the same day.
EVE = dt.datetime(2026, 12, 31, 14, 59, 58, tzinfo=dt.UTC)


@pytest.fixture
def hands() -> Hands:
    return Hands(EVE)


@pytest.fixture
def office(db_url: str, tmp_path: Path, hands: Hands) -> Iterator:  # type: ignore[type-arg]
    yield from office_on_clock(db_url, tmp_path / "office", hands)


def ask(office, visit: str, procedures: list[str], who: str = "kiosk"):  # type: ignore[no-untyped-def]
    return office.client.post(
        f"{API}/call-numbers",
        json={"visit": visit, "procedures": procedures},
        headers=office.auth(who),
    )


def issued(office, visit: str, who: str = "kiosk", procedures=("juminhyo",)) -> dict:  # type: ignore[no-untyped-def]
    answer = ask(office, visit, list(procedures), who)
    assert answer.status_code == 200, answer.text
    return answer.json()


def set_routing(office, entries: list[dict], who: str = "admin"):  # type: ignore[no-untyped-def]
    return office.client.put(f"{API}/routing", json=entries, headers=office.auth(who))


ROUTES = [
    {"template_id": "idou", "counter": "3", "section_ja": "市民課 住民記録係",
     "section_en": "Residents' Records"},
    {"template_id": "juminhyo", "counter": "1", "section_ja": "市民課 証明係",
     "section_en": "Certificates"},
]  # fmt: skip


# -- call numbers --------------------------------------------------------------------------


def test_a_visit_gets_one_short_number_and_asking_again_gives_the_same(office) -> None:
    first = issued(office, "kiosk-1-1231-0001")
    assert first["call_number"] == "A-001" and first["day"] == "2026-12-31"
    assert re.fullmatch(r"[A-Z]-\d{3}", first["call_number"])
    again = issued(office, "kiosk-1-1231-0001")  # a retry after a lost answer
    assert again["call_number"] == "A-001"
    # another visit of the same kiosk, and the same visit text from another kiosk: new numbers
    assert issued(office, "kiosk-1-1231-0002")["call_number"] == "A-002"
    assert issued(office, "kiosk-1-1231-0001", who="kiosk2")["call_number"] == "A-003"


def test_the_number_starts_again_at_the_office_midnight_not_utc(office, hands) -> None:
    assert issued(office, "v1")["call_number"] == "A-001"
    assert issued(office, "v2")["call_number"] == "A-002"
    hands.advance(seconds=2)  # 2027-01-01 00:00:00 in Tokyo, 2026-12-31 15:00 UTC
    fresh = issued(office, "v3")
    assert fresh == {"call_number": "A-001", "day": "2027-01-01", "routing": []}
    # yesterday's visit asking again today is a visit of today
    assert issued(office, "v1")["call_number"] == "A-002"


def test_a_back_office_in_utc_turns_the_day_at_utc_midnight(db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hands = Hands(EVE)
    for office in office_on_clock(db_url, tmp_path / "utc", hands, zone="UTC"):
        assert issued(office, "v1") == {"call_number": "A-001", "day": "2026-12-31", "routing": []}
        hands.advance(seconds=2)  # 15:00 UTC: still the 31st there
        assert issued(office, "v2")["call_number"] == "A-002"
        hands.advance(hours=9)  # 00:00 UTC
        assert issued(office, "v3") == {"call_number": "A-001", "day": "2027-01-01", "routing": []}


def test_after_999_the_next_letter_and_then_a_clear_refusal(office) -> None:
    with office.context.sessions() as session, session.begin():
        issued(office, "seed")
        session.execute(update(CallNumberCounter).values(last=999))
    assert issued(office, "v1000")["call_number"] == "B-001"
    with office.context.sessions() as session, session.begin():
        session.execute(update(CallNumberCounter).values(letter=ONLINE_LETTERS[-1], last=999))
    refused = ask(office, "too-many", ["juminhyo"])
    assert refused.status_code == 503
    assert refused.json()["code"] == "call_numbers_exhausted" and "使い切り" in refused.json()["ja"]


def test_each_kiosk_has_an_offline_letter_the_back_office_never_issues(office) -> None:
    terminals = office.client.get(f"{API}/terminals", headers=office.auth("admin")).json()
    letters = {t["name"]: t["offline_letter"] for t in terminals}
    assert letters["kiosk-1"] == OFFLINE_LETTERS[0] == "Z"
    assert letters["kiosk-2"] == "Y" and letters["juki-core"] is None
    assert not set(OFFLINE_LETTERS) & set(ONLINE_LETTERS)
    assert "I" not in OFFLINE_LETTERS + ONLINE_LETTERS and "O" not in OFFLINE_LETTERS
    me = office.client.get(f"{API}/auth/me", headers=office.auth("kiosk")).json()
    assert me["offline_letter"] == "Z"
    assert (
        office.client.get(f"{API}/auth/me", headers=office.auth("staff")).json()["offline_letter"]
        is None
    )
    # a new kiosk takes the next free letter; the revoked one keeps its own
    created = office.client.post(
        f"{API}/terminals", json={"name": "kiosk-3", "role": "kiosk"}, headers=office.auth("admin")
    ).json()
    assert created["offline_letter"] == "W" and letters["stolen-kiosk"] == "X"


def test_bad_call_number_requests_are_refused_with_reasons(office) -> None:
    unknown = ask(office, "v1", ["juminhyo", "no_such_form"])
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_procedures"
    assert "no_such_form" in unknown.json()["en"]
    for body in (
        {"visit": "", "procedures": ["juminhyo"]},
        {"visit": "v\n1", "procedures": ["juminhyo"]},
        {"visit": "v1", "procedures": []},
        {"visit": "v1", "procedures": ["Not An Id"]},
        {"visit": "v1", "procedures": ["juminhyo"], "extra": 1},
    ):
        answer = office.client.post(f"{API}/call-numbers", json=body, headers=office.auth("kiosk"))
        assert answer.status_code == 422, body
    assert issued(office, "v1")["call_number"] == "A-001"  # the refusals used no number


@pytest.mark.postgres
def test_four_kiosks_at_once_on_postgres_never_share_a_number(
    postgres_url: str, tmp_path: Path
) -> None:
    """4 kiosks × 25 visits against a real server with two worker processes."""
    from tests.support.postgres import fresh_database

    db_url = fresh_database(postgres_url, f"cn_{uuid.uuid4().hex[:12]}")
    settings = BackofficeSettings(data_dir=tmp_path / "office", db_url=db_url)
    context = open_context(settings)
    with context.sessions() as session, session.begin():
        tokens = [accounts.add_terminal(session, f"kiosk-{n}", Role.KIOSK) for n in range(4)]
    context.close()
    visits = 25
    barrier = threading.Barrier(4, timeout=30)

    def kiosk(n: int) -> list[tuple[str, str]]:
        out = []
        with httpx.Client(base_url=base, timeout=60) as http:
            barrier.wait()
            for v in range(visits):
                body = {"visit": f"k{n}-{v:04d}", "procedures": ["juminhyo"]}
                headers = {"Authorization": f"Bearer {tokens[n]}"}
                answer = http.post("/api/v1/call-numbers", json=body, headers=headers)
                assert answer.status_code == 200, answer.text
                out.append((answer.json()["day"], answer.json()["call_number"]))
                if v % 5 == 0:  # a retry of the same visit: the same number, none used up
                    again = http.post("/api/v1/call-numbers", json=body, headers=headers)
                    assert (again.json()["day"], again.json()["call_number"]) == out[-1]
        return out

    with (
        serve_subprocess(
            data_dir=settings.data_dir, db_url=db_url, workers=2, log_path=tmp_path / "server.log"
        ) as base,
        ThreadPoolExecutor(4) as pool,
    ):
        numbers = [pair for got in pool.map(kiosk, range(4)) for pair in got]
    assert len(numbers) == 4 * visits
    assert len(set(numbers)) == len(numbers), Counter(numbers).most_common(3)
    for day in {d for d, _ in numbers}:  # per office day: A-001 … without gaps
        got = sorted(int(n[2:]) for d, n in numbers if d == day)
        assert got == list(range(1, len(got) + 1))


# -- routing -------------------------------------------------------------------------------


def test_routing_is_set_by_an_admin_and_comes_back_with_the_number(office) -> None:
    assert office.client.get(f"{API}/routing", headers=office.auth("kiosk")).json() == []
    assert set_routing(office, ROUTES, who="staff").status_code == 403
    saved = set_routing(office, ROUTES)
    assert saved.status_code == 200 and saved.json() == ROUTES
    for who in ("kiosk", "staff", "admin"):
        assert office.client.get(f"{API}/routing", headers=office.auth(who)).json() == ROUTES
    answer = issued(office, "v1", procedures=("juminhyo", "idou", "inkan"))
    assert [r["template_id"] for r in answer["routing"]] == ["juminhyo", "idou"]
    assert answer["routing"][1]["counter"] == "3"
    audit = office.client.get(f"{API}/audit", headers=office.auth("admin")).json()
    assert any(e["action"] == "set_routing" and e["actor"] == "user:admin" for e in audit)
    # replacing the table replaces it
    assert set_routing(office, ROUTES[:1]).json() == ROUTES[:1]


def test_bad_routing_is_refused_and_changes_nothing(office) -> None:
    set_routing(office, ROUTES)
    twice = set_routing(office, [ROUTES[0], ROUTES[0]])
    assert twice.status_code == 422 and twice.json()["code"] == "routing_repeated"
    unknown = set_routing(office, [{**ROUTES[0], "template_id": "idouu"}])
    assert unknown.status_code == 422 and "idouu" in unknown.json()["problems"][0]
    for bad in ({**ROUTES[0], "counter": ""}, {**ROUTES[0], "section_ja": "市民課\n"}):
        assert set_routing(office, [bad]).status_code == 422
    assert office.client.get(f"{API}/routing", headers=office.auth("admin")).json() == ROUTES


# -- alerts --------------------------------------------------------------------------------


def alert_body(**kw) -> dict:  # type: ignore[no-untyped-def]
    body = {
        "id": str(uuid.uuid4()),
        "kind": "call_staff",
        "step": "review",
        "detail": "",
        "raised_at": EVE.isoformat(),
    }
    return {**body, **kw}


def test_an_alert_is_stored_once_and_acknowledged_by_one_person(office) -> None:
    body = alert_body()
    first = office.client.post(f"{API}/alerts", json=body, headers=office.auth("kiosk"))
    assert first.status_code == 201
    assert first.json()["kiosk"] == "kiosk-1" and first.json()["acknowledged_by"] is None
    retry = office.client.post(f"{API}/alerts", json=body, headers=office.auth("kiosk"))
    assert retry.status_code == 200 and retry.json() == first.json()
    stolen = office.client.post(f"{API}/alerts", json=body, headers=office.auth("kiosk2"))
    assert stolen.status_code == 409 and stolen.json()["code"] == "alert_id_taken"

    listed = office.client.get(f"{API}/alerts?open=true", headers=office.auth("staff")).json()
    assert [a["id"] for a in listed] == [body["id"]]
    ack = office.client.post(f"{API}/alerts/{body['id']}/ack", headers=office.auth("staff"))
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "user:sato"
    assert ack.json()["acknowledged_at"] is not None
    again = office.client.post(f"{API}/alerts/{body['id']}/ack", headers=office.auth("staff"))
    assert again.status_code == 409 and "user:sato" in again.json()["en"]
    assert office.client.get(f"{API}/alerts", headers=office.auth("staff")).json() == []
    every = office.client.get(f"{API}/alerts?open=false", headers=office.auth("staff")).json()
    assert [a["id"] for a in every] == [body["id"]]
    missing = office.client.post(f"{API}/alerts/{uuid.uuid4()}/ack", headers=office.auth("staff"))
    assert missing.status_code == 404

    audit = office.client.get(f"{API}/audit", headers=office.auth("admin")).json()
    actions = [(e["action"], e["actor"]) for e in audit if e["target"] == f"alert:{body['id']}"]
    assert sorted(actions) == [("ack_alert", "user:sato"), ("raise_alert", "terminal:kiosk-1")]


def test_bad_alerts_are_refused(office) -> None:
    for bad in (
        alert_body(kind="fire"),
        alert_body(detail="x" * 201),
        alert_body(detail="line\nbreak"),
        alert_body(raised_at="2026-12-31T23:59:00"),  # no zone: refused, never guessed
        alert_body(id="not-a-uuid"),
    ):
        answer = office.client.post(f"{API}/alerts", json=bad, headers=office.auth("kiosk"))
        assert answer.status_code == 422, bad
        assert {"code", "ja", "en"} <= set(answer.json())


# -- heartbeats and the kiosks' status -------------------------------------------------------


def beat(**kw) -> dict:  # type: ignore[no-untyped-def]
    body = {
        "app_version": "1.0.0",
        "reader_present": True,
        "printer_state": "idle",
        "printer_reasons": ["none"],
        "outbox_pending": 0,
        "outbox_oldest_pending_s": None,
        "last_sync_at": EVE.isoformat(),
        "sent_at": EVE.isoformat(),
    }
    return {**body, **kw}


def statuses(office) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    answer = office.client.get(f"{API}/terminals/status", headers=office.auth("staff"))
    assert answer.status_code == 200
    return {s["name"]: s for s in answer.json()}


def send(office, body: dict, who: str = "kiosk") -> None:  # type: ignore[no-untyped-def]
    answer = office.client.post(f"{API}/heartbeats", json=body, headers=office.auth(who))
    assert answer.status_code == 204, answer.text


def test_a_heartbeat_with_media_empty_raises_the_marker(office) -> None:
    send(office, beat())
    assert statuses(office)["kiosk-1"]["needs_attention"] == []
    send(office, beat(printer_state="stopped", printer_reasons=["media-empty-error"]))
    kiosk = statuses(office)["kiosk-1"]
    assert kiosk["needs_attention"] == ["printer:stopped", "printer:media-empty"]
    assert kiosk["silent"] is False and kiosk["heartbeat"]["printer_state"] == "stopped"
    send(
        office,
        beat(
            reader_present=False,
            printer_reasons=["toner-low-report", "media-jam-warning"],
            outbox_pending=3,
            outbox_oldest_pending_s=900.0,
        ),
    )
    assert statuses(office)["kiosk-1"]["needs_attention"] == [
        "printer:media-jam",
        "reader:absent",
        "outbox:stuck",
    ]
    # an open call-staff alert needs a person too, until someone acknowledges it
    body = alert_body()
    office.client.post(f"{API}/alerts", json=body, headers=office.auth("kiosk2"))
    assert statuses(office)["kiosk-2"]["needs_attention"] == ["alert:call_staff"]
    office.client.post(f"{API}/alerts/{body['id']}/ack", headers=office.auth("staff"))
    assert statuses(office)["kiosk-2"]["needs_attention"] == []


def test_a_kiosk_silent_for_two_minutes_turns_grey(office, hands) -> None:
    everyone = statuses(office)
    assert set(everyone) == {"kiosk-1", "kiosk-2"}  # kiosks only, not the revoked one
    assert everyone["kiosk-1"]["silent"] is True and everyone["kiosk-1"]["last_seen_at"] is None
    send(office, beat())
    hands.advance(seconds=119)
    assert statuses(office)["kiosk-1"]["silent"] is False
    hands.advance(seconds=1)
    kiosk = statuses(office)["kiosk-1"]
    assert kiosk["silent"] is True and kiosk["last_seen_at"] is not None
    send(office, beat(sent_at=(EVE + dt.timedelta(hours=5)).isoformat()))  # its clock is off
    assert statuses(office)["kiosk-1"]["silent"] is False  # the office's clock decides
    assert statuses(office)["kiosk-2"]["silent"] is True


def test_bad_heartbeats_are_refused(office) -> None:
    for bad in (
        beat(printer_state="on fire"),
        beat(outbox_pending=-1),
        beat(printer_reasons=["media empty"]),
        beat(printer_reasons=["x"] * 17),
        beat(sent_at="2026-12-31T23:59:00"),
        beat(app_version="1.0\n"),
    ):
        answer = office.client.post(f"{API}/heartbeats", json=bad, headers=office.auth("kiosk"))
        assert answer.status_code == 422, bad


# -- the visit's call number travels with its applications ---------------------------------


def test_an_application_carries_its_visits_call_number(office) -> None:
    record = sealed_record(office.public_key)
    record["call_number"] = "A-007"
    result = office.ingest([record]).json()["results"][0]
    assert result["status"] == "accepted"
    replay = office.ingest([record]).json()["results"][0]
    assert replay["status"] == "duplicate"
    detail = office.client.get(
        f"{API}/applications/{result['receipt_number']}", headers=office.auth("staff")
    ).json()
    assert detail["call_number"] == "A-007"
    # a record without the field and the same record with null are the same body
    plain = sealed_record(office.public_key)
    assert office.ingest([plain]).json()["results"][0]["status"] == "accepted"
    assert office.ingest([{**plain, "call_number": None}]).json()["results"][0]["status"] == (
        "duplicate"
    )
    bad = sealed_record(office.public_key)
    bad["call_number"] = "A-0001"
    assert office.ingest([bad]).status_code == 422


# -- the one client speaks all of it -------------------------------------------------------


def test_the_office_client_round_trips_every_counter_call(office) -> None:
    from sync.client import OfficeClient
    from sync.errors import Refused
    from sync.protocol.counter import (
        AlertCreate,
        AlertKind,
        CallNumberRequest,
        Heartbeat,
        PrinterState,
        RoutingEntry,
    )

    transport = office.client._transport  # the app in-process, through httpx

    def kiosk_client() -> OfficeClient:
        return OfficeClient("http://localhost", office.tokens["kiosk"], transport=transport)

    def person(username: str) -> OfficeClient:
        client = OfficeClient("http://localhost", transport=transport)
        client.login(username, PASSWORD)
        return client

    with person("admin") as admin, kiosk_client() as kiosk, person("sato") as staff:
        saved = admin.set_routing([RoutingEntry.model_validate(r) for r in ROUTES])
        assert [r.template_id for r in saved] == ["idou", "juminhyo"]
        got = kiosk.call_number(CallNumberRequest(visit="v1", procedures=["idou"]))
        assert got.call_number == "A-001" and got.routing[0].section_en == "Residents' Records"
        alert = AlertCreate(
            id=uuid.uuid4(), kind=AlertKind.PRINTER, detail="media-empty", raised_at=EVE
        )
        assert kiosk.raise_alert(alert).kiosk == "kiosk-1"
        kiosk.heartbeat(
            Heartbeat(
                app_version="1",
                reader_present=True,
                printer_state=PrinterState.STOPPED,
                printer_reasons=["media-empty-error"],
                outbox_pending=0,
                sent_at=EVE,
            )
        )
        [opened] = staff.open_alerts()
        assert staff.acknowledge_alert(opened.id).acknowledged_by == "user:sato"
        with pytest.raises(Refused) as twice:
            staff.acknowledge_alert(opened.id)
        assert twice.value.status == 409 and "user:sato" in twice.value.en
        status = {s.name: s for s in staff.terminal_status()}
        assert "printer:media-empty" in status["kiosk-1"].needs_attention
