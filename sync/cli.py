"""`madoguchi sync run|status|requeue`: the kiosk's outbox and the back office.

Exit codes of `sync run --once`: 0 everything delivered; 1 records still pending (the back
office is unreachable or refused the terminal: the message says which); 2 delivered, but some
records were set aside by the back office (listed; see `sync status`).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import uuid

from forms.command_line import CliError, print_json

REQUIRES = ("httpx", "sqlalchemy")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("sync", help="窓口サーバーとの同期 / sync with the back office")
    sub = p.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    run = sub.add_parser("run", help="送信待ちを送る・様式を取得 / push the outbox, pull templates")
    run.add_argument("--once", action="store_true", help="one pass, then exit")
    run.add_argument("--server", metavar="URL")
    run.add_argument("--token-file", metavar="FILE")
    run.add_argument("--db", metavar="PATH", help="outbox database")
    run.add_argument("--batch-size", type=int, default=None, metavar="N")
    run.add_argument("--interval", type=float, default=10.0, metavar="SECONDS")
    run.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    run.add_argument(
        "--retry-cap",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="longest wait between retries while the server is down (default 300)",
    )
    run.add_argument("--no-templates", action="store_true", help="do not pull templates")
    run.add_argument("--json", action="store_true")
    run.add_argument("-v", "--verbose", action="store_true")
    run.set_defaults(handler=_run)

    status = sub.add_parser("status", help="送信待ちの状況 / outbox counts")
    status.add_argument("--db", metavar="PATH")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)

    requeue = sub.add_parser("requeue", help="保留分を再送 / put set-aside records back")
    requeue.add_argument("--db", metavar="PATH")
    requeue.add_argument("--uuid", metavar="UUID", help="only this record")
    requeue.set_defaults(handler=_requeue)


def _run(args: argparse.Namespace) -> int:
    import httpx

    from sync.client import OfficeClient, read_token
    from sync.office_key import OfficeKeyPull
    from sync.outbox import Outbox
    from sync.protocol import MAX_BATCH
    from sync.settings import KioskSettings
    from sync.templates import TemplateCache
    from sync.worker import RetryPolicy, SyncWorker

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    settings = KioskSettings.from_env(
        server_url=args.server, token_file=args.token_file, db_path=args.db
    )
    batch_size = args.batch_size or MAX_BATCH
    if not 1 <= batch_size <= MAX_BATCH:
        raise CliError(f"--batch-size は 1〜{MAX_BATCH}", f"--batch-size must be 1-{MAX_BATCH}")
    token = read_token(settings.token_file)
    timeout = httpx.Timeout(args.timeout, connect=min(5.0, args.timeout))
    with (
        Outbox(settings.db_path) as outbox,
        OfficeClient(
            settings.server_url, token, timeout=timeout, ca_file=settings.client_ca()
        ) as client,
    ):
        worker = SyncWorker(
            outbox,
            client,
            batch_size=batch_size,
            retention=settings.retention,
            templates=None if args.no_templates else TemplateCache(settings.template_cache),
            office_key=OfficeKeyPull(settings.office_key),
            poll_interval=args.interval,
            retry=RetryPolicy(base=min(0.5, args.retry_cap), cap=args.retry_cap),
        )
        if not args.once:
            stop = threading.Event()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            worker.run_forever(stop)
            return 0
        report = worker.run_once()
    if args.json:
        print_json(report.as_dict())
    else:
        print(f"sent: {report.sent} (duplicates {report.duplicates})")
        print(f"set aside: {len(report.set_aside)}")
        print(f"pending: {report.pending_left}")
    for item in report.set_aside:
        print(f"madoguchi: 保留 / set aside {item.uuid}: {item.ja} / {item.en}", file=sys.stderr)
    if report.last_error is not None or report.pending_left:
        error = report.last_error
        if error is not None:
            print(f"madoguchi: {error.ja} / {error.en}", file=sys.stderr)
        return 1
    return 2 if report.set_aside else 0


def _status(args: argparse.Namespace) -> int:
    from sync.outbox import Outbox
    from sync.settings import KioskSettings

    settings = KioskSettings.from_env(db_path=args.db)
    if not settings.db_path.exists():
        raise CliError(
            f"送信待ちデータベースがありません: {settings.db_path}",
            f"no outbox database at {settings.db_path}",
        )
    with Outbox(settings.db_path) as outbox:
        status = outbox.status()
        rejected = outbox.rejected()
    if args.json:
        print_json(
            {
                **status.as_dict(),
                "set_aside": [
                    {
                        "uuid": str(r.uuid),
                        "template_id": r.template_id,
                        "template_version": r.template_version,
                        "reception_number": r.reception_number,
                        "created_at": r.created_at,
                        "code": r.code,
                        "ja": r.ja,
                        "en": r.en,
                    }
                    for r in rejected
                ],
            }
        )
        return 0
    print(f"送信待ち / pending: {status.pending}")
    print(f"送信済み / sent: {status.sent}")
    print(f"保留 / set aside: {status.rejected}")
    if status.oldest_pending_at:
        print(f"最古の送信待ち / oldest pending: {status.oldest_pending_at}")
    if status.last_acked_at:
        print(f"最終受領 / last acknowledged: {status.last_acked_at}")
    for r in rejected:
        print(
            f"  {r.uuid} {r.template_id} v{r.template_version} {r.reception_number}: {r.code} {r.ja} / {r.en}"
        )
    return 0


def _requeue(args: argparse.Namespace) -> int:
    from sync.outbox import Outbox
    from sync.settings import KioskSettings

    key = None
    if args.uuid:
        try:
            key = uuid.UUID(args.uuid)
        except ValueError:
            raise CliError("UUID の形式が不正です", "not a UUID") from None
    settings = KioskSettings.from_env(db_path=args.db)
    with Outbox(settings.db_path) as outbox:
        count = outbox.requeue_rejected(key)
    print(f"requeued: {count}")
    return 0
