"""The guided pages: the kiosk's guided review (`forms.guide_walk`) one group a page, then
"check your answers"; from there the QR page. For a life event with a navigator, its page
comes once the household's persons are entered (`NavigatorPages.due`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from forms.bundle import Question
from forms.fields import is_empty
from forms.guide import SUMMARY, GuideGroup
from forms.guide_walk import GuideWalk
from forms.paths import get_value, parse_path
from forms.procedure import Procedure
from forms.template import Template
from preentry.catalogue import needs_step
from preentry.controls import item_path, question_view
from preentry.errors import MalformedPost
from preentry.i18n import Page
from preentry.navigator_page import CHANGES
from preentry.sealed import StateRefused
from preentry.site_guide import SiteGuide, answers_summary, merge_page, not_asked
from preentry.state import STAGE_DONE, STAGE_GUIDE, STAGE_HOUSEHOLD
from preentry.submission import Submission, raw_entries

if TYPE_CHECKING:
    from preentry.app import Site


@dataclass
class GuidedPages:
    """The guided pages of one procedure: a step, the page the walk is on, and the way back
    from the navigator's page and on to it."""

    site: Site

    def step(
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
        site = self.site
        templates, people, result, guide = site.entered(procedure, state)
        answers = state["a"]
        walk = self._walk(state, guide)
        group = walk.current(guide)
        added = False
        if group is not None and posted is not None:
            before = {q.path for q in guide.asked_on(group)}
            answers = merge_page(answers, guide.asked_on(group), posted)
            passed = action == "next" or group.id in walk.attempted
            answers = self._follow_defaults(
                procedure, state, group, answers, forms=(templates, people), passed=passed
            )
            result, guide = site.model(procedure, templates, people, answers, nav=state)
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
            elif site.navigator.due(procedure, state, guide, walk):
                kept = dict(state, a=answers, g=walk.to_dict())
                return site.navigator.open(request, page, procedure, kept)
        elif action == "back":
            if not walk.back(guide) and needs_step(procedure):
                state = dict(state, a=answers, g=walk.to_dict(), s=STAGE_HOUSEHOLD)
                return site.household.page(
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
            if site.navigator.due(procedure, state, guide, walk):
                kept = dict(state, a=answers, g=walk.to_dict())
                return site.navigator.open(request, page, procedure, kept)
            pending = [g.id for g in guide.screens() if problems(g)]
            if not pending and result.ok:
                state = dict(state, a=answers, g=walk.to_dict(), s=STAGE_DONE)
                return site.result.page(
                    request, page, procedure, templates, result.record, state=state
                )
            walk.to_summary_with_problems(guide, lambda gid: gid in pending)
            status = 422
        elif action == "navigator" or action.partition(":")[0] in CHANGES:
            if walk.current(guide) is not None or site.navigator.bundle(procedure) is None:
                raise MalformedPost()  # not on the summary, or a procedure without a navigator
            state = dict(state, a=answers, g=walk.to_dict())
            if action == "navigator":  # 修正 of the list of procedures: its page again
                return site.navigator.open(request, page, procedure, state)
            state = self.change_forms(procedure, state, walk, action)
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

    def _follow_defaults(
        self,
        procedure: Procedure,
        state: dict[str, Any],
        group: GuideGroup,
        answers: dict[str, list[str]],
        *,
        forms: tuple[tuple[Template, ...], int],
        passed: bool,
    ) -> dict[str, list[str]]:
        """The answers less the page's default targets that still follow their source: posted
        as the page showed them (the default's value) while the page was not `passed` with
        次へ; a corrected date of death then corrects the 届出日 too. Once passed, what was
        posted is the resident's and stays; a target the resident emptied stays empty
        (`read_submission`). The kiosk's rule (`kiosk.flow.life_event_defaults`' `_apply_defaults`)."""
        bundle = self.site.bundle(procedure)
        targets = {d.path for d in bundle.defaults} if bundle is not None else set()
        mine = [q.path for q in group.questions if q.path in targets]
        if not mine:
            return answers

        def without(paths: list[str]) -> dict[str, list[str]]:
            return {k: v for k, v in answers.items() if item_path(k) not in paths}

        templates, people = forms
        result, _ = self.site.model(procedure, templates, people, answers, nav=state)
        bare, _ = self.site.model(procedure, templates, people, without(mine), nav=state)

        def follows(path: str) -> bool:
            posted = get_value(result.record, parse_path(path))
            if is_empty(posted):  # empty as shown (no default yet): the default fills it later
                return path not in bare.defaulted
            shown = get_value(bare.record, parse_path(path)) if path in bare.defaulted else None
            return not passed and posted == shown

        same = [path for path in mine if follows(path)]
        return without(same) if same else answers

    @staticmethod
    def _walk(state: dict[str, Any], guide: SiteGuide) -> GuideWalk:
        """The sealed walk, on its first page when it is new."""
        try:
            walk = GuideWalk.from_dict(state["g"])
        except ValueError:
            raise StateRefused() from None
        if not walk.page:
            walk.start(guide)
        return walk

    def change_forms(
        self, procedure: Procedure, state: dict[str, Any], walk: GuideWalk, action: str
    ) -> dict[str, Any]:
        """A procedure added or taken off on "check your answers": the walk goes to the first
        page the change brings (its 次へ comes back to the summary)."""
        before = {g.id for g in self.site.entered(procedure, state).guide.screens()}
        state = self.site.navigator.change(procedure, state, action)
        guide = self.site.entered(procedure, state).guide
        new = [g.id for g in guide.screens() if g.id not in before]
        if new:
            walk.goto(new[0])
        return dict(state, g=walk.to_dict())

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
        site = self.site
        templates, _, result, guide = site.entered(procedure, state)
        answers = state["a"]
        group = walk.current(guide)
        state["g"] = walk.to_dict()
        position, total = walk.position(guide)
        common: dict[str, Any] = {
            "templates": templates,
            "position": position,
            "total": total,
            "first": position == 1 and not needs_step(procedure),
        }
        if group is None:
            shown = SUMMARY in walk.attempted
            return site.renderer.form_page(
                request,
                "summary.html",
                page,
                procedure,
                state,
                status=status,
                switch_default="qr",
                sections=answers_summary(guide, templates, result.record),
                general=result.general if shown else [],
                left_for_counter=not_asked(templates, result.record),
                nav=site.navigator.lists(procedure, state),
                **common,
            )
        errors = result.errors if walk.shows_problems(group.id) else {}
        entries = prefilled(answers, guide.asked_on(group), result)
        views = [
            question_view(q, n, templates, entries, errors)
            for n, q in enumerate(guide.asked_on(group))
        ]
        for view in views:
            view.filled = view.path in result.defaulted and not has_entry(answers, view.path)
        if errors and any(v.error for v in views):
            status = 422
        return site.renderer.form_page(
            request,
            "guided.html",
            page,
            procedure,
            state,
            status=status,
            switch_default="next",
            group=group,
            views=views,
            added=added,
            error_views=[v for v in views if v.error],
            **common,
        )

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
        guide = self.site.entered(procedure, state).guide
        walk = GuideWalk.from_dict(state["g"])
        walk.back(guide)
        return self.walk_page(request, page, procedure, state, walk=walk, status=200)


def prefilled(
    answers: dict[str, list[str]], asked: list[Question], result: Submission
) -> dict[str, list[str]]:
    """The answers, plus the controls of each item a default filled (and the resident left
    empty) holding that value: the page opens with it, and the resident may change it."""
    out = dict(answers)
    for q in asked:
        if q.path in result.defaulted and not has_entry(answers, q.path):
            out.update(raw_entries(q, get_value(result.record, q.slot.path)))
    return out


def has_entry(answers: dict[str, list[str]], path: str) -> bool:
    """Whether the resident entered something for the item at `path` (any of its parts)."""
    return any(v.strip() for k, vs in answers.items() if item_path(k) == path for v in vs)
