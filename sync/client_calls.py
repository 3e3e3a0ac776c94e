"""Groups of `OfficeClient`'s calls, mixed into it (`sync.client`): about the counter
(転入予約 reservations, call numbers, alerts and heartbeats from the kiosks, and the
configuration every role reads and admins write: routing, retention), and about visits
(reception staff). The plumbing (`send`, `answer`, `_list`, `_polled`) is OfficeClient's."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from sync.protocol.counter import (
    AlertCreate,
    AlertPublic,
    CallNumberIssued,
    CallNumberRequest,
    Heartbeat,
    RoutingEntry,
    TerminalStatus,
)
from sync.protocol.office import DocumentKind
from sync.protocol.reservations import (
    ReservationImport,
    ReservationImportReport,
    ReservationMatch,
    ReservationQuery,
)
from sync.protocol.retention import RetentionChange, RetentionPeriod, RetentionPreview
from sync.protocol.visits import VisitChanged, VisitDetail, VisitPage

if TYPE_CHECKING:
    import httpx

_ROUTING = TypeAdapter(list[RoutingEntry])
_RETENTION = TypeAdapter(list[RetentionPeriod])
_ALERTS = TypeAdapter(list[AlertPublic])
_TERMINALS = TypeAdapter(list[TerminalStatus])
_Model = TypeVar("_Model", bound=BaseModel)
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class VisitSnapshot:
    """One read of the visit queue (`OfficeClient.visits`), with its ETag for the next poll."""

    page: VisitPage
    etag: str | None


def query_params(params: dict[str, Any], **values: object) -> dict[str, Any]:
    """`params` with each value given (not None) added as text."""
    for key, value in values.items():
        if value is not None:
            params[key] = str(value)
    return params


class _Plumbing:
    """What the calls use; OfficeClient has it."""

    if TYPE_CHECKING:

        def send(self, method: str, path: str, **kw: Any) -> httpx.Response: ...

        def answer(self, model: type[_Model], method: str, path: str, **kw: Any) -> _Model: ...

        def _list(self, adapter: TypeAdapter[list[_Item]], path: str, **kw: Any) -> list[_Item]: ...

        @staticmethod
        def _parse_list(
            adapter: TypeAdapter[list[_Item]], response: httpx.Response, path: str
        ) -> list[_Item]: ...

        def _polled(
            self, model: type[_Model], path: str, params: dict[str, Any], etag: str | None
        ) -> tuple[_Model, str | None] | None: ...


class CounterCalls(_Plumbing):
    """Kiosks' calls, the counter's configuration, alerts and terminals."""

    def _sent(
        self, model: type[_Model], method: str, path: str, body: BaseModel, **kw: Any
    ) -> _Model:
        """`answer`, with `body` as the JSON sent."""
        return self.answer(model, method, path, json=body.model_dump(mode="json"), **kw)

    # -- kiosks ---------------------------------------------------------------------------

    def match_reservation(
        self, query: ReservationQuery, *, timeout: float | None = None
    ) -> ReservationMatch:
        """The resident's 転入予約 (kiosk; name AND birth date, on the office's date).
        `timeout`: seconds for this call instead of the client's (a resident is waiting)."""
        kw: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        return self._sent(ReservationMatch, "POST", "/reservations/match", query, **kw)

    def import_reservations(self, file_format: str, content: str) -> ReservationImportReport:
        """An admin imports a reservation file (all or nothing; docs/reservations.md)."""
        body = ReservationImport.model_validate({"format": file_format, "content": content})
        return self._sent(ReservationImportReport, "POST", "/reservations/import", body)

    def call_number(self, request: CallNumberRequest) -> CallNumberIssued:
        """One call number for a visit, with where each of its procedures is handled."""
        return self._sent(CallNumberIssued, "POST", "/call-numbers", request)

    def raise_alert(self, alert: AlertCreate) -> AlertPublic:
        """職員を呼ぶ, or a machine fault; sending the same id again is the same alert."""
        return self._sent(AlertPublic, "POST", "/alerts", alert)

    def heartbeat(self, beat: Heartbeat) -> None:
        self.send("POST", "/heartbeats", json=beat.model_dump(mode="json"))

    # -- the counter's configuration (every role reads, admins write) -------------------

    def routing(self) -> list[RoutingEntry]:
        return self._list(_ROUTING, "/routing")

    def set_routing(self, entries: list[RoutingEntry]) -> list[RoutingEntry]:
        body = _ROUTING.dump_python(entries, mode="json")
        response = self.send("PUT", "/routing", json=body)
        return self._parse_list(_ROUTING, response, "/routing")

    def retention(self) -> list[RetentionPeriod]:
        """Each template's declared retention and the one in force (admin)."""
        return self._list(_RETENTION, "/retention")

    def set_retention(self, template_id: str, change: RetentionChange) -> RetentionPeriod:
        """Shorten (never lengthen: 422 `retention_longer`); both None go back (admin)."""
        return self.answer(
            RetentionPeriod, "PUT", f"/retention/{template_id}", json=change.model_dump()
        )

    def retention_preview(self) -> RetentionPreview:
        """What `retention run` would erase now; changes nothing (admin)."""
        return self.answer(RetentionPreview, "GET", "/retention/preview")

    # -- reception staff ------------------------------------------------------------------

    def open_alerts(self) -> list[AlertPublic]:
        return self._list(_ALERTS, "/alerts", params={"open": "true"})

    def acknowledge_alert(self, alert_id: uuid.UUID) -> AlertPublic:
        return self.answer(AlertPublic, "POST", f"/alerts/{alert_id}/ack")

    def terminal_status(self) -> list[TerminalStatus]:
        return self._list(_TERMINALS, "/terminals/status")


