"""The kiosk's HTTP client for the back office, authenticated with the terminal's token.

Every call has a timeout (httpx); every failure becomes one of the typed errors below so the
worker can tell "try again later" (ServerUnavailable) from "stop and tell someone"
(TerminalRefused, BatchRefused, ProtocolViolation), and a failure that may be one record's
doing (ServerFailed: a 500; BatchRefused: a 4xx; RecordsRefused: a 422 naming records) from
one that is the server's or the network's.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from pydantic import TypeAdapter, ValidationError

from forms.errors import MadoguchiError
from sync.protocol import API_PREFIX, IngestRefusal, IngestResponse, TemplateInfo

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_TEMPLATE_LIST = TypeAdapter(list[TemplateInfo])


class SyncError(MadoguchiError):
    code = "sync"


class ServerUnavailable(SyncError):
    """Transient: no connection, timeout, cut or reset, 5xx, 429. Retry with backoff."""

    code = "server_unavailable"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"窓口サーバーに接続できません（{reason}）",
            f"the back office is unavailable ({reason})",
        )
        self.reason = reason


class ServerFailed(ServerUnavailable):
    """A 5xx that is not about availability (500, 501, 505…): the server failed on this
    request, perhaps on one record of it. The worker splits the batch to find out."""

    code = "server_failed"

    def __init__(self, status: int) -> None:
        SyncError.__init__(
            self,
            f"窓口サーバーで処理エラーが発生しました（HTTP {status}）",
            f"the back office failed on the request (HTTP {status})",
        )
        self.reason = f"HTTP {status}"
        self.status = status


class TerminalRefused(SyncError):
    """401/403: the terminal's credential is missing, wrong or revoked."""

    code = "terminal_refused"

    def __init__(self, status: int) -> None:
        super().__init__(
            f"この端末は窓口サーバーに拒否されました（HTTP {status}）。端末の登録を確認してください",
            f"the back office refused this terminal (HTTP {status}); check its registration",
        )
        self.status = status


class BatchTooLarge(SyncError):
    code = "batch_too_large"

    def __init__(self) -> None:
        super().__init__("送信単位が大きすぎます", "the batch is too large for the server")


class BatchRefused(SyncError):
    """A 4xx for the whole batch: a protocol mismatch, not one bad record. Nothing is marked."""

    code = "batch_refused"

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(
            f"窓口サーバーが送信を受け付けません（HTTP {status} {detail}）",
            f"the back office refused the batch (HTTP {status} {detail})",
        )
        self.status = status
        self.detail = detail
        self.body = b""  # the error body (codes and field names, no personal data)


class RecordsRefused(BatchRefused):
    """A 422 from ingest naming the records at fault (`IngestRefusal`): nothing was stored;
    those records are set aside and the rest resent."""

    code = "records_refused"

    def __init__(self, refusal: IngestRefusal) -> None:
        super().__init__(422, refusal.code)
        self.refusal = refusal


class ProtocolViolation(SyncError):
    """A 2xx whose body is not a valid answer to what was sent. Nothing is marked sent."""

    code = "protocol_violation"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"窓口サーバーの応答が不正です（{reason}）",
            f"the back office answered something invalid ({reason})",
        )
        self.reason = reason


class TokenFileError(SyncError):
    code = "token_file"

    def __init__(self, path: Path | str, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"端末トークン {path} を使えません（{reason_ja}）",
            f"terminal token file {path} is not usable ({reason_en})",
        )


def read_token(path: Path | str) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise TokenFileError(path, "ありません", "missing") from None
    except (OSError, UnicodeDecodeError):
        raise TokenFileError(path, "読めません", "unreadable") from None
    if not token or any(c.isspace() for c in token):
        raise TokenFileError(path, "形式が不正です", "malformed")
    return token


class BackofficeClient:
    """One back office, one terminal token. Not thread-safe; one per worker."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:  # never the token
        return f"BackofficeClient({self.base_url})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BackofficeClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ingest(self, bodies: list[str]) -> IngestResponse:
        """POST one batch. `bodies` are stored IngestRecord JSON texts, sent unchanged."""
        payload = ('{"records":[' + ",".join(bodies) + "]}").encode("utf-8")
        try:
            response = self._request(
                "POST",
                f"{API_PREFIX}/ingest",
                content=payload,
                headers={"Content-Type": "application/json"},
            )
        except BatchRefused as exc:
            refusal = _refusal(exc)
            if refusal is not None and refusal.results:
                raise RecordsRefused(refusal) from None
            raise
        try:
            return IngestResponse.model_validate_json(response.content)
        except ValidationError:
            raise ProtocolViolation("ingest response is not an IngestResponse") from None

    def list_templates(self) -> list[TemplateInfo]:
        response = self._request("GET", f"{API_PREFIX}/templates")
        try:
            return _TEMPLATE_LIST.validate_json(response.content)
        except ValidationError:
            raise ProtocolViolation("template list is malformed") from None

    def fetch_template(self, template_id: str, version: int) -> bytes:
        return self._request("GET", f"{API_PREFIX}/templates/{template_id}/{version}").content

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise ServerUnavailable("timeout") from None
        except httpx.TransportError as exc:
            raise ServerUnavailable(type(exc).__name__) from None
        status = response.status_code
        if 200 <= status < 300:
            return response
        if status in (401, 403):
            raise TerminalRefused(status)
        if status == 413:
            raise BatchTooLarge()
        if status >= 500 and status not in _UNAVAILABLE:
            raise ServerFailed(status)
        if status >= 500 or status in (408, 425, 429):
            raise ServerUnavailable(f"HTTP {status}")
        refused = BatchRefused(status, _error_code(response))
        refused.body = response.content
        raise refused


# Gateway and availability answers: about the server, never about what was sent.
_UNAVAILABLE = (502, 503, 504)


def _refusal(exc: BatchRefused) -> IngestRefusal | None:
    if exc.status != 422 or not exc.body:
        return None
    try:
        return IngestRefusal.model_validate_json(exc.body)
    except ValidationError:
        return None


def _error_code(response: httpx.Response) -> str:
    """The machine code from an error body, if there is one (bodies carry no personal data)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("code", "detail"):
            value = body.get(key)
            if isinstance(value, str):
                return value[:80]
            if isinstance(value, dict) and isinstance(value.get("code"), str):
                return str(value["code"])[:80]
    return ""
