"""Languages and gettext catalogues, Qt-free, for every application.

- `languages`: the ten languages, each named in its own script (`LANGUAGES`, `language()`).
- `catalogue`: `Domain(name, directory)` loads one application's compiled catalogues
  (stdlib `gettext`, fuzzy entries included) and answers `text(language, key, **values)`.
- `domains`: where each application keeps its catalogues (for the commands and tests).
- `template_texts`: template and bundle labels as catalogue keys.
- `pofiles`, `status`, `commands`: maintenance with Babel (`madoguchi i18n …`).

How a screen asks for a string:

    kiosk = Domain("kiosk", Path(kiosk.__file__).parent / "locale")
    kiosk.text("vi", "pin.tries", tries=2)        # "Còn 2 lần thử"
"""

from forms.i18n.catalogue import CatalogueMissing, Domain, placeholders
from forms.i18n.languages import (
    CODES,
    LANGUAGES,
    SOURCE,
    Language,
    UnknownLanguage,
    is_offered,
    language,
)

__all__ = [
    "CODES",
    "LANGUAGES",
    "SOURCE",
    "CatalogueMissing",
    "Domain",
    "Language",
    "UnknownLanguage",
    "is_offered",
    "language",
    "placeholders",
]
