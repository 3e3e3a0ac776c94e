"""The guided pages for households of 1, 2 and 4 people, each ending in a QR code that the
kiosk's own camera reader (`devices.qr.frames.CameraSource`) reads and the counter decodes
to the same record.

The samples are picked by life event (`forms/samples/index`): the moving-in samples of one,
two and four persons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from preentry_support import (
    complete_pairs,
    fitting_samples,
    hidden,
    is_result,
    is_summary,
    navigated_forms,
    on_sample_day,
    svg_matrix,
)

from devices.qr.frames import CameraSource
from forms.catalog import Catalog
from forms.fill import fill, slots
from forms.payload import decode_payload
from preentry.webform import Procedure, procedure_url, procedures


def moving_in() -> Procedure:
    return next(p for p in procedures(Catalog.builtin()) if p.id == "moving_in")


def by_size() -> dict[int, str]:
    """One moving-in sample per household size (the first of each size)."""
    out: dict[int, str] = {}
    for name, record in sorted(fitting_samples(moving_in()).items()):
        out.setdefault(len(record.persons), name)
    return out


def camera_frame(page: str, module: int = 6) -> np.ndarray:
    """The page's QR as a camera would see a phone screen: 1280×720 grey, the code in the
    middle with its quiet zone."""
    matrix = svg_matrix(page)
    code = np.kron(np.where(matrix, 40, 235), np.ones((module, module))).astype(np.uint8)
    frame = np.full((720, 1280), 200, dtype=np.uint8)
    h, w = code.shape
    assert h <= 720 and w <= 1280, "the code fits the frame"
    top, left = (720 - h) // 2, (1280 - w) // 2
    frame[top : top + h, left : left + w] = code
    return frame


@pytest.mark.parametrize("size", [1, 2, 4])
def test_guided_path_ends_in_a_qr_the_kiosk_reads_to_the_same_record(
    client: TestClient, keys: Any, clock: Any, catalog: Catalog, size: int
) -> None:
    procedure = moving_in()
    name = by_size().get(size)
    assert name, f"a moving-in sample of {size} person(s) in forms/samples"
    record = fitting_samples(procedure)[name]
    on_sample_day(clock, record)
    pages: list[str] = []
    _, result, asked = complete_pairs(
        client, procedure_url(procedure), f"people={size}", record, pages=pages
    )
    assert is_result(result.text) and is_summary(pages[-2])
    # one topic per page: every household member has a page of their own
    assert pages[-2].count('value="edit:member_') == size - 1
    state = hidden(result.text, "_state")[0]
    assert len(state) < 4_000, len(state)

    reader = CameraSource()
    try:
        texts = reader.feed(camera_frame(result.text), timestamp=0.0)
    finally:
        reader.close()
    assert len(texts) == 1 and texts[0].isdigit()
    decoded = decode_payload(
        texts[0],
        counter_private_key=keys.counter_private,
        signer_public_keys=[keys.signing_public],
        catalog=catalog,
        now=clock.now + dt.timedelta(minutes=5),
    )
    # the navigator chose the forms from the household's ages and the sample's answers
    forms = [catalog.get(t) for t in navigated_forms(catalog, procedure, record)]
    assert decoded.templates == [(t.id, t.version) for t in forms]
    assert len(decoded.record.persons) == size
    assert [p.name for p in decoded.record.persons] == [p.name for p in record.persons]
    assert [p.birth_date for p in decoded.record.persons] == [p.birth_date for p in record.persons]
    for template in forms:
        want, got = fill(template, record), fill(template, decoded.record)
        assert got.ok, [str(e) for e in got.errors]
        for slot in slots(template, decoded.record):
            if slot.path.text in asked:
                a, b = got.values.get(slot.ref), want.values.get(slot.ref)
                if slot.spec.type == "checkbox":  # an unticked HTML box cannot say "no"
                    a, b = bool(a), bool(b)
                assert a == b, slot.ref
