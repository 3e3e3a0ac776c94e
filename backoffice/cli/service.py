"""`madoguchi backoffice serve | tls init | migrate | export | metrics-token`: the service, its
certificates, its schema and what it holds."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice.cli.store import (
    cli_actor,
    command,
    group,
    open_store,
    option,
    settings_of,
    store,
)
from forms.command_line import CliError, print_json

if TYPE_CHECKING:
    from fastapi import FastAPI


def register_serve(sub: argparse._SubParsersAction) -> None:
    command(
        sub,
        "serve",
        "サービスを起動 / run the service (uvicorn)",
        serve,
        options=(
            option("--host", default="127.0.0.1"),
            option("--port", type=int, default=8700),
            option(
                "--workers",
                type=int,
                default=1,
                help="worker processes (default 1; use the core count)",
            ),
            option(
                "--tls-cert",
                "--ssl-certfile",
                dest="tls_cert",
                metavar="PEM",
                help="serve HTTPS: the certificate chain (e.g. tls/server.pem from `tls init`)",
            ),
            option("--tls-key", "--ssl-keyfile", dest="tls_key", metavar="PEM", help="its key"),
            option(
                "--forwarded-allow-ips",
                metavar="ADDRS",
                help="behind a reverse proxy (nginx): the proxy's address(es), whose "
                "X-Forwarded-For and X-Forwarded-Proto are trusted (e.g. 127.0.0.1)",
            ),
        ),
    )

    tsub = group(sub, "tls", "事務所の認証局と証明書 / the office CA and certificates")
    command(
        tsub,
        "init",
        "認証局（なければ）とサーバー証明書を作る / make the CA and a server cert",
        tls_init,
        store=False,
        data_dir=True,
        options=(
            option(
                "--host",
                action="append",
                required=True,
                metavar="NAME|ADDR",
                help="a name or address the terminals use for the back office (repeat)",
            ),
            option("--days", type=int, default=825, help="server certificate life (default 825)"),
        ),
        json=True,
    )

    command(sub, "migrate", "データベースを最新化 / apply the migrations", migrate)

    command(
        sub,
        "export",
        "一括出力 / export (CSV per template, or JSONL)",
        export,
        options=(
            option("--format", choices=["jsonl", "csv"], default="jsonl"),
            option("--template", help="template id (required for CSV)"),
            option("--status", choices=["received", "in_review", "done", "returned"]),
            option("--out", type=Path, help="file to write (default: stdout)"),
        ),
    )


def register_metrics_token(sub: argparse._SubParsersAction) -> None:
    command(
        sub,
        "metrics-token",
        "Prometheus 用のトークン（表示は一度だけ・前のものは無効）/ a new metrics token",
        metrics_token,
        store=False,
        data_dir=True,
    )


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from backoffice.app import create_app

    settings = settings_of(args)
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


def tls_init(args: argparse.Namespace) -> int:
    import datetime as dt

    from backoffice.settings import TLS_DIR
    from backoffice.tls import ca_fingerprint, init_office_tls

    if not 1 <= args.days <= 825:
        raise CliError("--days は 1〜825 です", "--days must be 1-825")
    folder = settings_of(args).data_dir / TLS_DIR
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


def migrate(args: argparse.Namespace) -> int:
    from backoffice import migrate as migrations

    engine, _, _ = open_store(args)
    try:
        print(f"schema revision: {migrations.current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def export(args: argparse.Namespace) -> int:
    from backoffice.services import audit
    from backoffice.services.export import ExportFormat, lines, open_export_file
    from sync.protocol.vocabulary import Status

    with store(args) as (sessions, registry):
        chunks = lines(
            sessions,
            registry,
            ExportFormat(args.format),
            args.template,
            Status(args.status) if args.status else None,
        )
        with sessions() as session, session.begin():
            target = f"export:{args.format}:{args.template or '*'}:{args.status or '*'}"
            audit.record(session, cli_actor(), audit.Action.EXPORT, target)
        out = open_export_file(args.out) if args.out else sys.stdout
        try:
            for chunk in chunks:
                out.write(chunk)
        finally:
            if args.out:
                out.close()
    return 0


def metrics_token(args: argparse.Namespace) -> int:
    from backoffice.metrics import new_token
    from forms.private_files import private_dir

    data_dir = private_dir(settings_of(args).data_dir)
    print(new_token(data_dir))
    print(
        "このトークンは二度と表示されません（指標の読み取り専用）/ shown once; it reads metrics only",
        file=sys.stderr,
    )
    return 0
