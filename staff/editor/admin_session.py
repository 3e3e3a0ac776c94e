"""The editor's signed-in admin session: the back-office client, and every call to it on the
office lane (`staff.background`), its outcome back on the GUI thread.

The window owns one session; `forget()` signs out in the background, `shutdown()` stops the
lanes, waiting with a timeout. Errors are shown as "ja / en" (`message`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from staff.background import OFFICE
from staff.editor.admin_api import AdminApi
from sync.client import require_secure_url

OFFICE_LANE = OFFICE
SHUTDOWN_WAIT_MS = 3000

ApiFactory = Callable[[str], AdminApi]
Call = Callable[[AdminApi], Any]


def message(error: MadoguchiError) -> str:
    return f"{error.ja} / {error.en}"


class AdminSession:
    def __init__(self, api_factory: ApiFactory, operations: Lanes) -> None:
        self._api_factory = api_factory
        self.operations = operations
        self.api: AdminApi | None = None

    def call(
        self,
        call: Call,
        on_success: Callable[[Any], None],
        on_failure: Callable[[MadoguchiError], None],
    ) -> None:
        """Run `call(api)` on the office lane; nothing when no one is signed in."""
        api = self.api
        if api is None:
            return
        self.operations.run(
            OFFICE_LANE, lambda: call(api), on_success=on_success, on_failure=on_failure
        )

    @property
    def calling(self) -> bool:
        """A back-office call is under way."""
        return self.operations.busy(OFFICE_LANE)

    def sign_in(
        self,
        server: str,
        username: str,
        password: str,
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        """Sign in as an admin; `done(who)` once the session holds the client, or `failed(text)`."""
        try:
            api = self._api_factory(require_secure_url(server, "server"))
        except MadoguchiError as exc:
            failed(message(exc))
            return

        def signed_in(who: Any) -> None:
            self.api = api
            done(who)

        def refused(error: MadoguchiError) -> None:
            api.close()
            failed(message(error))

        self.operations.run(
            OFFICE_LANE,
            lambda: api.sign_in_admin(username, password),
            on_success=signed_in,
            on_failure=refused,
        )

    def forget(self) -> bool:
        """Drop the signed-in client and log it out in the background; False if there was none."""
        api, self.api = self.api, None
        if api is None:
            return False
        self.operations.run(
            OFFICE_LANE,
            lambda: _logout(api),
            on_success=lambda _r: None,
            on_failure=lambda _e: None,
        )
        return True

    def shutdown(self) -> None:
        """Sign out and stop background work (waits at most SHUTDOWN_WAIT_MS per lane)."""
        if self.forget():
            self.operations.wait_idle(SHUTDOWN_WAIT_MS)
        self.operations.shutdown(SHUTDOWN_WAIT_MS)


def _logout(api: AdminApi) -> None:
    try:
        api.logout()
    finally:
        api.close()
