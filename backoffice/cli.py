"""`madoguchi backoffice …`: serve, migrate, export, terminals, users, keys."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from pathlib import Path

from forms.command_line import CliError, print_json, read_text

DATA_DIR_ENV = "MADOGUCHI_BACKOFFICE_DIR"
DB_ENV = "MADOGUCHI_BACKOFFICE_DB"


def store_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--db", help=f"SQLAlchemy URL (default: SQLite in the data dir; ${DB_ENV})")
    q.add_argument("--data-dir", type=Path, help=f"data directory (${DATA_DIR_ENV})")


REQUIRES = ("fastapi", "sqlalchemy", "alembic", "uvicorn")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backoffice", help="バックオフィス / the back-office service")
    sub = p.add_subparsers(dest="backoffice_command", metavar="ACTION", required=True)

    q = sub.add_parser("serve", help="サービスを起動 / run the service (uvicorn)")
    store_options(q)
    q.add_argument("--host", default="127.0.0.1")
    q.add_argument("--port", type=int, default=8700)
    q.add_argument(
        "--workers", type=int, default=1, help="worker processes (default 1; use the core count)"
    )
    q.add_argument("--ssl-certfile", help="TLS certificate (PEM)")
    q.add_argument("--ssl-keyfile", help="TLS key (PEM)")
    q.set_defaults(handler=_serve)

    q = sub.add_parser("migrate", help="データベースを最新化 / apply the migrations")
    store_options(q)
    q.set_defaults(handler=_migrate)

    q = sub.add_parser("export", help="一括出力 / export (CSV per template, or JSONL)")
    store_options(q)
    q.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    q.add_argument("--template", help="template id (required for CSV)")
    q.add_argument("--status", choices=["received", "in_review", "done", "returned"])
    q.add_argument("--out", type=Path, help="file to write (default: stdout)")
    q.set_defaults(handler=_export)

    q = sub.add_parser("keys", help="封緘用の鍵ペア / the office key pair for sealing")
    q.add_argument("--out", type=Path, help="directory (default: the data dir)")
    q.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_keys)

    _register_terminal(sub)
    _register_user(sub)


def _register_terminal(sub: argparse._SubParsersAction) -> None:
    term = sub.add_parser("terminal", help="端末の認証情報 / terminal credentials")
    tsub = term.add_subparsers(dest="terminal_command", metavar="ACTION", required=True)
    q = tsub.add_parser(
        "add", help="端末を登録しトークンを一度だけ表示 / provision; prints the token once"
    )
    store_options(q)
    q.add_argument("name")
    q.add_argument("--role", choices=["kiosk", "core"], default="kiosk")
    q.add_argument(
        "--signing-key",
        type=Path,
        metavar="PUB.pem",
        help="the kiosk's Ed25519 public key that signs its printed data QR (paper import)",
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_terminal_add)
    q = tsub.add_parser(
        "set-key", help="端末の署名用公開鍵を登録 / register a kiosk's signing public key"
    )
    store_options(q)
    q.add_argument("name")
    q.add_argument("signing_key", type=Path, metavar="PUB.pem")
    q.set_defaults(handler=_terminal_set_key)
    q = tsub.add_parser("revoke", help="端末を失効 / revoke")
    store_options(q)
    q.add_argument("name")
    q.set_defaults(handler=_terminal_revoke)
    q = tsub.add_parser("list", help="端末の一覧 / list")
    store_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_terminal_list)


def _register_user(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="職員・管理者の利用者 / staff and admin accounts")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = usub.add_parser("add", help="利用者を追加（パスワードは標準入力）/ add (password on stdin)")
    store_options(q)
    q.add_argument("name")
    q.add_argument("--role", choices=["staff", "admin", "core"], required=True)
    q.set_defaults(handler=_user_add)
    q = usub.add_parser("disable", help="利用者を無効化 / disable")
    store_options(q)
    q.add_argument("name")
    q.set_defaults(handler=_user_disable)
    q = usub.add_parser("list", help="利用者の一覧 / list")
    store_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_user_list)


# -- helpers ------------------------------------------------------------------------------


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from backoffice.settings import DEFAULT_DATA_DIR, BackofficeSettings

    data_dir = args.data_dir or Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    db = getattr(args, "db", None) or os.environ.get(DB_ENV) or None
    return BackofficeSettings(data_dir=Path(data_dir), db_url=db)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import ArgumentError, OperationalError

    from backoffice.context import open_store

    try:
        return open_store(_settings(args))
    except (ArgumentError, ValueError):
        raise CliError(
            "データベース URL が正しくありません", "the database URL is not valid"
        ) from None
    except OperationalError:
        raise CliError("データベースに接続できません", "cannot reach the database") from None


@contextlib.contextmanager
def _session(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """One transaction on the store named by the options; the engine is disposed after."""
    engine, sessions, _ = _open(args)
    try:
        with sessions() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def _cli_actor() -> str:
    """Who ran a command on the server itself: the OS account (audit log)."""
    import getpass as gp

    try:
        return f"cli:{gp.getuser()}"
    except (KeyError, OSError):
        return "cli"


# -- commands -----------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from backoffice.app import create_app

    settings = _settings(args)
    print(
        f"madoguchi backoffice: http://{args.host}:{args.port}/api/v1/docs "
        f"(data: {settings.data_dir})",
        file=sys.stderr,
    )
    if args.workers > 1:
        from backoffice.app import ENV_DATA_DIR, ENV_DB
        from backoffice.context import open_context

        open_context(settings).close()  # migrate, seed and make the keys once, here
        os.environ[ENV_DATA_DIR] = str(settings.data_dir)
        if settings.db_url:
            os.environ[ENV_DB] = settings.db_url
        app: object = "backoffice.app:app_from_environment"
    else:
        app = create_app(settings)
    uvicorn.run(
        app,  # type: ignore[arg-type]
        factory=args.workers > 1,
        workers=args.workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        log_level="info",
        log_config=_log_config(),
        access_log=False,  # paths carry receipt numbers only, but keep the log for events
    )
    return 0


def _log_config() -> dict:
    """uvicorn's logging plus our own loggers (events with ids and counts only, never personal
    data); applied in every worker process."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["madoguchi"] = {
        "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"
    }
    config["handlers"]["madoguchi"] = {
        "class": "logging.StreamHandler",
        "formatter": "madoguchi",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["backoffice"] = {
        "handlers": ["madoguchi"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def _migrate(args: argparse.Namespace) -> int:
    from backoffice import migrate

    engine, _, _ = _open(args)
    try:
        print(f"schema revision: {migrate.current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def _export(args: argparse.Namespace) -> int:
    from backoffice.services import audit
    from backoffice.services.export import ExportFormat, lines, open_export_file
    from sync.protocol.vocabulary import Status

    engine, sessions, registry = _open(args)
    try:
        chunks = lines(
            sessions,
            registry,
            ExportFormat(args.format),
            args.template,
            Status(args.status) if args.status else None,
        )
        with sessions() as session, session.begin():
            target = f"export:{args.format}:{args.template or '*'}:{args.status or '*'}"
            audit.record(session, _cli_actor(), audit.Action.EXPORT, target)
        out = open_export_file(args.out) if args.out else sys.stdout
        try:
            for chunk in chunks:
                out.write(chunk)
        finally:
            if args.out:
                out.close()
    finally:
        engine.dispose()
    return 0


def _keys(args: argparse.Namespace) -> int:
    from backoffice.settings import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE

    directory = args.out or _settings(args).data_dir
    directory.mkdir(parents=True, exist_ok=True)
    private = directory / PRIVATE_KEY_FILE
    public = directory / PUBLIC_KEY_FILE
    existed = private.exists()
    from forms.payload import keys

    key = keys.load_or_create_counter_key(private, public)
    info = {
        "private_key": str(private),
        "public_key": str(public),
        "fingerprint": keys.fingerprint(key.public_key()),
        "created": not existed,
    }
    if args.json:
        print_json(info)
    else:
        state = "既存 / existing" if existed else "作成 / created"
        print(f"{state}: {public}\nfingerprint: {info['fingerprint']}")
    return 0


def _terminal_add(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit
    from sync.protocol.vocabulary import Role

    pem = read_text(args.signing_key) if args.signing_key else None
    with _session(args) as session:
        token = accounts.add_terminal(session, args.name, Role(args.role), pem)
        audit.record(session, _cli_actor(), audit.Action.ADD_TERMINAL, f"terminal:{args.name}")
    if args.json:
        print_json({"name": args.name, "role": args.role, "token": token})
    else:
        print(token)
        print("このトークンは二度と表示されません / this token is shown only once", file=sys.stderr)
    return 0


def _terminal_set_key(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    pem = read_text(args.signing_key)
    with _session(args) as session:
        terminal = accounts.set_signing_key(session, args.name, pem)
        fingerprint = terminal.signing_key_fingerprint
        audit.record(session, _cli_actor(), audit.Action.SET_SIGNING_KEY, f"terminal:{args.name}")
    print(f"署名鍵を登録 / signing key registered: {args.name} {fingerprint}")
    return 0


def _terminal_revoke(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    with _session(args) as session:
        accounts.revoke_terminal(session, args.name)
        audit.record(session, _cli_actor(), audit.Action.REVOKE_TERMINAL, f"terminal:{args.name}")
    print(f"失効 / revoked: {args.name}")
    return 0


def _terminal_list(args: argparse.Namespace) -> int:
    from backoffice.services import accounts

    with _session(args) as session:
        rows = [
            {
                "name": t.name,
                "role": t.role,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                "signing_key": t.signing_key_fingerprint,
            }
            for t in accounts.terminals(session)
        ]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
            print(f"{r['name']}\t{r['role']}\t{state}")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("パスワード / password: ")
        if getpass.getpass("もう一度 / again: ") != first:
            raise CliError("パスワードが一致しません", "the passwords do not match")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _user_add(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit
    from sync.protocol.vocabulary import Role

    password = _read_password()
    with _session(args) as session:
        accounts.add_user(session, args.name, Role(args.role), password)
        audit.record(session, _cli_actor(), audit.Action.ADD_USER, f"user:{args.name}")
    print(f"追加 / added: {args.name} ({args.role})")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    with _session(args) as session:
        accounts.disable_user(session, args.name)
        audit.record(session, _cli_actor(), audit.Action.DISABLE_USER, f"user:{args.name}")
    print(f"無効化 / disabled: {args.name}")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from backoffice.services import accounts

    with _session(args) as session:
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "created_at": u.created_at.isoformat(),
                "disabled_at": u.disabled_at.isoformat() if u.disabled_at else None,
            }
            for u in accounts.users(session)
        ]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = "disabled" if r["disabled_at"] else "active"
            print(f"{r['username']}\t{r['role']}\t{state}")
    return 0
