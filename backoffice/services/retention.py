"""Retention: delete applications whose period has ended, erase individual numbers whose need
has ended (番号法 第20条), and let an admin shorten a template's periods.

The periods and their office-date rules are in `forms.retention`. Which declaration applies to
a template: the newest published version that declares one, else the shipped template's (a
database seeded before templates declared retention keeps its stored versions unchanged —
published versions are immutable — and still gets the law's periods).

`run(..., apply=False)` is the dry run (the default of `madoguchi backoffice retention run`):
it counts what would go and changes nothing. With `apply=True`, in one transaction per batch:

- an expired application goes with its PDF, status history, identity checks and every audit
  entry that names its receipt number;
- an application 完了 past its need period loses its individual numbers (from the stored
  record) and its stored PDF, which printed them; the row, its data otherwise and its history
  stay, and `individual_number_erased_at` says when.

Only counts are logged and audited, never a receipt number or a value.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session, sessionmaker

from backoffice.errors import NoRetentionDeclared, RetentionLonger, TemplateNotFound
from backoffice.models import (
    Application,
    AuditEntry,
    IdentityCheck,
    PublishedTemplate,
    RetentionSetting,
    StatusChange,
)
from backoffice.registry import TemplateRegistry, builtin_templates
from backoffice.services import audit
from forms import retention as rules
from forms.clock import OfficeClock
from forms.record import SessionRecord
from forms.template import Retention, Template
from sync.protocol.retention import RetentionChange, RetentionPeriod
from sync.protocol.vocabulary import Status

log = logging.getLogger(__name__)

FINISHED = (Status.DONE.value, Status.RETURNED.value)
BATCH = 200


@dataclass
class RetentionReport:
    applied: bool
    records_deleted: int = 0
    pdfs_deleted: int = 0
    audit_entries_deleted: int = 0
    numbers_erased: int = 0  # applications whose individual numbers were erased
    no_period: int = 0  # finished applications of templates that declare none (kept)
    by_template: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "applied": self.applied,
            "records_deleted": self.records_deleted,
            "pdfs_deleted": self.pdfs_deleted,
            "audit_entries_deleted": self.audit_entries_deleted,
            "numbers_erased": self.numbers_erased,
            "no_period": self.no_period,
            "by_template": self.by_template,
        }


def declared(session: Session, registry: TemplateRegistry, template_id: str) -> Retention | None:
    """The declaration in force for `template_id` (see the module's docstring)."""
    for version in reversed(registry.versions(session, template_id)):
        try:
            template = registry.get(session, template_id, version)
        except TemplateNotFound:
            continue
        if template.retention is not None:
            return template.retention
    for template, _ in builtin_templates():
        if template.id == template_id and template.retention is not None:
            return template.retention
    return None


def period_for(
    session: Session, registry: TemplateRegistry, template_id: str
) -> rules.Period | None:
    base = declared(session, registry, template_id)
    if base is None:
        return None
    setting = session.get(RetentionSetting, template_id)
    if setting is None:
        return rules.effective(base)
    # A newer version may declare less than an older setting: the declaration wins.
    years = min(setting.years, base.years) if setting.years is not None else None
    days = setting.individual_number_days
    if days is not None:
        days = (
            None if base.individual_number_days is None else min(days, base.individual_number_days)
        )
    return rules.effective(base, years, days)


def periods(session: Session, registry: TemplateRegistry) -> list[RetentionPeriod]:
    ids = sorted(set(session.scalars(select(PublishedTemplate.template_id).distinct())))
    out = []
    for template_id in ids:
        base = declared(session, registry, template_id)
        current = period_for(session, registry, template_id)
        setting = session.get(RetentionSetting, template_id)
        out.append(
            RetentionPeriod(
                template_id=template_id,
                declared_years=base.years if base else None,
                basis=base.basis if base else None,
                declared_individual_number_days=base.individual_number_days if base else None,
                years=current.years if current else None,
                individual_number_days=current.individual_number_days if current else None,
                shortened=bool(current and current.shortened),
                set_by=setting.set_by if setting else None,
            )
        )
    return out


def set_period(
    session: Session,
    registry: TemplateRegistry,
    template_id: str,
    change: RetentionChange,
    *,
    actor: str,
    now: dt.datetime,
) -> RetentionPeriod:
    """An admin's shorter period for `template_id` (both None: back to the declaration)."""
    if not registry.versions(session, template_id):
        raise TemplateNotFound(template_id)
    base = declared(session, registry, template_id)
    if base is None:
        raise NoRetentionDeclared(template_id)
    try:
        rules.effective(base, change.years, change.individual_number_days)
    except ValueError:
        raise RetentionLonger() from None
    setting = session.get(RetentionSetting, template_id)
    if change.years is None and change.individual_number_days is None:
        if setting is not None:
            session.delete(setting)
    else:
        if setting is None:
            setting = RetentionSetting(template_id=template_id, set_by=actor, set_at=now)
            session.add(setting)
        setting.years = change.years
        setting.individual_number_days = change.individual_number_days
        setting.set_by = actor
        setting.set_at = now
    session.flush()
    return next(p for p in periods(session, registry) if p.template_id == template_id)


def run(
    sessions: sessionmaker[Session],
    registry: TemplateRegistry,
    clock: OfficeClock,
    *,
    apply: bool = False,
    actor: str = "retention",
) -> RetentionReport:
    """One retention pass at the office clock's now (see the module's docstring)."""
    sweep = _Sweep(registry, clock, clock.now(), RetentionReport(applied=apply))
    last_id = 0
    while True:
        with sessions() as session, session.begin():
            rows = session.execute(
                select(
                    Application.id,
                    Application.receipt_number,
                    Application.template_id,
                    Application.template_version,
                    Application.status,
                    Application.status_changed_at,
                    Application.has_pdf,
                    Application.individual_number_erased_at,
                )
                .where(Application.status.in_(FINISHED), Application.id > last_id)
                .order_by(Application.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            last_id = rows[-1].id
            sweep.batch(session, rows)
    report = sweep.report
    report.by_template = {k: dict(v) for k, v in sorted(sweep.tally.items()) if v}
    if apply:  # a dry run changes nothing, not even the audit log (it logs its counts)
        with sessions() as session, session.begin():
            target = (
                f"retention:deleted={report.records_deleted}:erased={report.numbers_erased}"
                f":audit={report.audit_entries_deleted}"
            )
            audit.record(session, actor, audit.Action.RETENTION_RUN, target)
    log.info(
        "retention %s: %d records deleted (%d PDFs, %d audit entries), individual numbers "
        "erased in %d, %d kept without a declared period",
        "applied" if apply else "dry run",
        report.records_deleted,
        report.pdfs_deleted,
        report.audit_entries_deleted,
        report.numbers_erased,
        report.no_period,
    )
    return report


@dataclass
class _Sweep:
    registry: TemplateRegistry
    clock: OfficeClock
    now: dt.datetime
    report: RetentionReport
    tally: dict[str, Counter[str]] = field(default_factory=dict)
    periods: dict[str, rules.Period | None] = field(default_factory=dict)
    templates: dict[tuple[str, int], Template | None] = field(default_factory=dict)

    def batch(self, session: Session, rows: Sequence[Row[Any]] | Sequence[Any]) -> None:
        expired: list[tuple[int, str, bool]] = []
        to_erase: list[tuple[int, str, int]] = []
        for row in rows:
            if row.template_id not in self.periods:
                self.periods[row.template_id] = period_for(session, self.registry, row.template_id)
            period = self.periods[row.template_id]
            counts = self.tally.setdefault(row.template_id, Counter())
            if period is None:
                self.report.no_period += 1
                counts["no_period"] += 1
            elif rules.record_expired(row.status_changed_at, period, self.clock, self.now):
                expired.append((row.id, row.receipt_number, row.has_pdf))
                counts["records_deleted"] += 1
            elif (
                row.status == Status.DONE.value
                and row.individual_number_erased_at is None
                and rules.number_expired(row.status_changed_at, period, self.clock, self.now)
            ):
                to_erase.append((row.id, row.template_id, row.template_version))
        for app_id, template_id, version in to_erase:
            template = self._template(session, template_id, version)
            if template is None or not template.uses_individual_number:
                continue
            self.report.numbers_erased += 1
            self.tally[template_id]["numbers_erased"] += 1
            if self.report.applied:
                _erase(session, app_id, template, self.now)
        if expired:
            self._delete(session, expired)

    def _template(self, session: Session, template_id: str, version: int) -> Template | None:
        key = (template_id, version)
        if key not in self.templates:
            try:
                self.templates[key] = self.registry.get(session, template_id, version)
            except TemplateNotFound:
                self.templates[key] = None
        return self.templates[key]

    def _delete(self, session: Session, expired: list[tuple[int, str, bool]]) -> None:
        ids = [i for i, _, _ in expired]
        receipts = [r for _, r, _ in expired]
        self.report.records_deleted += len(expired)
        self.report.pdfs_deleted += sum(1 for _, _, has_pdf in expired if has_pdf)
        self.report.audit_entries_deleted += len(
            session.scalars(select(AuditEntry.id).where(AuditEntry.target.in_(receipts))).all()
        )
        if not self.report.applied:
            return
        session.execute(delete(AuditEntry).where(AuditEntry.target.in_(receipts)))
        session.execute(delete(StatusChange).where(StatusChange.application_id.in_(ids)))
        session.execute(delete(IdentityCheck).where(IdentityCheck.application_id.in_(ids)))
        session.execute(delete(Application).where(Application.id.in_(ids)))


def _erase(session: Session, app_id: int, template: Template, now: dt.datetime) -> None:
    app = session.get(Application, app_id)
    assert app is not None
    record = SessionRecord.from_json(app.record_json)
    rules.erase_individual_numbers(template, record)
    app.record_json = record.model_dump_json()
    app.pdf = b""  # the printed form shows the number; the paper copy is the municipality's
    app.has_pdf = False
    app.individual_number_erased_at = now
