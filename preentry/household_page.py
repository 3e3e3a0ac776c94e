"""The household step: how many people, which optional forms. It comes first for a
procedure with groups of persons or optional forms (`catalogue.needs_step`), and again by
戻る from the first guided page, then as a post carrying the sealed answers (nothing typed
is lost)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from forms.procedure import Procedure
from preentry.catalogue import chosen_templates, read_people
from preentry.errors import MalformedPost
from preentry.i18n import Page
from preentry.posts import Post, one_of
from preentry.state import STAGE_GUIDE

if TYPE_CHECKING:
    from preentry.app import Site


@dataclass
class HouseholdPage:
    """The household step of one procedure: its page and its posts."""

    site: Site

    def page(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        people: int | None,
        *,
        extra: list[str],
        state: dict[str, Any] | None,
    ) -> HTMLResponse:
        low, high = procedure.people_range()
        return self.site.renderer.form_page(
            request,
            "household.html",
            page,
            procedure,
            state,
            switch_default="start" if state is not None else "",
            low=low,
            high=high,
            people=people if people is not None and low <= people <= high else low,
            extra=extra,
        )

    def again(self, request: Request, page: Page, procedure: Procedure, query: Any) -> Response:
        """The language switch of the first step (a GET): the same step, with what was
        chosen."""
        chosen_people = query.get("people", "")
        chosen_forms = chosen_templates(procedure, query.getlist("with"))
        extra = [t.id for t in chosen_forms if t in procedure.optional]
        people = int(chosen_people) if chosen_people.isdigit() and len(chosen_people) <= 3 else None
        return self.page(request, page, procedure, people, extra=extra, state=None)

    def submit(self, request: Request, post: Post) -> Response:
        """A post of the step reached by 戻る: its language switch, or 次へ (`start`)."""
        procedure, state = post.procedure, post.state
        if not post.action:
            return self.page(
                request, post.page, procedure, state["n"], extra=list(state["w"]), state=state
            )
        if post.action != "start":
            raise MalformedPost()
        people = read_people(procedure, one_of(post.raw, "people") or "0")
        templates = chosen_templates(procedure, post.raw.get("with", []))
        state = dict(
            state,
            n=people,
            w=[t.id for t in templates if t in procedure.optional],
            g={},
            s=STAGE_GUIDE,
        )
        return self.site.guided.step(request, post.page, procedure, state)
