"""Keep only what the named templates read, so a QR code carries no more than its forms need.

A pre-entry record (or a kiosk session) may hold answers for every form of a visit; the QR for
one form need not carry the others. Persons are kept whole (groups choose them by relation);
addresses, dates, answers and `qr` values are kept only where a slot of a template reads them;
card data only if a template reads it: a template that reads only the card's individual number
keeps the card only with `individual_number=True` (a QR code never carries the number, so
there the card would only repeat person 0). `id` and `today` are always kept.

`record_for_form` is what one form of a confirmed application stores at the back office: the
record pruned to that form, without the card's individual number unless the form declares
`uses_individual_number`, and with the resident's signature (`answers["signature"]`).
"""

from __future__ import annotations

from forms.fill import slots
from forms.record import SessionRecord
from forms.template import Template


def prune_record(
    record: SessionRecord, templates: list[Template], *, individual_number: bool = False
) -> SessionRecord:
    kept = SessionRecord(id=record.id, today=record.today)
    kept.persons = [p.model_copy(deep=True) for p in record.persons]
    for template in templates:
        for slot in slots(template, record):
            path = slot.path
            match path.root:
                case "card":
                    if individual_number or path.parts != ("individual_number",):
                        kept.card = record.card
                case "address":
                    key = path.parts[0]
                    if key in record.addresses:
                        kept.addresses[key] = record.addresses[key].model_copy()
                case "date":
                    key = path.parts[0]
                    if key in record.dates:
                        kept.dates[key] = record.dates[key]
                case "answers":
                    key = ".".join(path.parts)
                    if key in record.answers:
                        kept.answers[key] = record.answers[key]
                case "qr":
                    key = ".".join(path.parts)
                    if key in record.qr:
                        kept.qr[key] = record.qr[key]
    return kept


SIGNATURE_ANSWER = "signature"  # where kiosk.confirm puts the resident's signature (PNG)


def record_for_form(record: SessionRecord, template: Template) -> SessionRecord:
    """`record` as far as `template` needs it; the individual number only if it declares it."""
    kept = prune_record(record, [template], individual_number=True)
    if kept.card is not None:
        kept.card = kept.card.model_copy()
        if not template.uses_individual_number:
            kept.card.individual_number = None
    if SIGNATURE_ANSWER in record.answers:
        kept.answers[SIGNATURE_ANSWER] = record.answers[SIGNATURE_ANSWER]
    return kept
