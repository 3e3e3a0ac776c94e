"""`madoguchi backoffice …`: serve, migrate, export, terminals, users, keys."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from forms.command_line import CliError, print_json, read_text

if TYPE_CHECKING:
    from fastapi import FastAPI

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
    q.add_argument(
        "--tls-cert",
        "--ssl-certfile",
        dest="tls_cert",
        metavar="PEM",
        help="serve HTTPS: the certificate chain (e.g. tls/server.pem from `tls init`)",
    )
    q.add_argument("--tls-key", "--ssl-keyfile", dest="tls_key", metavar="PEM", help="its key")
    q.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRS",
        help="behind a reverse proxy (nginx): the proxy's address(es), whose X-Forwarded-For "
        "and X-Forwarded-Proto are trusted (e.g. 127.0.0.1)",
    )
    q.set_defaults(handler=_serve)

    q = sub.add_parser("tls", help="事務所の認証局と証明書 / the office CA and certificates")
    tsub = q.add_subparsers(dest="tls_command", metavar="ACTION", required=True)
    q = tsub.add_parser(
        "init", help="認証局（なければ）とサーバー証明書を作る / make the CA and a server cert"
    )
    q.add_argument("--data-dir", type=Path, help=f"data directory (${DATA_DIR_ENV})")
    q.add_argument(
        "--host",
        action="append",
        required=True,
        metavar="NAME|ADDR",
        help="a name or address the terminals use for the back office (repeat)",
    )
    q.add_argument("--days", type=int, default=825, help="server certificate life (default 825)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_tls_init)

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
    _register_keys(q)

    _register_terminal(sub)
    _register_user(sub)
    _register_retention(sub)
    _register_reservations(sub)
    _register_backup(sub)
    q = sub.add_parser(
        "metrics-token",
        help="Prometheus 用のトークン（表示は一度だけ・前のものは無効）/ a new metrics token",
    )
    q.add_argument("--data-dir", type=Path, help=f"data directory (${DATA_DIR_ENV})")
    q.set_defaults(handler=_metrics_token)


def _register_reservations(sub: argparse._SubParsersAction) -> None:
    res = sub.add_parser(
        "reservations", help="転入予約（引越しワンストップ）/ moving-in reservations"
    )
    rsub = res.add_subparsers(dest="reservations_command", metavar="ACTION", required=True)
    q = rsub.add_parser(
        "import",
        help="予約ファイルを取り込む（全件か無し）/ import a reservation file (all or nothing; "
        "docs/reservations.md)",
    )
    store_options(q)
    q.add_argument("file", type=Path, metavar="FILE", help="JSON Lines or CSV (by its suffix)")
    q.add_argument("--format", choices=["jsonl", "csv"], help="override the suffix's format")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_reservations_import)


def _register_retention(sub: argparse._SubParsersAction) -> None:
    ret = sub.add_parser("retention", help="保存期間 / retention of applications")
    rsub = ret.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    q = rsub.add_parser(
        "run",
        help="期限切れの記録を削除・個人番号を消去（既定は試行）/ delete expired records, erase "
        "individual numbers (dry run unless --apply)",
    )
    store_options(q)
    q.add_argument("--apply", action="store_true", help="really delete (default: dry run)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_retention_run)
    q = rsub.add_parser("list", help="様式ごとの保存期間 / retention per template")
    store_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_retention_list)
    q = rsub.add_parser("set", help="保存期間を短くする / shorten a template's retention")
    store_options(q)
    q.add_argument("template_id")
    q.add_argument("--years", type=int, help="years (at most what the template declares)")
    q.add_argument(
        "--individual-number-days", type=int, help="days the individual number is kept after 完了"
    )
    q.set_defaults(handler=_retention_set)


def _register_keys(keys_parser: argparse.ArgumentParser) -> None:
    ksub = keys_parser.add_subparsers(dest="keys_command", metavar="ACTION", required=False)
    q = ksub.add_parser("rotate", help="新しい窓口鍵を作る（古い鍵は保管）/ rotate the office key")
    store_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_keys_rotate)
    q = ksub.add_parser("list", help="窓口鍵の一覧 / every office key and its state")
    store_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_keys_list)
    q = ksub.add_parser(
        "retire", help="古い窓口鍵を廃棄（秘密鍵を削除）/ retire an old key (deletes it)"
    )
    store_options(q)
    q.add_argument("fingerprint", help="sha256:… (from keys list)")
    q.add_argument(
        "--force", action="store_true", help="even while sealed data may still arrive (audited)"
    )
    q.add_argument("--reason", help="why, when forced (kept in the key's history)")
    q.set_defaults(handler=_keys_retire)


def _register_terminal(sub: argparse._SubParsersAction) -> None:
    term = sub.add_parser("terminal", help="端末の認証情報 / terminal credentials")
    tsub = term.add_subparsers(dest="terminal_command", metavar="ACTION", required=True)
    q = tsub.add_parser(
        "add", help="端末を登録しトークンを一度だけ表示 / provision; prints the token once"
    )
    store_options(q)
    q.add_argument("name")
    q.add_argument("--role", choices=["kiosk", "reception", "core"], default="kiosk")
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
    q = tsub.add_parser(
        "enrol",
        help="新しい端末の登録コード（10分・1回限り）/ a one-time enrolment code for a new terminal",
    )
    store_options(q)
    q.add_argument("name", help="the new terminal's name (e.g. kiosk-2f-1)")
    q.add_argument("--role", choices=["kiosk", "reception"], default="kiosk")
    q.add_argument(
        "--url",
        metavar="URL",
        help="the back office's address as the terminals reach it (https://…): put in the QR",
    )
    q.add_argument("--qr-out", type=Path, metavar="FILE", help="write the QR code (.png or .svg)")
    q.add_argument("--show-qr", action="store_true", help="draw the QR code on this terminal")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_terminal_enrol)
    q = tsub.add_parser(
        "activate", help="保留中の端末を有効化 / activate a pending terminal (second person)"
    )
    store_options(q)
    q.add_argument("name")
    q.set_defaults(handler=_terminal_activate)
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
    q = usub.add_parser(
        "activate", help="保留中の利用者を有効化 / activate a pending account (second person)"
    )
    store_options(q)
    q.add_argument("name")
    q.set_defaults(handler=_user_activate)
    q = usub.add_parser("disable", help="利用者を無効化 / disable")
    store_options(q)
    q.add_argument("name")
    q.set_defaults(handler=_user_disable)
    q = usub.add_parser("list", help="利用者の一覧 / list")
    store_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_user_list)


# -- helpers ------------------------------------------------------------------------------


def _settings(args: argparse.Namespace):
    from backoffice.settings import DEFAULT_DATA_DIR, BackofficeSettings

    data_dir = args.data_dir or Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    db = getattr(args, "db", None) or os.environ.get(DB_ENV) or None
    return BackofficeSettings(data_dir=Path(data_dir), db_url=db)


def _open(args: argparse.Namespace):
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
def _session(args: argparse.Namespace):
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
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError(
            "--tls-cert と --tls-key は両方指定してください", "give both --tls-cert and --tls-key"
        )
    for path in (args.tls_cert, args.tls_key):
        if path and not Path(path).is_file():
            raise CliError(f"ファイルがありません: {path}", f"no such file: {path}")
    from backoffice import backup

    try:
        lock = backup.serving(settings)
        lock.__enter__()  # held (shared) until the process ends: restore refuses meanwhile
    except backup.BackupError as exc:
        raise CliError(exc.ja, exc.en) from None
    import logging
    import logging.config

    logging.config.dictConfig(_log_config())  # JSON lines from the first line on
    scheme = "https" if args.tls_cert else "http"
    logging.getLogger("backoffice.serve").info(
        "madoguchi backoffice: %s://%s:%s/api/v1/docs (data: %s)",
        scheme,
        args.host,
        args.port,
        settings.data_dir,
    )
    if args.workers > 1:
        from backoffice.app import ENV_DATA_DIR, ENV_DB
        from backoffice.context import open_context

        open_context(settings).close()  # migrate, seed and make the keys once, here
        _multiprocess_metrics(settings.data_dir)
        os.environ[ENV_DATA_DIR] = str(settings.data_dir)
        if settings.db_url:
            os.environ[ENV_DB] = settings.db_url
        app: str | FastAPI = "backoffice.app:app_from_environment"
    else:
        app = create_app(settings)
    uvicorn.run(
        app,
        factory=args.workers > 1,
        workers=args.workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        # The client address (enrolment's wrong-code count) and scheme come from the proxy's
        # headers only when the proxy's address is named; never from anyone else.
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or "",
        server_header=False,
        log_level="info",
        log_config=_log_config(),
        access_log=False,  # paths carry receipt numbers only, but keep the log for events
    )
    return 0


def _multiprocess_metrics(data_dir: Path) -> None:
    """Workers share their counters through files in a fresh folder (backoffice.metrics)."""
    import shutil

    from backoffice.metrics import MULTIPROC_ENV
    from forms.private_files import private_dir

    folder = data_dir / f"metrics.{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    for old in data_dir.glob("metrics.*"):  # left by a process that is gone
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.kill(int(old.name.split(".", 1)[1]), 0)
            continue
        shutil.rmtree(old, ignore_errors=True)
    os.environ[MULTIPROC_ENV] = str(private_dir(folder))


def _log_config() -> dict:
    """JSON lines, no personal data (backoffice.logs), in every worker process."""
    from backoffice.logs import log_config

    return log_config()


def _tls_init(args: argparse.Namespace) -> int:
    import datetime as dt

    from backoffice.settings import TLS_DIR
    from backoffice.tls import ca_fingerprint, init_office_tls

    if not 1 <= args.days <= 825:
        raise CliError("--days は 1〜825 です", "--days must be 1-825")
    folder = _settings(args).data_dir / TLS_DIR
    files = init_office_tls(folder, args.host, now=dt.datetime.now(dt.UTC), days=args.days)
    info = {
        "ca_cert": str(files.ca_cert),
        "ca_fingerprint": ca_fingerprint(files.ca_cert.read_bytes()),
        "server_cert": str(files.server_cert),
        "server_key": str(files.server_key),
        "hosts": args.host,
    }
    if args.json:
        print_json(info)
    else:
        print(f"CA: {files.ca_cert} ({info['ca_fingerprint']})")
        print(f"server: {files.server_cert} {files.server_key} for {', '.join(args.host)}")
        print(
            f"ca.key は安全な場所へ移してください / move {files.ca_key} somewhere safe",
            file=sys.stderr,
        )
    return 0


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


def _keys_rotate(args: argparse.Namespace) -> int:
    from backoffice.context import office_key_ring
    from backoffice.office_keys import record_keys
    from backoffice.services import audit

    settings = _settings(args)
    ring = office_key_ring(settings)
    old, new = ring.rotate()
    with _session(args) as session:
        record_keys(session, ring)
        audit.record(session, _cli_actor(), audit.Action.ROTATE_OFFICE_KEY, f"office_key:{new}")
    if args.json:
        print_json({"previous": old, "current": new})
    else:
        print(f"新しい窓口鍵 / new office key: {new}\n以前の鍵（保管）/ previous key (kept): {old}")
        print(
            "窓口端末は次の同期で新しい鍵を取得します / kiosks pull the new key at their next sync",
            file=sys.stderr,
        )
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    from backoffice.context import office_key_ring
    from backoffice.models import utcnow
    from backoffice.office_keys import key_records, record_keys, retirement_blockers

    ring = office_key_ring(_settings(args))
    held = {h.fingerprint for h in ring.held}
    with _session(args) as session:
        record_keys(session, ring)
        now = utcnow()
        rows = []
        for r in key_records(session):
            _, blockers = retirement_blockers(session, r, now)
            rows.append(
                {
                    "fingerprint": r.fingerprint,
                    "state": "retired"
                    if r.retired_at
                    else ("current" if r.superseded_at is None else "previous"),
                    "created_at": r.created_at.isoformat(),
                    "superseded_at": r.superseded_at.isoformat() if r.superseded_at else None,
                    "retired_at": r.retired_at.isoformat() if r.retired_at else None,
                    "private_key_held": r.fingerprint in held,
                    "retire_blockers": [] if r.retired_at else blockers,
                }
            )
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['fingerprint']}\t{row['state']}\t{row['created_at']}")
    return 0


def _keys_retire(args: argparse.Namespace) -> int:
    from backoffice.context import office_key_ring
    from backoffice.office_keys import RetirementRefused, record_keys, retire
    from backoffice.services import audit

    ring = office_key_ring(_settings(args))
    actor = _cli_actor()
    target = f"office_key:{args.fingerprint}"[:120]
    try:
        with _session(args) as session:
            record_keys(session, ring)
            row = retire(session, args.fingerprint, actor, force=args.force, reason=args.reason)
            forced = row.retired_reason is not None
            action = (
                audit.Action.RETIRE_OFFICE_KEY_FORCED if forced else audit.Action.RETIRE_OFFICE_KEY
            )
            audit.record(session, actor, action, target)
    except RetirementRefused:
        with _session(args) as session:
            audit.record(session, actor, audit.Action.RETIRE_OFFICE_KEY_REFUSED, target)
        import logging

        logging.getLogger("backoffice.office_keys").warning(
            "office key %s: retirement refused (%s)", args.fingerprint, actor
        )
        raise
    ring.forget(args.fingerprint)  # only once the table says retired
    print(f"廃棄 / retired: {args.fingerprint}" + (" (forced)" if forced else ""))
    return 0


def _terminal_add(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit
    from sync.protocol.vocabulary import Role

    pem = read_text(args.signing_key) if args.signing_key else None
    with _session(args) as session:
        token = accounts.add_terminal(
            session, args.name, Role(args.role), pem, created_by=_cli_actor()
        )
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


def _terminal_enrol(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from backoffice.models import utcnow
    from backoffice.services import audit, enrolment
    from sync.protocol.enrolment import qr_text
    from sync.protocol.vocabulary import Role

    if (args.qr_out or args.show_qr) and not args.url:
        raise CliError("QR コードには --url が必要です", "a QR code needs --url")
    url = args.url.strip().rstrip("/") if args.url else None
    if url and urlsplit(url).scheme not in ("https", "http"):  # the new machine checks more
        raise CliError("--url は https:// で始めてください", "--url must be an https:// URL")
    settings = _settings(args)
    actor = _cli_actor()
    with _session(args) as session:
        code, row = enrolment.create(
            session,
            args.name,
            Role(args.role),
            actor,
            ca_pem=enrolment.read_ca_pem(settings),
            ttl=settings.enrolment_ttl,
            now=utcnow(),
        )
        audit.record(
            session, actor, audit.Action.CREATE_ENROLMENT, f"enrolment:{row.name}:{row.role}"
        )
        expires = row.expires_at
    text = qr_text(url, code) if url else None
    if args.qr_out:
        _write_qr(text or "", args.qr_out)
    if args.json:
        print_json(
            {
                "name": args.name,
                "role": args.role,
                "code": code,
                "expires_at": expires.isoformat(),
                "qr_text": text,
            }
        )
        return 0
    command = "kiosk" if args.role == "kiosk" else "staff"
    print(f"登録コード / enrolment code: {code}")
    print(f"有効期限 / expires: {expires.isoformat()} (10 min, once)")
    print(f"新しい端末で / on the new machine: madoguchi {command} enrol")
    if args.show_qr and text:
        import qrcode

        code_image = qrcode.QRCode(border=2)
        code_image.add_data(text)
        code_image.print_ascii(invert=True)
    return 0


def _write_qr(text: str, out: Path) -> None:
    import io

    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(box_size=10, border=4)
    code.add_data(text)
    buffer = io.BytesIO()
    if out.suffix.lower() == ".svg":
        code.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    else:
        try:
            code.make_image(fill_color="black", back_color="white").save(buffer)
        except ImportError:
            raise CliError(
                "PNG には Pillow が必要です（.svg を使ってください）",
                "PNG needs Pillow here; use a .svg file",
            ) from None
    from forms.private_files import write_private

    write_private(out, buffer.getvalue())  # a live code: 0600


def _terminal_activate(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    actor = _cli_actor()
    with _session(args) as session:
        accounts.activate_terminal(session, args.name, actor)
        audit.record(session, actor, audit.Action.ACTIVATE_TERMINAL, f"terminal:{args.name}")
    print(f"有効化 / activated: {args.name}")
    return 0


def _user_activate(args: argparse.Namespace) -> int:
    from backoffice.services import accounts, audit

    actor = _cli_actor()
    with _session(args) as session:
        accounts.activate_user(session, args.name, actor)
        audit.record(session, actor, audit.Action.ACTIVATE_USER, f"user:{args.name}")
    print(f"有効化 / activated: {args.name}")
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
                "pending": t.pending,
                "office_key": t.office_key_fingerprint,
            }
            for t in accounts.terminals(session)
        ]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
            if r["pending"] and not r["revoked_at"]:
                state = "pending"
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
        accounts.add_user(session, args.name, Role(args.role), password, created_by=_cli_actor())
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
                "pending": u.pending,
            }
            for u in accounts.users(session)
        ]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            state = "disabled" if r["disabled_at"] else ("pending" if r["pending"] else "active")
            print(f"{r['username']}\t{r['role']}\t{state}")
    return 0


def _reservations_import(args: argparse.Namespace) -> int:
    from backoffice.errors import ReservationFileRefused
    from backoffice.services import audit, reservations

    try:
        source = reservations.FileImport.from_path(args.file, args.format)
    except (OSError, UnicodeDecodeError):
        raise CliError("予約ファイルを読めません", "cannot read the reservation file") from None
    settings = _settings(args)
    try:
        with _session(args) as session:
            report = reservations.store(
                session, source, actor=_cli_actor(), now=settings.office_clock.now()
            )
            audit.record(
                session,
                _cli_actor(),
                audit.Action.IMPORT_RESERVATIONS,
                f"reservations:{report.imported}",
            )
    except ReservationFileRefused as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CliError(exc.ja, exc.en) from None
    if args.json:
        print_json({"imported": report.imported, "unchanged": report.unchanged})
        return 0
    print(f"imported: {report.imported}")
    print(f"unchanged: {report.unchanged}")
    return 0


def _retention_run(args: argparse.Namespace) -> int:
    from backoffice.services import retention

    settings = _settings(args)
    engine, sessions, registry = _open(args)
    try:
        report = retention.run(
            sessions, registry, settings.office_clock, apply=args.apply, actor=_cli_actor()
        )
    finally:
        engine.dispose()
    if args.json:
        print_json(report.as_dict())
        return 0
    head = "削除しました / applied" if args.apply else "試行（変更なし）/ dry run (nothing changed)"
    print(head)
    print(f"records_deleted: {report.records_deleted}")
    print(f"pdfs_deleted: {report.pdfs_deleted}")
    print(f"audit_entries_deleted: {report.audit_entries_deleted}")
    print(f"individual_numbers_erased: {report.numbers_erased}")
    print(f"kept_without_period: {report.no_period}")
    return 0


def _retention_list(args: argparse.Namespace) -> int:
    from backoffice.services import retention

    engine, sessions, registry = _open(args)
    try:
        with sessions() as session:
            rows = [p.model_dump() for p in retention.periods(session, registry)]
    finally:
        engine.dispose()
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            need = r["individual_number_days"]
            print(
                f"{r['template_id']}\t{r['years']}y"
                + (f"\t個人番号 {need}d" if need is not None else "")
                + ("\t(shortened)" if r["shortened"] else "")
                + f"\t{r['basis']}"
            )
    return 0


def _retention_set(args: argparse.Namespace) -> int:
    from backoffice.errors import BackofficeError
    from backoffice.services import audit, retention
    from sync.protocol.retention import RetentionChange

    settings = _settings(args)
    engine, sessions, registry = _open(args)
    try:
        with sessions() as session, session.begin():
            try:
                period = retention.set_period(
                    session,
                    registry,
                    args.template_id,
                    RetentionChange(
                        years=args.years, individual_number_days=args.individual_number_days
                    ),
                    actor=_cli_actor(),
                    now=settings.office_clock.now(),
                )
            except BackofficeError as exc:
                raise CliError(exc.ja, exc.en) from None
            audit.record(
                session, _cli_actor(), audit.Action.SET_RETENTION, f"retention:{args.template_id}"
            )
    finally:
        engine.dispose()
    print(f"{period.template_id}: {period.years}y, 個人番号 {period.individual_number_days}d")
    return 0


def _register_backup(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser(
        "backup", help="バックアップ（データベース・鍵・マニフェスト）/ back up database and keys"
    )
    store_options(q)
    q.add_argument("--to", type=Path, required=True, metavar="DIR", help="a new or empty folder")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_backup)
    q = sub.add_parser(
        "restore", help="バックアップから復元（停止中のみ）/ restore (the service must be stopped)"
    )
    store_options(q)
    q.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from backoffice import backup
    from backoffice.services import audit

    settings = _settings(args)
    engine, sessions, _ = _open(args)  # migrated, so the manifest names the current schema
    try:
        with sessions() as session, session.begin():
            audit.record(session, _cli_actor(), audit.Action.BACKUP, "backup")
    finally:
        engine.dispose()
    try:
        info = backup.backup(settings, args.to, now_iso=settings.office_clock.now().isoformat())
    except backup.BackupError as exc:
        raise CliError(exc.ja, exc.en) from None
    if args.json:
        print_json(
            {
                "folder": str(info.folder),
                "database": info.database,
                "files": info.files,
                "bytes": info.bytes,
                "schema_revision": info.schema_revision,
            }
        )
    else:
        print(f"バックアップ / backed up: {info.folder} ({info.database}, {info.files} files)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from backoffice import backup
    from backoffice.services import audit

    settings = _settings(args)
    try:
        manifest = backup.restore(settings, args.source)
    except backup.BackupError as exc:
        raise CliError(exc.ja, exc.en) from None
    engine, sessions, _ = _open(args)  # migrates a backup of an older schema forward
    try:
        with sessions() as session, session.begin():
            audit.record(session, _cli_actor(), audit.Action.RESTORE, "restore")
    finally:
        engine.dispose()
    if args.json:
        print_json({"restored": str(args.source), "created_at": manifest["created_at"]})
    else:
        print(f"復元 / restored: {args.source} (made {manifest['created_at']})")
    return 0


def _metrics_token(args: argparse.Namespace) -> int:
    from backoffice.metrics import new_token
    from forms.private_files import private_dir

    data_dir = private_dir(_settings(args).data_dir)
    print(new_token(data_dir))
    print(
        "このトークンは二度と表示されません（指標の読み取り専用）/ shown once; it reads metrics only",
        file=sys.stderr,
    )
    return 0
