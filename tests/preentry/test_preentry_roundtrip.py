"""Every procedure the site offers, filled in from every sample resident, read back from the QR.

The catalogue is iterated, not named: a template or bundle added to forms/ is covered here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from preentry_support import (
    complete_pairs,
    navigated_forms,
    qr_text_from_page,
    samples,
)

from forms.catalog import Catalog
from forms.fill import fill, slots
from forms.payload import decode_payload
from forms.record import SessionRecord
from forms.sample_records import sample_info
from preentry.webform import Procedure, procedure_url, procedures

SAMPLES = samples()


def _cases() -> list[Any]:
    catalog = Catalog.builtin()
    cases = []
    for procedure in procedures(catalog):
        wanted = {t.id for t in procedure.templates}
        for name in SAMPLES:
            if wanted <= set(sample_info(name).forms):  # the sample's life event fills them
                cases.append(
                    pytest.param(procedure, name, id=f"{procedure.kind}-{procedure.id}-{name}")
                )
    return cases


def _usable(procedure: Procedure, record: SessionRecord, with_optional: bool) -> bool:
    templates = [*procedure.templates, *(procedure.optional if with_optional else ())]
    return all(fill(t, record).ok for t in templates)


def people_query(procedure: Procedure, record: SessionRecord) -> str:
    if not procedure.has_groups:
        return "people=0"
    low, high = procedure.people_range()
    return f"people={len(record.persons)}" if low <= len(record.persons) <= high else ""


def submit(
    client: TestClient,
    procedure: Procedure,
    record: SessionRecord,
    *,
    extra: tuple[str, ...] = (),
    western: bool = False,
) -> tuple[Any, list[str]]:
    query = people_query(procedure, record) + "".join(f"&with={e}" for e in extra)
    _, response, asked = complete_pairs(
        client, procedure_url(procedure), query, record, western=western
    )
    return response, asked


def test_every_procedure_has_a_sample() -> None:
    covered = {case.values[0].id for case in _cases()}
    assert covered == {p.id for p in procedures(Catalog.builtin())}


@pytest.mark.parametrize(("procedure", "sample"), _cases())
def test_every_procedure_round_trips_through_the_qr(
    client: TestClient,
    keys: Any,
    clock: Any,
    catalog: Catalog,
    *,
    procedure: Procedure,
    sample: str,
) -> None:
    record = SAMPLES[sample]
    # filled on the sample's day: forms that list persons by age (出生: the newborn) agree
    clock.now = dt.datetime.combine(record.today, dt.time(3), tzinfo=dt.UTC)
    if not _usable(procedure, record, with_optional=False) or not people_query(procedure, record):
        pytest.fail(f"sample {sample} does not fit {procedure.id}: add a sample that does")
    response, asked = submit(client, procedure, record)
    assert response.status_code == 200, response.text[:2000]
    assert "QR" in response.text and "<svg" in response.text

    digits = qr_text_from_page(response.text)
    assert digits.isdigit(), "numeric mode: digits only"
    decoded = decode_payload(
        digits,
        counter_private_key=keys.counter_private,
        signer_public_keys=[keys.signing_public],
        catalog=catalog,
        now=clock.now,
    )
    # a life event's forms are the navigator's choice for the sample's household and answers
    forms = [catalog.get(t) for t in navigated_forms(catalog, procedure, record)]
    assert decoded.templates == [(t.id, t.version) for t in forms]
    assert asked, "the form asked something"
    # The same clean values as the kiosk gets from the sample itself, for every asked slot.
    for template in forms:
        from_sample = fill(template, record)
        from_qr = fill(template, decoded.record)
        assert from_qr.ok, [str(e) for e in from_qr.errors]
        compared = 0
        for slot in slots(template, decoded.record):
            if slot.path.text in asked:
                got, want = from_qr.values.get(slot.ref), from_sample.values.get(slot.ref)
                if slot.spec.type == "checkbox":  # an unticked HTML box cannot say "no"
                    got, want = bool(got), bool(want)
                assert got == want, slot.ref
                compared += 1
        assert compared, f"{template.id}: some field came from the form"
    # nothing but what was asked: the card part stays empty
    assert decoded.record.card is None


def test_bundle_with_an_optional_form_names_it_in_the_qr(
    client: TestClient, keys: Any, clock: Any, catalog: Catalog
) -> None:
    bundles = [p for p in procedures(catalog) if p.kind == "b" and p.optional]
    assert bundles, "the shipped catalogue has a bundle with optional forms (moving_in)"
    for procedure in bundles:
        record = next(r for r in SAMPLES.values() if _usable(procedure, r, with_optional=True))
        extra = tuple(t.id for t in procedure.optional)
        clock.now = dt.datetime.combine(record.today, dt.time(3), tzinfo=dt.UTC)
        response, _ = submit(client, procedure, record, extra=extra)
        assert response.status_code == 200
        decoded = decode_payload(
            qr_text_from_page(response.text),
            counter_private_key=keys.counter_private,
            signer_public_keys=[keys.signing_public],
            catalog=catalog,
            now=clock.now,
        )
        # the options ticked on the household step stay on the navigator's list (added)
        ids = {*navigated_forms(catalog, procedure, record), *extra}
        want = [(t.id, t.version) for t in (*procedure.templates, *procedure.optional)]
        assert decoded.templates == [w for w in want if w[0] in ids]
        assert all(decoded.templates.count(w) == 1 for w in decoded.templates)


def test_western_dates_are_accepted_as_well(
    client: TestClient, keys: Any, clock: Any, catalog: Catalog
) -> None:
    procedure = next(p for p in procedures(catalog) if p.kind == "b" and p.id == "moving_in")
    record = SAMPLES["yoshino_household"]  # a household of four
    clock.now = dt.datetime.combine(record.today, dt.time(3), tzinfo=dt.UTC)
    response, _ = submit(client, procedure, record, western=True)
    decoded = decode_payload(
        qr_text_from_page(response.text),
        counter_private_key=keys.counter_private,
        signer_public_keys=[keys.signing_public],
        catalog=catalog,
        now=clock.now,
    )
    assert [p.birth_date for p in decoded.record.persons] == [p.birth_date for p in record.persons]


def test_result_page_gives_the_expiry_in_the_era_with_the_western_year(
    client: TestClient, clock: Any, catalog: Catalog
) -> None:
    procedure = next(p for p in procedures(catalog) if not p.has_groups)
    record = next(r for r in SAMPLES.values() if _usable(procedure, r, with_optional=False))
    clock.now = dt.datetime(2025, 4, 1, 3, 0, tzinfo=dt.UTC)
    response, _ = submit(client, procedure, record)
    # 30 days after 2025-04-01 12:00 JST
    assert "令和7年（2025年）5月1日" in response.text
    assert 'datetime="2025-05-01"' in response.text
    assert "窓口" in response.text


def test_the_qr_expires_after_the_configured_time(
    make_client: Any, keys: Any, catalog: Catalog, clock: Any
) -> None:
    from forms.payload.errors import PayloadExpired

    client = make_client(payload_ttl=dt.timedelta(days=3))
    procedure = next(p for p in procedures(catalog) if not p.has_groups)
    record = next(r for r in SAMPLES.values() if _usable(procedure, r, with_optional=False))
    response, _ = submit(client, procedure, record)
    digits = qr_text_from_page(response.text)
    common = {
        "counter_private_key": keys.counter_private,
        "signer_public_keys": [keys.signing_public],
        "catalog": catalog,
    }
    decode_payload(digits, now=clock.now + dt.timedelta(days=2), **common)
    with pytest.raises(PayloadExpired):
        decode_payload(digits, now=clock.now + dt.timedelta(days=3, seconds=1), **common)
