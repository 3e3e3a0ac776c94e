"""Login sessions, user accounts and terminal credentials (admins manage the last two)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backoffice.api.deps import AnyPrincipal, ContextDep, CurrentAdmin, SessionDep
from backoffice.api.errors import error_response
from backoffice.errors import BadCredentials, CredentialPending, TooManyLogins
from backoffice.services import accounts, audit, credential_alerts
from sync.protocol import INT32_MAX, ONE_LINE
from sync.protocol.office import (
    AuditEntryPublic,
    ErrorBody,
    LoginRequest,
    LoginResponse,
    TerminalCreate,
    TerminalCreated,
    TerminalPublic,
    UserCreate,
    UserPublic,
    WhoAmI,
)
from sync.protocol.vocabulary import Role

log = logging.getLogger(__name__)
router = APIRouter(tags=["accounts"])
_raw_bearer = HTTPBearer(auto_error=False)
Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    responses={401: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
def login(
    body: LoginRequest, session: SessionDep, context: ContextDep
) -> LoginResponse | JSONResponse:
    """A session token; 5 failures in a row lock the username for 5 minutes (429), see
    `backoffice.services.login_throttle`. Each failure is audited (`login_failed`, the
    username only)."""
    throttle = context.login_throttle
    # What the log and the audit log may say about who tried: an account's name, or for a
    # name that is no account (a typo, or a password typed into the wrong box) a keyed hash.
    actor = accounts.login_actor(session, body.username, context.pseudonym_key)
    try:
        throttle.check(body.username)
    except TooManyLogins:
        log.warning("login refused while locked out: %s", actor)
        raise
    try:
        token, user, expires = accounts.login(
            session, body.username, body.password, context.settings.session_ttl, clock=context.clock
        )
    except (BadCredentials, CredentialPending) as refused:
        locked = throttle.failed(body.username)
        log.warning("failed login: %s%s", actor, " (now locked out)" if locked else "")
        # Answered, not raised, so that this request's transaction commits the audit entry.
        audit.record(session, actor, audit.Action.LOGIN_FAILED, "session")
        return error_response(refused.http_status, refused.body())
    throttle.succeeded(body.username)
    audit.record(session, f"user:{user.username}", audit.Action.LOGIN, "session")
    return LoginResponse(token=token, role=Role(user.role), expires_at=expires)


@router.post("/auth/logout", status_code=204)
def logout(
    _who: AnyPrincipal,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_raw_bearer)],
) -> None:
    if credentials is not None:
        accounts.logout(session, credentials.credentials)


@router.get("/auth/me", response_model=WhoAmI)
def whoami(who: AnyPrincipal, session: SessionDep) -> WhoAmI:
    """Who is calling; a kiosk also learns its offline call-number letter here."""
    letter = accounts.offline_letter(session, who.name) if who.kind == "terminal" else None
    return WhoAmI(kind=who.kind, name=who.name, role=who.role, offline_letter=letter)


@router.get("/users", response_model=list[UserPublic])
def list_users(_admin: CurrentAdmin, session: SessionDep) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in accounts.users(session)]


@router.post(
    "/users", status_code=201, response_model=UserPublic, responses={409: {"model": ErrorBody}}
)
def add_user(body: UserCreate, admin: CurrentAdmin, session: SessionDep) -> UserPublic:
    """Made pending: another admin activates it (`POST /users/{name}/activate`), or the
    server's command line (`madoguchi backoffice user activate NAME`)."""
    pending = accounts.user_needs_second_person(body.role)
    user = accounts.add_user(
        session, body.username, body.role, body.password, created_by=admin.actor, active=not pending
    )
    audit.record(session, admin.actor, audit.Action.ADD_USER, f"user:{user.username}")
    if pending:
        credential_alerts.pending_credential(session, "user", user.username, body.role, admin.actor)
    return UserPublic.model_validate(user)


@router.post(
    "/users/{username}/activate",
    response_model=UserPublic,
    responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    summary="保留中の利用者を有効化（作成者以外の管理者）/ activate a pending account",
)
def activate_user(username: Name, admin: CurrentAdmin, session: SessionDep) -> UserPublic:
    user = accounts.activate_user(session, username, admin.actor)
    audit.record(session, admin.actor, audit.Action.ACTIVATE_USER, f"user:{username}")
    return UserPublic.model_validate(user)


@router.post("/users/{username}/disable", response_model=UserPublic)
def disable_user(username: Name, admin: CurrentAdmin, session: SessionDep) -> UserPublic:
    user = accounts.disable_user(session, username)
    audit.record(session, admin.actor, audit.Action.DISABLE_USER, f"user:{username}")
    return UserPublic.model_validate(user)


@router.get("/terminals", response_model=list[TerminalPublic])
def list_terminals(_admin: CurrentAdmin, session: SessionDep) -> list[TerminalPublic]:
    return [TerminalPublic.model_validate(t) for t in accounts.terminals(session)]


@router.post(
    "/terminals",
    status_code=201,
    response_model=TerminalCreated,
    responses={409: {"model": ErrorBody}},
    summary="端末の登録 / provision a terminal; the token is shown once (admin)",
)
def add_terminal(body: TerminalCreate, admin: CurrentAdmin, session: SessionDep) -> TerminalCreated:
    """A core system's credential is made pending (it reads records): another admin
    activates it (`POST /terminals/{name}/activate`), or the server's command line."""
    pending = accounts.terminal_needs_second_person(body.role)
    token = accounts.add_terminal(
        session,
        body.name,
        body.role,
        body.signing_public_key_pem,
        created_by=admin.actor,
        active=not pending,
    )
    audit.record(session, admin.actor, audit.Action.ADD_TERMINAL, f"terminal:{body.name}")
    if pending:
        credential_alerts.pending_credential(session, "terminal", body.name, body.role, admin.actor)
    terminal = next(t for t in accounts.terminals(session) if t.name == body.name)
    return TerminalCreated(**TerminalPublic.model_validate(terminal).model_dump(), token=token)


@router.post(
    "/terminals/{name}/activate",
    response_model=TerminalPublic,
    responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    summary="保留中の端末を有効化（作成者以外の管理者）/ activate a pending terminal",
)
def activate_terminal(name: Name, admin: CurrentAdmin, session: SessionDep) -> TerminalPublic:
    terminal = accounts.activate_terminal(session, name, admin.actor)
    audit.record(session, admin.actor, audit.Action.ACTIVATE_TERMINAL, f"terminal:{name}")
    return TerminalPublic.model_validate(terminal)


@router.post("/terminals/{name}/revoke", response_model=TerminalPublic)
def revoke_terminal(name: Name, admin: CurrentAdmin, session: SessionDep) -> TerminalPublic:
    terminal = accounts.revoke_terminal(session, name)
    audit.record(session, admin.actor, audit.Action.REVOKE_TERMINAL, f"terminal:{name}")
    return TerminalPublic.model_validate(terminal)


@router.get("/audit", response_model=list[AuditEntryPublic], summary="監査ログ / audit log (admin)")
def audit_log(
    _admin: CurrentAdmin,
    session: SessionDep,
    target: Annotated[str | None, Query(max_length=120, pattern=ONE_LINE)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
) -> list[AuditEntryPublic]:
    return [
        AuditEntryPublic.model_validate(e)
        for e in audit.entries(session, target=target, limit=limit, offset=offset)
    ]
