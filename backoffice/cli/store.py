"""What every `madoguchi backoffice …` command shares: the store's options, opening it, the
audit log's actor, and the parser's repeated shapes."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.command_line import CliError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from backoffice.registry import TemplateRegistry
    from backoffice.settings import BackofficeSettings

DATA_DIR_ENV = "MADOGUCHI_BACKOFFICE_DIR"
DB_ENV = "MADOGUCHI_BACKOFFICE_DB"

Handler = Callable[[argparse.Namespace], int]


def store_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--db", help=f"SQLAlchemy URL (default: SQLite in the data dir; ${DB_ENV})")
    data_dir_option(q)


def data_dir_option(q: argparse.ArgumentParser) -> None:
    q.add_argument("--data-dir", type=Path, help=f"data directory (${DATA_DIR_ENV})")


Option = tuple[tuple[str, ...], dict[str, Any]]


def option(*flags: str, **kwargs: Any) -> Option:
    """One of a command's own arguments, as `add_argument` takes it."""
    return flags, kwargs


def group(sub: argparse._SubParsersAction, name: str, help: str) -> argparse._SubParsersAction:
    """A family of sub-commands, `madoguchi backoffice NAME ACTION` (ACTION in `NAME_command`)."""
    parser = sub.add_parser(name, help=help)
    actions: argparse._SubParsersAction = parser.add_subparsers(
        dest=f"{name}_command", metavar="ACTION", required=True
    )
    return actions


def command(
    sub: argparse._SubParsersAction,
    name: str,
    help: str,
    handler: Handler,
    *,
    store: bool = True,
    data_dir: bool = False,
    args: tuple[str, ...] = (),
    options: tuple[Option, ...] = (),
    json: bool = False,
) -> argparse.ArgumentParser:
    """One sub-command, its arguments in this order: the store's options (`store`) or only
    `--data-dir` (`data_dir`), the positional `args`, its own `options`, then `--json`."""
    q: argparse.ArgumentParser = sub.add_parser(name, help=help)
    if store:
        store_options(q)
    elif data_dir:
        data_dir_option(q)
    for arg in args:
        q.add_argument(arg)
    for flags, kwargs in options:
        q.add_argument(*flags, **kwargs)
    if json:
        json_option(q)
    q.set_defaults(handler=handler)
    return q


def json_option(q: argparse.ArgumentParser) -> None:
    q.add_argument("--json", action="store_true")


def settings_of(args: argparse.Namespace) -> BackofficeSettings:
    from backoffice.settings import DEFAULT_DATA_DIR, BackofficeSettings

    data_dir = args.data_dir or Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    db = getattr(args, "db", None) or os.environ.get(DB_ENV) or None
    return BackofficeSettings(data_dir=Path(data_dir), db_url=db)


def open_store(
    args: argparse.Namespace,
) -> tuple[Engine, sessionmaker[Session], TemplateRegistry]:
    """(engine, sessions, registry) of the store the options name; a bad URL or an unreachable
    database is a one-line error."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from backoffice.context import open_store as open_

    try:
        return open_(settings_of(args))
    except (ArgumentError, ValueError):
        raise CliError(
            "データベース URL が正しくありません", "the database URL is not valid"
        ) from None
    except OperationalError:
        raise CliError("データベースに接続できません", "cannot reach the database") from None


@contextlib.contextmanager
def store(args: argparse.Namespace) -> Iterator[tuple[sessionmaker[Session], TemplateRegistry]]:
    """(sessions, registry) of the store the options name; the engine is disposed after."""
    engine, sessions, registry = open_store(args)
    try:
        yield sessions, registry
    finally:
        engine.dispose()


@contextlib.contextmanager
def session(args: argparse.Namespace) -> Iterator[Session]:
    """One transaction on the store named by the options; the engine is disposed after."""
    with store(args) as (sessions, _), sessions() as s, s.begin():
        yield s


def cli_actor() -> str:
    """Who ran a command on the server itself: the OS account (audit log)."""
    import getpass as gp

    try:
        return f"cli:{gp.getuser()}"
    except (KeyError, OSError):
        return "cli"
