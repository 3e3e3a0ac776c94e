"""Where each application keeps its catalogues: the list `madoguchi i18n` and the tests walk.

Each application loads its own domain by path (`Domain("kiosk", Path(__file__).parent /
"locale")`); this table only names them so that one command can compile, check and count
all of them. Folders are found with `importlib.util.find_spec`, which locates a package
without importing it: `forms` still imports none of our other packages. When a package moves
, its line here moves with it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from forms.i18n.catalogue import Domain


@dataclass(frozen=True)
class DomainSpec:
    name: str
    package: str  # top-level package that owns it
    folder: str  # the locale folder, relative to the package

    def directory(self) -> Path | None:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(next(iter(spec.submodule_search_locations))) / self.folder

    def domain(self) -> Domain | None:
        directory = self.directory()
        return Domain(self.name, directory) if directory is not None else None


DOMAINS: tuple[DomainSpec, ...] = (
    DomainSpec("kiosk", "kiosk", "locale"),  # the resident kiosk's screens
    DomainSpec("callboard", "staff", "reception/locale"),  # the reception call board
    DomainSpec("printing", "printing", "locale"),  # the slip and the resident's summary page
    DomainSpec("preentry", "preentry", "locale"),  # the smartphone pre-entry site
    DomainSpec("templates", "forms", "locale"),  # templates' and bundles' labels and help
)


def installed_domains() -> list[Domain]:
    """The domains whose package is installed and that have a Japanese catalogue."""
    found: list[Domain] = []
    for spec in DOMAINS:
        domain = spec.domain()
        if domain is not None and (domain.directory / "ja" / "LC_MESSAGES").is_dir():
            found.append(domain)
    return found


def domain_named(name: str) -> Domain | None:
    """One registered domain by name, read by path (its package is located, not imported):
    how an application reads another's catalogue as data (the pre-entry site quotes the
    kiosk's button words). None when that package is not installed here."""
    for spec in DOMAINS:
        if spec.name == name:
            domain = spec.domain()
            if domain is not None and (domain.directory / "ja" / "LC_MESSAGES").is_dir():
                return domain
    return None


def templates_domain() -> Domain:
    """The templates' labels and help texts (kept in `forms/locale`)."""
    return Domain("templates", Path(__file__).resolve().parent.parent / "locale")
