"""`madoguchi backoffice retention run | list | set`: how long applications are kept, and the
run that deletes the expired ones and erases individual numbers."""

from __future__ import annotations

import argparse

from backoffice.cli.store import cli_actor, command, group, option, settings_of, store
from forms.command_line import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:
    rsub = group(sub, "retention", "保存期間 / retention of applications")
    command(
        rsub,
        "run",
        "期限切れの記録を削除・個人番号を消去（既定は試行）/ delete expired records, erase "
        "individual numbers (dry run unless --apply)",
        run,
        options=(option("--apply", action="store_true", help="really delete (default: dry run)"),),
        json=True,
    )
    command(rsub, "list", "様式ごとの保存期間 / retention per template", list_periods, json=True)
    command(
        rsub,
        "set",
        "保存期間を短くする / shorten a template's retention",
        set_period,
        args=("template_id",),
        options=(
            option("--years", type=int, help="years (at most what the template declares)"),
            option(
                "--individual-number-days",
                type=int,
                help="days the individual number is kept after 完了",
            ),
        ),
    )


def run(args: argparse.Namespace) -> int:
    from backoffice.services import retention

    settings = settings_of(args)
    with store(args) as (sessions, registry):
        report = retention.run(
            sessions, registry, settings.office_clock, apply=args.apply, actor=cli_actor()
        )
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


def list_periods(args: argparse.Namespace) -> int:
    from backoffice.services import retention

    with store(args) as (sessions, registry), sessions() as session:
        rows = [p.model_dump() for p in retention.periods(session, registry)]
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


def set_period(args: argparse.Namespace) -> int:
    from backoffice.errors import BackofficeError
    from backoffice.services import audit, retention
    from sync.protocol.retention import RetentionChange

    settings = settings_of(args)
    with store(args) as (sessions, registry), sessions() as session, session.begin():
        try:
            period = retention.set_period(
                session,
                registry,
                args.template_id,
                RetentionChange(
                    years=args.years, individual_number_days=args.individual_number_days
                ),
                actor=cli_actor(),
                now=settings.office_clock.now(),
            )
        except BackofficeError as exc:
            raise CliError(exc.ja, exc.en) from None
        audit.record(
            session, cli_actor(), audit.Action.SET_RETENTION, f"retention:{args.template_id}"
        )
    print(f"{period.template_id}: {period.years}y, 個人番号 {period.individual_number_days}d")
    return 0
