"""`madoguchi backoffice terminal …` and `user …`: terminal credentials and the staff's and
admins' accounts. A new account waits for a second person to activate it."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice.cli import enrolment
from backoffice.cli.store import cli_actor, command, group, option, session
from forms.command_line import CliError, print_json, read_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def register_terminal(sub: argparse._SubParsersAction) -> None:
    tsub = group(sub, "terminal", "端末の認証情報 / terminal credentials")
    command(
        tsub,
        "add",
        "端末を登録しトークンを一度だけ表示 / provision; prints the token once",
        terminal_add,
        args=("name",),
        options=(
            option("--role", choices=["kiosk", "reception", "core"], default="kiosk"),
            option(
                "--signing-key",
                type=Path,
                metavar="PUB.pem",
                help="the kiosk's Ed25519 public key that signs its printed data QR (paper import)",
            ),
        ),
        json=True,
    )
    command(
        tsub,
        "set-key",
        "端末の署名用公開鍵を登録 / register a kiosk's signing public key",
        terminal_set_key,
        args=("name",),
        options=(option("signing_key", type=Path, metavar="PUB.pem"),),
    )
    enrolment.register(tsub)
    command(
        tsub,
        "activate",
        "保留中の端末を有効化 / activate a pending terminal (second person)",
        terminal_activate,
        args=("name",),
    )
    command(tsub, "revoke", "端末を失効 / revoke", terminal_revoke, args=("name",))
    command(tsub, "list", "端末の一覧 / list", terminal_list, json=True)


def register_user(sub: argparse._SubParsersAction) -> None:
    usub = group(sub, "user", "職員・管理者の利用者 / staff and admin accounts")
    command(
        usub,
        "add",
        "利用者を追加（パスワードは標準入力）/ add (password on stdin)",
        user_add,
        args=("name",),
        options=(option("--role", choices=["staff", "admin", "core"], required=True),),
    )
    command(
        usub,
        "activate",
        "保留中の利用者を有効化 / activate a pending account (second person)",
        user_activate,
        args=("name",),
    )
    command(usub, "disable", "利用者を無効化 / disable", user_disable, args=("name",))
    command(usub, "list", "利用者の一覧 / list", user_list, json=True)


def _change(
    args: argparse.Namespace,
    change: Callable[[Session, str, str], object],
    action: str,
    kind: str,
    done: str,
) -> int:
    """One change to the account `args.name` (`change(session, name, actor)`), audited as
    `action` on `kind:name` in the same transaction; prints `done: name`."""
    from backoffice.services import audit

    actor = cli_actor()
    with session(args) as s:
        change(s, args.name, actor)
        audit.record(s, actor, action, f"{kind}:{args.name}")
    print(f"{done}: {args.name}")
    return 0


def terminal_add(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit
    from sync.protocol.vocabulary import Role

    pem = read_text(args.signing_key) if args.signing_key else None
    with session(args) as s:
        token = accounts.add_terminal(s, args.name, Role(args.role), pem, created_by=cli_actor())
        audit.record(s, cli_actor(), audit.Action.ADD_TERMINAL, f"terminal:{args.name}")
    if args.json:
        print_json({"name": args.name, "role": args.role, "token": token})
    else:
        print(token)
        print("このトークンは二度と表示されません / this token is shown only once", file=sys.stderr)
    return 0


def terminal_set_key(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    pem = read_text(args.signing_key)
    with session(args) as s:
        terminal = accounts.set_signing_key(s, args.name, pem)
        fingerprint = terminal.signing_key_fingerprint
        audit.record(s, cli_actor(), audit.Action.SET_SIGNING_KEY, f"terminal:{args.name}")
    print(f"署名鍵を登録 / signing key registered: {args.name} {fingerprint}")
    return 0


def terminal_activate(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    return _change(
        args,
        accounts.activate_terminal,
        audit.Action.ACTIVATE_TERMINAL,
        "terminal",
        "有効化 / activated",
    )


def terminal_revoke(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    return _change(
        args,
        lambda s, name, _actor: accounts.revoke_terminal(s, name),
        audit.Action.REVOKE_TERMINAL,
        "terminal",
        "失効 / revoked",
    )


def _list(
    args: argparse.Namespace,
    read: Callable[[Session], list[dict[str, object]]],
    name: str,
    ended: str,
    ended_state: Callable[[object], str],
) -> int:
    """`read(session)`'s rows as JSON, or a line each: name, role, state (ended when `ended`
    is set, else pending or active)."""
    with session(args) as s:
        rows = read(s)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = ended_state(r[ended]) if r[ended] else "pending" if r["pending"] else "active"
            print(f"{r[name]}\t{r['role']}\t{state}")
    return 0


def terminal_list(args: argparse.Namespace) -> int:
    from backoffice.services import accounts

    def read(s: Session) -> list[dict[str, object]]:
        return [
            {
                "name": t.name,
                "role": t.role,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                "signing_key": t.signing_key_fingerprint,
                "pending": t.pending,
                "office_key": t.office_key_fingerprint,
            }
            for t in accounts.terminals(s)
        ]

    return _list(args, read, "name", "revoked_at", lambda at: f"revoked {at}")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("パスワード / password: ")
        if getpass.getpass("もう一度 / again: ") != first:
            raise CliError("パスワードが一致しません", "the passwords do not match")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def user_add(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit
    from sync.protocol.vocabulary import Role

    password = _read_password()
    with session(args) as s:
        accounts.add_user(s, args.name, Role(args.role), password, created_by=cli_actor())
        audit.record(s, cli_actor(), audit.Action.ADD_USER, f"user:{args.name}")
    print(f"追加 / added: {args.name} ({args.role})")
    return 0


def user_activate(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    return _change(
        args, accounts.activate_user, audit.Action.ACTIVATE_USER, "user", "有効化 / activated"
    )


def user_disable(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    return _change(
        args,
        lambda s, name, _actor: accounts.disable_user(s, name),
        audit.Action.DISABLE_USER,
        "user",
        "無効化 / disabled",
    )


def user_list(args: argparse.Namespace) -> int:
    from backoffice.services import accounts

    def read(s: Session) -> list[dict[str, object]]:
        return [
            {
                "username": u.username,
                "role": u.role,
                "created_at": u.created_at.isoformat(),
                "disabled_at": u.disabled_at.isoformat() if u.disabled_at else None,
                "pending": u.pending,
            }
            for u in accounts.users(s)
        ]

    return _list(args, read, "username", "disabled_at", lambda _at: "disabled")
