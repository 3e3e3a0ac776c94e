"""Reading a post of the site: the checks every post passes, then its fields, language,
sealed state and action (`Post`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from forms.procedure import Procedure
from preentry import csrf
from preentry.errors import MalformedPost
from preentry.i18n import Page
from preentry.rendering import Renderer
from preentry.sealed import FIELD_NAME as STATE_FIELD
from preentry.sealed import StateExpired, StateRefused
from preentry.state import StateSeal
from preentry.submission import parse_post

log = logging.getLogger("preentry")


@dataclass
class Post:
    procedure: Procedure
    raw: dict[str, list[str]]  # the posted fields by name
    page: Page  # the language of the answer
    state: dict[str, Any]  # opened and checked
    action: str  # the button pressed ("" for the language switch)

    def __repr__(self) -> str:  # counts only: `raw` and `state` hold every answer
        return (
            f"Post(procedure={self.procedure.id!r}, fields={len(self.raw)}, "
            f"stage={self.state.get('s')!r}, action={self.action!r})"
        )

    __str__ = __repr__


def one_of(raw: dict[str, list[str]], name: str) -> str | None:
    values = raw.get(name, [])
    if len(values) > 1:
        raise MalformedPost()
    return values[0] if values else None


async def read_fields(request: Request, guard: csrf.CsrfGuard) -> dict[str, list[str]]:
    """A same-site form post's fields, its CSRF token checked."""
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
    guard.verify(request.cookies.get(csrf.COOKIE_NAME), tokens[0] if len(tokens) == 1 else None)
    return raw


async def read_post(
    request: Request, procedure: Procedure, seal: StateSeal, renderer: Renderer
) -> Post | Response:
    """The post of one of the procedure's pages, or the page saying its sealed state was
    refused."""
    raw = await read_fields(request, renderer.csrf)
    switch = one_of(raw, "_lang")
    page = Page(switch or one_of(raw, "lang"))
    try:
        state = seal.open(procedure, one_of(raw, STATE_FIELD))
    except (StateRefused, StateExpired) as error:
        log.info("refused %s: %s", procedure.id, error.code)
        return renderer.state_refused(page, procedure, error)
    action = one_of(raw, "_action") or ""
    if switch is not None:
        action = ""  # the language switch: the same page again, in the other language
    return Post(procedure, raw, page, state, action)
