"""A stand-in for the back office's counter endpoints (`sync.protocol.counter`), served through
an httpx MockTransport, for tests that run before or without the real back office.

It behaves as the contract says: one call number per visit from letter "A" per office day,
routing for the procedures asked, alerts kept once by id. `down = True` makes every request
fail to connect, as a back office out of reach does.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import httpx

from sync.protocol import API_PREFIX
from sync.protocol.counter import AlertCreate, RoutingEntry, format_call_number

ROUTING = [
    RoutingEntry(template_id="idou", counter="3", section_ja="市民課 住民記録係", section_en="Residents' records"),
    RoutingEntry(template_id="kokuho", counter="7", section_ja="保険年金課", section_en="Health insurance and pensions"),
    RoutingEntry(template_id="jidou_teate", counter="9", section_ja="子育て支援課", section_en="Child support"),
    RoutingEntry(template_id="juminhyo", counter="1", section_ja="市民課 証明係", section_en="Certificates"),
    RoutingEntry(template_id="inkan", counter="1", section_ja="市民課 証明係", section_en="Certificates"),
]  # fmt: skip


@dataclass
class FakeCounterOffice:
    day: dt.date = dt.date(2026, 12, 2)
    down: bool = False
    issued: dict[str, str] = field(default_factory=dict)  # visit → number
    alerts: dict[str, dict] = field(default_factory=dict)  # id → body
    requests: list[str] = field(default_factory=list)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if self.down:
            raise httpx.ConnectError("the back office is down", request=request)
        path = request.url.path.removeprefix(API_PREFIX)
        routes = {r.template_id: r for r in ROUTING}
        if request.method == "POST" and path == "/call-numbers":
            body = json.loads(request.content)
            number = self.issued.setdefault(
                body["visit"], format_call_number("A", len(self.issued) + 1)
            )
            routing = [
                routes.get(t, RoutingEntry(template_id=t, counter="2", section_ja="総合案内", section_en="Information")).model_dump()
                for t in body["procedures"]
            ]  # fmt: skip
            return httpx.Response(
                200, json={"call_number": number, "day": self.day.isoformat(), "routing": routing}
            )
        if request.method == "GET" and path == "/auth/me":
            return httpx.Response(
                200,
                json={
                    "kind": "terminal",
                    "name": "kiosk-1",
                    "role": "kiosk",
                    "offline_letter": "Z",
                },
            )
        if request.method == "GET" and path == "/routing":
            return httpx.Response(200, json=[r.model_dump() for r in ROUTING])
        if request.method == "POST" and path == "/alerts":
            alert = AlertCreate.model_validate_json(request.content)
            body = self.alerts.setdefault(
                str(alert.id),
                {
                    **json.loads(alert.model_dump_json()),
                    "kiosk": "demo-kiosk",
                    "received_at": "2026-12-02T03:00:00Z",
                },
            )
            return httpx.Response(200, json=body)
        return httpx.Response(404, json={"detail": "not found"})
