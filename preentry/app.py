"""The pre-entry site: pick a procedure, fill its form, get the QR code to show at the counter.

`create_app(settings)` builds one FastAPI application; there is no module-level app. Pages:

    GET  /                    the procedures (every bundle and template of the catalogue)
    GET  /b/ID, /t/ID         a bundle / a template: first the household step (how many people,
                              optional forms) when it has one, then the form
    POST /b/ID, /t/ID         validate; the form again with the errors, or the QR page
    GET  /static/site.css     the only static file (no JavaScript anywhere)

Every page speaks the ten languages of `forms.i18n` (see `preentry.i18n`). The language
travels like everything else: `?lang=` on links and GET forms, a hidden `lang` in posts. The
language switch on every page keeps what was entered: on a page with a form it is a set of
submit buttons of that form (`_lang=<code>`), so the entries come along and the same step
is shown again in the other language; on the QR page a form of hidden fields posts the
entries again for the same QR page in the other language.

Nothing is stored: the record lives for one request and leaves only as the encrypted QR code.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from forms.bundle import Bundle, fixed_answers
from forms.errors import MadoguchiError
from forms.procedure import Procedure
from forms.template import Template
from preentry import csrf
from preentry.catalogue import chosen_templates, find_procedure, needs_step, procedures, read_people
from preentry.errors import MethodNotAllowed, NotFound, status_of
from preentry.guided_pages import GuidedPages
from preentry.household_page import HouseholdPage
from preentry.i18n import Page, chosen
from preentry.middleware import BodyLimit, ProxyScheme, RateLimiter, SafetyNet, SecurityHeaders
from preentry.navigator_page import NavigatorPages, router
from preentry.posts import Post, read_post
from preentry.ratelimit import TokenBucketLimiter
from preentry.rendering import HERE, Renderer
from preentry.result_page import ResultPage
from preentry.sealed import Sealer, derive_key
from preentry.settings import PreentrySettings
from preentry.site_guide import SiteGuide
from preentry.state import STAGE_GUIDE, StateSeal
from preentry.submission import Submission, read_submission

log = logging.getLogger("preentry")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class Entered(NamedTuple):
    templates: tuple[Template, ...]
    people: int
    result: Submission
    guide: SiteGuide


class Site:
    """The request handlers over one settings object (no globals): the record of what was
    entered, and the pages, each a part of its own (`household`, `guided`, `navigator`,
    `result`) rendered by `renderer`."""

    def __init__(self, settings: PreentrySettings) -> None:
        self.settings = settings
        self.seal = StateSeal(
            Sealer(derive_key(settings.signing_key), settings.state_max_age.total_seconds()),
            settings.clock,
        )
        self.csrf = csrf.CsrfGuard(
            settings.csrf_secret,
            settings.csrf_max_age.total_seconds(),
            clock=lambda: settings.clock.now().timestamp(),
        )
        self.renderer = Renderer(self.seal, self.csrf, https=settings.https)
        self.household = HouseholdPage(self)
        self.guided = GuidedPages(self)
        self.navigator = NavigatorPages(self)
        self.result = ResultPage(self)

    def today(self) -> dt.date:
        return self.settings.clock.today()

    def procedure(self, kind: str, procedure_id: str) -> Procedure:
        if not _ID.match(procedure_id):
            raise NotFound()
        return find_procedure(self.settings.catalog, kind, procedure_id)

    # -- the record of what was entered

    def bundle(self, procedure: Procedure) -> Bundle | None:
        return self.settings.catalog.bundle(procedure.id) if procedure.is_bundle else None

    def fixed(self, procedure: Procedure) -> dict[str, Any]:
        bundle = self.bundle(procedure)
        return {} if bundle is None else dict(fixed_answers([bundle]))

    def model(
        self,
        procedure: Procedure,
        templates: Sequence[Template],
        people: int,
        answers: Any,
        *,
        nav: dict[str, Any] | None,
    ) -> tuple[Submission, SiteGuide]:
        """The record of what was entered, with the life event's defaults (a value left
        empty taken from another: おくやみ's 届出日 from the date of death); `nav` (the sealed
        state) adds the navigator's answers and changes to it, so they travel in the QR code."""
        fixed, bundle = self.fixed(procedure), self.bundle(procedure)
        result = read_submission(templates, people, self.today(), answers, fixed, bundle=bundle)
        if nav is not None:
            self.navigator.write(procedure, nav, result.record)
        defaults = bundle.defaults if bundle is not None else ()
        return result, SiteGuide(templates, result.record, fixed=fixed, defaults=defaults)

    def templates_for(self, procedure: Procedure, state: dict[str, Any]) -> tuple[Template, ...]:
        """The forms being filled: the navigation's once its page is done, else the
        procedure's own plus the options ticked."""
        navigated = self.navigator.templates(procedure, state)
        return navigated if navigated is not None else chosen_templates(procedure, state["w"])

    def entered(self, procedure: Procedure, state: dict[str, Any]) -> Entered:
        """What the sealed state holds, read again: the forms, the people, the record."""
        people = read_people(procedure, str(state["n"]))
        templates = self.templates_for(procedure, state)
        result, guide = self.model(procedure, templates, people, state["a"], nav=state)
        return Entered(templates, people, result, guide)

    # -- the routes

    async def read_post(self, request: Request, procedure: Procedure) -> Post | Response:
        return await read_post(request, procedure, self.seal, self.renderer)

    async def index(self, request: Request) -> HTMLResponse:
        page = Page(request.query_params.get("lang"))
        return self.renderer.render(
            "index.html", page, procedures=procedures(self.settings.catalog)
        )

    async def show(self, request: Request, kind: str, procedure_id: str) -> Response:
        procedure = self.procedure(kind, procedure_id)
        query = request.query_params
        switch = query.get("_lang")
        page = Page(switch or query.get("lang"))
        if needs_step(procedure) and ("people" not in query or switch is not None):
            return self.household.again(request, page, procedure, query)
        people = read_people(procedure, query.get("people"))
        templates = chosen_templates(procedure, query.getlist("with"))
        state = {
            "n": people,
            "w": [t.id for t in templates if t in procedure.optional],
            "a": {},
            "g": {},
            "s": STAGE_GUIDE,
        }
        return self.guided.step(request, page, procedure, state)

    async def submit(self, request: Request, kind: str, procedure_id: str) -> Response:
        """A post of any page of the procedure, handed to the page its stage names."""
        post = await self.read_post(request, self.procedure(kind, procedure_id))
        if isinstance(post, Response):
            return post
        match post.state["s"]:
            case "household":
                return self.household.submit(request, post)
            case "done":
                return self.result.again(request, post)
            case "nav":
                return self.navigator.act(request, post)
            case _:
                return self.guided.step(
                    request,
                    post.page,
                    post.procedure,
                    post.state,
                    action=post.action,
                    posted=post.raw,
                )


