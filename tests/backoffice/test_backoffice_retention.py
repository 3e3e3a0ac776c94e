"""Retention: records go when their period ends, the individual number when its need ends
(番号法 第20条), both on the office's dates (Asia/Tokyo), on SQLite and PostgreSQL.

Each test injects the office clock (`office_at`, `office_clock_source`) and crosses 15:00 UTC,
the office's midnight.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from backoffice_factory import sample_for, sealed_record
from sqlalchemy import func, select

from backoffice.models import Application, AuditEntry, StatusChange
from backoffice.services import retention
from forms.catalog import Catalog
from forms.clock import OfficeClock, zone_named
from forms.record import CardData
from forms.retention import delete_on, fiscal_year

API = "/api/v1"
UTC = dt.UTC
NUMBER = "123456789018"

pytestmark = pytest.mark.usefixtures("machine_zone")


def test_every_shipped_template_declares_its_retention_and_basis() -> None:
    for template in Catalog.builtin().latest():
        declared = template.retention
        assert declared is not None, template.id
        assert declared.years >= 1 and declared.basis.strip(), template.id
        if template.uses_individual_number:
            assert declared.individual_number_days is not None, template.id
            assert "番号法" in (declared.individual_number_basis or ""), template.id
        else:
            assert declared.individual_number_days is None, template.id


def test_the_period_begins_on_the_next_fiscal_years_april_first() -> None:
    assert fiscal_year(dt.date(2026, 3, 31)) == 2025
    assert fiscal_year(dt.date(2026, 4, 1)) == 2026
    assert delete_on(dt.date(2026, 5, 10), 3) == dt.date(2030, 4, 1)
    assert delete_on(dt.date(2027, 3, 31), 3) == dt.date(2030, 4, 1)


def _finished(office, source, at: dt.datetime, template: str = "juminhyo", record=None) -> str:  # type: ignore[no-untyped-def]
    """Ingest one application and take it to 完了 at `at` (the office clock)."""
    source.moment = at
    sealed = sealed_record(office.public_key, template, 1, record)
    result = office.ingest([sealed]).json()["results"][0]
    assert result["status"] == "accepted", result
    receipt = result["receipt_number"]
    staff = office.auth("staff")
    for status in ("in_review", "done"):
        answer = office.client.post(
            f"{API}/applications/{receipt}/status", json={"status": status}, headers=staff
        )
        assert answer.status_code == 200, answer.text
    assert office.client.get(f"{API}/applications/{receipt}", headers=staff).status_code == 200
    return receipt


def _run(office, apply: bool):  # type: ignore[no-untyped-def]
    ctx = office.context
    return retention.run(ctx.sessions, ctx.registry, ctx.clock, apply=apply)


def _snapshot(office) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        apps = session.execute(
            select(Application.receipt_number, Application.record_json, Application.has_pdf)
        ).all()
        return {
            "apps": sorted(tuple(a) for a in apps),
            "audit": session.scalar(select(func.count()).select_from(AuditEntry)),
            "history": session.scalar(select(func.count()).select_from(StatusChange)),
        }


def _exists(office, receipt: str) -> bool:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        return (
            session.scalar(select(Application.id).where(Application.receipt_number == receipt))
            is not None
        )


def test_a_record_goes_at_the_offices_midnight_with_its_pdf_history_and_audit(
    office_at, office_clock_source
) -> None:
    # Finished on 10 May 2026 (Tokyo): fiscal 2026; juminhyo keeps 3 years from 1 April 2027.
    receipt = _finished(office_at, office_clock_source, dt.datetime(2026, 5, 10, 3, tzinfo=UTC))
    with office_at.context.sessions() as session:
        assert session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.target == receipt)
        )
    office_clock_source.moment = dt.datetime(2030, 3, 31, 14, 59, 59, tzinfo=UTC)  # 23:59:59
    assert _run(office_at, apply=True).records_deleted == 0
    assert _exists(office_at, receipt)

    office_clock_source.moment = dt.datetime(2030, 3, 31, 15, 0, 0, tzinfo=UTC)  # 1 April 0:00
    report = _run(office_at, apply=True)
    assert (report.records_deleted, report.pdfs_deleted) == (1, 1)
    assert report.audit_entries_deleted >= 3  # status twice, the read
    assert not _exists(office_at, receipt)
    with office_at.context.sessions() as session:
        assert not session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.target == receipt)
        )
        assert not session.scalar(select(func.count()).select_from(StatusChange))
        run = session.scalars(
            select(AuditEntry.target).where(AuditEntry.action == "retention_run")
        ).all()
        assert run[-1] == "retention:deleted=1:erased=0:audit=" + str(report.audit_entries_deleted)


def test_the_dry_run_changes_nothing(office_at, office_clock_source) -> None:
    _finished(office_at, office_clock_source, dt.datetime(2026, 5, 10, 3, tzinfo=UTC))
    record = sample_for("kokuho", 1)
    record = record.model_copy(update={"card": _card(record)})
    _finished(
        office_at, office_clock_source, dt.datetime(2026, 5, 10, 3, tzinfo=UTC), "kokuho", record
    )
    before = _snapshot(office_at)
    office_clock_source.moment = dt.datetime(2040, 1, 1, tzinfo=UTC)
    report = _run(office_at, apply=False)
    assert report.records_deleted == 2 and not report.applied
    assert _snapshot(office_at) == before


def test_the_preview_route_is_the_dry_run(office_at, office_clock_source) -> None:
    """GET /retention/preview (the editor's retention screen): the dry run's counts at the
    office clock, per template; nothing changes, not even the audit log."""
    _finished(office_at, office_clock_source, dt.datetime(2026, 5, 10, 3, tzinfo=UTC))
    record = sample_for("kokuho", 1)
    record = record.model_copy(update={"card": _card(record)})
    _finished(
        office_at, office_clock_source, dt.datetime(2026, 5, 10, 3, tzinfo=UTC), "kokuho", record
    )
    admin = office_at.auth("admin")
    office_clock_source.moment = dt.datetime(2026, 7, 1, tzinfo=UTC)  # kokuho's need has ended
    before = _snapshot(office_at)
    answer = office_at.client.get(f"{API}/retention/preview", headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["records_deleted"] == 0 and body["numbers_erased"] == 1
    assert body["by_template"]["kokuho"] == {"numbers_erased": 1}
    report = _run(office_at, apply=False)  # the command's dry run agrees
    assert (report.records_deleted, report.numbers_erased) == (0, 1)
    assert report.by_template == body["by_template"]
    assert _snapshot(office_at) == before


def _card(record):  # type: ignore[no-untyped-def]
    base = record.card or CardData(
        kind="my_number", name="x", address="x", birth_date=dt.date(1980, 1, 1)
    )
    return base.model_copy(update={"individual_number": NUMBER})


def test_the_individual_number_goes_when_its_need_ends_and_the_rest_stays(
    office_at, office_clock_source
) -> None:
    record = sample_for("kokuho", 1)
    record = record.model_copy(update={"card": _card(record)})
    # 完了 at 23:59 on 10 May (Tokyo); kokuho needs the number 30 days: gone on 9 June.
    done_at = dt.datetime(2026, 5, 10, 14, 59, tzinfo=UTC)
    receipt = _finished(office_at, office_clock_source, done_at, "kokuho", record)
    staff = office_at.auth("staff")

    def stored() -> dict:
        with office_at.context.sessions() as session:
            app = session.scalar(select(Application).where(Application.receipt_number == receipt))
            assert app is not None
            return {"record": json.loads(app.record_json), "has_pdf": app.has_pdf}

    assert stored()["record"]["card"]["individual_number"] == NUMBER
    office_clock_source.moment = dt.datetime(2026, 6, 8, 14, 59, 59, tzinfo=UTC)  # 8 June 23:59
    assert _run(office_at, apply=True).numbers_erased == 0
    assert stored()["record"]["card"]["individual_number"] == NUMBER

    office_clock_source.moment = dt.datetime(2026, 6, 8, 15, 0, 0, tzinfo=UTC)  # 9 June 0:00
    report = _run(office_at, apply=True)
    assert (report.numbers_erased, report.records_deleted) == (1, 0)
    after = stored()
    assert after["record"]["card"]["individual_number"] is None
    assert NUMBER not in json.dumps(after["record"])
    assert after["record"]["persons"] == json.loads(record.model_dump_json())["persons"]
    assert not after["has_pdf"]  # the printed form showed the number
    detail = office_at.client.get(f"{API}/applications/{receipt}", headers=staff)
    assert detail.status_code == 200 and NUMBER not in detail.text
    assert _run(office_at, apply=True).numbers_erased == 0  # once only
    # The record itself stays its 5 years (fiscal 2026 → 1 April 2032).
    office_clock_source.moment = dt.datetime(2032, 3, 31, 14, 59, 59, tzinfo=UTC)
    assert _run(office_at, apply=True).records_deleted == 0
    office_clock_source.moment = dt.datetime(2032, 3, 31, 15, 0, 0, tzinfo=UTC)
    assert _run(office_at, apply=True).records_deleted == 1


def test_an_admin_shortens_but_never_lengthens(office_at, office_clock_source) -> None:
    admin = office_at.auth("admin")
    put = office_at.client.put
    longer = put(f"{API}/retention/juminhyo", json={"years": 4}, headers=admin)
    assert longer.status_code == 422 and longer.json()["code"] == "retention_longer"
    more_need = put(f"{API}/retention/kokuho", json={"individual_number_days": 31}, headers=admin)
    assert more_need.status_code == 422
    no_need = put(f"{API}/retention/juminhyo", json={"individual_number_days": 1}, headers=admin)
    assert no_need.status_code == 422
    assert (
        put(
            f"{API}/retention/juminhyo", json={"years": 1}, headers=office_at.auth("staff")
        ).status_code
        == 403
    )
    shorter = put(f"{API}/retention/juminhyo", json={"years": 1}, headers=admin)
    assert shorter.status_code == 200, shorter.text
    assert shorter.json()["years"] == 1 and shorter.json()["declared_years"] == 3
    assert shorter.json()["shortened"]
    back = put(f"{API}/retention/juminhyo", json={}, headers=admin)
    assert back.status_code == 200, back.text
    assert back.json()["years"] == 3 and not back.json()["shortened"]
    listed = office_at.client.get(f"{API}/retention", headers=admin).json()
    kokuho = next(p for p in listed if p["template_id"] == "kokuho")
    assert kokuho["declared_individual_number_days"] == 30 and "規程" in kokuho["basis"]
    assert put(f"{API}/retention/juminhyo", json={"years": 1}, headers=admin).status_code == 200

    receipt = _finished(office_at, office_clock_source, dt.datetime(2026, 5, 10, 3, tzinfo=UTC))
    office_clock_source.moment = dt.datetime(2028, 3, 31, 14, 59, 59, tzinfo=UTC)
    assert _run(office_at, apply=True).records_deleted == 0
    office_clock_source.moment = dt.datetime(2028, 3, 31, 15, 0, 0, tzinfo=UTC)
    assert _run(office_at, apply=True).records_deleted == 1
    assert not _exists(office_at, receipt)


def test_unfinished_records_are_never_deleted(office_at, office_clock_source) -> None:
    office_clock_source.moment = dt.datetime(2026, 5, 10, 3, tzinfo=UTC)
    result = office_at.ingest([sealed_record(office_at.public_key)]).json()["results"][0]
    office_clock_source.moment = dt.datetime(2099, 1, 1, tzinfo=UTC)
    assert _run(office_at, apply=True).records_deleted == 0
    assert _exists(office_at, result["receipt_number"])


def test_the_command_is_a_dry_run_by_default_and_logs_counts_only(tmp_path, capsys, caplog) -> None:
    from madoguchi.cli import main

    data = tmp_path / "office"
    assert main(["backoffice", "retention", "run", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and "records_deleted: 0" in out
    assert (
        main(["backoffice", "retention", "run", "--apply", "--json", "--data-dir", str(data)]) == 0
    )
    assert json.loads(capsys.readouterr().out)["applied"] is True
    assert (
        main(
            ["backoffice", "retention", "set", "juminhyo", "--years", "9", "--data-dir", str(data)]
        )
        != 0
    )
    assert main(["backoffice", "retention", "list", "--data-dir", str(data)]) == 0
    assert "juminhyo\t3y" in capsys.readouterr().out


def test_a_clock_in_another_zone_dates_by_that_zone() -> None:
    from forms.retention import effective, record_expired

    declared = Catalog.builtin().get("juminhyo", 1).retention
    assert declared is not None
    finished = dt.datetime(2026, 5, 10, 3, tzinfo=UTC)
    utc = OfficeClock(
        zone=zone_named("UTC"), source=lambda: dt.datetime(2030, 3, 31, 23, tzinfo=UTC)
    )
    tokyo = OfficeClock(zone=zone_named("Asia/Tokyo"), source=utc.source)
    assert record_expired(finished, effective(declared), tokyo)  # 1 April 08:00 in Tokyo
    assert not record_expired(finished, effective(declared), utc)  # still 31 March in UTC
