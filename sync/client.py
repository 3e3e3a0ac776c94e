"""The one HTTP client of the back office, for every role: kiosk, staff, admin.

`OfficeClient(base_url, token)` speaks for a terminal (its token from enrolment);
`OfficeClient(base_url)` then `login(user, password)` for a person. Every call has a timeout;
every failure is one of `sync.errors` (one hierarchy), carrying the back office's own
Japanese/English message where it gave one. The roles are enforced by the back office: a call
the caller may not make answers `Forbidden`.

Plain http:// is accepted only to this machine (`require_secure_url`): tokens and passwords
must not cross the network unencrypted. Over https://, `ca_file` (the office CA a terminal got
at enrolment) is the only trust anchor: the system's public CAs are not consulted, the host
name is checked, and a certificate that fails raises `UntrustedServer` before anything is
sent. httpx's Client is safe to share between threads; the
reception terminal calls it from worker threads, never from the GUI thread.

The sync worker tells "try again later" (ServerUnavailable) from "stop and tell someone"
(AccessRefused, Refused, ProtocolViolation), and a failure that may be one record's doing
(ServerFailed: a 500; Refused: a 4xx; RecordsRefused: a 422 naming records) from one that is
the server's or the network's.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from sync.client_calls import (
    CounterCalls,
    VisitCalls,
    VisitSnapshot,  # noqa: F401 (re-exported: part of this module's API)
    query_params,
)
from sync.errors import (
    BadServerUrl,
    BatchTooLarge,
    CaFileError,
    Forbidden,
    InsecureServerUrl,
    NotAuthenticated,
    OfficeError,
    ProtocolViolation,
    RecordsRefused,
    Refused,
    ServerFailed,
    ServerUnavailable,
    TokenFileError,
    UntrustedServer,
)
from sync.protocol import API_PREFIX, IngestRefusal, IngestResponse, TemplateInfo
from sync.protocol.enrolment import EnrolmentCreated
from sync.protocol.office import (
    ApplicationDetail,
    ApplicationSummary,
    CallBoard,
    DocumentKind,
    IdentityCheckPublic,
    LoginResponse,
    MeasurementTotals,
    OfficeKeys,
    PaperImportResult,
    QueuePage,
    WhoAmI,
)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_TEMPLATES = TypeAdapter(list[TemplateInfo])
_TRANSIENT = frozenset({408, 425, 429})
_UNAVAILABLE = frozenset({502, 503, 504})  # gateways and availability: never about the request
Model = TypeVar("Model", bound=BaseModel)
Item = TypeVar("Item")


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (a name other than localhost is never trusted)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure_url(url: str, name: str = "server_url") -> str:
    """`url` without trailing slashes if it is https://, or http:// to a loopback address."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        raise BadServerUrl(name) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise BadServerUrl(name)
    if scheme == "http" and not is_loopback_host(host):
        raise InsecureServerUrl(host)
    return url.strip().rstrip("/")


def read_token(path: Path | str) -> str:
    """The terminal token from its file (written at enrolment), or TokenFileError."""
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise TokenFileError(path, "ありません", "missing") from None
    except (OSError, UnicodeDecodeError):
        raise TokenFileError(path, "読めません", "unreadable") from None
    if not token or any(c.isspace() for c in token):
        raise TokenFileError(path, "形式が不正です", "malformed")
    return token


def office_tls_context(ca_file: Path | str) -> ssl.SSLContext:
    """TLS 1.2+ that trusts only the office CA in `ca_file`, with host names checked.

    PROTOCOL_TLS_CLIENT starts with no trusted CA at all (no system store), CERT_REQUIRED and
    check_hostname on; the office CA is the one anchor added."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_verify_locations(cafile=str(ca_file))
    except FileNotFoundError:
        raise CaFileError(ca_file, "ありません", "missing") from None
    except (ssl.SSLError, OSError, ValueError):
        raise CaFileError(
            ca_file, "読めないか証明書ではありません", "unreadable or not a certificate"
        ) from None
    if not context.get_ca_certs():
        raise CaFileError(ca_file, "証明書を含みません", "holds no certificate")
    return context


def _untrusted(exc: BaseException) -> UntrustedServer | None:
    """The certificate failure behind an httpx connection error, if that is what it was."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return UntrustedServer(seen.verify_message or "verification failed")
        seen = seen.__cause__ or seen.__context__
    return None


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


