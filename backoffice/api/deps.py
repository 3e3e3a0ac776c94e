"""Dependencies: the database session, who is calling, and role checks.

`SessionDep` commits when the endpoint returns and *before* the response is sent
(`scope="function"`), so a client never sees a 2xx for a write that did not commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from backoffice.context import BackofficeContext
from backoffice.errors import Forbidden
from backoffice.services import accounts
from backoffice.services.accounts import Principal
from sync.protocol.vocabulary import Role

_bearer = HTTPBearer(auto_error=False, description="端末トークン (mdt_…) またはログイン (mds_…)")


def get_context(request: Request) -> BackofficeContext:
    return request.app.state.context


ContextDep = Annotated[BackofficeContext, Depends(get_context)]


def get_session(context: ContextDep) -> Iterator[Session]:
    with context.sessions() as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    token = credentials.credentials if credentials is not None else None
    with context.sessions() as session, session.begin():
        return accounts.authenticate(session, token, clock=context.clock)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    allowed = [r.value for r in roles]

    def check(principal: PrincipalDep) -> Principal:
        if principal.role not in roles:
            raise Forbidden(principal.role.value, allowed)
        return principal

    return check


CurrentTerminal = Annotated[Principal, Depends(require(Role.KIOSK))]  # kiosks: ingest
TemplateReader = Annotated[Principal, Depends(require(Role.KIOSK, Role.STAFF, Role.ADMIN))]
CurrentUser = Annotated[Principal, Depends(require(Role.STAFF))]  # reception staff
CurrentAdmin = Annotated[Principal, Depends(require(Role.ADMIN))]
MeasurementReader = Annotated[Principal, Depends(require(Role.STAFF, Role.ADMIN))]  # counts only
CoreSystem = Annotated[Principal, Depends(require(Role.CORE))]
AnyPrincipal = PrincipalDep
