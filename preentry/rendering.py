"""The pages' HTML: the Jinja2 environment, and the end every page with a form shares.

A page with a form carries the sealed state, the CSRF field and its token; the token is
bound to a nonce in an HttpOnly cookie set on the same answer (`Renderer.form_page`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from forms.errors import MadoguchiError
from forms.procedure import Procedure
from forms.text import Text
from preentry import csrf
from preentry.catalogue import procedure_url
from preentry.i18n import Msg, Page
from preentry.sealed import FIELD_NAME as STATE_FIELD
from preentry.sealed import StateExpired, StateRefused
from preentry.state import StateSeal

HERE = Path(__file__).parent


@functools.cache
def make_environment() -> jinja2.Environment:
    """The pages' templates, shared by every `Site` of the process (it holds no settings):
    each template is compiled once, not once per app."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["Text"] = Text
    env.globals["Msg"] = Msg
    env.filters["url"] = procedure_url
    return env


def inline_svg(svg: bytes, label: str) -> Markup:
    """The `qrcode` SVG made responsive (viewBox kept, fixed size dropped) for inlining."""
    text = svg.decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
    if not text.startswith("<svg") or "<script" in text.lower():
        raise ValueError("unexpected SVG from the QR generator")
    head, rest = text.split(">", 1)
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    aria = Markup(' class="qr" role="img" aria-label="{}"').format(label)
    return Markup(head) + aria + Markup(">" + rest)


def lang_query(page: Page) -> str:
    return "" if page.code == "ja" else f"?lang={page.code}"


class Renderer:
    """Renders the site's templates; `form_page` adds the sealed state and the CSRF token."""

    def __init__(self, seal: StateSeal, guard: csrf.CsrfGuard, *, https: bool) -> None:
        self.env = make_environment()
        self.seal = seal
        self.csrf = guard
        self.https = https

    def body(
        self, name: str, page: Page, switch_form: str = "", switch_default: str = "", **context: Any
    ) -> str:
        return self.env.get_template(name).render(
            i=page,
            lang_query=lang_query(page),
            switch_form=switch_form,
            switch_default=switch_default,
            **context,
        )

    def render(
        self, name: str, page: Page, status: int = 200, switch_form: str = "", **context: Any
    ) -> HTMLResponse:
        return HTMLResponse(
            self.body(name, page, switch_form=switch_form, **context), status_code=status
        )

    def form_page(
        self,
        request: Request,
        name: str,
        page: Page,
        procedure: Procedure,
        state: dict[str, Any] | None,
        *,
        status: int = 200,
        switch_form: str = "entry",
        **context: Any,
    ) -> HTMLResponse:
        """A page with a form: the state sealed in (none: an empty field), the CSRF field and
        token, and the cookie with the token's nonce."""
        nonce = self.nonce(request)
        response = self.render(
            name,
            page,
            status=status,
            switch_form=switch_form,
            procedure=procedure,
            sealed=self.seal.seal(procedure, state) if state is not None else "",
            state_field=STATE_FIELD,
            csrf_field=csrf.FIELD_NAME,
            csrf_token=self.csrf.token(nonce),
            **context,
        )
        self.set_nonce(response, nonce)
        return response

    def error_body(
        self,
        page: Page,
        status: int,
        error: MadoguchiError,
        message_key: str = "",
        restart: str = "",
    ) -> str:
        return self.body(
            "error.html",
            page,
            status=status,
            error=error,
            error_text=Text(ja=error.ja, en=error.en),
            message_key=message_key,
            restart=restart,
        )

    def error_page(self, status: int, error: MadoguchiError, code: str | None = None) -> bytes:
        return self.error_body(Page(code), status, error).encode("utf-8")

    def state_refused(
        self, page: Page, procedure: Procedure, error: StateRefused | StateExpired
    ) -> HTMLResponse:
        """A tampered or expired hidden state: say so in the resident's language, with a link
        to start the procedure again."""
        restart = procedure_url(procedure) + lang_query(page)
        body = self.error_body(page, 400, error, error.message_key, restart)
        return HTMLResponse(body, status_code=400)

    def nonce(self, request: Request) -> str:
        nonce = request.cookies.get(csrf.COOKIE_NAME) or ""
        return nonce if 20 <= len(nonce) <= 64 else self.csrf.new_nonce()

    def set_nonce(self, response: Response, nonce: str) -> None:
        response.set_cookie(
            csrf.COOKIE_NAME,
            nonce,
            httponly=True,
            samesite="strict",
            secure=self.https,
            path="/",
        )
