"""`madoguchi forms list | show ID | validate FILE`."""

from __future__ import annotations

import argparse
import sys

from forms.catalog import Catalog
from forms.command_line import print_json
from forms.errors import TemplateError
from forms.template import load_template


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("forms", help="様式 / form templates")
    sub = p.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    ls = sub.add_parser("list", help="様式の一覧 / list templates (id, version, title)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_list)

    show = sub.add_parser("show", help="様式の内容 / show one template")
    show.add_argument("id")
    show.add_argument("--version", type=int, default=None)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    validate = sub.add_parser("validate", help="様式ファイルの検査 / validate a template file")
    validate.add_argument("file")
    validate.set_defaults(handler=_validate)


def _list(args: argparse.Namespace) -> int:
    catalog = Catalog.builtin()
    rows = [
        {"id": t.id, "version": t.version, "title": t.title.ja, "title_en": t.title.en}
        for t in catalog.latest()
    ]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['id']}\tv{r['version']}\t{r['title']} / {r['title_en']}")
    return 0


def _show(args: argparse.Namespace) -> int:
    template = Catalog.builtin().get(args.id, args.version)
    if args.json:
        print_json(template.model_dump(mode="json"))
        return 0
    print(f"{template.title.ja} / {template.title.en}  ({template.key})")
    print(f"根拠法令 / legal basis: {template.legal_basis}")
    if template.fee_yen is not None:
        per = (
            f" × {template.field(template.fee_per_field).label.ja}"
            if template.fee_per_field
            else ""
        )
        print(f"手数料 / fee: {template.fee_yen}円{per}")
    if template.uses_individual_number:
        print(f"個人番号を扱う / uses the individual number: {template.individual_number_article}")
    for spec in template.fields:
        mark = "*" if spec.required else " "
        print(f" {mark} {spec.id:<24} {spec.type:<16} {spec.label}  ← {template.prefill_of(spec)}")
    for group in template.groups:
        print(f"   [{group.id}] {group.label} (max {group.max})")
        for spec in group.fields:
            mark = "*" if spec.required else " "
            print(f"   {mark} {spec.id:<22} {spec.type:<16} {spec.label}  ← {spec.prefill or '-'}")
    print(f"印刷 / print layout: {len(template.layout.pages)} page(s)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    try:
        template = load_template(args.file)
    except TemplateError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"OK {template.key}: {template.title.ja} / {template.title.en}")
    return 0
