"""Template list and download (kiosks pull them) and publishing (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from backoffice.api.deps import ContextDep, CurrentAdmin, SessionDep, TemplateReader
from backoffice.errors import UnsupportedMediaType
from backoffice.services import audit
from sync.protocol import TemplateInfo, Version
from sync.protocol.office import ErrorBody

router = APIRouter(tags=["templates"])

YAML_TYPES = ("text/yaml", "application/yaml", "application/x-yaml", "text/plain")


async def yaml_body(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in YAML_TYPES:
        raise UnsupportedMediaType("text/yaml (UTF-8)")
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedMediaType("text/yaml (UTF-8)") from None


@router.get("/templates", response_model=list[TemplateInfo], summary="公開中の様式 / templates")
def list_templates(
    _who: TemplateReader, session: SessionDep, context: ContextDep
) -> list[TemplateInfo]:
    return context.registry.infos(session)


@router.get(
    "/templates/{template_id}/{version}",
    response_class=Response,
    responses={200: {"content": {"text/yaml": {}}}, 404: {"model": ErrorBody}},
    summary="様式の YAML / one template version as YAML",
)
def get_template(
    template_id: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)],
    version: Annotated[Version, Path()],
    _who: TemplateReader,
    session: SessionDep,
    context: ContextDep,
) -> Response:
    text = context.registry.yaml_text(session, template_id, version)
    return Response(text, media_type="text/yaml; charset=utf-8")


@router.post(
    "/templates",
    status_code=201,
    response_model=TemplateInfo,
    summary="様式の公開 / publish a new template version (admin)",
    openapi_extra={"requestBody": {"content": {"text/yaml": {"schema": {"type": "string"}}}}},
    responses={415: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def publish_template(
    text: Annotated[str, Depends(yaml_body)],
    admin: CurrentAdmin,
    session: SessionDep,
    context: ContextDep,
) -> TemplateInfo:
    """The YAML is checked by `forms.template.parse_template`; every problem is returned in
    `problems`. The version must be newer than every published version of that id."""
    info = context.registry.publish(session, text, admin.actor)
    audit.record(session, admin.actor, audit.Action.PUBLISH_TEMPLATE, f"{info.id}@{info.version}")
    return info
