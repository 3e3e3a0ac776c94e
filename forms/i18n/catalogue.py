"""Loading gettext catalogues: one domain per application, one catalogue per language.

Layout (the same for every application, kept inside the application's package):

    <package>/locale/<language code>/LC_MESSAGES/<domain>.po   the source, edited and reviewed
    <package>/locale/<language code>/LC_MESSAGES/<domain>.mo   compiled, committed

Message ids are keys (`welcome.title`), not Japanese sentences: a key survives a rewording of
the Japanese, and the tests can compare every language with Japanese key by key.

The `.mo` files are compiled with Babel *including fuzzy entries* (`forms.i18n.tools`,
`madoguchi i18n compile`): an entry nobody has reviewed yet is still better for the resident
than the Japanese fallback. `msgfmt` and Babel's default both drop fuzzy entries, so the
compile step is ours and a test checks that every committed `.mo` equals a fresh compile of
its `.po`. Loading uses only the standard library's `gettext`, so the pre-entry site and the
kiosk need no Babel at run time.
"""

from __future__ import annotations

import gettext
import string
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.errors import MadoguchiError
from forms.i18n.languages import SOURCE, fallback_of, language


class CatalogueMissing(MadoguchiError):
    """A language's compiled catalogue is not where the application keeps it."""

    code = "catalogue_missing"

    def __init__(self, domain: str, code: str) -> None:
        super().__init__(
            f"翻訳カタログがありません: {domain} ({code})",
            f"no compiled catalogue for {domain} ({code}); run `madoguchi i18n compile`",
        )
        self.domain = domain
        self.language = code


def catalogue_path(directory: Path, code: str, domain: str, suffix: str = ".mo") -> Path:
    return directory / code / "LC_MESSAGES" / f"{domain}{suffix}"


def placeholders(text: str) -> set[str]:
    """The `str.format` field names of a message (`{amount:,}` → {"amount"})."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<malformed>"}


@dataclass
class Domain:
    """One application's messages in every language, loaded lazily and cached.

    Not global: each application makes its own (`Domain("kiosk", <kiosk>/locale)`).
    Loading is thread-safe; lookups afterwards are plain dict reads.
    """

    name: str
    directory: Path
    _loaded: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def messages(self, code: str) -> Mapping[str, str]:
        """Every translated entry of one language (fuzzy ones included), key → text."""
        language(code)  # UnknownLanguage for anything not offered
        cached = self._loaded.get(code)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._loaded.get(code)
            if cached is None:
                cached = self._loaded[code] = self._read(code)
        return cached

    def _read(self, code: str) -> dict[str, str]:
        path = catalogue_path(self.directory, code, self.name)
        try:
            with path.open("rb") as fp:
                translations = gettext.GNUTranslations(fp)
        except FileNotFoundError:
            raise CatalogueMissing(self.name, code) from None
        # GNUTranslations keeps its entries in `_catalog`; the header has the empty key.
        catalog: dict[Any, str] = translations._catalog  # type: ignore[attr-defined]  # private: typeshed leaves it out
        return {k: v for k, v in catalog.items() if isinstance(k, str) and k and v}

    def lookup(self, code: str, key: str) -> str | None:
        """The entry in `code`, else in its fallback language; None if neither has it."""
        current: str | None = code
        while current is not None:
            text = self.messages(current).get(key)
            if text is not None:
                return text
            current = fallback_of(current)
        return None

    def text(self, code: str, key: str, **values: Any) -> str:
        """The entry formatted with `values`; the key itself if no language has it (so a
        missing entry shows as `welcome.title`, never as a blank button)."""
        found = self.lookup(code, key)
        if found is None:
            return key
        return found.format(**values) if values else found

    def has(self, code: str, key: str) -> bool:
        return key in self.messages(code)

    def keys(self, code: str = SOURCE) -> set[str]:
        return set(self.messages(code))
