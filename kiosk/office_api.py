"""A Qt-free client of the back office for people (reception staff, admins), over httpx.

`OfficeApi(base_url)` logs in with a username and password and keeps the session token; every
call has a timeout, and every failure becomes one of the typed errors below, carrying the back
office's own Japanese/English message (`{code, ja, en}` bodies). The roles are enforced by the
back office: a call the signed-in role may not make answers `Forbidden`.

The reception terminal calls the staff methods from worker threads (never the GUI thread);
the template editor subclasses `OfficeApi` for the admin calls, building on `_request`.
httpx's Client is safe to share between threads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from backoffice.schemas import (
    ApplicationDetail,
    ApplicationSummary,
    CallBoard,
    DocumentKind,
    IdentityCheckPublic,
    LoginResponse,
    MeasurementTotals,
    PaperImportResult,
    QueuePage,
    WhoAmI,
)
from forms.errors import MadoguchiError
from sync.protocol import API_PREFIX, TemplateInfo
from sync.settings import require_secure_url

DEFAULT_TIMEOUT = 10.0
_TEMPLATES = TypeAdapter(list[TemplateInfo])


class OfficeApiError(MadoguchiError):
    """Base of the client's errors. `server_code` is the back office's `code`, if it said one."""

    code = "office_api"

    def __init__(
        self, ja: str, en: str, *, status: int | None = None, server_code: str = ""
    ) -> None:
        super().__init__(ja, en)
        self.status = status
        self.server_code = server_code


class OfficeUnavailable(OfficeApiError):
    """No connection, a timeout, or a 5xx: try again later."""

    code = "office_unavailable"

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(
            f"窓口サーバーに接続できません（{reason}）",
            f"the back office is unavailable ({reason})",
            status=status,
        )


class NotAuthenticated(OfficeApiError):
    """401: not signed in, a wrong password, or the session expired."""

    code = "not_authenticated"


class Forbidden(OfficeApiError):
    """403: the signed-in role may not do this (the back office decides, not the GUI)."""

    code = "forbidden"


class Refused(OfficeApiError):
    """Any other 4xx: the back office refused the request; `problems` lists every reason."""

    code = "refused"

    def __init__(
        self, ja: str, en: str, *, status: int, server_code: str, problems: list[str]
    ) -> None:
        super().__init__(ja, en, status=status, server_code=server_code)
        self.problems = problems


class BadAnswer(OfficeApiError):
    """A 2xx whose body is not what the API promises."""

    code = "bad_answer"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"窓口サーバーの応答が不正です（{what}）", f"the back office answered badly ({what})"
        )


@dataclass(frozen=True)
class SignedIn:
    username: str
    role: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class QueueSnapshot:
    """One read of the queue. `etag` goes back with the next poll so an unchanged queue
    costs one small query on the server and a 304 here."""

    page: QueuePage
    etag: str | None


def _error_from(response: httpx.Response) -> OfficeApiError:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not {"ja", "en"} <= set(body):
        body = {"code": f"http_{status}", "ja": f"HTTP {status}", "en": f"HTTP {status}"}
    ja, en, code = str(body["ja"]), str(body["en"]), str(body.get("code", ""))
    problems = [str(p) for p in body.get("problems") or []]
    if status >= 500:
        return OfficeUnavailable(f"HTTP {status}", status=status)
    if status == 401:
        return NotAuthenticated(ja, en, status=status, server_code=code)
    if status == 403:
        return Forbidden(ja, en, status=status, server_code=code)
    return Refused(ja, en, status=status, server_code=code, problems=problems)


class OfficeApi:
    """One back office, one signed-in person. Close it (or use `with`) when done."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        # Plain http:// only to this machine: the password and the session token go over it.
        self.base_url = require_secure_url(base_url, "base_url").rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            follow_redirects=False,
        )
        self._token: str | None = None
        self.signed_in: SignedIn | None = None

    def __enter__(self) -> OfficeApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:  # never the token
        who = self.signed_in.username if self.signed_in else None
        return f"{type(self).__name__}({self.base_url!r}, user={who!r})"

    def close(self) -> None:
        self._http.close()

    # -- plumbing -------------------------------------------------------------------------

    def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """One request with the session token; any refusal raised as a typed error.

        A 304 is returned as is (for conditional GETs)."""
        headers = dict(kw.pop("headers", None) or {})
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._http.request(method, path, headers=headers, **kw)
        except httpx.TimeoutException:
            raise OfficeUnavailable("timeout") from None
        except httpx.TransportError as exc:
            raise OfficeUnavailable(type(exc).__name__) from None
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def _request(self, method: str, path: str, **kw: Any) -> Any:
        """`_send` and the parsed JSON body (None for 204)."""
        response = self._send(method, path, **kw)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise BadAnswer("JSON") from None

    @staticmethod
    def _parse(model: Any, value: Any, what: str) -> Any:
        try:
            if isinstance(model, TypeAdapter):
                return model.validate_python(value)
            return model.model_validate(value)
        except ValidationError:
            raise BadAnswer(what) from None

    # -- session --------------------------------------------------------------------------

    def login(self, username: str, password: str) -> SignedIn:
        body = self._request(
            "POST", "/auth/login", json={"username": username, "password": password}
        )
        answer: LoginResponse = self._parse(LoginResponse, body, "login")
        self._token = answer.token
        self.signed_in = SignedIn(username, answer.role.value, answer.expires_at)
        return self.signed_in

    def logout(self) -> None:
        """End the session on the server (best effort) and forget the token."""
        try:
            if self._token is not None:
                self._request("POST", "/auth/logout")
        except OfficeApiError:
            pass
        finally:
            self._token = None
            self.signed_in = None

    def whoami(self) -> WhoAmI:
        return self._parse(WhoAmI, self._request("GET", "/auth/me"), "auth/me")

    # -- templates (staff and admins) -----------------------------------------------------

    def templates(self) -> list[TemplateInfo]:
        return self._parse(_TEMPLATES, self._request("GET", "/templates"), "templates")

    def template_yaml(self, template_id: str, version: int) -> str:
        return self._send("GET", f"/templates/{template_id}/{version}").text

    # -- reception staff ------------------------------------------------------------------

    def queue(
        self,
        *,
        status: str | None = None,
        template_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        limit: int = 500,
        etag: str | None = None,
    ) -> QueueSnapshot | None:
        """The queue, oldest first; None when `etag` is given and nothing changed."""
        params: dict[str, Any] = {"limit": limit}
        for key, value in (
            ("status", status),
            ("template_id", template_id),
            ("date_from", date_from),
            ("date_to", date_to),
        ):
            if value is not None:
                params[key] = str(value)
        headers = {"If-None-Match": etag} if etag else None
        response = self._send("GET", "/applications", params=params, headers=headers)
        if response.status_code == 304:
            return None
        try:
            page = QueuePage.model_validate_json(response.content)
        except ValidationError:
            raise BadAnswer("applications") from None
        return QueueSnapshot(page, response.headers.get("ETag"))

    def application(self, receipt_number: str) -> ApplicationDetail:
        body = self._request("GET", f"/applications/{receipt_number}")
        return self._parse(ApplicationDetail, body, "application")

    def pdf(self, receipt_number: str) -> bytes:
        return self._send("GET", f"/applications/{receipt_number}/pdf").content

    def change_status(
        self, receipt_number: str, status: str, reason: str | None = None
    ) -> ApplicationSummary:
        body = self._request(
            "POST",
            f"/applications/{receipt_number}/status",
            json={"status": status, "reason": reason},
        )
        return self._parse(ApplicationSummary, body, "status")

    def identity_check(
        self, receipt_number: str, document: DocumentKind | str, note: str | None = None
    ) -> IdentityCheckPublic:
        body = self._request(
            "POST",
            f"/applications/{receipt_number}/identity-checks",
            json={"document": str(DocumentKind(document)), "note": note},
        )
        return self._parse(IdentityCheckPublic, body, "identity check")

    def call(self, receipt_number: str) -> ApplicationSummary:
        """Call the resident to the counter (お呼び出し on the call board)."""
        body = self._request("POST", f"/applications/{receipt_number}/call")
        return self._parse(ApplicationSummary, body, "call")

    def export_csv(self, template_id: str, status: str | None = None) -> bytes:
        """The template's CSV for the core systems (its `export:` mapping), as UTF-8 bytes."""
        params = {"format": "csv", "template_id": template_id}
        if status is not None:
            params["status"] = status
        return self._send("GET", "/export", params=params).content

    def import_paper(self, digits: str) -> PaperImportResult:
        """Scan a printed form's data QR back in: opens it, or imports it once."""
        body = self._request("POST", "/paper-imports", json={"digits": digits})
        return self._parse(PaperImportResult, body, "paper import")

    def measurement_totals(self, date_from: dt.date, date_to: dt.date) -> MeasurementTotals:
        params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
        body = self._request("GET", "/measurements", params=params)
        return self._parse(MeasurementTotals, body, "measurements")

    # -- public ---------------------------------------------------------------------------

    def call_board(self) -> CallBoard:
        """Today's reception numbers and states (no sign-in needed; no names)."""
        return self._parse(CallBoard, self._request("GET", "/call-board"), "call board")


__all__ = [
    "BadAnswer",
    "Forbidden",
    "NotAuthenticated",
    "OfficeApi",
    "OfficeApiError",
    "OfficeUnavailable",
    "QueueSnapshot",
    "Refused",
    "SignedIn",
]
