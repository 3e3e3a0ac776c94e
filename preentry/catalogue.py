"""What can be filled in at home: the procedures of the catalogue whose every form
the site can ask in full, their addresses on the site, and the forms a post chooses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from forms.catalog import Catalog
from forms.errors import UnknownTemplate
from forms.procedure import NotAnOption, Procedure, procedures_of
from forms.procedure import find_procedure as find_catalog_procedure
from forms.record import Person, SessionRecord
from forms.template import Template
from preentry.errors import MalformedPost, TooManyPeople

# Types the site does not ask for: the individual number is taken at the counter from the
# card, for the templates whose law allows it; the signature is given on the kiosk's screen.
NOT_ASKED_TYPES = frozenset({"individual_number", "signature"})


def preenterable(template: Template) -> bool:
    """False when a required item can only come from the counter (card, signature, number).

    The kiosk validates a pre-entered payload in full, so such a form could never be used.
    """
    specs = [*template.fields, *(f for g in template.groups for f in g.fields)]
    return not any(
        spec.required
        and (spec.type in NOT_ASKED_TYPES or template.prefill_of(spec).startswith("card."))
        for spec in specs
    )


def _all_preenterable(procedure: Procedure) -> bool:
    return all(preenterable(t) for t in (*procedure.templates, *procedure.optional))


def procedures(catalog: Catalog) -> list[Procedure]:
    """Every bundle, then every template (newest version), that can be filled in at home."""
    return [p for p in procedures_of(catalog) if _all_preenterable(p)]


def find_procedure(catalog: Catalog, kind: str, procedure_id: str) -> Procedure:
    """Raises forms.errors.UnknownTemplate for an id the catalogue does not hold."""
    procedure = find_catalog_procedure(catalog, kind, procedure_id)
    if not _all_preenterable(procedure):
        raise UnknownTemplate(procedure_id)
    return procedure


def procedure_url(procedure: Procedure) -> str:
    return f"/{procedure.kind.value}/{procedure.id}"


def chosen_templates(procedure: Procedure, extra_ids: Sequence[str]) -> tuple[Template, ...]:
    """The procedure's forms plus the options asked for; a post naming others is malformed."""
    try:
        return procedure.chosen(extra_ids)
    except NotAnOption:
        raise MalformedPost() from None


def blank_record(people: int, today: dt.date) -> SessionRecord:
    return SessionRecord(today=today, persons=[Person() for _ in range(people)])


def needs_step(procedure: Procedure) -> bool:
    """The household step comes first: how many people, which optional forms."""
    return procedure.has_groups or bool(procedure.optional)


def read_people(procedure: Procedure, text: str | None) -> int:
    """The number of people posted (or carried in the state) for a procedure."""
    low, high = procedure.people_range()
    if not procedure.has_groups:
        if text not in (None, "", "0"):
            raise MalformedPost()
        return 0
    if text is None or not text.isdigit() or len(text) > 3:
        raise MalformedPost()
    people = int(text)
    if not low <= people <= high:
        raise TooManyPeople(low, high)
    return people
