"""Reception numbers run per office day: they start again at the office's midnight (Tokyo),
not the machine's or UTC's, in the outbox and in the kiosk's confirm step."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from forms.catalog import Catalog
from forms.clock import OfficeClock
from forms.sample_records import load_sample
from kiosk.confirm import confirm_application
from sync.outbox import Outbox
from sync.protocol import IngestRecord

BEFORE = dt.datetime(2026, 12, 31, 14, 59, 59, tzinfo=dt.UTC)  # 23:59:59 on 31 Dec in Tokyo
AT = dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC)  # 00:00 on 1 Jan 2027 in Tokyo

pytestmark = pytest.mark.usefixtures("machine_zone")


def test_the_outbox_day_turns_at_the_offices_midnight(tmp_path) -> None:
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        before, at = OfficeClock.fixed(BEFORE), OfficeClock.fixed(AT)
        assert outbox.next_reception_number("k1", clock=before) == "k1-1231-0001"
        assert outbox.next_reception_number("k1", clock=before) == "k1-1231-0002"
        assert outbox.next_reception_number("k1", clock=at) == "k1-0101-0001"


def test_confirm_numbers_by_the_offices_day(tmp_path) -> None:
    office = X25519PrivateKey.generate().public_key()
    template = Catalog.builtin().get("juminhyo")
    numbers = []
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        for moment in (BEFORE, AT):
            record = load_sample("mihon_showa_last_day").model_copy(update={"id": uuid.uuid4()})
            done = confirm_application(
                record,
                [template],
                outbox=outbox,
                office_public_key=office,
                kiosk_id="k1",
                render=lambda forms, **_: [b"%PDF-1.4 stand-in" for _ in forms],
                clock=OfficeClock.fixed(moment),
            )
            numbers.append(done.reception_number)
            (row,) = [r for r in outbox.pending() if r.uuid == done.keys[0]]
            assert IngestRecord.model_validate_json(row.body).created_at == moment  # UTC
    assert numbers == ["k1-1231-0001", "k1-0101-0001"]
