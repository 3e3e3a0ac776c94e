"""The procedure navigator's page of the pre-entry site (`forms.navigator`, no JavaScript).

For a life event whose bundle has questions or rules, the page comes once the household's
persons are entered (their birth dates decide the derived questions, which are never asked):
it asks the questions left (はい/いいえ with their help), lists the procedures chosen with
the reason for each, and lets the resident add or remove one. Each change is one form post
(`POST /b/<bundle>/navigator`, CSRF and the sealed state as every other post of the site);
the language switch posts the same form, so the answers come along. "Check your answers"
shows the same lists (`lists`), with 修正 back to this page (`open`) and the same changes
(`change`).

The answers and changes ride in the sealed state (`preentry.navigator_state`), so they travel
in the QR code. Once the page is done, the forms asked afterwards are the navigation's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from forms import navigator as nav
from forms.bundle import Bundle
from forms.errors import MadoguchiError, UnknownTemplate
from forms.guide import GroupKind, Guide
from forms.guide_walk import GuideWalk
from forms.procedure import Procedure
from forms.record import SessionRecord
from forms.template import Template
from forms.text import Text
from preentry.catalogue import procedure_url
from preentry.errors import MalformedPost, NothingChosen
from preentry.i18n import Page
from preentry.navigator_state import KEY, NavState
from preentry.posts import Post
from preentry.sealed import StateRefused
from preentry.state import STAGE_NAV

if TYPE_CHECKING:
    from preentry.app import Site

PERSON_KINDS = (GroupKind.WHO, GroupKind.MEMBER)
ANSWER_PREFIX = "nq."  # a question's radios: nq.<question id> = yes | no
CHANGES = ("add", "remove", "undo")


class UnknownNavigatorItem(MadoguchiError):
    """A post naming a question or a form the life event does not have."""

    code = "navigator_unknown_item"

    def __init__(self) -> None:
        super().__init__(
            "この手続きにない質問または届出です", "no such question or form in this life event"
        )


@dataclass
class NavigatorPages:
    """The navigator's page over the site's handlers (rendering, sealing, the guided walk)."""

    site: Site

    # -- which forms

    def bundle(self, procedure: Procedure) -> Bundle | None:
        """The bundle when the procedure is a life event with a navigator, else None."""
        if not procedure.is_bundle:
            return None
        bundle = self.site.settings.catalog.bundle(procedure.id)
        return bundle if bundle.questions or bundle.rules else None

    def navigation(
        self, procedure: Procedure, bundle: Bundle, state: Mapping[str, Any], navs: NavState
    ) -> nav.Navigation:
        """Where the navigation stands for what was entered so far (every form of the
        bundle reads the persons, so the ages are known)."""
        people = int(state["n"])
        every = (*procedure.templates, *procedure.optional)
        result, _ = self.site.model(procedure, every, people, state["a"], nav=None)
        navs.write(result.record, bundle)
        return nav.navigate(
            bundle, result.record, self.site.settings.catalog, self.site.settings.clock
        )

    def templates(
        self, procedure: Procedure, state: Mapping[str, Any]
    ) -> tuple[Template, ...] | None:
        """The navigation's forms, in the bundle's order, once the page is done; else None."""
        bundle = self.bundle(procedure)
        navs = NavState.from_state(state)
        if bundle is None or navs is None or not navs.done:
            return None
        ids = set(self.navigation(procedure, bundle, state, navs).template_ids())
        return tuple(t for t in (*procedure.templates, *procedure.optional) if t.id in ids)

    def write(self, procedure: Procedure, state: Mapping[str, Any], record: SessionRecord) -> None:
        bundle = self.bundle(procedure)
        navs = NavState.from_state(state)
        if bundle is not None and navs is not None:
            navs.write(record, bundle)

    def due(
        self, procedure: Procedure, state: Mapping[str, Any], guide: Guide, walk: GuideWalk
    ) -> bool:
        """Show the page now: the walk has just gone past the last page about the household's
        persons (so every birth date is known), and the page was never done."""
        if self.bundle(procedure) is None:
            return False
        navs = NavState.from_state(state)
        if navs is not None and navs.done:
            return False
        pages = walk.pages(guide)
        walk.current(guide)
        persons = [n for n, g in enumerate(guide.screens()) if g.kind in PERSON_KINDS]
        return pages.index(walk.page) > max(persons, default=-1)

    def start(self, procedure: Procedure, state: dict[str, Any]) -> dict[str, Any]:
        """The page's first state: the options ticked on the household step are additions."""
        navs = NavState.from_state(state)
        if navs is None:
            navs = NavState({}, {})
            bundle = self.bundle(procedure)
            assert bundle is not None
            chosen = set(self.navigation(procedure, bundle, state, navs).template_ids())
            for template_id in state["w"]:
                if template_id not in chosen:
                    navs.changes[template_id] = {"include": True, "by": "resident"}
        navs.done = False
        return dict(state, **{KEY: navs.to_dict(), "s": STAGE_NAV})

    # -- the page

    def open(
        self, request: Request, page: Page, procedure: Procedure, state: dict[str, Any]
    ) -> HTMLResponse:
        """The page, reached from the guided pages (its answers kept when it was done)."""
        return self.page(request, page, procedure, self.start(procedure, state))

    def lists(self, procedure: Procedure, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """What the lists of procedures show (on this page and on "check your answers"): the
        navigation, the resident's answers and changes, the forms that can be added. None
        for a procedure without a navigator, or before its page."""
        bundle = self.bundle(procedure)
        navs = NavState.from_state(state)
        if bundle is None or navs is None:
            return None
        navigation = self.navigation(procedure, bundle, state, navs)
        catalog = self.site.settings.catalog
        offered = [*navigation.undecided, *navigation.offered]
        return {
            "navigation": navigation,
            "given": navs.answers,
            "changes": navs.changes,
            "offered": [(t, catalog.get(t).title) for t in offered],
            "undecided": set(navigation.undecided),
        }

    def page(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        state: dict[str, Any],
        *,
        status: int = 200,
        missing: bool = False,
        refused: bool = False,
        reason: MadoguchiError | None = None,
    ) -> HTMLResponse:
        lists = self.lists(procedure, state)
        assert lists is not None
        navigation = lists["navigation"]
        return self.site.renderer.form_page(
            request,
            "navigator.html",
            page,
            procedure,
            state,
            status=status,
            switch_default="next",
            action=procedure_url(procedure) + "/navigator",
            # the questions left, and those already answered (so an answer can be changed)
            asked=[q for q in navigation.questions if q.source in ("open", "resident")],
            to_ask=navigation.to_ask,
            **lists,
            missing=missing,
            refused=refused or reason is not None,
            reason=None if reason is None else Text(ja=reason.ja, en=reason.en),
        )

    # -- a post of the page

    async def submit(self, request: Request, procedure_id: str) -> Response:
        procedure = self.site.procedure("b", procedure_id)
        if self.bundle(procedure) is None:
            raise UnknownTemplate(procedure_id)
        post = await self.site.read_post(request, procedure)
        if isinstance(post, Response):
            return post
        if post.state["s"] != STAGE_NAV:
            raise MalformedPost()
        return self.act(request, post)

    def act(self, request: Request, post: Post) -> Response:
        """A post of the page: take its answers, make its change, show what comes next."""
        procedure, bundle = post.procedure, self.bundle(post.procedure)
        if bundle is None:
            raise StateRefused()
        page, state, raw, action = post.page, post.state, post.raw, post.action
        navs = NavState.from_state(state)
        if navs is None:
            raise StateRefused()
        try:
            self._take_answers(bundle, navs, raw)
            verb, _, target = action.partition(":")
            if verb in CHANGES:
                self._change(procedure, bundle, navs, verb, target, state=state)
            elif target or verb not in ("", "answer", "next", "back"):
                raise UnknownNavigatorItem()
        except (UnknownNavigatorItem, UnknownTemplate, nav.NavigatorError):
            # nothing of this post is taken; the page again as it was, with the refusal
            return self.page(request, page, procedure, state, status=400, refused=True)
        except NothingChosen as error:  # the last form taken off: the page as it was
            return self.page(request, page, procedure, state, status=422, reason=error)
        state = dict(state, **{KEY: navs.to_dict()})
        if verb == "back":
            return self.site.guided.back_from_navigator(request, page, procedure, state)
        if verb == "next":
            navigation = self.navigation(procedure, bundle, state, navs)
            if navigation.to_ask:
                # unanswered on the page: say so; only opened by an answer: just ask them
                shown = set(raw.get("_nq", []))
                missing = any(q.id in shown for q in navigation.to_ask)
                return self.page(
                    request, page, procedure, state, status=422 if missing else 200, missing=missing
                )
            if not self._own(procedure) & set(navigation.template_ids()):
                return self.page(
                    request, page, procedure, state, status=422, reason=NothingChosen()
                )
            navs.done = True
            state = dict(state, **{KEY: navs.to_dict()})
            return self.site.guided.after_navigator(request, page, procedure, state)
        return self.page(request, page, procedure, state)

    def change(self, procedure: Procedure, state: dict[str, Any], action: str) -> dict[str, Any]:
        """An addition, removal or undo posted from "check your answers" (`add:<form>`, …):
        the state with it made. Only once the page is done; a form not of the life event is
        refused."""
        bundle = self.bundle(procedure)
        navs = NavState.from_state(state)
        verb, _, target = action.partition(":")
        if bundle is None or navs is None or not navs.done or verb not in CHANGES:
            raise MalformedPost()
        self._change(procedure, bundle, navs, verb, target, state=state)
        return dict(state, **{KEY: navs.to_dict()})

    @staticmethod
    def _take_answers(bundle: Bundle, navs: NavState, raw: Mapping[str, list[str]]) -> None:
        known = {q.id for q in bundle.questions}
        for name, values in raw.items():
            if not name.startswith(ANSWER_PREFIX):
                continue
            question_id = name.removeprefix(ANSWER_PREFIX)
            if question_id not in known or len(values) != 1 or values[0] not in ("yes", "no"):
                raise UnknownNavigatorItem()
            navs.answers[question_id] = values[0] == "yes"

    def _change(
        self,
        procedure: Procedure,
        bundle: Bundle,
        navs: NavState,
        verb: str,
        template_id: str,
        *,
        state: Mapping[str, Any],
    ) -> None:
        """One change through `forms.navigator` on a scratch record (the site offers only the
        life event's own forms). NothingChosen for a change that leaves no form chosen (the
        page hides 外す on the last one; a post may still name it)."""
        if template_id not in (*procedure.template_ids, *procedure.optional_ids):
            raise UnknownNavigatorItem()
        scratch = SessionRecord(today=self.site.today())
        navs.write(scratch, bundle)
        catalog = self.site.settings.catalog
        if verb == "add":
            nav.add_procedure(scratch, bundle, catalog, template_id, "resident")
        elif verb == "remove":
            nav.remove_procedure(scratch, bundle, catalog, template_id, "resident")
        else:
            nav.undo_change(scratch, bundle, template_id)
        stored = scratch.answers.get(nav.changes_key(bundle.id), {})
        navs.changes = {k: dict(v) for k, v in stored.items()}
        if not self._own(procedure) & set(
            self.navigation(procedure, bundle, state, navs).template_ids()
        ):
            raise NothingChosen()

    @staticmethod
    def _own(procedure: Procedure) -> set[str]:
        """The forms the site offers for the life event (its own and its optional ones)."""
        return {*procedure.template_ids, *procedure.optional_ids}


def router(pages: NavigatorPages) -> APIRouter:
    routes = APIRouter()
    routes.add_api_route(
        "/b/{procedure_id}/navigator",
        pages.submit,
        methods=["POST"],
        response_class=HTMLResponse,
    )
    return routes


__all__ = ["KEY", "NavState", "NavigatorPages", "UnknownNavigatorItem", "router"]
