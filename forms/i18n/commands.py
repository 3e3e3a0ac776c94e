"""The maintenance commands behind `madoguchi i18n` (and `python -m forms.i18n`).

status               unreviewed (fuzzy or missing) entries per language
compile              write every `.mo` from its `.po` (fuzzy entries included)
check                exit 1 if a `.mo` is stale, a key is missing or a placeholder differs
extract-templates    rewrite the `templates` catalogue from the shipped templates/bundles
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from forms.i18n.catalogue import Domain
from forms.i18n.checks import problems
from forms.i18n.domains import installed_domains, templates_domain
from forms.i18n.pofiles import Entry, compile_domain, stale_mo_files, sync_domain, write_catalogue
from forms.i18n.status import status
from forms.i18n.template_texts import all_texts


def status_lines(domains: Sequence[Domain]) -> list[str]:
    rows = status(domains)
    width = max(len(r.code) for r in rows)
    lines = []
    for r in rows:
        lines.append(
            f"{r.code:<{width}}  {r.name}: 未確認 unreviewed {r.unreviewed}/{r.total}"
            f" (fuzzy {r.fuzzy}, missing {r.missing})"
        )
    return lines


def status_json(domains: Sequence[Domain]) -> list[dict[str, object]]:
    return [
        {
            "language": r.code,
            "name": r.name,
            "total": r.total,
            "fuzzy": r.fuzzy,
            "missing": r.missing,
            "unreviewed": r.unreviewed,
        }
        for r in status(domains)
    ]


def extract_templates(domain: Domain | None = None) -> int:
    """Rewrite the Japanese `templates` catalogue from the shipped templates and bundles, then
    bring every language in step. Returns the number of keys."""
    from forms.catalog import Catalog

    domain = domain or templates_domain()
    catalog = Catalog.builtin()
    rows = all_texts(catalog.latest(), catalog.bundles())
    write_catalogue(domain, "ja", [Entry(key, ja) for key, ja, _ in rows])
    sync_domain(domain, prefill={"en": {key: en for key, _, en in rows if en}})
    compile_domain(domain)
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forms.i18n")
    parser.add_argument("action", choices=["status", "compile", "check", "extract-templates"])
    args = parser.parse_args(argv)
    domains = installed_domains()
    if args.action == "status":
        sys.stdout.write("\n".join(status_lines(domains)) + "\n")
    elif args.action == "compile":
        for domain in domains:
            for path in compile_domain(domain):
                sys.stdout.write(f"{path}\n")
    elif args.action == "check":
        found = [str(p) for d in domains for p in stale_mo_files(d)] + problems(domains)
        for line in found:
            sys.stderr.write(f"{line}\n")
        return 1 if found else 0
    else:
        sys.stdout.write(f"{extract_templates()}\n")
    return 0
