"""`madoguchi backoffice backup --to DIR` / `restore --from DIR`: the database, the keys and a
manifest; a restore only while the service is stopped."""

from __future__ import annotations

import argparse
from pathlib import Path

from backoffice.cli.store import cli_actor, command, option, settings_of, store
from forms.command_line import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:
    command(
        sub,
        "backup",
        "バックアップ（データベース・鍵・マニフェスト）/ back up database and keys",
        backup,
        options=(
            option("--to", type=Path, required=True, metavar="DIR", help="a new or empty folder"),
        ),
        json=True,
    )
    command(
        sub,
        "restore",
        "バックアップから復元（停止中のみ）/ restore (the service must be stopped)",
        restore,
        options=(option("--from", dest="source", type=Path, required=True, metavar="DIR"),),
        json=True,
    )


def _audit(args: argparse.Namespace, action: str) -> None:
    """The backup or restore in the audit log. Opening the store migrates it: a backup's
    manifest names the current schema; a restored older schema is brought forward."""
    from backoffice.services import audit

    with store(args) as (sessions, _), sessions() as session, session.begin():
        audit.record(session, cli_actor(), action, action)


def backup(args: argparse.Namespace) -> int:
    from backoffice import backup as backups

    settings = settings_of(args)
    _audit(args, "backup")  # Action.BACKUP
    try:
        info = backups.backup(settings, args.to, now_iso=settings.office_clock.now().isoformat())
    except backups.BackupError as exc:
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


def restore(args: argparse.Namespace) -> int:
    from backoffice import backup as backups

    settings = settings_of(args)
    try:
        manifest = backups.restore(settings, args.source)
    except backups.BackupError as exc:
        raise CliError(exc.ja, exc.en) from None
    _audit(args, "restore")  # Action.RESTORE
    if args.json:
        print_json({"restored": str(args.source), "created_at": manifest["created_at"]})
    else:
        print(f"復元 / restored: {args.source} (made {manifest['created_at']})")
    return 0
