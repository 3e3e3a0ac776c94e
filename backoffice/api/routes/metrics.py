"""GET /metrics: Prometheus text format (see backoffice.metrics for what and who)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backoffice import metrics
from backoffice.api.deps import ContextDep
from backoffice.errors import Forbidden, NotAuthenticated
from backoffice.services import accounts
from sync.protocol.office import ErrorBody
from sync.protocol.vocabulary import Role

router = APIRouter(tags=["metrics"])
_bearer = HTTPBearer(auto_error=False)


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}},
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
    },
    summary="Prometheus の指標 / Prometheus metrics (metrics token or admin)",
)
def read_metrics(
    request: Request,
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    """Counts only. The metrics token (`madoguchi backoffice metrics-token`) or an admin
    session; every other credential is refused."""
    token = credentials.credentials if credentials is not None else None
    if token is None:
        raise NotAuthenticated()
    if not (
        token.startswith(metrics.TOKEN_PREFIX)
        and metrics.token_matches(context.settings.data_dir, token)
    ):
        with context.sessions() as session, session.begin():
            principal = accounts.authenticate(session, token, clock=context.clock)
        if principal.role is not Role.ADMIN:
            raise Forbidden(principal.role.value, [Role.ADMIN.value, "metrics"])
    body = request.app.state.metrics.exposition(metrics.DatabaseGauges(context))
    return Response(body, media_type=metrics.CONTENT_TYPE)