def _parsed(model: type[Model], response: httpx.Response, what: str) -> Model:
    """The body as `model`; ProtocolViolation(`what`) when it is not one."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise ProtocolViolation(what) from None


def error_from(response: httpx.Response, *, terminal: bool = False) -> OfficeError:
    """The typed error for a refusal (status ≥ 400).

    A person is shown the back office's own message; a terminal's refusal names the HTTP
    status and the server's code, for whoever reads the kiosk's log and status.
    """
    status = response.status_code
    if status >= 500 and status not in _UNAVAILABLE:
        return ServerFailed(status)  # about this request, perhaps one record of it
    if status >= 500 or status in _TRANSIENT:
        return ServerUnavailable(f"HTTP {status}", status=status)
    if status == 413:
        return BatchTooLarge()
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    code = _server_code(body)
    said = f"HTTP {status} {code}".rstrip()
    if terminal and status in (401, 403):
        ja = f"この端末は窓口サーバーに拒否されました（{said}）。端末の登録を確認してください"
        en = f"the back office refused this terminal ({said}); check its registration"
    elif terminal or not {"ja", "en"} <= set(body):
        ja = f"窓口サーバーが受け付けません（{said}）"
        en = f"the back office refused ({said})"
    else:
        ja, en = str(body["ja"]), str(body["en"])
    if status == 401:
        return NotAuthenticated(ja, en, status=status, server_code=code)
    if status == 403:
        return Forbidden(ja, en, status=status, server_code=code)
    problems = [str(p) for p in body.get("problems") or []]
    refused = Refused(ja, en, status=status, server_code=code, problems=problems)
    refused.body = response.content  # codes and field names, never personal data
    return refused


def _refusal(exc: Refused) -> IngestRefusal | None:
    """A 422 from ingest that names the records at fault, if that is what it is."""
    if exc.status != 422 or not exc.body:
        return None
    try:
        return IngestRefusal.model_validate_json(exc.body)
    except ValidationError:
        return None


def _server_code(body: dict[str, Any]) -> str:
    """The machine code of an error body (bodies carry no personal data)."""
    for key in ("code", "detail"):
        value = body.get(key)
        if isinstance(value, str):
            return value[:80]
        if isinstance(value, dict) and isinstance(value.get("code"), str):
            return str(value["code"])[:80]
    return ""


class OfficeClient(CounterCalls, VisitCalls):
    """One back office, one caller (a terminal token, or a person after `login`)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        ca_file: Path | str | None = None,
    ) -> None:
        """`ca_file`: the office CA, the only certificate authority trusted over https://
        (terminals pass the one from their enrolment). Without it, the system's CAs."""
        self.base_url = require_secure_url(base_url, "base_url")
        verify: ssl.SSLContext | bool = True
        if ca_file is not None:
            verify = office_tls_context(ca_file)
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            verify=verify,
        )
        self._token = token
        self._terminal = token is not None  # a terminal's own credential, not a person's
        self.signed_in: SignedIn | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:  # never the token
        who = self.signed_in.username if self.signed_in else None
        return f"{type(self).__name__}({self.base_url!r}, user={who!r})"

    def close(self) -> None:
        self._http.close()

    # -- plumbing -------------------------------------------------------------------------

    def send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """One request with the caller's token; a refusal raised as a typed error.

        A 304 is returned as is (for conditional GETs)."""
        headers = dict(kw.pop("headers", None) or {})
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._http.request(method, path, headers=headers, **kw)
        except httpx.TimeoutException:
            raise ServerUnavailable("timeout") from None
        except httpx.TransportError as exc:
            untrusted = _untrusted(exc)
            if untrusted is not None:
                raise untrusted from None
            raise ServerUnavailable(type(exc).__name__) from None
        if response.status_code >= 400:
            raise error_from(response, terminal=self._terminal)
        return response

    def answer(self, model: type[Model], method: str, path: str, **kw: Any) -> Model:
        """`send`, and the body parsed as `model` (ProtocolViolation if it is not one)."""
        return _parsed(model, self.send(method, path, **kw), f"{path}: not a {model.__name__}")

    def _polled(
        self, model: type[Model], path: str, params: dict[str, Any], etag: str | None
    ) -> tuple[Model, str | None] | None:
        """A conditional GET: the page and its ETag, or None when `etag` still holds (304)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self.send("GET", path, params=params, headers=headers)
        if response.status_code == 304:
            return None
        return _parsed(model, response, path.strip("/")), response.headers.get("ETag")

    def _list(self, adapter: TypeAdapter[list[Item]], path: str, **kw: Any) -> list[Item]:
        return self._parse_list(adapter, self.send("GET", path, **kw), path)

    @staticmethod
    def _parse_list(
        adapter: TypeAdapter[list[Item]], response: httpx.Response, path: str
    ) -> list[Item]:
        try:
            return adapter.validate_json(response.content)
        except ValidationError:
            raise ProtocolViolation(f"{path}: malformed list") from None

    # -- a person's session (staff, admins) ----------------------------------------------

    def login(self, username: str, password: str) -> SignedIn:
        answer = self.answer(
            LoginResponse, "POST", "/auth/login", json={"username": username, "password": password}
        )
        self._token = answer.token
        self.signed_in = SignedIn(username, answer.role.value, answer.expires_at)
        return self.signed_in

    def logout(self) -> None:
        """End the session on the server (best effort) and forget the token."""
        try:
            if self._token is not None:
                self.send("POST", "/auth/logout")
        except OfficeError:
            pass
        finally:
            self._token = None
            self.signed_in = None

    def whoami(self) -> WhoAmI:
        return self.answer(WhoAmI, "GET", "/auth/me")

    # -- admins: one-time enrolment codes ----------------------------------------------------

    def create_enrolment(self, name: str, role: str) -> EnrolmentCreated:
        """A one-time code for a new kiosk or reception terminal (10 minutes, once)."""
        return self.answer(
            EnrolmentCreated, "POST", "/enrolments", json={"name": name, "role": role}
        )

    # -- the office key (every role) -----------------------------------------------------

    def office_keys(self) -> OfficeKeys:
        """The key to seal new records to, and the office's key history (kiosks: sync)."""
        return self.answer(OfficeKeys, "GET", "/office-keys")

    # -- templates (every role) -----------------------------------------------------------

    def templates(self) -> list[TemplateInfo]:
        return self._list(_TEMPLATES, "/templates")

    def template_bytes(self, template_id: str, version: int) -> bytes:
        return self.send("GET", f"/templates/{template_id}/{version}").content

    def publish_template(self, yaml_text: str) -> TemplateInfo:
        """POST a new version (admins). A refusal is `Refused` with every problem (422)."""
        return self.answer(
            TemplateInfo,
            "POST",
            "/templates",
            content=yaml_text.encode("utf-8"),
            headers={"Content-Type": "text/yaml; charset=utf-8"},
        )

    # -- kiosks ---------------------------------------------------------------------------

    def ingest(self, bodies: list[str]) -> IngestResponse:
        """POST one batch. `bodies` are stored IngestRecord JSON texts, sent unchanged."""
        payload = ('{"records":[' + ",".join(bodies) + "]}").encode("utf-8")
        try:
            response = self.send(
                "POST", "/ingest", content=payload, headers={"Content-Type": "application/json"}
            )
        except Refused as exc:
            refusal = _refusal(exc)
            if refusal is not None and refusal.results:
                raise RecordsRefused(refusal) from None
            raise
        return _parsed(IngestResponse, response, "ingest response is not an IngestResponse")

    # -- reception staff (alerts and terminals: `CounterCalls`) --------------------------

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
        params = query_params(
            {"limit": limit},
            status=status,
            template_id=template_id,
            date_from=date_from,
            date_to=date_to,
        )
        answer = self._polled(QueuePage, "/applications", params, etag)
        return None if answer is None else QueueSnapshot(*answer)

    def application(self, receipt_number: str) -> ApplicationDetail:
        return self.answer(ApplicationDetail, "GET", f"/applications/{receipt_number}")

    def pdf(self, receipt_number: str) -> bytes:
        return self.send("GET", f"/applications/{receipt_number}/pdf").content

    def change_status(
        self, receipt_number: str, status: str, reason: str | None = None
    ) -> ApplicationSummary:
        return self.answer(
            ApplicationSummary,
            "POST",
            f"/applications/{receipt_number}/status",
            json={"status": status, "reason": reason},
        )

    def identity_check(
        self, receipt_number: str, document: DocumentKind | str, note: str | None = None
    ) -> IdentityCheckPublic:
        return self.answer(
            IdentityCheckPublic,
            "POST",
            f"/applications/{receipt_number}/identity-checks",
            json={"document": str(DocumentKind(document)), "note": note},
        )

    def call(self, receipt_number: str) -> ApplicationSummary:
        """Call the resident to the counter (お呼び出し on the call board)."""
        return self.answer(ApplicationSummary, "POST", f"/applications/{receipt_number}/call")

    def export_csv(self, template_id: str, status: str | None = None) -> bytes:
        """The template's CSV for the core systems (its `export:` mapping), as UTF-8 bytes."""
        params = {"format": "csv", "template_id": template_id}
        if status is not None:
            params["status"] = status
        return self.send("GET", "/export", params=params).content

    def import_paper(self, digits: str) -> PaperImportResult:
        """Scan a printed form's data QR back in: opens it, or imports it once."""
        return self.answer(PaperImportResult, "POST", "/paper-imports", json={"digits": digits})

    def measurement_totals(self, date_from: dt.date, date_to: dt.date) -> MeasurementTotals:
        params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
        return self.answer(MeasurementTotals, "GET", "/measurements", params=params)

    # -- public ---------------------------------------------------------------------------

    def call_board(self) -> CallBoard:
        """Today's reception numbers and states (no sign-in needed; no names)."""
        return self.answer(CallBoard, "GET", "/call-board")
