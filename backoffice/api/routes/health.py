"""Public service endpoints: health and the office's public key for sealing."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from backoffice import migrate
from backoffice.api.deps import ContextDep
from backoffice.errors import DatabaseUnavailable
from backoffice.models import PublishedTemplate
from forms.payload.keys import fingerprint, public_pem
from sync.protocol.office import ErrorBody, Health, OfficeKey

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, responses={503: {"model": ErrorBody}})
def health(context: ContextDep) -> Health:
    try:
        with context.sessions() as session, session.begin():
            session.execute(text("SELECT 1"))
            templates = session.scalar(select(func.count(PublishedTemplate.id))) or 0
        revision = migrate.current_revision(context.engine)
    except SQLAlchemyError:
        raise DatabaseUnavailable() from None
    return Health(status="ok", database="ok", schema_revision=revision, templates=templates)


@router.get("/office-key", response_model=OfficeKey, summary="封緘用の公開鍵 / sealing key")
def office_key(context: ContextDep) -> OfficeKey:
    public = context.private_key.public_key()
    return OfficeKey(
        public_key_pem=public_pem(public).decode("ascii"), fingerprint=fingerprint(public)
    )
