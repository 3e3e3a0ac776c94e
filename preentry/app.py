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
import functools
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from forms.bundle import fixed_answers
from forms.era import to_japanese
from forms.errors import MadoguchiError, UnknownTemplate
from forms.guide import SUMMARY, GuideGroup
from forms.guide_walk import GuideWalk
from forms.template import Template
from forms.text import Text
from preentry import csrf
from preentry.i18n import Msg, Page, chosen
from preentry.middleware import (
    BodyLimit,
    BodyTooLarge,
    ProxyScheme,
    RateLimiter,
    SafetyNet,
    SecurityHeaders,
)
from preentry.navigator_page import NavigatorPages, NavState, router
from preentry.ratelimit import TokenBucketLimiter
from preentry.sealed import FIELD_NAME as STATE_FIELD
from preentry.sealed import Sealer, StateExpired, StateRefused, derive_key
from preentry.settings import PreentrySettings
from preentry.webform import (
    MalformedPost,
    Procedure,
    SiteGuide,
    Submission,
    TooManyPeople,
    answers_summary,
    chosen_templates,
    find_procedure,
    merge_page,
    not_asked,
    parse_post,
    procedure_url,
    procedures,
    question_view,
    read_submission,
    summary,
)

log = logging.getLogger("preentry")
HERE = Path(__file__).parent
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class NotFound(MadoguchiError):
    code = "not_found"

    def __init__(self) -> None:
        super().__init__("ページが見つかりません", "page not found")


class MethodNotAllowed(MadoguchiError):
    code = "method_not_allowed"

    def __init__(self) -> None:
        super().__init__("この操作はできません", "this method is not allowed here")


class QrTooLarge(MadoguchiError):
    code = "qr_too_large"

    def __init__(self) -> None:
        super().__init__(
            "入力が多すぎて QR コードに収まりません。手続きを分けてください",
            "too much to fit in one QR code; please split the procedure",
        )


def status_of(error: MadoguchiError) -> int:
    from forms.payload.errors import PayloadError

    match error:
        case UnknownTemplate() | NotFound():
            return 404
        case csrf.CsrfRefused():
            return 403
        case BodyTooLarge():
            return 413
        case MethodNotAllowed():
            return 405
        case QrTooLarge() | PayloadError():
            return 422
        case _:
            return 400


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


