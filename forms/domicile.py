"""本籍 (the registered domicile) from the driver's licence, for the forms that declare it.

The My Number Card does not hold 本籍; the driver's licence does, in a file behind its PIN 2.
A template that asks for it declares `uses_licence_domicile: true` and marks the field(s) that
take it with `licence_domicile: true` (checked when the template loads). The kiosk asks for the
licence and PIN 2 only when `needs_licence_domicile` says a chosen form needs it, and puts what
it read into those fields with `seed_domicile`; the resident can still correct it on review
(the field's prefill path is writable), and it is never kept beside the card data.
"""

from __future__ import annotations

from collections.abc import Iterable

from forms.paths import get_value, parse_path, set_value
from forms.record import SessionRecord
from forms.template import Template


def needs_licence_domicile(templates: Iterable[Template]) -> bool:
    """Whether any of these forms declares that it reads 本籍 from the licence."""
    return any(t.uses_licence_domicile for t in templates)


def domicile_paths(templates: Iterable[Template]) -> list[str]:
    """The record paths the declaring forms' domicile fields read (each once, in order)."""
    paths: dict[str, None] = {}
    for template in templates:
        if not template.uses_licence_domicile:
            continue
        for spec in template.fields:
            if spec.licence_domicile:
                paths[template.prefill_of(spec)] = None
    return list(paths)


def seed_domicile(record: SessionRecord, templates: Iterable[Template], domicile: str) -> list[str]:
    """Write 本籍 into every declaring form's domicile field that is still empty.

    Returns the paths written (a value the resident typed or a QR carried is left alone).
    Forms that do not declare the need get nothing from here.
    """
    written: list[str] = []
    text = domicile.strip()
    if not text:
        return written
    for raw in domicile_paths(templates):
        path = parse_path(raw)
        current = get_value(record, path)
        if current is None or (isinstance(current, str) and not current.strip()):
            set_value(record, path, text)
            written.append(raw)
    return written
