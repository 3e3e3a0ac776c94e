"""The counter: call numbers and routing, call-staff alerts, kiosk heartbeats and status.

See `sync.protocol.counter` for the wire types and `backoffice.services` (call_numbers,
routing, alerts, kiosk_status) for the rules. Nothing here carries personal data.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from backoffice.api.deps import (
    ContextDep,
    CurrentAdmin,
    CurrentTerminal,
    CurrentUser,
    SessionDep,
    TemplateReader,
    require,
)
from backoffice.services import alerts, audit, call_numbers, kiosk_status, routing
from backoffice.services.accounts import Principal
from sync.protocol.counter import (
    AlertCreate,
    AlertPublic,
    CallNumberIssued,
    CallNumberRequest,
    Heartbeat,
    RoutingEntry,
    TerminalStatus,
)
from sync.protocol.office import ErrorBody
from sync.protocol.vocabulary import Role

router = APIRouter(tags=["counter"])
StatusReader = Annotated[Principal, Depends(require(Role.STAFF, Role.ADMIN))]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.post(
    "/call-numbers",
    response_model=CallNumberIssued,
    responses={422: {"model": ErrorBody}, 503: {"model": ErrorBody}},
    summary="呼出番号の発行 / issue a visit's call number (kiosk)",
)
def issue_call_number(
    body: CallNumberRequest, terminal: CurrentTerminal, session: SessionDep, context: ContextDep
) -> CallNumberIssued:
    """One number per visit per office day ("A-023"); the same visit asking again gets the
    same number. The procedures must be published templates; the answer carries where each
    of them is handled (procedures without routing are left out)."""
    routing.check_published(session, body.procedures)
    row = call_numbers.issue(session, body, terminal.name, context.clock)
    return CallNumberIssued(
        call_number=row.call_number,
        day=row.day,
        routing=routing.for_procedures(session, body.procedures),
    )


@router.get(
    "/routing",
    response_model=list[RoutingEntry],
    summary="案内先 / where each procedure is handled (kiosk, staff, admin)",
)
def get_routing(_who: TemplateReader, session: SessionDep) -> list[RoutingEntry]:
    return routing.entries(session)


@router.put(
    "/routing",
    response_model=list[RoutingEntry],
    responses={422: {"model": ErrorBody}},
    summary="案内先の設定 / replace the routing table (admin; audited)",
)
def put_routing(
    body: list[RoutingEntry], admin: CurrentAdmin, session: SessionDep
) -> list[RoutingEntry]:
    """The whole table at once, in the order given; each procedure once, each a published
    template."""
    saved = routing.replace(session, body)
    audit.record(session, admin.actor, audit.Action.SET_ROUTING, f"routing:{len(saved)}")
    return saved


@router.post(
    "/alerts",
    response_model=AlertPublic,
    status_code=201,
    responses={200: {"model": AlertPublic}, 409: {"model": ErrorBody}},
    summary="職員呼出し / a kiosk calls staff or reports a fault (kiosk; idempotent by id)",
)
def raise_alert(
    body: AlertCreate,
    terminal: CurrentTerminal,
    session: SessionDep,
    context: ContextDep,
    response: Response,
) -> AlertPublic:
    """201 when stored now; 200 with the stored alert when the same id arrives again."""
    row, created = alerts.raise_alert(session, body, terminal.name, context.clock)
    if created:
        audit.record(session, terminal.actor, audit.Action.RAISE_ALERT, f"alert:{row.id}")
    else:
        response.status_code = 200
    return AlertPublic.model_validate(row)


@router.get(
    "/alerts",
    response_model=list[AlertPublic],
    summary="職員呼出しの一覧 / open alerts, oldest first (staff)",
)
def list_alerts(
    _staff: CurrentUser,
    session: SessionDep,
    open_only: Annotated[
        bool, Query(alias="open", description="only those nobody has acknowledged")
    ] = True,
) -> list[AlertPublic]:
    """open=true: unacknowledged, oldest first; open=false: the latest 200 of all."""
    return [AlertPublic.model_validate(a) for a in alerts.listed(session, open_only=open_only)]


@router.post(
    "/alerts/{alert_id}/ack",
    response_model=AlertPublic,
    responses=_REFUSALS,
    summary="職員呼出しの対応 / acknowledge an alert (staff; once; audited)",
)
def acknowledge_alert(
    alert_id: uuid.UUID, staff: CurrentUser, session: SessionDep, context: ContextDep
) -> AlertPublic:
    """The first person takes it; anyone after gets 409 naming who did."""
    row = alerts.acknowledge(session, alert_id, staff.actor, context.clock)
    audit.record(session, staff.actor, audit.Action.ACK_ALERT, f"alert:{alert_id}")
    return AlertPublic.model_validate(row)


@router.post(
    "/heartbeats",
    status_code=204,
    responses={422: {"model": ErrorBody}},
    summary="端末の稼働報告 / a kiosk's heartbeat (kiosk)",
)
def heartbeat(
    body: Heartbeat, terminal: CurrentTerminal, session: SessionDep, context: ContextDep
) -> None:
    kiosk_status.record(session, terminal.name, body, context.clock)


@router.get(
    "/terminals/status",
    response_model=list[TerminalStatus],
    summary="端末の状態 / every kiosk: silent, needs attention (staff, admin)",
)
def terminals_status(
    _who: StatusReader, session: SessionDep, context: ContextDep
) -> list[TerminalStatus]:
    """Silent after `kiosk_silent_after` (2 minutes) without a heartbeat; `needs_attention`
    lists machine words such as `printer:media-empty`, `reader:absent`, `alert:call_staff`."""
    return kiosk_status.statuses(session, context.clock, context.settings.kiosk_silent_after)
