"""Turning stored applications into API bodies (shared by the staff and core-system routes)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from backoffice.context import BackofficeContext
from backoffice.models import Application
from backoffice.services import applications
from forms.fill import fill, slots
from forms.record import SessionRecord
from sync.protocol import API_PREFIX
from sync.protocol.office import (
    ApplicationDetail,
    ApplicationSummary,
    ErrorBody,
    FieldText,
    IdentityCheckPublic,
    StatusChangePublic,
)


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses` for the refusals it may answer (each an `ErrorBody`)."""
    return {code: {"model": ErrorBody} for code in codes}


def summary(app: Application) -> ApplicationSummary:
    return ApplicationSummary.model_validate(app)


def detail(
    context: BackofficeContext, session: Session, app: Application, pdf_base: str
) -> ApplicationDetail:
    template = context.registry.get(session, app.template_id, app.template_version)
    record = SessionRecord.model_validate_json(app.record_json)
    form = fill(template, record)
    fields = [
        FieldText(ref=slot.ref, label=slot.spec.label.ja, text=form.text(slot.ref))
        for slot in slots(template, record)
        if slot.ref in form.values
    ]
    return ApplicationDetail(
        **summary(app).model_dump(),
        title=template.title.ja,
        record=json.loads(app.record_json),
        fields=fields,
        columns={c.column: form.text(c.field, c.part) for c in template.export},
        fee_yen=form.fee(),
        history=[StatusChangePublic.model_validate(h) for h in applications.history(session, app)],
        identity_checks=[
            IdentityCheckPublic.model_validate(c)
            for c in applications.identity_checks(session, app)
        ],
        pdf_url=f"{API_PREFIX}{pdf_base}/{app.receipt_number}/pdf",
    )