class VisitCalls(_Plumbing):
    """Reception staff: the visit queue and the actions on a whole visit."""

    def visits(
        self,
        *,
        state: str | None = None,
        open_only: bool = False,
        template_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        limit: int = 500,
        etag: str | None = None,
    ) -> VisitSnapshot | None:
        """The queue, one row per visit, oldest first; None when `etag` is given and nothing
        changed."""
        params: dict[str, Any] = {"limit": limit}
        if open_only:
            params["open"] = "true"
        params = query_params(
            params, state=state, template_id=template_id, date_from=date_from, date_to=date_to
        )
        answer = self._polled(VisitPage, "/visits", params, etag)
        return None if answer is None else VisitSnapshot(*answer)

    def visit(self, visit_id: uuid.UUID | str) -> VisitDetail:
        """A visit with every form's detail (each read is audited)."""
        return self.answer(VisitDetail, "GET", f"/visits/{uuid.UUID(str(visit_id))}")

    def start_visit_review(self, visit_id: uuid.UUID | str) -> VisitChanged:
        """審査開始: every 受付 form of the visit to 審査中."""
        return self.answer(VisitChanged, "POST", f"/visits/{uuid.UUID(str(visit_id))}/review")

    def visit_identity_check(
        self, visit_id: uuid.UUID | str, document: DocumentKind | str, note: str | None = None
    ) -> VisitChanged:
        """The identity check, once for the visit (written to each form not done)."""
        return self.answer(
            VisitChanged,
            "POST",
            f"/visits/{uuid.UUID(str(visit_id))}/identity",
            json={"document": str(DocumentKind(document)), "note": note},
        )

    def call_visit(self, visit_id: uuid.UUID | str) -> VisitChanged:
        """Call the visit to the counter (every form not done)."""
        return self.answer(VisitChanged, "POST", f"/visits/{uuid.UUID(str(visit_id))}/call")

    def complete_visit(self, visit_id: uuid.UUID | str) -> VisitChanged:
        """すべて完了: every form to 完了 in one transaction, or `Refused` (409) naming the
        form that cannot."""
        return self.answer(VisitChanged, "POST", f"/visits/{uuid.UUID(str(visit_id))}/complete")
