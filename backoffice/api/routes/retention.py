"""Retention periods per template (admin): see what each declares, shorten it."""

from __future__ import annotations

from fastapi import APIRouter

from backoffice.api.deps import ContextDep, CurrentAdmin, SessionDep
from backoffice.services import audit, retention
from sync.protocol.office import ErrorBody
from sync.protocol.retention import RetentionChange, RetentionPeriod, RetentionPreview

router = APIRouter(tags=["retention"])


@router.get(
    "/retention",
    response_model=list[RetentionPeriod],
    summary="保存期間の一覧 / retention per template (admin)",
)
def list_retention(
    admin: CurrentAdmin, session: SessionDep, context: ContextDep
) -> list[RetentionPeriod]:
    return retention.periods(session, context.registry)


@router.get(
    "/retention/preview",
    response_model=RetentionPreview,
    summary="保存期間の試行（変更なし）/ what a retention run would erase now (admin)",
)
def preview_retention(admin: CurrentAdmin, context: ContextDep) -> RetentionPreview:
    """The dry run of `madoguchi backoffice retention run` at the office clock: counts only;
    it changes nothing and writes no audit entry (as the command's dry run)."""
    report = retention.run(context.sessions, context.registry, context.clock, apply=False)
    return RetentionPreview(
        records_deleted=report.records_deleted,
        pdfs_deleted=report.pdfs_deleted,
        numbers_erased=report.numbers_erased,
        no_period=report.no_period,
        by_template=report.by_template,
    )


@router.put(
    "/retention/{template_id}",
    response_model=RetentionPeriod,
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    summary="保存期間を短くする / shorten a template's retention (admin)",
)
def set_retention(
    template_id: str,
    body: RetentionChange,
    admin: CurrentAdmin,
    session: SessionDep,
    context: ContextDep,
) -> RetentionPeriod:
    """Shorter than the template declares, never longer (422 `retention_longer`); both values
    null go back to the declaration."""
    answer = retention.set_period(
        session, context.registry, template_id, body, actor=admin.actor, now=context.clock.now()
    )
    audit.record(session, admin.actor, audit.Action.SET_RETENTION, f"retention:{template_id}")
    return answer
