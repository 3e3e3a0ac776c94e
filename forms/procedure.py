"""What a resident chooses: one form, or a life event's bundle of several over one record.

The kiosk's procedures screen and the pre-entry site offer the same choices, so they share
this one type. Life events come first (they are what residents come for), then every single
form, newest version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from forms.catalog import Catalog
from forms.errors import MadoguchiError
from forms.template import Template
from forms.text import Text

MAX_PEOPLE = 10  # the most persons one household step offers


class ProcedureKind(StrEnum):
    FORM = "t"  # one template
    BUNDLE = "b"  # a life event's bundle


class NotAnOption(MadoguchiError):
    """A form asked for that the procedure does not offer as an option."""

    code = "procedure_not_an_option"

    def __init__(self) -> None:
        super().__init__("この手続きでは選べない様式です", "that form is not an option here")


@dataclass(frozen=True)
class Procedure:
    kind: ProcedureKind
    id: str  # the template id, or the bundle id
    title: Text
    description: Text | None
    templates: tuple[Template, ...]
    optional: tuple[Template, ...] = ()  # a bundle's forms the resident may opt into

    @property
    def key(self) -> str:
        """Unique among both kinds: the template id, or `bundle:<id>`."""
        return f"bundle:{self.id}" if self.is_bundle else self.id

    @property
    def is_bundle(self) -> bool:
        return self.kind is ProcedureKind.BUNDLE

    @property
    def template_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.templates)

    @property
    def optional_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.optional)

    @property
    def fee_yen(self) -> int:
        """What the required forms cost (options are added when chosen)."""
        return sum(t.fee_yen or 0 for t in self.templates)

    @property
    def has_groups(self) -> bool:
        return any(t.groups for t in (*self.templates, *self.optional))

    def chosen(self, extra_ids: Sequence[str]) -> tuple[Template, ...]:
        """The required forms plus the options named; NotAnOption for anything else."""
        wanted = set(extra_ids)
        if not wanted <= set(self.optional_ids):
            raise NotAnOption()
        return (*self.templates, *(t for t in self.optional if t.id in wanted))

    def people_range(self) -> tuple[int, int]:
        """How many people the household step offers (groups that follow every person)."""
        groups = [g for t in (*self.templates, *self.optional) for g in t.groups]
        if not groups:
            return (0, 0)
        plain = [g for g in groups if g.relations is None]
        if plain:
            low = max(1, *(g.min for g in plain))
            high = max(g.max or 1 for g in plain)
        else:  # only groups chosen by relation: the applicant plus each group's members
            low = 1 + max(g.min for g in groups)
            high = 1 + sum(g.max or 1 for g in groups)
        return (low, max(low, min(MAX_PEOPLE, high)))


def bundle_procedure(catalog: Catalog, bundle_id: str) -> Procedure:
    bundle = catalog.bundle(bundle_id)
    optional = [t for t in bundle.optional if t not in bundle.templates]
    return Procedure(
        ProcedureKind.BUNDLE,
        bundle.id,
        bundle.title,
        bundle.description,
        tuple(catalog.get(t) for t in bundle.templates),
        tuple(catalog.get(t) for t in optional),
    )


def form_procedure(template: Template) -> Procedure:
    return Procedure(ProcedureKind.FORM, template.id, template.title, None, (template,))


def procedures_of(catalog: Catalog) -> list[Procedure]:
    """Life events first, then every single form (newest version)."""
    out = [bundle_procedure(catalog, b.id) for b in catalog.bundles()]
    out.extend(form_procedure(t) for t in catalog.latest())
    return out


def find_procedure(catalog: Catalog, kind: str, procedure_id: str) -> Procedure:
    """By kind ("t"/"b") and id; forms.errors.UnknownTemplate for an id the catalogue lacks."""
    if kind == ProcedureKind.BUNDLE:
        return bundle_procedure(catalog, procedure_id)
    return form_procedure(catalog.get(procedure_id))
