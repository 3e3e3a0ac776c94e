"""Telling people that a credential which can read records is waiting for activation.

The two-person rule (`services.accounts`) only helps if the second person hears about it: a
pending core terminal or account is written to the audit log (`pending_credential`) and the
service log at WARNING, where the reception terminals' alert view and the office's log
monitoring see it.

It also raises an alert (kind `other`, from `BACKOFFICE`), which pops up on every signed-in
reception terminal like a kiosk's 職員を呼ぶ and is acknowledged once (no personal data: the
credential's kind, name and role, and who made it).
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session

from backoffice.models import Alert
from backoffice.services import audit
from forms.clock import office_clock
from sync.protocol.counter import AlertKind
from sync.protocol.vocabulary import Role

BACKOFFICE = "窓口サーバー"  # the alert's source, where a kiosk's name would be

log = logging.getLogger(__name__)


def pending_credential(session: Session, kind: str, name: str, role: Role, creator: str) -> None:
    """Record that `creator` made a pending `kind` credential `name` with `role`."""
    audit.record(session, creator, audit.Action.PENDING_CREDENTIAL, f"{kind}:{name}:{role.value}")
    now = office_clock().now()  # the office clock (its zone from the settings' env)
    detail = (
        f"承認待ちの{kind} {name}（{role.value}、{creator} が作成）: 別の管理者の有効化が必要 / "
        f"pending {kind} {name} ({role.value}) made by {creator}: another admin must activate it"
    )
    session.add(
        Alert(
            id=uuid.uuid4(),
            kiosk=BACKOFFICE,
            kind=AlertKind.OTHER.value,
            step=None,
            detail="".join(c if c.isprintable() else " " for c in detail)[:200],
            raised_at=now,
            received_at=now,
        )
    )
    session.flush()
    log.warning(
        "pending %s credential %s (role %s) made by %s: another admin must activate it",
        kind,
        name,
        role.value,
        creator,
    )
