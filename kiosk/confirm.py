"""The confirm step, without Qt: validate, render the PDF, write the outbox rows.

The kiosk's confirm screen and `madoguchi submit` both call `confirm_application`, so the
headless command exercises exactly the kiosk's code path. Order matters:

1. fill and validate every form of the application; refuse with every error at once;
2. take the kiosk's reception number for the slip (a gap if a later step fails is fine);
3. render each form once, its own PDF (its outbox row); the printed PDF is those joined;
4. seal, per form, the record pruned to that form (`forms.payload.prune.record_for_form`:
   no individual number unless the form declares it) and that form's PDF to the office key,
   and add one outbox row per form in ONE transaction.

The resident's signature, when given, goes into the session record as
`answers["signature"]` (PNG; base64 in JSON), so the back office receives it with the data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.clock import OfficeClock, office_clock
from forms.errors import FieldError, ValidationFailed
from forms.fill import FilledForm, fill
from forms.payload.prune import SIGNATURE_ANSWER
from forms.record import SessionRecord
from forms.template import Template
from kiosk.ports import Confirmation
from sync.application import make_ingest_records
from sync.outbox import Outbox
from sync.protocol import Mode

Renderer = Callable[..., list[bytes]]
DataQr = Callable[[FilledForm], str]
CallNumberHook = Callable[[str, list[str]], str | None]


class ApplicationInvalid(ValidationFailed):
    """Some form of the application has errors; `by_template` lists all of them per form."""

    code = "application_invalid"

    def __init__(self, by_template: dict[str, list[FieldError]]) -> None:
        flat = [
            dataclasses.replace(e, path=f"{template_id}:{e.path}")  # keeps label and code
            for template_id, errors in by_template.items()
            for e in errors
        ]
        super().__init__(flat)
        self.by_template = by_template


def validate_application(record: SessionRecord, templates: list[Template]) -> list[FilledForm]:
    """Fill every form; raise ApplicationInvalid listing every error of every form."""
    if not templates:
        raise ValueError("an application needs at least one template")
    forms = [fill(t, record) for t in templates]
    problems = {f.template.id: f.errors for f in forms if f.errors}
    if problems:
        raise ApplicationInvalid(problems)
    return forms


def confirm_application(
    record: SessionRecord,
    templates: list[Template],
    *,
    outbox: Outbox,
    office_public_key: X25519PublicKey,
    kiosk_id: str,
    mode: Mode = Mode.RESIDENT,
    signature_png: bytes | None = None,
    measurement: dict[str, Any] | None = None,
    data_qr: DataQr | None = None,
    render: Renderer | None = None,
    now: dt.datetime | None = None,
    clock: OfficeClock | None = None,
    call_number: CallNumberHook | None = None,
) -> Confirmation:
    """Validate, render and queue one application; see the module docstring for the order.

    `call_number(reception_number, template_ids)` gives the visit its short call number
    ("A-023", or None) once the reception number is taken; every record of the visit carries
    it to the back office.

    `render` (one PDF per form) defaults to `printing.render.render_each`; tests may pass
    another.
    """
    if signature_png is not None:
        record = record.model_copy(deep=True)
        record.answers[SIGNATURE_ANSWER] = signature_png
    forms = validate_application(record, templates)
    clock = clock or office_clock()
    issued = now or clock.now()
    reception_number = outbox.next_reception_number(kiosk_id, clock.date_of(issued))
    number = call_number(reception_number, [t.id for t in templates]) if call_number else None
    from printing.render import join_pdfs, render_each

    each = render or render_each
    # stored: each form only its own pages, so no form carries another's data; printed: the
    # same PDFs joined. Each form is rendered once.
    rendered = each(
        forms,
        reception_number=reception_number,
        signature_png=signature_png,
        data_qr=data_qr,
        issued_at=issued,
    )
    pdfs = {f.template.id: pdf for f, pdf in zip(forms, rendered, strict=True)}
    pdf = join_pdfs(rendered, title=" / ".join(f.template.title.ja for f in forms))
    records = make_ingest_records(
        record,
        templates,
        pdfs,
        kiosk_id=kiosk_id,
        mode=mode,
        reception_number=reception_number,
        office_public_key=office_public_key,
        measurement=measurement,
        created_at=issued,
        call_number=number,
    )
    outbox.add(records)
    return Confirmation(
        reception_number=reception_number,
        pdf=pdf,
        keys=tuple(r.uuid for r in records),
        forms=tuple(forms),
        call_number=number or "",
    )
