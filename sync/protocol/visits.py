"""Visits: the forms one kiosk session produced, worked as one unit at reception.

A visit is keyed by the kiosk session's record id (every form of the session shares it; a
printed form's data QR carries the same id, so a paper import joins its visit). The queue
(`GET /visits`) lists one row per visit; a visit's state is derived from its forms' statuses
(`visit_state`). Staff start the review, record the identity check and finish every form of a
visit in one call each (`POST /visits/{id}/review`, `/identity`, `/complete`); one form is
still returned alone through `POST /applications/{receipt}/status`.

No SQLAlchemy, no FastAPI: the back office declares its routes with these types and the
reception terminal reads them through `sync.client`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from sync.protocol.office import ApplicationDetail, IdentityCheckPublic
from sync.protocol.vocabulary import Status


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class VisitState(StrEnum):
    """Where a visit stands, from its forms (`visit_state`)."""

    WAITING = "waiting"  # 受付待ち: every form 受付, not called yet
    CALLED = "called"  # 呼出し中: every form 受付, called to the counter
    IN_REVIEW = "in_review"  # 審査中: a form in review (or some done, the others not)
    RETURNED = "returned"  # 差戻しあり: a form returned, none in review
    DONE = "done"  # 完了: every form done

    @property
    def ja(self) -> str:
        return {
            "waiting": "受付待ち",
            "called": "呼出し中",
            "in_review": "審査中",
            "returned": "差戻しあり",
            "done": "完了",
        }[self.value]

    @property
    def en(self) -> str:
        return {
            "waiting": "waiting",
            "called": "called",
            "in_review": "in review",
            "returned": "returned",
            "done": "done",
        }[self.value]


def visit_state(statuses: Iterable[Status], called: bool) -> VisitState:
    """All done → done; a form in review → in review; a form returned → returned; some done
    and the rest waiting → in review (work has begun); all waiting → called or waiting."""
    found = set(statuses)
    if not found or found == {Status.DONE}:
        return VisitState.DONE
    if Status.IN_REVIEW in found:
        return VisitState.IN_REVIEW
    if Status.RETURNED in found:
        return VisitState.RETURNED
    if Status.DONE in found:
        return VisitState.IN_REVIEW
    return VisitState.CALLED if called else VisitState.WAITING


class VisitForm(_Out):
    """One form of a visit, as the queue shows it (metadata only: no record read)."""

    receipt_number: str
    template_id: str
    template_version: int
    status: Status
    identity_checked: bool
    has_pdf: bool = True
    return_reason: str | None = None


class VisitSummary(_Out):
    """One row of the reception queue: a visit."""

    visit_id: uuid.UUID
    call_number: str | None = None  # "A-023" when the kiosk had one
    reception_number: str = ""  # the kiosk's number on the slip ("" for paper only)
    procedures: list[str]  # template ids, in the order the forms arrived
    people: int  # persons in the session record (the household)
    state: VisitState
    since: dt.datetime  # the first form's kiosk time: the wait counts from here
    received_at: dt.datetime  # the first form's arrival at the back office
    finished_at: dt.datetime | None = None  # when the last form was done (state done)
    wait_seconds: int  # since → now on the office clock (or → finished_at), at the answer
    called_at: dt.datetime | None = None
    identity_checked: bool  # every form that is not done carries an identity check
    forms: list[VisitForm]


class VisitPage(_Out):
    total: int
    items: list[VisitSummary]
    etag: str | None = None  # also the ETag header; send it back as If-None-Match


class VisitDetail(VisitSummary):
    """A visit with every form's detail (each read audited), in the order of `forms`."""

    applications: list[ApplicationDetail]
    identity_checks: list[IdentityCheckPublic]  # the visit's checks (each once, newest last)


class VisitChanged(_Out):
    """The answer of a visit action: the visit as it is now, and the forms the action moved."""

    visit: VisitSummary
    changed: list[str]  # receipt numbers
