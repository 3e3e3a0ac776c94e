"""Terminals (kiosks, reception terminals, core systems), user accounts (staff, admins) and
login sessions.

Two-person rule: a credential that can read residents' records (a core-system terminal; a
staff or core account) or grant such credentials (an admin account) is made *pending* when an
admin creates it through the API (`active=False`): it authenticates nowhere until another
admin, or the server's own command line, activates it (`activate_terminal`, `activate_user`).
The creator cannot activate their own. Kiosks and reception terminals read no records and
are active at once; so is everything made on the server's command line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice import security
from backoffice.errors import (
    AccountNotFound,
    BadCredentials,
    BadName,
    BadRole,
    CredentialPending,
    NameTaken,
    NotAuthenticated,
    SecondPersonRequired,
    SessionExpired,
    SigningKeyTaken,
    TerminalRevoked,
    WeakPassword,
)
from backoffice.models import Terminal, User, UserSession, utcnow
from backoffice.services import call_numbers
from backoffice.signing_keys import normalised_pem
from forms.clock import OfficeClock, office_clock
from sync.protocol.vocabulary import TERMINAL_ROLES, USER_ROLES, Role

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise BadName()
    return name


@dataclass(frozen=True)
class Principal:
    """Who is calling: a terminal or a user, with one role."""

    kind: str  # "terminal" or "user"
    name: str
    role: Role

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.name}"


def terminal_needs_second_person(role: Role) -> bool:
    """A core system reads every record: its credential waits for a second person."""
    return role is Role.CORE


def user_needs_second_person(role: Role) -> bool:
    """Staff and core accounts read records; an admin account can activate those."""
    return role in (Role.STAFF, Role.CORE, Role.ADMIN)


def _activate(row: Terminal | User, actor: str) -> None:
    if row.activated_at is not None:
        return
    if row.created_by is not None and row.created_by == actor:
        raise SecondPersonRequired()
    row.activated_at = utcnow()
    row.activated_by = actor


# -- terminals ----------------------------------------------------------------------------


def add_terminal(
    session: Session,
    name: str,
    role: Role = Role.KIOSK,
    signing_key_pem: str | None = None,
    *,
    created_by: str | None = None,
    active: bool = True,
) -> str:
    """Register a terminal; returns its token, which is shown once and never stored.

    `signing_key_pem`: a kiosk's Ed25519 public key for its printed data QR (paper import).
    `active=False`: pending until another person activates it (see the module docstring).
    """
    if role not in TERMINAL_ROLES:
        raise BadRole(role.value, [r.value for r in TERMINAL_ROLES])
    check_name(name)
    pem = _signing_key(session, role, signing_key_pem)
    if session.scalar(select(Terminal.id).where(Terminal.name == name)) is not None:
        raise NameTaken("端末", name)
    token = security.new_token(security.TERMINAL_PREFIX)
    session.add(
        Terminal(
            name=name,
            role=role.value,
            token_sha256=security.token_hash(token),
            signing_public_key=pem,
            offline_letter=call_numbers.next_offline_letter(session)
            if role is Role.KIOSK
            else None,
            created_by=created_by,
            activated_at=utcnow() if active else None,
            activated_by=created_by if active else None,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        raise NameTaken("端末", name) from None
    return token


def _signing_key(session: Session, role: Role, pem: str | None) -> str | None:
    if pem is None:
        return None
    if role is not Role.KIOSK:
        raise BadRole(role.value, [Role.KIOSK.value])
    pem = normalised_pem(pem)
    if session.scalar(select(Terminal.id).where(Terminal.signing_public_key == pem)) is not None:
        raise SigningKeyTaken()
    return pem


def set_signing_key(session: Session, name: str, signing_key_pem: str) -> Terminal:
    """Register (or replace) a kiosk's signing key, e.g. after the kiosk made a new one."""
    terminal = session.scalar(select(Terminal).where(Terminal.name == name))
    if terminal is None:
        raise AccountNotFound("端末 terminal", name)
    pem = normalised_pem(signing_key_pem)
    if pem != terminal.signing_public_key:
        terminal.signing_public_key = _signing_key(session, Role(terminal.role), pem)
    session.flush()
    return terminal


def activate_terminal(session: Session, name: str, actor: str) -> Terminal:
    """Activate a pending terminal (a second person: not its creator)."""
    terminal = session.scalar(select(Terminal).where(Terminal.name == name))
    if terminal is None:
        raise AccountNotFound("端末 terminal", name)
    _activate(terminal, actor)
    session.flush()
    return terminal


