"""`madoguchi backoffice keys [rotate | list | retire]`: the office key pair that kiosks seal
records to, its rotation and the retirement of old keys."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backoffice.cli.store import cli_actor, command, option, session, settings_of
from forms.command_line import print_json


def register(sub: argparse._SubParsersAction) -> None:
    q = command(
        sub,
        "keys",
        "封緘用の鍵ペア / the office key pair for sealing",
        keys,
        store=False,
        options=(
            option("--out", type=Path, help="directory (default: the data dir)"),
            option("--data-dir", type=Path, help=argparse.SUPPRESS),
        ),
        json=True,
    )
    ksub = q.add_subparsers(dest="keys_command", metavar="ACTION", required=False)
    command(
        ksub,
        "rotate",
        "新しい窓口鍵を作る（古い鍵は保管）/ rotate the office key",
        rotate,
        json=True,
    )
    command(ksub, "list", "窓口鍵の一覧 / every office key and its state", list_keys, json=True)
    command(
        ksub,
        "retire",
        "古い窓口鍵を廃棄（秘密鍵を削除）/ retire an old key (deletes it)",
        retire,
        options=(
            option("fingerprint", help="sha256:… (from keys list)"),
            option(
                "--force",
                action="store_true",
                help="even while sealed data may still arrive (audited)",
            ),
            option("--reason", help="why, when forced (kept in the key's history)"),
        ),
    )


def keys(args: argparse.Namespace) -> int:
    from backoffice.settings import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE

    directory = args.out or settings_of(args).data_dir
    directory.mkdir(parents=True, exist_ok=True)
    private = directory / PRIVATE_KEY_FILE
    public = directory / PUBLIC_KEY_FILE
    existed = private.exists()
    from forms.payload import keys as key_files

    key = key_files.load_or_create_counter_key(private, public)
    info = {
        "private_key": str(private),
        "public_key": str(public),
        "fingerprint": key_files.fingerprint(key.public_key()),
        "created": not existed,
    }
    if args.json:
        print_json(info)
    else:
        state = "既存 / existing" if existed else "作成 / created"
        print(f"{state}: {public}\nfingerprint: {info['fingerprint']}")
    return 0


def rotate(args: argparse.Namespace) -> int:
    from backoffice.context import office_key_ring
    from backoffice.office_keys import record_keys
    from backoffice.services import audit

    settings = settings_of(args)
    ring = office_key_ring(settings)
    old, new = ring.rotate()
    with session(args) as s:
        record_keys(s, ring)
        audit.record(s, cli_actor(), audit.Action.ROTATE_OFFICE_KEY, f"office_key:{new}")
    if args.json:
        print_json({"previous": old, "current": new})
    else:
        print(f"新しい窓口鍵 / new office key: {new}\n以前の鍵（保管）/ previous key (kept): {old}")
        print(
            "窓口端末は次の同期で新しい鍵を取得します / kiosks pull the new key at their next sync",
            file=sys.stderr,
        )
    return 0


def list_keys(args: argparse.Namespace) -> int:
    from backoffice.context import office_key_ring
    from backoffice.models import utcnow
    from backoffice.office_keys import key_records, record_keys, retirement_blockers

    ring = office_key_ring(settings_of(args))
    held = {h.fingerprint for h in ring.held}
    with session(args) as s:
        record_keys(s, ring)
        now = utcnow()
        rows = []
        for r in key_records(s):
            _, blockers = retirement_blockers(s, r, now)
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


def retire(args: argparse.Namespace) -> int:
    from backoffice.context import office_key_ring
    from backoffice.office_keys import RetirementRefused, record_keys
    from backoffice.office_keys import retire as retire_key
    from backoffice.services import audit

    ring = office_key_ring(settings_of(args))
    actor = cli_actor()
    target = f"office_key:{args.fingerprint}"[:120]
    try:
        with session(args) as s:
            record_keys(s, ring)
            row = retire_key(s, args.fingerprint, actor, force=args.force, reason=args.reason)
            forced = row.retired_reason is not None
            action = (
                audit.Action.RETIRE_OFFICE_KEY_FORCED if forced else audit.Action.RETIRE_OFFICE_KEY
            )
            audit.record(s, actor, action, target)
    except RetirementRefused:
        with session(args) as s:
            audit.record(s, actor, audit.Action.RETIRE_OFFICE_KEY_REFUSED, target)
        import logging

        logging.getLogger("backoffice.office_keys").warning(
            "office key %s: retirement refused (%s)", args.fingerprint, actor
        )
        raise
    ring.forget(args.fingerprint)  # only once the table says retired
    print(f"廃棄 / retired: {args.fingerprint}" + (" (forced)" if forced else ""))
    return 0
