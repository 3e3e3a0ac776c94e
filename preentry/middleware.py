"""ASGI middleware of the site: security headers, rate limit, body limit, and a safety net.

Written as plain ASGI (not BaseHTTPMiddleware) so a request body is never buffered twice and
a refusal is sent before the body is read.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from forms.errors import MadoguchiError
from preentry.ratelimit import TokenBucketLimiter

log = logging.getLogger("preentry")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# Renders the HTML error page of a status and an error.
ErrorPage = Callable[[int, MadoguchiError], bytes]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class RateLimited(MadoguchiError):
    code = "rate_limited"

    def __init__(self) -> None:
        super().__init__(
            "アクセスが集中しています。しばらく待ってからもう一度お試しください",
            "too many requests; please wait a moment and try again",
        )


class BodyTooLarge(MadoguchiError):
    code = "body_too_large"

    def __init__(self) -> None:
        super().__init__("送信された内容が大きすぎます", "the data sent is too large")


class InternalError(MadoguchiError):
    code = "internal"

    def __init__(self) -> None:
        super().__init__(
            "問題が発生しました。もう一度お試しください", "something went wrong; please try again"
        )


async def send_page(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the headers every response carries; pages are never cached (they may hold data)."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (
                b"permissions-policy",
                b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
            ),
        ]
        if https:
            self.headers.append((b"strict-transport-security", b"max-age=63072000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"cache-control", b"pragma")
                ]
                headers.extend(self.headers)
                if static:
                    headers.append((b"cache-control", b"public, max-age=3600"))
                else:
                    headers.extend([(b"cache-control", b"no-store"), (b"pragma", b"no-cache")])
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class SafetyNet:
    """Turns an unexpected exception into a 500 page and logs only its type.

    Exception texts can carry what the resident typed; the server's own error logging would
    print them, so they never get that far.
    """

    def __init__(self, app: ASGIApp, page: ErrorPage) -> None:
        self.app = app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error("unexpected %s on %s", type(exc).__name__, scope.get("path", "?"))
            if not started:
                await send_page(send, 500, self.page(500, InternalError()), [])


class RateLimiter:
    """Answers 429 with a clear page once a client has used up its bucket."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: TokenBucketLimiter,
        page: ErrorPage,
        *,
        trust_forwarded_for: bool,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.page = page
        self.trust_forwarded_for = trust_forwarded_for

    def client_of(self, scope: Scope) -> str:
        if self.trust_forwarded_for:
            for key, value in scope.get("headers", []):
                if key == b"x-forwarded-for":
                    # the right-most hop is the one our own proxy added
                    return value.decode("latin-1").split(",")[-1].strip()
        client = scope.get("client")
        return client[0] if client else "-"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wait = self.limiter.take(self.client_of(scope))
        if wait > 0:
            log.info("rate limited a client")
            retry = self.limiter.retry_after_header(wait).encode()
            await send_page(send, 429, self.page(429, RateLimited()), [(b"retry-after", retry)])
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuses bodies over `limit` bytes: by Content-Length at once, else while reading."""

    def __init__(self, app: ASGIApp, limit: int, page: ErrorPage) -> None:
        self.app = app
        self.limit = limit
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await send_page(send, 413, self.page(413, BodyTooLarge()), [])
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


class ProxyScheme:
    """Behind a TLS-terminating proxy (`--https`) every request is https, whatever the
    proxy-to-site hop said: an absolute URL the site builds never says http://."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.https and scope["type"] == "http":
            scope = {**scope, "scheme": "https"}
        await self.app(scope, receive, send)
