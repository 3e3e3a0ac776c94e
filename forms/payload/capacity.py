"""The households the QR format is sized for (docs/qr-payload.md §9).

`madoguchi bench qr` and the tests measure the same records: the sample household of four
(𠮷, 髙 and 﨑 in its names, a spouse with another family name) moving in from Sapporo to
Shinjuku, with addresses as long as real ones get (60+ characters with the building), as the
pre-entry site makes it (no card: a phone has no card reader).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.catalog import Catalog
from forms.payload.codec import FORMAT_VERSION, encode_payload
from forms.payload.prune import prune_record
from forms.payload.qrimage import qr_version
from forms.record import Address, SessionRecord
from forms.sample_records import load_sample
from forms.template import Template

LONG_CURRENT = Address(
    postal_code="0640821",
    prefecture="北海道",
    city="札幌市中央区",
    rest="北一条西二十八丁目３番１５号　ザ・パークハウス円山ノースヒルズ・グランドレジデンス札幌円山公園北棟１８０３号室",
)
LONG_NEW = Address(
    postal_code="1600023",
    prefecture="東京都",
    city="新宿区",
    rest="西新宿六丁目１２番３４号　西新宿パークサイドタワーレジデンス・ザ・グランド新宿中央公園前サウスウイング２３０１号室",
)
BUNDLE = "moving_in"
HOUSEHOLD_SIZES = (1, 2, 4)


def long_address_household(persons: int) -> SessionRecord:
    """The first `persons` (1–4) of the sample household, with the long addresses."""
    record = load_sample("yoshino_household")
    if not 1 <= persons <= len(record.persons):
        raise ValueError(f"persons must be 1–{len(record.persons)}")
    record.card = None
    record.persons = record.persons[:persons]
    record.addresses["current"] = LONG_CURRENT.model_copy()
    record.addresses["new"] = LONG_NEW.model_copy()
    record.addresses["target"] = LONG_NEW.model_copy()
    return record


# The moving-in bundle as issue 15 sized it: its three default forms and seal registration.
# The navigator may add more forms for a household (children's medical aid, school, …); each
# adds its own answers, and `bench qr` reports those larger cases beside this one.
BUNDLE_FORMS = ("idou", "kokuho", "jidou_teate", "inkan")


def bundle_templates(catalog: Catalog) -> list[Template]:
    """The moving-in bundle's default forms plus seal registration (the sized case)."""
    bundle = next(b for b in catalog.bundles() if b.id == BUNDLE)
    listed = set(bundle.template_ids(include_optional=True))
    return [catalog.get(t) for t in BUNDLE_FORMS if t in listed]


def payload_cases(catalog: Catalog) -> dict[str, list[Template]]:
    """`bundle` and each of its forms alone: what the bench and the capacity test measure."""
    templates = bundle_templates(catalog)
    return {"bundle": templates, **{t.id: [t] for t in templates}}


@dataclass(frozen=True)
class PayloadSize:
    case: str  # "bundle" or a template id
    persons: int
    format_version: int
    digits: int
    qr_version: int  # at ECC M, as the QR encoder chooses it


def payload_sizes(
    catalog: Catalog,
    *,
    signing_key: Ed25519PrivateKey,
    counter_public_key: X25519PublicKey,
    issued_at: dt.datetime,
    format_versions: tuple[int, ...] = (1, FORMAT_VERSION),
) -> list[PayloadSize]:
    """Every case × household size × format version, encoded for real."""
    out = []
    for case, templates in payload_cases(catalog).items():
        ids = [(t.id, t.version) for t in templates]
        for persons in HOUSEHOLD_SIZES:
            record = prune_record(long_address_household(persons), templates)
            for version in format_versions:
                text = encode_payload(
                    record,
                    ids,
                    signing_key=signing_key,
                    counter_public_key=counter_public_key,
                    issued_at=issued_at,
                    format_version=version,
                )
                out.append(PayloadSize(case, persons, version, len(text), qr_version(text, "M")))
    return out
