"""The demo's embedded back office and the kiosk's data QR on every printed page.

- `madoguchi demo --headless` (a fresh process, as the README runs it) ends with the
  application ARRIVED in the embedded back office: its receipt numbers, per form;
- the kiosk's confirm step stamps each page of each shipped form with a data QR that decodes
  (zxing-cpp on pdftoppm's rendering) back to that form's data, verifiable with the kiosk's
  public key only, and carrying neither the signature image nor an individual number;
- `madoguchi print --keys DIR` stamps the same QR;
- the embedded office's threads stop on close; a record that never arrives is a typed error.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from forms.catalog import Catalog
from forms.fill import fill
from forms.payload import PayloadKind, decode_payload, keys
from forms.payload.errors import SignatureMismatch
from forms.payload.keys import load_counter_private_key
from forms.record import SessionRecord
from forms.sample_records import load_sample, sample_names
from madoguchi.demo.embedded_office import DemoOffice, NotDelivered
from printing.data_qr import data_qr_record
from tests.kiosk.kioskkit import SAMPLE_STRINGS, TINY_PNG, run_madoguchi

CATALOG = Catalog.builtin()
RECEIPT = re.compile(r"^\d{4}-\d{6}$")
OFFICE_THREADS = ("embedded-backoffice", "outbox-pusher", "demo-office-start")


def page_codes(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """The QR texts found on each page of a PDF rendered by poppler at 150 dpi."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(source), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    out = []
    for png in sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])):
        with Image.open(png) as image:
            found = zxingcpp.read_barcodes(image)
        out.append([c.text for c in found if c.format == zxingcpp.BarcodeFormat.QRCode])
    return out


def valid_record(template_id: str) -> SessionRecord:
    """The first sample resident whose record fills this form without errors."""
    template = CATALOG.get(template_id)
    for name in sample_names():
        record = load_sample(name)
        if fill(template, record).ok:
            return record
    pytest.fail(f"no sample record validates {template_id}")


# ---- madoguchi demo --headless: the application arrives ----------------------------------


