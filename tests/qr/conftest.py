"""QR tests: keys, the catalogue and a good payload, shared by the test modules of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.fill import fill
from forms.payload import encode_payload, prune_record
from forms.payload import keys as payload_keys
from forms.sample_records import load_sample


@pytest.fixture(scope="session")
def qr_catalog() -> Catalog:
    return Catalog.builtin()


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory) -> Path:
    """A complete key set, as `madoguchi keys demo` writes it."""
    folder = tmp_path_factory.mktemp("keys")
    counter, counter_pub = payload_keys.generate_counter_keypair()
    payload_keys.save_private_key(counter, folder / payload_keys.COUNTER_PRIVATE)
    payload_keys.save_public_key(counter_pub, folder / payload_keys.COUNTER_PUBLIC)
    for name in ("preentry", "kiosk"):
        signing, signing_pub = payload_keys.generate_signing_keypair()
        payload_keys.save_private_key(signing, folder / payload_keys.signing_private_name(name))
        payload_keys.save_public_key(signing_pub, folder / payload_keys.signing_public_name(name))
    return folder


@pytest.fixture(scope="session")
def idou_payload(key_dir, qr_catalog) -> str:
    """The four-person household's 住民異動届 as payload digits."""
    template = qr_catalog.get("idou")
    record = load_sample("yoshino_household")
    assert fill(template, record).ok
    return encode_payload(
        prune_record(record, [template]),
        [(template.id, template.version)],
        signing_key=payload_keys.load_signing_private_key(key_dir / "preentry-signing.key"),
        counter_public_key=payload_keys.load_counter_public_key(key_dir / "counter.pub"),
    )
