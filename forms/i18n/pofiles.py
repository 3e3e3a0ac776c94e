"""Reading, writing, compiling and keeping in step the `.po` sources (with Babel).

Only the maintenance commands (`madoguchi i18n …`) and the tests use this module; the
applications load compiled `.mo` files through `forms.i18n.catalogue` and need no Babel.

Japanese is the source. `sync_domain` brings every other language in line with it:
- a key new in Japanese is added, empty and fuzzy, with the Japanese as its translator note;
- a key whose Japanese changed since the translation was made is marked fuzzy again (the
  Japanese it was made from is kept as the `#.` note of each entry, so the change shows);
- a key gone from Japanese is dropped.
Every entry that is not Japanese is fuzzy until a native speaker reviews it and removes the
flag; `status` counts them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from forms.i18n.catalogue import Domain, catalogue_path
from forms.i18n.languages import LANGUAGES, SOURCE, language

SOURCE_NOTE = "ja: "
REPRODUCIBLE_DATE = dt.datetime(
    2000, 1, 1, tzinfo=dt.UTC
)  # prefix of the translator note that keeps the Japanese source


@dataclass(frozen=True)
class Entry:
    key: str
    text: str
    fuzzy: bool = False
    source: str = ""  # the Japanese this translation was made from ("" in Japanese itself)


def po_path(domain: Domain, code: str) -> Path:
    return catalogue_path(domain.directory, code, domain.name, ".po")


def read_catalogue(path: Path, code: str) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=language(code).babel_locale, domain=path.stem)


def new_catalogue(domain: str, code: str) -> Catalog:
    return Catalog(
        locale=language(code).babel_locale,
        domain=domain,
        project="Madoguchi",
        version="1",
        copyright_holder="Madoguchi contributors",
        charset="utf-8",
        fuzzy=False,
        header_comment=(
            f"# Madoguchi: {domain} catalogue, {code}.\n"
            "# An entry marked fuzzy has not been reviewed by a native speaker yet;\n"
            "# the note `ja:` above each entry is the Japanese it was translated from."
        ),
        language_team=f"Madoguchi {code}",
        last_translator="Madoguchi contributors",
    )


def source_of(message: Message) -> str:
    for note in message.auto_comments:
        if note.startswith(SOURCE_NOTE):
            return note[len(SOURCE_NOTE) :]
    return ""


def entries(catalog: Catalog) -> list[Entry]:
    return [
        Entry(str(m.id), str(m.string or ""), m.fuzzy, source_of(m))
        for m in catalog
        if m.id and isinstance(m.id, str)
    ]


def write_catalogue(domain: Domain, code: str, items: Iterable[Entry]) -> Path:
    """Write one language's `.po` from entries, in the given order."""
    catalog = new_catalogue(domain.name, code)
    for item in items:
        catalog.add(
            item.key,
            item.text,
            flags=("fuzzy",) if item.fuzzy else (),
            auto_comments=[SOURCE_NOTE + item.source] if item.source else (),
        )
    path = po_path(domain, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_previous=False)
    _write_if_changed(path, _without_creation_date(buffer.getvalue()))
    return path


def _without_creation_date(data: bytes) -> bytes:
    """Drop the header lines that change on every write (dates), so a rewrite of unchanged
    entries leaves the file byte-identical."""
    keep = [
        line
        for line in data.split(b"\n")
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:', b"# FIRST AUTHOR"))
    ]
    return b"\n".join(keep)


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def compile_po(path: Path, code: str) -> bytes:
    """The `.mo` bytes for one `.po`, fuzzy entries included (see `forms.i18n.catalogue`)."""
    catalog = read_catalogue(path, code)
    catalog.fuzzy = False  # the header: never let a fuzzy header drop the charset
    # The `.po` keeps no dates (they would change every file on every write), so Babel would
    # stamp "now" into the `.mo` header; a fixed date keeps the compile reproducible.
    catalog.creation_date = catalog.revision_date = REPRODUCIBLE_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=True)
    return buffer.getvalue()


def languages_present(domain: Domain) -> list[str]:
    return [lang.code for lang in LANGUAGES if po_path(domain, lang.code).is_file()]


def compile_domain(domain: Domain) -> list[Path]:
    """Write every language's `.mo`; returns those that changed."""
    changed: list[Path] = []
    for code in languages_present(domain):
        target = catalogue_path(domain.directory, code, domain.name)
        if _write_if_changed(target, compile_po(po_path(domain, code), code)):
            changed.append(target)
    return changed


def stale_mo_files(domain: Domain) -> list[Path]:
    """`.mo` files missing or different from a fresh compile of their `.po`."""
    stale: list[Path] = []
    for code in languages_present(domain):
        target = catalogue_path(domain.directory, code, domain.name)
        fresh = compile_po(po_path(domain, code), code)
        if not target.is_file() or target.read_bytes() != fresh:
            stale.append(target)
    return stale


def sync_domain(domain: Domain, prefill: dict[str, dict[str, str]] | None = None) -> None:
    """Bring every language's `.po` in line with the Japanese one (see the module doc).

    `prefill[code][key]` gives a first (fuzzy) translation for a key new to `code`, e.g. the
    English a template carries beside its Japanese.
    """
    source = entries(read_catalogue(po_path(domain, SOURCE), SOURCE))
    for lang in LANGUAGES:
        if lang.code == SOURCE:
            continue
        path = po_path(domain, lang.code)
        old = {e.key: e for e in entries(read_catalogue(path, lang.code))} if path.exists() else {}
        guesses = (prefill or {}).get(lang.code, {})
        updated: list[Entry] = []
        for ja in source:
            mine = old.get(ja.key)
            if mine is None or not mine.text:
                updated.append(Entry(ja.key, guesses.get(ja.key, ""), True, ja.text))
            elif mine.source != ja.text:
                updated.append(Entry(ja.key, mine.text, True, ja.text))
            else:
                updated.append(mine)
        write_catalogue(domain, lang.code, updated)
