"""Stateless CSRF protection: a signed double-submit token.

The browser gets a random nonce in a SameSite=Strict, HttpOnly cookie; every form carries
`nonce.issued.signature`, where the signature is an HMAC-SHA256 of nonce and issue time under
the site's secret. A post is accepted only when the form's nonce equals the cookie's, the
signature verifies and the token is not older than its maximum age. Nothing is stored on the
server: any worker of any replica can check a token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from forms.errors import MadoguchiError

COOKIE_NAME = "madoguchi_csrf"
FIELD_NAME = "csrf_token"


class CsrfRefused(MadoguchiError):
    code = "csrf_refused"

    def __init__(self) -> None:
        super().__init__(
            "送信を確認できませんでした。ページを開き直してもう一度送信してください",
            "this form could not be verified; open the page again and resend it",
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class CsrfGuard:
    def __init__(
        self, secret: bytes, max_age_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret
        self._max_age = max_age_seconds
        self._clock = clock

    def __repr__(self) -> str:
        return "CsrfGuard(…)"

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(24)

    def _sign(self, nonce: str, issued: str) -> str:
        mac = hmac.new(self._secret, f"{nonce}.{issued}".encode(), hashlib.sha256)
        return _b64(mac.digest())

    def token(self, nonce: str) -> str:
        issued = str(int(self._clock()))
        return f"{nonce}.{issued}.{self._sign(nonce, issued)}"

    def verify(self, cookie_nonce: str | None, token: str | None) -> None:
        """Raise CsrfRefused unless `token` is a fresh, signed token for `cookie_nonce`."""
        if not cookie_nonce or not token or len(token) > 200:
            raise CsrfRefused()
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            raise CsrfRefused()
        nonce, issued, signature = parts
        expected = self._sign(nonce, issued)
        if not hmac.compare_digest(expected, signature):
            raise CsrfRefused()
        if not hmac.compare_digest(nonce, cookie_nonce):
            raise CsrfRefused()
        age = self._clock() - int(issued)
        if age < -60 or age > self._max_age:
            raise CsrfRefused()
