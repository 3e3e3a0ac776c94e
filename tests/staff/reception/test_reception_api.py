"""The reception terminal's client (`sync.client`) against the real back office: roles
enforced by the server, the refusals typed, paper import in both orders against the kiosk's
real sync client, the audit of staff reads, measurement totals, and no personal data in logs."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from receptionkit import PDF, personal_strings, sample_for

from sync.client import OfficeClient
from sync.errors import Forbidden, NotAuthenticated, ProtocolViolation, Refused, ServerUnavailable

API = "/api/v1"


def test_sign_in_is_checked_by_the_server(office) -> None:
    with OfficeClient(office.url) as api:
        with pytest.raises(NotAuthenticated) as wrong:
            api.login("sato", "not the password")
        assert wrong.value.server_code == "bad_credentials" and wrong.value.ja
        with pytest.raises(NotAuthenticated):
            api.queue()  # not signed in at all
        who = api.login("sato", "reception desk 2026")
        assert who.role == "staff" and api.whoami().name == "sato"
        assert "reception desk" not in repr(api)
        api.logout()
        assert api.signed_in is None
        with pytest.raises(NotAuthenticated):
            api.queue()


def test_an_admin_and_a_kiosk_cannot_use_staff_endpoints(office) -> None:
    _, receipt = office.submit()
    admin = office.api("admin")
    try:
        calls = [
            admin.queue,
            lambda: admin.application(receipt),
            lambda: admin.pdf(receipt),
            lambda: admin.change_status(receipt, "in_review"),
            lambda: admin.identity_check(receipt, "my_number_card"),
            lambda: admin.call(receipt),
            lambda: admin.export_csv("juminhyo"),
            lambda: admin.import_paper("123"),
        ]
        for call in calls:
            with pytest.raises(Forbidden) as refused:
                call()
            assert refused.value.status == 403 and "admin" in refused.value.en
    finally:
        admin.logout()
        admin.close()
    kiosk = {"Authorization": f"Bearer {office.kiosk_token}"}
    for method, path in (
        ("GET", "/applications"),
        ("GET", f"/applications/{receipt}"),
        ("GET", f"/applications/{receipt}/pdf"),
        ("POST", f"/applications/{receipt}/call"),
        ("POST", "/paper-imports"),
        ("GET", "/measurements?date_from=2026-01-01&date_to=2026-01-02"),
    ):
        answer = httpx.request(method, f"{office.url}{API}{path}", headers=kiosk, json={})
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["code"] == "forbidden"


def test_returning_needs_a_reason_and_the_server_refuses_without_one(office, staff_api) -> None:
    _, receipt = office.submit()
    for reason in (None, "", "   "):
        with pytest.raises(Refused) as refused:
            staff_api.change_status(receipt, "returned", reason)
        assert refused.value.server_code == "reason_required"
        assert refused.value.ja == "差戻しには理由が必要です"
    assert staff_api.application(receipt).status.value == "received"
    summary = staff_api.change_status(receipt, "returned", "転入日の記入漏れ")
    assert summary.status.value == "returned" and summary.return_reason == "転入日の記入漏れ"
    with pytest.raises(Refused) as bad:
        staff_api.change_status(receipt, "done")
    assert bad.value.server_code == "bad_transition" and bad.value.status == 409


def test_the_queue_polls_cheaply_with_its_etag(office, staff_api) -> None:
    first = staff_api.queue(template_id="juminhyo")
    assert first is not None and first.etag
    assert staff_api.queue(template_id="juminhyo", etag=first.etag) is None
    _, receipt = office.submit()
    again = staff_api.queue(template_id="juminhyo", etag=first.etag)
    assert again is not None and receipt in [i.receipt_number for i in again.page.items]


def test_every_staff_read_is_audited(office, staff_api) -> None:
    _, receipt = office.submit()
    staff_api.application(receipt)
    assert staff_api.pdf(receipt) == PDF
    staff_api.export_csv("juminhyo")
    admin = office.api("admin")
    try:
        entries = admin.send("GET", "/audit", params={"target": receipt}).json()
        actions = {(e["actor"], e["action"]) for e in entries}
        assert {("user:sato", "read_record"), ("user:sato", "read_pdf")} <= actions
        exports = admin.send("GET", "/audit", params={"target": "export:csv:juminhyo:*"}).json()
        assert exports and exports[0]["actor"] == "user:sato"
    finally:
        admin.logout()
        admin.close()


def test_a_printed_form_imports_once_then_the_kiosk_copy_attaches(office, staff_api) -> None:
    """Paper first: imported once; a second scan opens it; the kiosk's sync arriving later is
    answered DUPLICATE with the same receipt and brings the PDF: one application."""
    record = sample_for("juminhyo", 1).model_copy(update={"id": uuid.uuid4()})
    digits = office.data_qr(record, "juminhyo", 1)
    first = staff_api.import_paper(digits)
    assert [i.outcome.value for i in first.items] == ["imported"] and first.signer == "kiosk-r1"
    receipt = first.items[0].receipt_number
    assert staff_api.application(receipt).has_pdf is False
    second = staff_api.import_paper(digits)
    assert second.items[0].outcome.value == "existing"
    assert second.items[0].receipt_number == receipt

    [synced] = office.push(record, [("juminhyo", 1)], reception_number="R-777")
    assert synced.status.value == "duplicate" and synced.receipt_number == receipt
    detail = staff_api.application(receipt)
    assert detail.has_pdf and detail.reception_number == "R-777" and detail.source.value == "paper"
    assert staff_api.pdf(receipt) == PDF
    mine = [i for i in staff_api.queue(limit=500).page.items if i.uuid == detail.uuid]
    assert len(mine) == 1


def test_a_synced_application_scanned_later_is_opened_not_imported(office, staff_api) -> None:
    record, receipt = office.submit()
    for _ in range(2):
        result = staff_api.import_paper(office.data_qr(record, "juminhyo", 1))
        assert [(i.outcome.value, i.receipt_number) for i in result.items] == [
            ("existing", receipt)
        ]


def test_bad_scans_are_refused_with_their_reason(office, staff_api) -> None:
    record = sample_for("juminhyo", 1)
    good = office.data_qr(record, "juminhyo", 1)
    for digits, code in (
        ("hello", "payload_not_ours"),
        (good[:-30], "payload_truncated"),
        (good[:-1] + ("0" if good[-1] != "0" else "1"), "payload_corrupt"),
    ):
        with pytest.raises(Refused) as refused:
            staff_api.import_paper(digits)
        assert refused.value.server_code == code, digits[:20]
        assert refused.value.ja.startswith("紙の申請書を取り込めません")


def test_measurement_totals_for_known_inputs(office, staff_api) -> None:
    day = dt.datetime(2025, 7, 7, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo
    m1 = {
        "step_seconds": {"identify": 20.0, "review": 40.0},
        "typed_chars": 3,
        "prefilled_chars": 57,
    }
    m2 = {
        "step_seconds": {"identify": 10.0, "review": 20.0},
        "typed_chars": 7,
        "prefilled_chars": 43,
    }
    office.submit("juminhyo", measurement=m1, created_at=day)
    office.submit("juminhyo", measurement=m2, created_at=day)
    office.submit("inkan", measurement=m1, created_at=day + dt.timedelta(days=1))
    totals = staff_api.measurement_totals(dt.date(2025, 7, 7), dt.date(2025, 7, 8))
    got = {(r.day.isoformat(), r.template_id): r for r in totals.rows}
    assert set(got) == {("2025-07-07", "juminhyo"), ("2025-07-08", "inkan")}
    juminhyo = got[("2025-07-07", "juminhyo")]
    assert (juminhyo.applications, juminhyo.measured) == (2, 2)
    assert (juminhyo.typed_chars, juminhyo.prefilled_chars) == (10, 100)
    assert juminhyo.step_seconds == {"identify": 30.0, "review": 60.0}
    with pytest.raises(Refused) as refused:
        staff_api.measurement_totals(dt.date(2025, 7, 8), dt.date(2025, 7, 7))
    assert refused.value.server_code == "bad_date_range"


def test_the_call_board_needs_no_sign_in_and_carries_no_names(office) -> None:
    with OfficeClient(office.url) as anonymous:
        board = anonymous.call_board()
    text = board.model_dump_json()
    assert not [s for s in personal_strings() if s in text]


def test_plain_http_only_to_this_machine() -> None:
    from sync.errors import InsecureServerUrl

    def ok(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ready": []})

    for url in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        with OfficeClient(url, transport=httpx.MockTransport(ok)) as api:
            assert api.base_url == url
    with OfficeClient("https://office.example/", transport=httpx.MockTransport(ok)) as api:
        assert api.base_url == "https://office.example"
    for url in ("http://office.example", "http://192.0.2.10:8000"):
        with pytest.raises(InsecureServerUrl) as refused:
            OfficeClient(url)
        assert refused.value.code == "insecure_server_url" and refused.value.ja


def test_an_unreachable_or_odd_server_is_a_typed_error() -> None:
    from backoffice.devserver import free_port

    with (
        OfficeClient(f"http://127.0.0.1:{free_port()}", timeout=2) as api,
        pytest.raises(ServerUnavailable),
    ):
        api.login("sato", "x")

    def odd(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/login"):
            return httpx.Response(200, json={"token": 5})
        return httpx.Response(502, text="bad gateway")

    with OfficeClient("https://office.invalid", transport=httpx.MockTransport(odd)) as api:
        with pytest.raises(ProtocolViolation):
            api.login("sato", "x")
        with pytest.raises(ServerUnavailable) as down:
            api.call_board()
        assert down.value.status == 502


def test_no_personal_data_in_the_server_log(office) -> None:
    log = office.log_text()
    assert "paper import" in log or "ingest" in log  # the log is the right one, and written
    assert not [s for s in personal_strings() if s in log]