def demo_forms() -> list[str]:
    """The forms the procedure navigator chooses for the demo's resident (alone, no child,
    はい to DEMO_NAVIGATOR_YES): 住民異動届 and 国民健康保険, no 児童手当."""
    from forms.navigator import answer, navigate
    from kiosk.demo import DEMO_NAVIGATOR_YES, DEMO_SAMPLE

    bundle = CATALOG.bundle("moving_in")
    record = load_sample(DEMO_SAMPLE)
    while to_ask := navigate(bundle, record, CATALOG).to_ask:
        answer(record, bundle, to_ask[0].id, to_ask[0].id in DEMO_NAVIGATOR_YES)
    return navigate(bundle, record, CATALOG).template_ids()


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    done = run_madoguchi("demo", "--headless", "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out, json.loads(done.stdout), done


def test_demo_headless_ends_with_the_application_in_the_back_office(demo_run):
    out, report, _ = demo_run
    receipts = report["backoffice_receipts"]
    assert len(receipts) == len(demo_forms())  # one application per form the navigator chose
    assert all(RECEIPT.match(r) for r in receipts) and len(set(receipts)) == len(receipts)
    assert report["backoffice_applications"] == len(receipts)
    engine = create_engine(f"sqlite:///{out / 'backoffice' / 'backoffice.db'}")
    with Session(engine) as session:
        from backoffice.models import Application

        rows = session.execute(
            select(Application.receipt_number, Application.template_id, Application.kiosk_id)
        ).all()
    engine.dispose()
    assert sorted(r[0] for r in rows) == sorted(receipts)
    assert sorted(r[1] for r in rows) == sorted(demo_forms()) == ["idou", "kokuho"]
    assert {r[2] for r in rows} == {"demo-kiosk"}


def test_demo_headless_writes_pdfs_screenshots_and_no_personal_data_on_the_console(demo_run):
    _, report, done = demo_run
    assert report["reception_number"]
    assert len(report["printed"]) == 2  # the application and the slip
    for path in report["printed"]:
        assert Path(path).read_bytes()[:5] == b"%PDF-"
    for path in report["screenshots"]:
        assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [s for s in SAMPLE_STRINGS if s in done.stdout + done.stderr]


def test_demo_pdf_pages_carry_data_qr_signed_by_the_demo_kiosk(demo_run, tmp_path):
    out, report, _ = demo_run
    office_key = load_counter_private_key(out / "backoffice" / "office_key.pem")
    kiosk_public = keys.load_signing_public_key(out / "keys" / "kiosk-signing.pub")
    application = Path(report["printed"][0]).read_bytes()
    pages = page_codes(application, tmp_path)
    forms = [CATALOG.get(t) for t in demo_forms()]
    expected = [t.id for t in forms for _ in t.layout.pages]
    assert len(pages) == len(expected)
    for codes, template_id in zip(pages, expected, strict=True):
        assert len(codes) == 1
        decoded = decode_payload(
            codes[0],
            counter_private_key=office_key,
            signer_public_keys=[kiosk_public],
            catalog=CATALOG,
            kind=PayloadKind.PAPER,
        )
        assert [t for t, _ in decoded.templates] == [template_id]
        assert decoded.record.persons[0].name.family == "見本"


def test_the_demo_kiosk_signing_key_is_registered_with_its_terminal(demo_run):
    out, _, _ = demo_run
    from backoffice.models import Terminal

    engine = create_engine(f"sqlite:///{out / 'backoffice' / 'backoffice.db'}")
    with Session(engine) as session:
        terminal = session.scalars(select(Terminal).where(Terminal.name == "demo-kiosk")).one()
        registered = terminal.signing_public_key
    engine.dispose()
    pem = (out / "keys" / "kiosk-signing.pub").read_text("ascii")
    assert registered is not None and registered.strip() == pem.strip()


# ---- the confirm step's data QR, for every shipped form ----------------------------------


@pytest.mark.parametrize("template_id", [t.id for t in CATALOG.latest()])
def test_every_page_of_every_form_decodes_back_to_its_data(kit, tmp_path, template_id):
    template = CATALOG.get(template_id)
    record = valid_record(template_id)
    for spec in template.fields:  # a form with a signature field carries the image too
        if spec.type == "signature":
            record.answers[template.prefill_of(spec).removeprefix("answers.")] = TINY_PNG
    done = kit.services.confirmer.confirm(
        record, [template], signature_png=TINY_PNG, mode="resident"
    )
    pages = page_codes(done.pdf, tmp_path)
    assert len(pages) == len(template.layout.pages)
    office_key = load_counter_private_key(kit.out_dir / "backoffice" / "office_key.pem")
    expected = data_qr_record(record, template).model_dump(mode="json")
    for codes in pages:
        assert len(codes) == 1
        decoded = decode_payload(
            codes[0],
            counter_private_key=office_key,
            signer_public_keys=[kit.kiosk_public_key],
            catalog=CATALOG,
            kind=PayloadKind.PAPER,
        )
        assert decoded.templates == [(template.id, template.version)]
        assert decoded.record.model_dump(mode="json") == expected
        carried = json.dumps(expected, ensure_ascii=False)
        assert base64.b64encode(TINY_PNG).decode()[:40] not in carried  # no signature image
        with pytest.raises(SignatureMismatch):  # only this kiosk's key verifies it
            decode_payload(
                codes[0],
                counter_private_key=office_key,
                signer_public_keys=[keys.generate_signing_keypair()[1]],
                catalog=CATALOG,
                kind=PayloadKind.PAPER,
            )


def test_data_qr_record_leaves_out_signatures_and_individual_numbers():
    for template in CATALOG.latest():
        record = valid_record(template.id)
        for spec in template.fields:
            path = template.prefill_of(spec)
            if spec.type == "signature" and path.startswith("answers."):
                record.answers[path.removeprefix("answers.")] = TINY_PNG
            if spec.type == "individual_number" and path.startswith("answers."):
                record.answers[path.removeprefix("answers.")] = "123456789018"
        kept = data_qr_record(record, template)
        for value in kept.answers.values():
            assert not isinstance(value, bytes) and value != "123456789018"
        assert fill(template, kept).ok  # what is left still validates, as the reader checks


def test_print_command_stamps_the_data_qr_with_keys(tmp_path):
    folder = tmp_path / "keys"
    made = run_madoguchi("keys", "signing", "--name", "kiosk", "--out", str(folder))
    assert made.returncode == 0, made.stderr
    office_private = keys.generate_counter_keypair()[0]
    keys.save_public_key(office_private.public_key(), tmp_path / "office.pub")
    template = CATALOG.get("juminhyo")
    data = tmp_path / "record.json"
    data.write_text(valid_record("juminhyo").model_dump_json(), "utf-8")
    pdf = tmp_path / "out.pdf"
    argv = ["print", "--template", "juminhyo", "--data", str(data), "--out", str(pdf)]
    plain = run_madoguchi(*argv)
    assert plain.returncode == 0, plain.stderr
    assert page_codes(pdf.read_bytes(), tmp_path / "plain") == [[]] * len(template.layout.pages)
    stamped = run_madoguchi(
        *argv, "--keys", str(folder), "--office-key", str(tmp_path / "office.pub")
    )
    assert stamped.returncode == 0, stamped.stderr
    kiosk_public = keys.load_signing_public_key(folder / "kiosk-signing.pub")
    for codes in page_codes(pdf.read_bytes(), tmp_path / "stamped"):
        decoded = decode_payload(
            codes[0],
            counter_private_key=office_private,
            signer_public_keys=[kiosk_public],
            catalog=CATALOG,
            kind=PayloadKind.PAPER,
        )
        assert decoded.templates == [("juminhyo", template.version)]
    missing = run_madoguchi(*argv, "--keys", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "kiosk-signing.key" in missing.stderr


# ---- the embedded office in-process -------------------------------------------------------


def test_embedded_office_delivers_and_stops_its_threads(kit):
    office = kit.start_office()
    record = valid_record("juminhyo")
    done = kit.services.confirmer.confirm(
        record, [CATALOG.get("juminhyo")], signature_png=TINY_PNG, mode="resident"
    )
    receipts = office.wait_delivered(done.keys, timeout=30)
    assert len(receipts) == 1 and RECEIPT.match(receipts[0])
    assert office.backoffice.applications() == 1
    assert "mdt_" not in repr(office.backoffice)  # the token never shows
    kit.office.close()
    alive = [t.name for t in threading.enumerate() if t.name in OFFICE_THREADS]
    assert alive == []


def test_a_record_that_never_arrives_is_a_typed_error(tmp_path):
    from sync.application import ingest_key

    office = DemoOffice(tmp_path / "office", tmp_path / "outbox.sqlite3")  # never started
    key = ingest_key(SessionRecord().id, "juminhyo")
    with pytest.raises(NotDelivered) as caught:
        office.wait_delivered([key], timeout=0.3)
    assert (caught.value.delivered, caught.value.expected) == (0, 1)
    assert caught.value.code == "demo_not_delivered" and caught.value.en
    office.close()


def test_office_key_files_are_made_once_with_a_private_mode(tmp_path):
    office = DemoOffice(tmp_path / "office", tmp_path / "outbox.sqlite3")
    first = office.office_public_key
    again = DemoOffice(tmp_path / "office", tmp_path / "outbox.sqlite3").office_public_key
    assert keys.public_bytes(first) == keys.public_bytes(again)
    assert (tmp_path / "office" / "office_key.pem").stat().st_mode & 0o077 == 0
