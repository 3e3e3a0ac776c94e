"""Telling people that a credential which can read records is waiting for activation.

The two-person rule (`services.accounts`) only helps if the second person hears about it: a
pending core terminal or account is written to the audit log (`pending_credential`) and the
service log at WARNING, where the reception terminals' alert view and the office's log
monitoring see it.

Note: the reception terminals' alert list (`sync.protocol.counter`, kind `other`) is being
built elsewhere; once the back office stores alerts, `pending_credential` should also raise
one there (no personal data: the credential's kind, name and role, and who made it).
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from backoffice.services import audit
from sync.protocol.vocabulary import Role

log = logging.getLogger(__name__)


def pending_credential(session: Session, kind: str, name: str, role: Role, creator: str) -> None:
    """Record that `creator` made a pending `kind` credential `name` with `role`."""
    audit.record(session, creator, audit.Action.PENDING_CREDENTIAL, f"{kind}:{name}:{role.value}")
    log.warning(
        "pending %s credential %s (role %s) made by %s: another admin must activate it",
        kind,
        name,
        role.value,
        creator,
    )
