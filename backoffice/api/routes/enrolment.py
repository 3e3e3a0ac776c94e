"""One-time enrolment codes: an admin makes one; the new terminal redeems it (no sign-in).

See `sync.protocol.enrolment` for the two steps and `backoffice.services.enrolment` for the
rules. Refusals of the public steps are answered, not raised, so that the wrong-code count
and its audit entry commit with the request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from backoffice.api.deps import ContextDep, CurrentAdmin, SessionDep
from backoffice.api.errors import error_response
from backoffice.errors import BackofficeError
from backoffice.models import utcnow
from backoffice.services import audit, enrolment
from forms.payload.keys import fingerprint, public_pem
from sync.protocol.enrolment import (
    EnrolHello,
    EnrolHelloAnswer,
    EnrolmentCreate,
    EnrolmentCreated,
    EnrolmentGranted,
    EnrolRequest,
)
from sync.protocol.office import ErrorBody, OfficeKey
from sync.protocol.vocabulary import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from backoffice.context import BackofficeContext

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)
router = APIRouter(tags=["enrolment"])
_REFUSALS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 429: {"model": ErrorBody}}


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/enrolments",
    status_code=201,
    response_model=EnrolmentCreated,
    responses={409: {"model": ErrorBody}},
    summary="登録コードを作る（10分・1回限り）/ a one-time enrolment code (admin)",
)
def create_enrolment(
    body: EnrolmentCreate, admin: CurrentAdmin, session: SessionDep, context: ContextDep
) -> EnrolmentCreated:
    settings = context.settings
    code, row = enrolment.create(
        session,
        body.name,
        body.role,
        admin.actor,
        ca_pem=enrolment.read_ca_pem(settings),
        ttl=settings.enrolment_ttl,
        now=utcnow(),
    )
    audit.record(
        session, admin.actor, audit.Action.CREATE_ENROLMENT, f"enrolment:{row.name}:{row.role}"
    )
    return EnrolmentCreated(
        name=row.name, role=Role(row.role), code=code, expires_at=row.expires_at
    )


def _refuse(
    session: Session, address: str, refused: BackofficeError, *, count: bool
) -> JSONResponse:
    now = utcnow()
    if count:
        enrolment.note_failure(session, address, now)
        audit.record(session, f"address:{address}", audit.Action.ENROL_FAILED, "enrolment")
    else:
        audit.record(session, f"address:{address}", audit.Action.ENROL_LOCKED, "enrolment")
        log.warning("enrolment: refused, %s is locked out", address)
    return error_response(refused.http_status, refused.body())


def _public_step(
    session: Session,
    request: Request,
    context: BackofficeContext,
    *,
    step: Callable[[str, dt.datetime], T],
    answer: Callable[[str, T], R],
) -> R | JSONResponse:
    """A public step of enrolment, from the request's address: refused while that address is
    locked out (not counted again), and each refusal of `step(address, now)` counted against
    it; else `answer(address, what the step gave)`."""
    address = _address(request)
    now = utcnow()
    try:
        enrolment.check_address(session, address, context.settings, now)
    except enrolment.EnrolmentLocked as locked:
        return _refuse(session, address, locked, count=False)
    try:
        outcome = step(address, now)
    except enrolment.EnrolmentRefused as refused:
        return _refuse(session, address, refused, count=True)
    return answer(address, outcome)


@router.post(
    "/enrol/hello",
    response_model=EnrolHelloAnswer,
    responses=_REFUSALS,
    summary="登録 1: 事務所の認証局と証明 / enrolment step 1: the office CA and its proof",
)
def enrol_hello(
    body: EnrolHello, request: Request, session: SessionDep, context: ContextDep
) -> EnrolHelloAnswer | JSONResponse:
    return _public_step(
        session,
        request,
        context,
        step=lambda _address, now: enrolment.hello(session, body.lookup, now),
        answer=lambda _address, row: EnrolHelloAnswer(
            name=row.name,
            role=Role(row.role),
            ca_pem=enrolment.read_ca_pem(context.settings),
            proof=row.proof,
        ),
    )


@router.post(
    "/enrol",
    response_model=EnrolmentGranted,
    responses=_REFUSALS,
    summary="登録 2: コードと引き換えに端末の認証情報 / enrolment step 2: the credential",
)
def enrol(
    body: EnrolRequest, request: Request, session: SessionDep, context: ContextDep
) -> EnrolmentGranted | JSONResponse:
    def granted_answer(address: str, granted: enrolment.Redeemed) -> EnrolmentGranted:
        actor = f"terminal:{granted.name}"
        audit.record(session, actor, audit.Action.ENROL, f"enrolment:{granted.name}:{address}")
        log.info(
            "enrolment: terminal %s (%s) enrolled from %s", granted.name, granted.role, address
        )
        current = context.private_key.public_key()
        return EnrolmentGranted(
            name=granted.name,
            role=granted.role,
            token=granted.token,
            office_key=OfficeKey(
                public_key_pem=public_pem(current).decode("ascii"),
                fingerprint=fingerprint(current),
            ),
            ca_pem=enrolment.read_ca_pem(context.settings),
        )

    return _public_step(
        session,
        request,
        context,
        step=lambda address, now: enrolment.redeem(
            session, body.code, body.signing_public_key_pem, address, now
        ),
        answer=granted_answer,
    )
