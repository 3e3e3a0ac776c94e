"""Each outbox row of a bundle holds only its own form: its record and its PDF.

Only a form that declares `uses_individual_number` may carry the individual number; the other
forms of the same application must not receive it through the shared session record or
through the combined PDF printed for the resident.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess

from forms.catalog import Catalog
from forms.payload.prune import record_for_form
from forms.sample_records import load_sample
from kiosk.confirm import confirm_application
from sync.sealing import open_sealed

CATALOG = Catalog.builtin()
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return "".join(out.stdout.decode("utf-8").split())


def _sample_with_card_number():
    record = load_sample("yoshino_household")
    assert record.card is not None and record.card.individual_number
    numbers = {record.card.individual_number}
    numbers |= {
        v for k, v in record.answers.items() if "individual_number" in k and isinstance(v, str)
    }
    assert all(len(n) == 12 and n.isdigit() for n in numbers)
    return record, numbers


def test_record_for_form_drops_the_number_without_legal_basis():
    record, numbers = _sample_with_card_number()
    record.answers["signature"] = PNG_1PX
    for template_id in CATALOG.bundle("moving_in").templates:
        template = CATALOG.get(template_id)
        kept = record_for_form(record, template)
        dumped = kept.model_dump_json()
        assert kept.id == record.id
        assert kept.answers["signature"] == PNG_1PX
        if template.uses_individual_number:
            assert kept.card is not None
            assert kept.card.individual_number == record.card.individual_number  # type: ignore[union-attr]
        else:
            assert not any(n in dumped for n in numbers), template_id
    assert record.card.individual_number in numbers  # type: ignore[union-attr]  # caller's intact


def test_bundle_rows_carry_only_their_own_form(outbox, office_key):
    record, numbers = _sample_with_card_number()
    bundle = CATALOG.bundle("moving_in")
    templates = [CATALOG.get(t) for t in bundle.templates]
    assert {t.id for t in templates if t.uses_individual_number} == {"kokuho"}
    done = confirm_application(
        record,
        templates,
        outbox=outbox,
        office_public_key=office_key.public_key(),
        kiosk_id="kiosk-p1",
        signature_png=PNG_1PX,
    )
    # The printed PDF still holds every form of the application.
    printed = _text(done.pdf)
    assert all("".join(t.title.ja.split()) in printed for t in templates)

    bodies = {b["template_id"]: b for b in (json.loads(p.body) for p in outbox.pending())}
    assert set(bodies) == set(bundle.templates)
    for template in templates:
        content = open_sealed(bodies[template.id]["sealed"], office_key)
        record_json = json.dumps(content.record, ensure_ascii=False)
        pdf = base64.b64decode(content.pdf)
        text = _text(pdf)
        assert base64.b64decode(content.record["answers"]["signature"]) == PNG_1PX
        for other in templates:
            title = "".join(other.title.ja.split())
            assert (title in text) == (other.id == template.id), (template.id, other.id)
        if template.uses_individual_number:
            assert content.record["card"]["individual_number"] == record.card.individual_number  # type: ignore[union-attr]
        else:
            for number in numbers:
                assert number not in record_json, template.id
                assert number not in text, template.id


def test_each_form_is_rendered_once_and_the_printed_pdf_is_them_joined(outbox, office_key):
    """A bundle of N forms costs N renders; what prints is exactly the stored forms in order,
    numbered through the whole application."""
    from pypdf import PdfReader

    from printing.render import render_each

    record, _numbers = _sample_with_card_number()
    templates = [CATALOG.get(t) for t in CATALOG.bundle("moving_in").templates]
    calls: list[list[str]] = []

    def counting(forms, **options):  # type: ignore[no-untyped-def]
        calls.append([f.template.id for f in forms])
        return render_each(forms, **options)

    done = confirm_application(
        record,
        templates,
        outbox=outbox,
        office_public_key=office_key.public_key(),
        kiosk_id="kiosk-p2",
        signature_png=PNG_1PX,
        render=counting,
    )
    assert calls == [[t.id for t in templates]]  # one call, each form once
    stored = {}
    for item in outbox.pending():
        body = json.loads(item.body)
        stored[body["template_id"]] = base64.b64decode(open_sealed(body["sealed"], office_key).pdf)
    printed = PdfReader(io.BytesIO(done.pdf)).pages
    pages = [page for t in templates for page in PdfReader(io.BytesIO(stored[t.id])).pages]
    assert len(printed) == len(pages) == sum(len(t.layout.pages) for t in templates)
    total = len(pages)
    for number, (ours, theirs) in enumerate(zip(printed, pages, strict=True), start=1):
        assert ours.extract_text() == theirs.extract_text()
        assert f"{number} / {total}" in ours.extract_text()