def revoke_terminal(session: Session, name: str) -> Terminal:
    terminal = session.scalar(select(Terminal).where(Terminal.name == name))
    if terminal is None:
        raise AccountNotFound("端末 terminal", name)
    if terminal.revoked_at is None:
        terminal.revoked_at = utcnow()
    session.flush()
    return terminal


def terminals(session: Session) -> list[Terminal]:
    return list(session.scalars(select(Terminal).order_by(Terminal.name)))


def offline_letter(session: Session, name: str) -> str | None:
    """A terminal's reserved call-number letter (kiosks), None for anyone else."""
    return session.scalar(select(Terminal.offline_letter).where(Terminal.name == name))


# -- users --------------------------------------------------------------------------------


def add_user(
    session: Session,
    username: str,
    role: Role,
    password: str,
    *,
    created_by: str | None = None,
    active: bool = True,
) -> User:
    if role not in USER_ROLES:
        raise BadRole(role.value, [r.value for r in USER_ROLES])
    check_name(username)
    if len(password) < security.MIN_PASSWORD_LENGTH:
        raise WeakPassword(security.MIN_PASSWORD_LENGTH)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise NameTaken("利用者 user", username)
    user = User(
        username=username,
        role=role.value,
        password_hash=security.hash_password(password),
        created_by=created_by,
        activated_at=utcnow() if active else None,
        activated_by=created_by if active else None,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise NameTaken("利用者 user", username) from None
    return user


def activate_user(session: Session, username: str, actor: str) -> User:
    """Activate a pending account (a second person: not its creator)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountNotFound("利用者 user", username)
    _activate(user, actor)
    session.flush()
    return user


def disable_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountNotFound("利用者 user", username)
    now = utcnow()
    if user.disabled_at is None:
        user.disabled_at = now
    for live in session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ):
        live.revoked_at = now
    session.flush()
    return user


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def login(
    session: Session,
    username: str,
    password: str,
    ttl: dt.timedelta,
    *,
    clock: OfficeClock | None = None,
) -> tuple[str, User, dt.datetime]:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        security.dummy_password_check(password)
        raise BadCredentials()
    if not security.verify_password(password, user.password_hash) or user.disabled_at is not None:
        raise BadCredentials()
    if user.pending:  # said only to someone who knows the password
        raise CredentialPending()
    if security.needs_rehash(user.password_hash):  # an older, cheaper hash: move it on now
        user.password_hash = security.hash_password(password)
    token = security.new_token(security.SESSION_PREFIX)
    expires = (clock or office_clock()).now() + ttl
    session.add(
        UserSession(user_id=user.id, token_sha256=security.token_hash(token), expires_at=expires)
    )
    session.flush()
    return token, user, expires


UNKNOWN_USER = "unknown-user"


def login_actor(session: Session, username: str, pseudonym_key: bytes) -> str:
    """`user:NAME` for an account; for any other text `unknown-user:<keyed hash>`: what was
    typed (perhaps a password) never reaches a log, and an anonymous caller cannot write an
    actor name of their choosing into the audit log."""
    if NAME_PATTERN.fullmatch(username) and session.scalar(
        select(User.id).where(User.username == username)
    ):
        return f"user:{username}"
    return f"{UNKNOWN_USER}:{security.pseudonym(pseudonym_key, username)}"


def logout(session: Session, token: str) -> None:
    live = session.scalar(
        select(UserSession).where(UserSession.token_sha256 == security.token_hash(token))
    )
    if live is not None and live.revoked_at is None:
        live.revoked_at = utcnow()


# -- who is calling -----------------------------------------------------------------------


def authenticate(
    session: Session, token: str | None, *, clock: OfficeClock | None = None
) -> Principal:
    if not token:
        raise NotAuthenticated()
    digest = security.token_hash(token)
    if token.startswith(security.TERMINAL_PREFIX):
        terminal = session.scalar(select(Terminal).where(Terminal.token_sha256 == digest))
        if terminal is None:
            raise BadCredentials()
        if terminal.revoked_at is not None:
            raise TerminalRevoked()
        if terminal.pending:
            raise CredentialPending()
        return Principal("terminal", terminal.name, Role(terminal.role))
    if token.startswith(security.SESSION_PREFIX):
        live = session.scalar(select(UserSession).where(UserSession.token_sha256 == digest))
        if live is None or live.revoked_at is not None or live.user.disabled_at is not None:
            raise BadCredentials()
        if live.expires_at <= (clock or office_clock()).now():
            raise SessionExpired()
        return Principal("user", live.user.username, Role(live.user.role))
    raise BadCredentials()
