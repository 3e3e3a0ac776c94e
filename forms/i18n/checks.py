"""What the catalogue tests (and `madoguchi i18n check`) hold every language to, against
Japanese: no key missing or empty, none extra, and the same `str.format` placeholders."""

from __future__ import annotations

from collections.abc import Iterable

from forms.i18n.catalogue import Domain, placeholders
from forms.i18n.languages import LANGUAGES, SOURCE
from forms.i18n.pofiles import entries, po_path, read_catalogue


def domain_problems(domain: Domain) -> list[str]:
    source_path = po_path(domain, SOURCE)
    if not source_path.is_file():
        return [f"{domain.name}: no Japanese catalogue at {source_path}"]
    source = {e.key: e.text for e in entries(read_catalogue(source_path, SOURCE))}
    found: list[str] = []
    for lang in LANGUAGES:
        path = po_path(domain, lang.code)
        if not path.is_file():
            found.append(f"{domain.name}/{lang.code}: no catalogue")
            continue
        have = {e.key: e.text for e in entries(read_catalogue(path, lang.code))}
        for key, ja in source.items():
            text = have.get(key)
            if not text:
                found.append(f"{domain.name}/{lang.code}: missing {key}")
            elif placeholders(text) != placeholders(ja):
                found.append(
                    f"{domain.name}/{lang.code}: {key} has placeholders "
                    f"{sorted(placeholders(text))}, Japanese has {sorted(placeholders(ja))}"
                )
        found.extend(f"{domain.name}/{lang.code}: extra {k}" for k in have.keys() - source.keys())
    return found


def problems(domains: Iterable[Domain]) -> list[str]:
    return [line for domain in domains for line in domain_problems(domain)]
