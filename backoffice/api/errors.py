"""Every refusal answers JSON `{code, ja, en}` (and `problems` where there are several)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from backoffice.errors import BackofficeError, DatabaseUnavailable
from backoffice.services.ingest import record_refusals
from forms.errors import MadoguchiError
from sync.protocol import API_PREFIX

log = logging.getLogger(__name__)

_HTTP_TEXT = {
    400: ("リクエストが不正です", "bad request"),
    401: ("認証が必要です", "authentication required"),
    403: ("権限がありません", "forbidden"),
    404: ("見つかりません", "not found"),
    405: ("このメソッドは使えません", "method not allowed"),
    413: ("送信データが大きすぎます", "request body too large"),
    415: ("この形式は受け付けません", "unsupported media type"),
}


_INGEST_PATH = f"{API_PREFIX}/ingest"


def error_response(status: int, body: dict[str, object]) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _problems(exc: RequestValidationError) -> tuple[str, list[str]]:
    problems = []
    code = "invalid_request"
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            code = "malformed_json"
        where = ".".join(str(p) for p in err.get("loc", ()))
        problems.append(f"{where}: {err.get('msg', '')}")
    return code, problems


def _is_operational(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def install(app: FastAPI) -> None:
    @app.exception_handler(BackofficeError)
    async def _backoffice(_request: Request, exc: BackofficeError) -> JSONResponse:
        return error_response(exc.http_status, exc.body())

    @app.exception_handler(MadoguchiError)
    async def _domain(_request: Request, exc: MadoguchiError) -> JSONResponse:
        return error_response(400, {"code": exc.code, "ja": exc.ja, "en": exc.en})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, problems = _problems(exc)
        log.info("refused %s %s: %s", request.method, request.url.path, code)
        if code == "malformed_json":
            ja, en = "JSON の構文が正しくありません", "the body is not well-formed JSON"
        else:
            ja, en = "リクエストの内容が正しくありません", "the request does not match its schema"
        body: dict[str, object] = {"code": code, "ja": ja, "en": en, "problems": problems}
        if request.url.path == _INGEST_PATH and request.method == "POST":
            # One REJECTED per record at fault, so the kiosk sets exactly those aside.
            body["results"] = [
                r.model_dump(mode="json") for r in record_refusals(exc.errors(), exc.body)
            ]
        return error_response(422, body)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        # Connection lost, server down, lock timeout…: retryable, and the transaction did
        # not commit. Logged by type only (hide_parameters keeps values out, but be sure).
        if not exc.connection_invalidated and not _is_operational(exc):
            raise exc
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(exc.orig).__name__,
        )
        error = DatabaseUnavailable()
        return error_response(error.http_status, error.body())

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        ja, en = _HTTP_TEXT.get(exc.status_code, ("エラー", "error"))
        return error_response(
            exc.status_code, {"code": f"http_{exc.status_code}", "ja": ja, "en": en}
        )
