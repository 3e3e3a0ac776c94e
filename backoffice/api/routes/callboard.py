"""The public call board (呼出し表示): JSON for any screen, and a small HTML page for a browser
on the waiting room's second screen. Reception numbers and states only, no sign-in; read-only
and answered from a one-second cache (`services.callboard.CallBoardCache`)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse

from backoffice.api.deps import ContextDep
from backoffice.services import callboard
from sync.protocol.office import CallBoard

router = APIRouter(tags=["call board"])


@router.get(
    "/call-board",
    response_model=CallBoard,
    summary="呼出し表示 / the call board: reception numbers and states (public, no names)",
)
def call_board(context: ContextDep, response: Response) -> CallBoard:
    def load() -> CallBoard:
        with context.sessions() as session, session.begin():
            return callboard.board(session, clock=context.clock)

    response.headers["Cache-Control"] = "public, max-age=1"
    return context.call_board.get(load)


@router.get("/call-board/view", response_class=HTMLResponse, summary="呼出し表示の画面 / page")
def call_board_page() -> HTMLResponse:
    page = resources.files("backoffice").joinpath("static", "callboard.html").read_text("utf-8")
    return HTMLResponse(page, headers={"Content-Security-Policy": _CSP})


# The page runs its own inline script and styles and talks only to this origin.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
