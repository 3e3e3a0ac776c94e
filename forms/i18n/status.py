"""`madoguchi i18n status`: per language, how many entries no native speaker has reviewed.

An entry is unreviewed when it is fuzzy or missing (absent or empty) in that language; the
total is the number of Japanese keys, summed over the domains given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from forms.i18n.catalogue import Domain
from forms.i18n.languages import LANGUAGES, SOURCE
from forms.i18n.pofiles import entries, po_path, read_catalogue


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    name: str
    total: int  # Japanese keys
    fuzzy: int  # translated, not yet reviewed
    missing: int  # no translation at all

    @property
    def unreviewed(self) -> int:
        return self.fuzzy + self.missing

    @property
    def reviewed(self) -> int:
        return self.total - self.unreviewed


def domain_status(domain: Domain) -> list[LanguageStatus]:
    source = [e.key for e in entries(read_catalogue(po_path(domain, SOURCE), SOURCE))]
    rows: list[LanguageStatus] = []
    for lang in LANGUAGES:
        path = po_path(domain, lang.code)
        have = {e.key: e for e in entries(read_catalogue(path, lang.code))} if path.exists() else {}
        fuzzy = missing = 0
        for key in source:
            entry = have.get(key)
            if entry is None or not entry.text:
                missing += 1
            elif entry.fuzzy:
                fuzzy += 1
        rows.append(LanguageStatus(lang.code, lang.native_name, len(source), fuzzy, missing))
    return rows


def status(domains: Iterable[Domain]) -> list[LanguageStatus]:
    """One row per language, summed over `domains`, in the chooser's order."""
    totals = {lang.code: LanguageStatus(lang.code, lang.native_name, 0, 0, 0) for lang in LANGUAGES}
    for domain in domains:
        for row in domain_status(domain):
            t = totals[row.code]
            totals[row.code] = LanguageStatus(
                t.code, t.name, t.total + row.total, t.fuzzy + row.fuzzy, t.missing + row.missing
            )
    return list(totals.values())
