"""`madoguchi backoffice …`: serve, migrate, export, terminals, users, keys, retention,
reservations, backups. Each family of sub-commands is a module of its own; this one puts
them in order."""

from __future__ import annotations

import argparse

from backoffice.cli import accounts, backups, keys, reservations, retention, service
from backoffice.cli.store import DATA_DIR_ENV, DB_ENV, store_options

REQUIRES = ("fastapi", "sqlalchemy", "alembic", "uvicorn")

__all__ = ["DATA_DIR_ENV", "DB_ENV", "REQUIRES", "register", "store_options"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backoffice", help="バックオフィス / the back-office service")
    sub = p.add_subparsers(dest="backoffice_command", metavar="ACTION", required=True)
    service.register_serve(sub)  # serve, tls init, migrate, export
    keys.register(sub)
    accounts.register_terminal(sub)
    accounts.register_user(sub)
    retention.register(sub)
    reservations.register(sub)
    backups.register(sub)
    service.register_metrics_token(sub)