class Site:
    """The request handlers over one settings object (no globals)."""

    def __init__(self, settings: PreentrySettings) -> None:
        self.settings = settings
        self.env = make_environment()
        self.sealer = Sealer(
            derive_key(settings.signing_key), settings.state_max_age.total_seconds()
        )
        self.csrf = csrf.CsrfGuard(
            settings.csrf_secret,
            settings.csrf_max_age.total_seconds(),
            clock=lambda: settings.clock.now().timestamp(),
        )
        self.navigator = NavigatorPages(self)

    # -- rendering

    def render(
        self, name: str, page: Page, status: int = 200, switch_form: str = "", **context: Any
    ) -> HTMLResponse:
        body = self.env.get_template(name).render(
            i=page,
            lang_query="" if page.code == "ja" else f"?lang={page.code}",
            switch_form=switch_form,
            switch_default=context.pop("switch_default", ""),
            **context,
        )
        return HTMLResponse(body, status_code=status)

    def error_page(self, status: int, error: MadoguchiError, code: str | None = None) -> bytes:
        page = Page(code)
        body = self.env.get_template("error.html").render(
            i=page,
            lang_query="" if page.code == "ja" else f"?lang={page.code}",
            switch_form="",
            switch_default="",
            status=status,
            error=error,
            error_text=Text(ja=error.ja, en=error.en),
            message_key="",
            restart="",
        )
        return body.encode("utf-8")

    def today(self) -> dt.date:
        return self.settings.clock.today()

    def procedure(self, kind: str, procedure_id: str) -> Procedure:
        if not _ID.match(procedure_id):
            raise NotFound()
        return find_procedure(self.settings.catalog, kind, procedure_id)

    # -- pages

    async def index(self, request: Request) -> HTMLResponse:
        page = Page(request.query_params.get("lang"))
        return self.render("index.html", page, procedures=procedures(self.settings.catalog))

    def _people(self, procedure: Procedure, text: str | None) -> int:
        low, high = procedure.people_range()
        if not procedure.has_groups:
            if text not in (None, "", "0"):
                raise MalformedPost()
            return 0
        if text is None or not text.isdigit() or len(text) > 3:
            raise MalformedPost()
        people = int(text)
        if not low <= people <= high:
            raise TooManyPeople(low, high)
        return people

    async def show(self, request: Request, kind: str, procedure_id: str) -> Response:
        procedure = self.procedure(kind, procedure_id)
        query = request.query_params
        switch = query.get("_lang")
        page = Page(switch or query.get("lang"))
        if self.needs_step(procedure) and ("people" not in query or switch is not None):
            # the language switch of this step: the same step again, with what was chosen
            chosen_people = query.get("people", "")
            chosen_forms = chosen_templates(procedure, query.getlist("with"))
            extra = [t.id for t in chosen_forms if t in procedure.optional]
            people = (
                int(chosen_people) if chosen_people.isdigit() and len(chosen_people) <= 3 else None
            )
            return self.household_page(request, page, procedure, people, extra=extra, state=None)
        people = self._people(procedure, query.get("people"))
        templates = chosen_templates(procedure, query.getlist("with"))
        state = {
            "n": people,
            "w": [t.id for t in templates if t in procedure.optional],
            "a": {},
            "g": {},
            "s": STAGE_GUIDE,
        }
        return self.guided(request, page, procedure, state)

    @staticmethod
    def needs_step(procedure: Procedure) -> bool:
        return procedure.has_groups or bool(procedure.optional)

    def household_page(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        people: int | None,
        *,
        extra: list[str],
        state: dict[str, Any] | None,
    ) -> HTMLResponse:
        """How many people, which optional forms. Reached again by 戻る from the first page
        it is a post carrying the sealed answers (nothing typed is lost)."""
        low, high = procedure.people_range()
        nonce = self._nonce(request)
        response = self.render(
            "household.html",
            page,
            switch_form="entry",
            switch_default="start" if state is not None else "",
            procedure=procedure,
            low=low,
            high=high,
            people=people if people is not None and low <= people <= high else low,
            extra=extra,
            sealed=self.seal(procedure, state) if state is not None else "",
            state_field=STATE_FIELD,
            csrf_field=csrf.FIELD_NAME,
            csrf_token=self.csrf.token(nonce),
        )
        self._set_nonce(response, nonce)
        return response

    # -- the sealed state

    def seal(self, procedure: Procedure, state: dict[str, Any]) -> str:
        return self.sealer.seal(
            state, binding=procedure_url(procedure), now=self.settings.clock.now().timestamp()
        )

    def unseal(self, procedure: Procedure, token: str | None) -> dict[str, Any]:
        data = self.sealer.open(
            token, binding=procedure_url(procedure), now=self.settings.clock.now().timestamp()
        )
        answers, walk = data.get("a"), data.get("g")
        if (
            not isinstance(answers, dict)
            or not all(
                isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
                for k, v in answers.items()
            )
            or not isinstance(walk, dict)
            or not isinstance(data.get("w"), list)
            or data.get("s") not in STAGES
        ):
            raise StateRefused()
        NavState.from_state(data)  # StateRefused for a malformed navigator part
        return data

    # -- the guided pages

    def fixed(self, procedure: Procedure) -> dict[str, Any]:
        if not procedure.is_bundle:
            return {}
        return dict(fixed_answers([self.settings.catalog.bundle(procedure.id)]))

    def model(
        self,
        procedure: Procedure,
        templates: Sequence[Template],
        people: int,
        answers: Any,
        *,
        nav: dict[str, Any] | None,
    ) -> tuple[Submission, SiteGuide]:
        """The record of what was entered; `nav` (the sealed state) adds the navigator's
        answers and changes to it, so they travel in the QR code."""
        fixed = self.fixed(procedure)
        result = read_submission(templates, people, self.today(), answers, fixed)
        if nav is not None:
            self.navigator.write(procedure, nav, result.record)
        return result, SiteGuide(templates, result.record, fixed=fixed)

    def templates_for(self, procedure: Procedure, state: dict[str, Any]) -> tuple[Template, ...]:
        """The forms being filled: the navigation's once its page is done, else the
        procedure's own plus the options ticked."""
        navigated = self.navigator.templates(procedure, state)
        return navigated if navigated is not None else chosen_templates(procedure, state["w"])

    def guided(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        state: dict[str, Any],
        *,
        action: str = "",
        posted: dict[str, list[str]] | None = None,
    ) -> Response:
        """One step of the guided pages: take the page's entries, act, show the next page."""
        people = self._people(procedure, str(state["n"]))
        templates = self.templates_for(procedure, state)
        answers = state["a"]
        result, guide = self.model(procedure, templates, people, answers, nav=state)
        try:
            walk = GuideWalk.from_dict(state["g"])
        except ValueError:
            raise StateRefused() from None
        if not walk.page:
            walk.start(guide)
        group = walk.current(guide)
        added = False
        if group is not None and posted is not None:
            before = {q.path for q in guide.asked_on(group)}
            answers = merge_page(answers, guide.asked_on(group), posted)
            result, guide = self.model(procedure, templates, people, answers, nav=state)
            same = guide.group(group.id)
            # an answer added questions to this page (a child's items once 続柄 is 子):
            # they are shown next, without a complaint, before moving on
            added = same is not None and bool({q.path for q in guide.asked_on(same)} - before)

        def problems(g: GuideGroup) -> int:
            return sum(1 for q in guide.asked_on(g) if q.path in result.errors)

        status = 200
        if action == "next" and added:
            pass
        elif action == "next":
            if not walk.next(guide, problems):
                status = 422
            elif self.navigator.due(procedure, state, guide, walk):
                state = dict(state, a=answers, g=walk.to_dict())
                return self.navigator.page(
                    request, page, procedure, self.navigator.start(procedure, state)
                )
        elif action == "back":
            if not walk.back(guide) and self.needs_step(procedure):
                state = dict(state, a=answers, g=walk.to_dict(), s=STAGE_HOUSEHOLD)
                return self.household_page(
                    request, page, procedure, people, extra=list(state["w"]), state=state
                )
        elif action.startswith("edit:"):
            target = action.removeprefix("edit:")
            if target not in [g.id for g in guide.screens()]:
                raise MalformedPost()
            walk.goto(target)
        elif action == "qr":
            if walk.current(guide) is not None:
                raise MalformedPost()
            if self.navigator.due(procedure, state, guide, walk):
                state = dict(state, a=answers, g=walk.to_dict())
                return self.navigator.page(
                    request, page, procedure, self.navigator.start(procedure, state)
                )
            pending = [g.id for g in guide.screens() if problems(g)]
            if not pending and result.ok:
                state = dict(state, a=answers, g=walk.to_dict(), s=STAGE_DONE)
                return self.result_page(
                    request, page, procedure, templates, result.record, state=state
                )
            walk.to_summary_with_problems(guide, lambda gid: gid in pending)
            status = 422
        elif action:
            raise MalformedPost()
        return self.walk_page(
            request,
            page,
            procedure,
            dict(state, a=answers, s=STAGE_GUIDE),
            walk=walk,
            status=status,
        )

    def walk_page(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        state: dict[str, Any],
        *,
        walk: GuideWalk,
        status: int,
        added: bool = False,
    ) -> HTMLResponse:
        """The page the walk is on (a group's, or "check your answers"), state sealed in."""
        people = self._people(procedure, str(state["n"]))
        templates = self.templates_for(procedure, state)
        answers = state["a"]
        result, guide = self.model(procedure, templates, people, answers, nav=state)
        group = walk.current(guide)
        state["g"] = walk.to_dict()
        position, total = walk.position(guide)
        nonce = self._nonce(request)
        common: dict[str, Any] = {
            "procedure": procedure,
            "templates": templates,
            "position": position,
            "total": total,
            "sealed": self.seal(procedure, state),
            "state_field": STATE_FIELD,
            "csrf_field": csrf.FIELD_NAME,
            "csrf_token": self.csrf.token(nonce),
            "first": position == 1 and not self.needs_step(procedure),
        }
        if group is None:
            shown = SUMMARY in walk.attempted
            response = self.render(
                "summary.html",
                page,
                status=status,
                switch_form="entry",
                switch_default="qr",
                sections=answers_summary(guide, templates, result.record),
                general=result.general if shown else [],
                left_for_counter=not_asked(templates, result.record),
                **common,
            )
        else:
            shown = walk.shows_problems(group.id)
            errors = result.errors if shown else {}
            views = [
                question_view(q, n, templates, answers, errors)
                for n, q in enumerate(guide.asked_on(group))
            ]
            if shown and any(v.error for v in views):
                status = 422
            response = self.render(
                "guided.html",
                page,
                status=status,
                switch_form="entry",
                switch_default="next",
                group=group,
                views=views,
                added=added,
                error_views=[v for v in views if v.error],
                **common,
            )
        self._set_nonce(response, nonce)
        return response

    def _nonce(self, request: Request) -> str:
        nonce = request.cookies.get(csrf.COOKIE_NAME) or ""
        return nonce if 20 <= len(nonce) <= 64 else self.csrf.new_nonce()

    def _set_nonce(self, response: Response, nonce: str) -> None:
        response.set_cookie(
            csrf.COOKIE_NAME,
            nonce,
            httponly=True,
            samesite="strict",
            secure=self.settings.https,
            path="/",
        )

    async def read_post(
        self, request: Request, procedure: Procedure
    ) -> tuple[dict[str, list[str]], Page, dict[str, Any], str] | Response:
        """A post's fields, page language, sealed state and action (CSRF checked), or the
        page saying the sealed state was refused."""
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise csrf.CsrfRefused()
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            raise MalformedPost()
        form = await request.form(max_files=0, max_fields=2_000)
        items: list[tuple[str, str]] = []
        for k, v in form.multi_items():
            if not isinstance(v, str):
                raise MalformedPost()
            items.append((k, v))
        raw = parse_post(items)
        tokens = raw.get(csrf.FIELD_NAME, [])
        self.csrf.verify(
            request.cookies.get(csrf.COOKIE_NAME), tokens[0] if len(tokens) == 1 else None
        )
        switch = _one_of(raw, "_lang")
        page = Page(switch or _one_of(raw, "lang"))
        try:
            state = self.unseal(procedure, _one_of(raw, STATE_FIELD))
        except (StateRefused, StateExpired) as error:
            log.info("refused %s: %s", procedure.id, error.code)
            return self.state_refused(page, procedure, error)
        action = _one_of(raw, "_action") or ""
        if switch is not None:
            action = ""  # the language switch: the same page again, in the other language
        return raw, page, state, action

    async def submit(self, request: Request, kind: str, procedure_id: str) -> Response:
        procedure = self.procedure(kind, procedure_id)
        posted = await self.read_post(request, procedure)
        if isinstance(posted, Response):
            return posted
        raw, page, state, action = posted
        match state["s"]:
            case "household":
                if not action:
                    return self.household_page(
                        request, page, procedure, state["n"], extra=list(state["w"]), state=state
                    )
                if action != "start":
                    raise MalformedPost()
                people = self._people(procedure, _one_of(raw, "people") or "0")
                templates = chosen_templates(procedure, raw.get("with", []))
                state = dict(
                    state,
                    n=people,
                    w=[t.id for t in templates if t in procedure.optional],
                    g={},
                    s=STAGE_GUIDE,
                )
                return self.guided(request, page, procedure, state)
            case "done":
                # the QR page's language switch (or a reload): the same QR page
                people = self._people(procedure, str(state["n"]))
                templates = self.templates_for(procedure, state)
                result, _ = self.model(procedure, templates, people, state["a"], nav=state)
                if not result.ok:
                    raise StateRefused()
                return self.result_page(
                    request, page, procedure, templates, result.record, state=state
                )
            case "nav":
                bundle = self.navigator.bundle(procedure)
                if bundle is None:
                    raise StateRefused()
                return self.navigator.act(
                    request,
                    page=page,
                    procedure=procedure,
                    bundle=bundle,
                    state=state,
                    raw=raw,
                    action=action,
                )
            case _:
                return self.guided(request, page, procedure, state, action=action, posted=raw)

    def after_navigator(
        self, request: Request, page: Page, procedure: Procedure, state: dict[str, Any]
    ) -> Response:
        """The navigator's 次へ: the guided pages go on with the navigation's forms."""
        state = dict(state, s=STAGE_GUIDE)
        walk = GuideWalk.from_dict(state["g"])
        return self.walk_page(request, page, procedure, state, walk=walk, status=200)

    def back_from_navigator(
        self, request: Request, page: Page, procedure: Procedure, state: dict[str, Any]
    ) -> Response:
        """The navigator's 戻る: the last page about the household again."""
        state = dict(state, s=STAGE_GUIDE)
        people = self._people(procedure, str(state["n"]))
        templates = self.templates_for(procedure, state)
        _, guide = self.model(procedure, templates, people, state["a"], nav=state)
        walk = GuideWalk.from_dict(state["g"])
        walk.back(guide)
        return self.walk_page(request, page, procedure, state, walk=walk, status=200)

    def state_refused(
        self, page: Page, procedure: Procedure, error: StateRefused | StateExpired
    ) -> HTMLResponse:
        """A tampered or expired hidden state: say so in the resident's language, with a link
        to start the procedure again."""
        body = self.env.get_template("error.html").render(
            i=page,
            lang_query="" if page.code == "ja" else f"?lang={page.code}",
            switch_form="",
            switch_default="",
            status=400,
            error=error,
            error_text=Text(ja=error.ja, en=error.en),
            message_key=error.message_key,
            restart=procedure_url(procedure) + ("" if page.code == "ja" else f"?lang={page.code}"),
        )
        return HTMLResponse(body, status_code=400)

    def result_page(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        templates: Sequence[Template],
        record: Any,
        *,
        state: dict[str, Any],
    ) -> HTMLResponse:
        from forms.payload import encode_payload, qr_image
        from forms.payload.errors import PayloadTooLong

        issued = self.settings.clock.now()
        try:
            digits = encode_payload(
                record,
                [(t.id, t.version) for t in templates],
                signing_key=self.settings.signing_key,
                counter_public_key=self.settings.counter_public_key,
                issued_at=issued,
                ttl=self.settings.payload_ttl,
            )
        except PayloadTooLong:
            raise QrTooLarge() from None
        svg = qr_image(digits, svg=True)
        expires = self.settings.clock.date_of(issued + self.settings.payload_ttl)
        log.info(
            "QR issued: %s, %d person(s), %d digits",
            ",".join(t.key for t in templates),
            len(record.persons),
            len(digits),
        )
        japanese_date = page.lang == "ja"
        nonce = self._nonce(request)
        response = self.render(
            "result.html",
            page,
            switch_form="again",
            procedure=procedure,
            templates=templates,
            qr=inline_svg(svg, page.plain(Msg("result.qr_label"))),
            digit_count=len(digits),
            expires=to_japanese(expires, western=True) if japanese_date else expires.isoformat(),
            expires_lang="ja" if japanese_date else page.code,
            expires_iso=expires.isoformat(),
            summary=summary(templates, record),
            sealed=self.seal(procedure, state),
            state_field=STATE_FIELD,
            csrf_field=csrf.FIELD_NAME,
            csrf_token=self.csrf.token(nonce),
        )
        self._set_nonce(response, nonce)
        return response


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
        return HTMLResponse(site.error_page(status, exc, code), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        error: MadoguchiError = MethodNotAllowed() if exc.status_code == 405 else NotFound()
        status = 405 if exc.status_code == 405 else 404
        code = chosen(request.query_params.get("lang"))
        return HTMLResponse(site.error_page(status, error, code), status_code=status)

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
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, page=site.error_page)
    limiter = TokenBucketLimiter(
        settings.rate_limit.burst, settings.rate_limit.per_second, settings.rate_limit.max_clients
    )
    app.add_middleware(
        RateLimiter,
        limiter=limiter,
        page=site.error_page,
        trust_forwarded_for=settings.trust_forwarded_for,
    )
    app.add_middleware(SafetyNet, page=site.error_page)
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False
    )
    app.add_middleware(ProxyScheme, https=settings.https)
    app.add_middleware(SecurityHeaders, https=settings.https)
    return app


STAGE_HOUSEHOLD, STAGE_GUIDE, STAGE_DONE, STAGE_NAV = "household", "guide", "done", "nav"
STAGES = (STAGE_HOUSEHOLD, STAGE_GUIDE, STAGE_DONE, STAGE_NAV)


def _one_of(raw: dict[str, list[str]], name: str) -> str | None:
    values = raw.get(name, [])
    if len(values) > 1:
        raise MalformedPost()
    return values[0] if values else None


def _bind(handler: Any, kind: str) -> Any:
    async def endpoint(request: Request, procedure_id: str) -> Response:
        return await handler(request, kind, procedure_id)

    return endpoint
