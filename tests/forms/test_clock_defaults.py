"""What takes the time without being handed a clock takes it from `office_clock()`: the office's
date, whatever the machine's zone. The system clock is frozen with time-machine one second
before and at the office's New Year (2026-12-31T15:00Z is 2027-01-01 in Tokyo)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from forms.catalog import Catalog
from forms.clock import OfficeClock, office_clock
from forms.fill import fill
from forms.payload import decode_payload, encode_payload
from forms.payload.errors import PayloadExpired
from forms.record import SessionRecord
from forms.sample_records import load_sample

BEFORE = dt.datetime(2026, 12, 31, 14, 59, 59, tzinfo=dt.UTC)
AT = dt.datetime(2026, 12, 31, 15, 0, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("machine_zone")


@pytest.mark.parametrize(
    ("moment", "day"), [(BEFORE, dt.date(2026, 12, 31)), (AT, dt.date(2027, 1, 1))]
)
def test_a_new_session_is_dated_on_the_offices_day(moment: dt.datetime, day: dt.date) -> None:
    with time_machine.travel(moment, tick=False):
        assert office_clock().now() == moment
        assert office_clock().today() == day
        assert SessionRecord().today == day
        # and the forms dated "today" print that day's era date
        form = fill(Catalog.builtin().get("juminhyo"), load_sample("yoshino_household"))
        assert form.values["requested_on"] == dt.date(2025, 4, 7)  # the sample's own day
        record = load_sample("yoshino_household").model_copy(
            update={"today": SessionRecord().today}
        )
        form = fill(Catalog.builtin().get("juminhyo"), record)
        assert form.text("requested_on").startswith("令和8年" if day.year == 2026 else "令和9年")


def test_a_payload_is_stamped_and_checked_on_the_same_clock() -> None:
    signing, counter = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    record = load_sample("mihon_showa_last_day")
    catalog = Catalog.builtin()
    common = {
        "counter_private_key": counter,
        "signer_public_keys": [signing.public_key()],
        "catalog": catalog,
    }
    with time_machine.travel(AT, tick=False):
        digits = encode_payload(
            record,
            [("juminhyo", 1)],
            signing_key=signing,
            counter_public_key=counter.public_key(),
            ttl=dt.timedelta(days=1),
        )
        assert decode_payload(digits, **common).issued_at == AT
    with time_machine.travel(AT + dt.timedelta(days=1), tick=False), pytest.raises(PayloadExpired):
        decode_payload(digits, **common)


def test_an_injected_clock_wins_over_the_system_clock() -> None:
    fixed = OfficeClock.fixed(AT)
    with time_machine.travel(BEFORE, tick=False):
        assert fixed.today() == dt.date(2027, 1, 1)
        assert office_clock().today() == dt.date(2026, 12, 31)
