"""The audit log: who read or changed which record, when. Ids only, never personal data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models import AuditEntry, utcnow


class Action:
    READ_RECORD = "read_record"
    READ_PDF = "read_pdf"
    READ_HISTORY = "read_history"
    CHANGE_STATUS = "change_status"
    IDENTITY_CHECK = "identity_check"
    EXPORT = "export"
    CORE_READ = "core_read"
    PUBLISH_TEMPLATE = "publish_template"
    ADD_USER = "add_user"
    DISABLE_USER = "disable_user"
    ADD_TERMINAL = "add_terminal"
    REVOKE_TERMINAL = "revoke_terminal"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    CALL = "call"
    PAPER_IMPORT = "paper_import"
    MEASUREMENTS = "measurements"
    SET_SIGNING_KEY = "set_signing_key"
    SET_ROUTING = "set_routing"
    RAISE_ALERT = "raise_alert"
    ACK_ALERT = "ack_alert"
    ROTATE_OFFICE_KEY = "rotate_office_key"
    RETIRE_OFFICE_KEY = "retire_office_key"
    RETIRE_OFFICE_KEY_FORCED = "retire_office_key_forced"
    RETIRE_OFFICE_KEY_REFUSED = "retire_office_key_refused"
    ACTIVATE_USER = "activate_user"
    ACTIVATE_TERMINAL = "activate_terminal"
    PENDING_CREDENTIAL = "pending_credential"  # a credential that reads records awaits a 2nd person
    CREATE_ENROLMENT = "create_enrolment"
    ENROL = "enrol"
    ENROL_FAILED = "enrol_failed"
    ENROL_LOCKED = "enrol_locked"
    COMPLETE_VISIT = "complete_visit"  # すべて完了 (each form's change is audited too)
    SET_RETENTION = "set_retention"
    RETENTION_RUN = "retention_run"
    BACKUP = "backup"
    RESTORE = "restore"
    IMPORT_RESERVATIONS = "import_reservations"  # target: the count, never a value
    MATCH_RESERVATION = "match_reservation"  # target: the reservation id


def record(session: Session, actor: str, action: str, target: str) -> None:
    """Add an entry to the caller's transaction: the read and its audit commit together."""
    session.add(AuditEntry(at=utcnow(), actor=actor, action=action, target=target[:120]))


def entries(
    session: Session, *, target: str | None = None, limit: int = 100, offset: int = 0
) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    return list(session.scalars(query))
