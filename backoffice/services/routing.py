"""Routing: where the residents of each procedure go (counter number and section).

The admin sets the whole table at once (`PUT /routing`); kiosks read it for the done screen
and the slip, the reception terminal for the call board. A procedure must be a published
template, so a typo cannot route residents nowhere.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backoffice.errors import RoutingRepeated, UnknownProcedures
from backoffice.models import PublishedTemplate, Routing
from sync.protocol.counter import RoutingEntry


def entries(session: Session) -> list[RoutingEntry]:
    rows = session.scalars(select(Routing).order_by(Routing.position, Routing.template_id))
    return [
        RoutingEntry(
            template_id=r.template_id,
            counter=r.counter,
            section_ja=r.section_ja,
            section_en=r.section_en,
        )
        for r in rows
    ]


def for_procedures(session: Session, procedures: list[str]) -> list[RoutingEntry]:
    """The entries of `procedures`, in their order; a procedure without one is left out."""
    by_id = {e.template_id: e for e in entries(session)}
    return [by_id[p] for p in dict.fromkeys(procedures) if p in by_id]


def check_published(session: Session, template_ids: list[str]) -> None:
    published = set(session.scalars(select(PublishedTemplate.template_id).distinct()))
    unknown = [t for t in dict.fromkeys(template_ids) if t not in published]
    if unknown:
        raise UnknownProcedures(unknown)


def replace(session: Session, new: list[RoutingEntry]) -> list[RoutingEntry]:
    seen: set[str] = set()
    for entry in new:
        if entry.template_id in seen:
            raise RoutingRepeated(entry.template_id)
        seen.add(entry.template_id)
    check_published(session, [e.template_id for e in new])
    session.execute(delete(Routing))
    session.add_all(
        Routing(
            template_id=e.template_id,
            counter=e.counter,
            section_ja=e.section_ja,
            section_en=e.section_en,
            position=n,
        )
        for n, e in enumerate(new)
    )
    session.flush()
    return entries(session)
