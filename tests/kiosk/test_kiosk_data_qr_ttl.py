"""The data QR on paper stays readable for the paper's retention period, not 30 days."""

import datetime as dt

import pytest

from forms.catalog import Catalog
from forms.payload import PayloadKind, decode_payload
from forms.payload.errors import PayloadExpired
from forms.payload.keys import generate_counter_keypair, generate_signing_keypair
from forms.sample_records import load_sample
from printing.data_qr import DATA_QR_TTL, DataQrStamper


def test_a_year_old_printout_still_scans_back() -> None:
    catalog = Catalog.builtin()
    office_private, office_public = generate_counter_keypair()
    kiosk_private, kiosk_public = generate_signing_keypair()
    stamper = DataQrStamper(kiosk_private, office_public)
    template = catalog.get("juminhyo")
    digits = stamper.digits(load_sample("yoshino_household"), template)
    now = dt.datetime.now(dt.UTC)

    def decode_at(when: dt.datetime):
        return decode_payload(
            digits,
            counter_private_key=office_private,
            signer_public_keys=[kiosk_public],
            catalog=catalog,
            kind=PayloadKind.PAPER,
            now=when,
        )

    decoded = decode_at(now + dt.timedelta(days=400))
    assert decoded.templates == [("juminhyo", template.version)]
    assert decoded.expires_at - decoded.issued_at == DATA_QR_TTL
    with pytest.raises(PayloadExpired):
        decode_at(now + DATA_QR_TTL + dt.timedelta(days=2))
