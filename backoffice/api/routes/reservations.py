"""引越しワンストップ reservations: an admin imports a file, a kiosk asks for a match.

The match answers personal data (household, addresses, move date) only to an enrolled kiosk's
credential, and only for the resident whose name AND birth date it sends, on the office's
date (`backoffice.services.reservations`). Each match is audited by the kiosk's name, never
by a value.
"""

from __future__ import annotations

from fastapi import APIRouter

from backoffice.api.deps import ContextDep, CurrentAdmin, CurrentTerminal, SessionDep
from backoffice.services import audit, reservations
from sync.protocol.office import ErrorBody
from sync.protocol.reservations import (
    HouseholdMember,
    ReservationFound,
    ReservationImport,
    ReservationImportReport,
    ReservationMatch,
    ReservationQuery,
)

router = APIRouter(tags=["reservations"])


@router.post(
    "/reservations/import",
    response_model=ReservationImportReport,
    responses={422: {"model": ErrorBody}},
    summary="転入予約の取り込み / import a reservation file (admin; all or nothing)",
)
def import_reservations(
    body: ReservationImport, admin: CurrentAdmin, session: SessionDep, context: ContextDep
) -> ReservationImportReport:
    report = reservations.store(
        session,
        reservations.FileImport(body.content, body.format),
        actor=admin.actor,
        now=context.clock.now(),
    )
    audit.record(
        session, admin.actor, audit.Action.IMPORT_RESERVATIONS, f"reservations:{report.imported}"
    )
    return ReservationImportReport(imported=report.imported, unchanged=report.unchanged)


@router.post(
    "/reservations/match",
    response_model=ReservationMatch,
    summary="転入予約の照合 / the resident's reservation, by name and birth date (kiosk)",
)
def match_reservation(
    body: ReservationQuery, terminal: CurrentTerminal, session: SessionDep, context: ContextDep
) -> ReservationMatch:
    found = reservations.find(session, body.name, body.birth_date, context.clock.today())
    if found is None:
        return ReservationMatch()
    audit.record(
        session,
        terminal.actor,
        audit.Action.MATCH_RESERVATION,
        f"reservation:{found.reservation_id}",
    )
    return ReservationMatch(
        found=ReservationFound(
            reservation_id=found.reservation_id,
            household=[
                HouseholdMember(
                    name=m.name, kana=m.kana, birth_date=m.birth_date, relation=m.relation
                )
                for m in found.household
            ],
            old_address=found.old_address,
            new_address=found.new_address,
            move_date=found.move_date,
        )
    )
