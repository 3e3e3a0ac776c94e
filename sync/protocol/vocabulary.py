"""The words both ends of the wire share: who a caller is, and where an application stands.

The back office stores these values and enforces the transitions; the reception terminal
shows them and offers only the moves the server would accept.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    KIOSK = "kiosk"  # terminals: ingest, pull templates
    RECEPTION = "reception"  # a reception terminal's machine credential (staff sign in on it)
    CORE = "core"  # core systems: pull applications by receipt number, write status back
    STAFF = "staff"  # reception staff: queue, records, status
    ADMIN = "admin"  # templates, accounts, terminals, audit log


TERMINAL_ROLES = (Role.KIOSK, Role.CORE, Role.RECEPTION)
USER_ROLES = (Role.STAFF, Role.ADMIN, Role.CORE)
# What a terminal may be enrolled as with a one-time code (core systems are set up by hand).
ENROLMENT_ROLES = (Role.KIOSK, Role.RECEPTION)


class Status(StrEnum):
    RECEIVED = "received"  # 受付
    IN_REVIEW = "in_review"  # 審査中
    DONE = "done"  # 完了
    RETURNED = "returned"  # 差戻し

    @property
    def ja(self) -> str:
        return {"received": "受付", "in_review": "審査中", "done": "完了", "returned": "差戻し"}[
            self.value
        ]


# Which status may follow which. 完了 is final; a returned application goes back to review
# once the resident has corrected it.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.IN_REVIEW, Status.RETURNED}),
    Status.IN_REVIEW: frozenset({Status.DONE, Status.RETURNED}),
    Status.RETURNED: frozenset({Status.IN_REVIEW}),
    Status.DONE: frozenset(),
}