def create_app(settings: PreentrySettings) -> FastAPI:
    site = Site(settings)
    app = FastAPI(
        title="Madoguchi pre-entry",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # No "add/remove the trailing slash" redirects: Starlette builds their target from the
        # request's Host header (Host: evil.example → Location: http://evil.example/…).
        redirect_slashes=False,
    )
    app.state.site = site

    @app.exception_handler(MadoguchiError)
    async def madoguchi_error(request: Request, exc: MadoguchiError) -> HTMLResponse:
        status = status_of(exc)
        log.info("refused %s: %s", request.url.path, exc.code)
        code = chosen(request.query_params.get("lang"))
        return HTMLResponse(site.renderer.error_page(status, exc, code), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        error: MadoguchiError = MethodNotAllowed() if exc.status_code == 405 else NotFound()
        status = 405 if exc.status_code == 405 else 404
        code = chosen(request.query_params.get("lang"))
        return HTMLResponse(site.renderer.error_page(status, error, code), status_code=status)

    app.add_api_route("/", site.index, methods=["GET"], response_class=HTMLResponse)
    app.add_api_route("/healthz", lambda: PlainTextResponse("ok"), methods=["GET"])
    for kind in ("b", "t"):
        app.add_api_route(
            f"/{kind}/{{procedure_id}}",
            _bind(site.show, kind),
            methods=["GET"],
            response_class=HTMLResponse,
        )
        app.add_api_route(
            f"/{kind}/{{procedure_id}}",
            _bind(site.submit, kind),
            methods=["POST"],
            response_class=HTMLResponse,
        )
    app.include_router(router(site.navigator))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # Outermost first: headers on every answer, then the safety net, the limits, the app.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, page=site.renderer.error_page)
    limiter = TokenBucketLimiter(
        settings.rate_limit.burst, settings.rate_limit.per_second, settings.rate_limit.max_clients
    )
    app.add_middleware(
        RateLimiter,
        limiter=limiter,
        page=site.renderer.error_page,
        trust_forwarded_for=settings.trust_forwarded_for,
    )
    app.add_middleware(SafetyNet, page=site.renderer.error_page)
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False
    )
    app.add_middleware(ProxyScheme, https=settings.https)
    app.add_middleware(SecurityHeaders, https=settings.https)
    return app


def _bind(handler: Any, kind: str) -> Any:
    async def endpoint(request: Request, procedure_id: str) -> Response:
        return await handler(request, kind, procedure_id)

    return endpoint
