"""Public service endpoints: health and the office's public key for sealing."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from backoffice import migrate
from backoffice.api.deps import AnyPrincipal, ContextDep, SessionDep
from backoffice.errors import DatabaseUnavailable
from backoffice.models import PublishedTemplate, utcnow
from backoffice.office_keys import key_records, note_pull
from forms.payload.keys import fingerprint, public_pem
from sync.protocol.office import ErrorBody, Health, OfficeKey, OfficeKeyInfo, OfficeKeys
from sync.protocol.vocabulary import Role

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


@router.get(
    "/office-keys",
    response_model=OfficeKeys,
    summary="窓口鍵の一覧（現在の鍵と履歴）/ the current office key and its history",
)
def office_keys(who: AnyPrincipal, context: ContextDep, session: SessionDep) -> OfficeKeys:
    """What a kiosk's sync pulls to learn of a key rotation. A kiosk's pull is remembered
    (which key, since when): an old key is not retired while a kiosk may still seal to it."""
    current = context.private_key.public_key()
    name = fingerprint(current)
    if who.kind == "terminal" and who.role is Role.KIOSK:
        note_pull(session, who.name, name, utcnow())
    return OfficeKeys(
        current=OfficeKey(public_key_pem=public_pem(current).decode("ascii"), fingerprint=name),
        keys=[
            OfficeKeyInfo(
                fingerprint=r.fingerprint,
                public_key_pem=r.public_pem,
                created_at=r.created_at,
                superseded_at=r.superseded_at,
                retired_at=r.retired_at,
            )
            for r in key_records(session)
        ],
    )
