"""Format 2 of the QR payload: the capacity target, format 1 still read, lifetimes bounded by
kind, postal-coded addresses, shared family names, and typed refusals for everything else."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.clock import OfficeClock
from forms.payload import (
    PayloadKind,
    capacity,
    codec,
    compact_v2,
    decode_payload,
    digits,
    encode_payload,
    errors,
    keys,
    prune_record,
    qr_version,
)
from forms.payload.capacity import (
    HOUSEHOLD_SIZES,
    LONG_CURRENT,
    LONG_NEW,
    bundle_templates,
    long_address_household,
    payload_cases,
)
from forms.record import Address, Person, PersonName, SessionRecord
from forms.sample_records import load_sample

ISSUED = dt.datetime(2025, 4, 1, 6, 0, tzinfo=dt.UTC)
NOW = ISSUED + dt.timedelta(days=1)
V20_M_DIGITS = 1600


def _encode(record, templates, ring, **kw) -> str:
    _, counter_pub, signing, _ = ring
    kw.setdefault("issued_at", ISSUED)
    ids = [(t.id, t.version) for t in templates]
    return encode_payload(record, ids, signing_key=signing, counter_public_key=counter_pub, **kw)


def _decode(text, ring, catalog, **kw):
    counter, _, _, signing_pub = ring
    kw.setdefault("now", NOW)
    return decode_payload(
        text, counter_private_key=counter, signer_public_keys=[signing_pub], catalog=catalog, **kw
    )


def _sealed(content: dict[int, Any], ring, *, version: int = codec.FORMAT_VERSION) -> str:
    """A payload around any content map, properly compressed, signed and encrypted: what a
    buggy or hostile issuer holding a trusted key could make."""
    _, counter_pub, signing, _ = ring
    form = codec.FORMATS[version]
    body = codec.deflate(cbor2.dumps(content), format_version=version)
    total = codec.MIN_MESSAGE_BYTES + len(body)
    header = codec.header_bytes(version, total, counter_pub)
    signature = signing.sign(form.signature_context + header + body)
    sealed = codec.SUITE.encrypt(signature + body, counter_pub, info=form.hpke_info + header)
    return digits.to_digits(header + sealed)


def _content(
    record: SessionRecord, *, lifetime: dt.timedelta, version: int = 2, kind: int | None = None
) -> dict:
    form = codec.FORMATS[version]
    content = {
        codec.K_TEMPLATES: [["juminhyo", 1]],
        codec.K_ISSUED: int(ISSUED.timestamp()),
        codec.K_EXPIRES: int((ISSUED + lifetime).timestamp()),
        codec.K_RECORD: form.compact(record),
    }
    if kind is not None:
        content[codec.K_KIND] = kind
    return content


def _through_cbor(record: SessionRecord) -> SessionRecord:
    """Compact, write and read CBOR, expand: what a reader gets back."""
    packed = cbor2.loads(cbor2.dumps(compact_v2.compact_record_v2(record), canonical=True))
    return SessionRecord.model_validate(compact_v2.expand_record_v2(packed))


@pytest.fixture(scope="module")
def juminhyo_record(catalog) -> SessionRecord:
    return prune_record(load_sample("mihon_showa_last_day"), [catalog.get("juminhyo")])


# --- capacity -----------------------------------------------------------------------------------


def test_the_reference_addresses_are_long_and_real() -> None:
    for address in (LONG_CURRENT, LONG_NEW):
        assert len(address.full) >= 60
        area = compact_v2.postal_area(address.postal_code)
        assert area is not None and address.rest.startswith(area.rest) and area.rest
        assert (area.prefecture, area.city) == (address.prefecture, address.city)


def test_the_four_person_moving_in_bundle_fits_version_20_at_ecc_m(catalog, ring) -> None:
    templates = bundle_templates(catalog)
    assert len(templates) == 4  # idou, kokuho, jidou_teate and the optional inkan
    record = prune_record(long_address_household(4), templates)
    text = _encode(record, templates, ring)
    assert len(text) <= V20_M_DIGITS
    assert qr_version(text, "M") <= 20  # the real encoder's choice, not a table look-up
    old = _encode(record, templates, ring, format_version=1)
    assert qr_version(old, "M") > 20  # what format 2 is for
    assert _decode(text, ring, catalog).record == record


@pytest.mark.parametrize("persons", HOUSEHOLD_SIZES)
def test_every_case_round_trips_and_is_smaller_than_format_1(catalog, ring, persons) -> None:
    for name, templates in payload_cases(catalog).items():
        record = prune_record(long_address_household(persons), templates)
        text = _encode(record, templates, ring)
        decoded = _decode(text, ring, catalog)
        assert decoded.record == record, name
        assert decoded.templates == [(t.id, t.version) for t in templates]
        assert (decoded.format_version, decoded.kind) == (2, PayloadKind.PREENTRY)
        assert len(text) < len(_encode(record, templates, ring, format_version=1)), name


# --- format 1 is still read while one can be alive -------------------------------------------


@pytest.fixture(scope="module")
def v1_good(catalog, ring, juminhyo_record) -> str:
    return _encode(juminhyo_record, [catalog.get("juminhyo")], ring, format_version=1)


def test_format_1_decodes_within_its_30_days(v1_good, ring, catalog, juminhyo_record) -> None:
    assert digits.from_digits(v1_good)[3] == 1
    last_moment = ISSUED + dt.timedelta(days=30) - dt.timedelta(seconds=1)
    decoded = _decode(v1_good, ring, catalog, now=last_moment)
    assert decoded.record == juminhyo_record and decoded.format_version == 1
    with pytest.raises(errors.PayloadExpired):
        _decode(v1_good, ring, catalog, now=ISSUED + dt.timedelta(days=30))


def test_format_1_tampering_and_wrong_key_are_refused(v1_good, ring, catalog) -> None:
    message = bytearray(digits.from_digits(v1_good))
    message[-5] ^= 0x01
    with pytest.raises(errors.CorruptPayload):
        _decode(digits.to_digits(bytes(message)), ring, catalog)
    other, _ = keys.generate_counter_keypair()
    with pytest.raises(errors.WrongKey):
        decode_payload(
            v1_good, counter_private_key=other, signer_public_keys=[ring[3]], catalog=catalog
        )
    _, stranger = keys.generate_signing_keypair()
    with pytest.raises(errors.SignatureMismatch):
        decode_payload(
            v1_good,
            counter_private_key=ring[0],
            signer_public_keys=[stranger],
            catalog=catalog,
            now=NOW,
        )


def test_a_format_1_printout_stays_readable_for_its_five_years(ring, catalog, juminhyo_record):
    text = _encode(
        juminhyo_record,
        [catalog.get("juminhyo")],
        ring,
        format_version=1,
        kind=PayloadKind.PAPER,
        ttl=PayloadKind.PAPER.max_lifetime,
    )
    later = ISSUED + dt.timedelta(days=4 * 365)
    assert _decode(text, ring, catalog, now=later, kind=PayloadKind.PAPER).format_version == 1
    # Format 1 does not say its kind: read as pre-entry, its 5-year life is too long.
    with pytest.raises(errors.PayloadLifetimeTooLong):
        _decode(text, ring, catalog)


# --- lifetimes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2])
def test_a_hundred_year_payload_is_refused_with_a_clear_message(
    ring, catalog, juminhyo_record, version
) -> None:
    text = _sealed(
        _content(juminhyo_record, lifetime=dt.timedelta(days=36525), version=version),
        ring,
        version=version,
    )
    with pytest.raises(errors.PayloadLifetimeTooLong) as caught:
        _decode(text, ring, catalog)
    assert caught.value.code == "payload_lifetime_too_long"
    assert "30 日" in caught.value.ja and "有効期間が長すぎます" in caught.value.ja
    assert "at most 30 days" in caught.value.en
    paper = _content(
        juminhyo_record,
        lifetime=dt.timedelta(days=36525),
        version=version,
        kind=int(PayloadKind.PAPER) if version == 2 else None,
    )
    with pytest.raises(errors.PayloadLifetimeTooLong) as as_paper:
        _decode(_sealed(paper, ring, version=version), ring, catalog, kind=PayloadKind.PAPER)
    assert as_paper.value.days == 5 * 366 and "1830 日" in as_paper.value.ja


@pytest.mark.parametrize(
    ("kind", "fits"),
    [(PayloadKind.PREENTRY, dt.timedelta(days=30)), (PayloadKind.PAPER, dt.timedelta(days=1830))],
)
def test_the_longest_life_of_each_kind_is_exact(ring, catalog, juminhyo_record, kind, fits):
    stated = int(kind) if kind is not PayloadKind.PREENTRY else None
    ok = _sealed(_content(juminhyo_record, lifetime=fits, kind=stated), ring)
    assert _decode(ok, ring, catalog, kind=kind).expires_at - ISSUED == fits
    too_long = fits + dt.timedelta(seconds=1)
    long_one = _sealed(_content(juminhyo_record, lifetime=too_long, kind=stated), ring)
    with pytest.raises(errors.PayloadLifetimeTooLong):
        _decode(long_one, ring, catalog, kind=kind)


def test_the_encoder_never_writes_a_life_longer_than_its_kind(ring, catalog, juminhyo_record):
    templates = [catalog.get("juminhyo")]
    with pytest.raises(errors.PayloadLifetimeTooLong):
        _encode(juminhyo_record, templates, ring, ttl=dt.timedelta(days=31))
    with pytest.raises(errors.PayloadLifetimeTooLong):
        _encode(
            juminhyo_record,
            templates,
            ring,
            ttl=dt.timedelta(days=1831),
            kind=PayloadKind.PAPER,
        )
    with pytest.raises(ValueError, match="positive"):
        _encode(juminhyo_record, templates, ring, ttl=dt.timedelta(0))
    paper = _encode(juminhyo_record, templates, ring, kind=PayloadKind.PAPER)
    decoded = _decode(paper, ring, catalog, kind=PayloadKind.PAPER)
    assert decoded.expires_at - decoded.issued_at == PayloadKind.PAPER.max_lifetime


def test_a_printout_is_not_a_pre_entry_code_nor_the_reverse(ring, catalog, juminhyo_record):
    templates = [catalog.get("juminhyo")]
    paper = _encode(juminhyo_record, templates, ring, kind=PayloadKind.PAPER)
    with pytest.raises(errors.PayloadWrongKind) as caught:
        _decode(paper, ring, catalog)
    assert "印刷された申請書" in caught.value.ja and "printed form" in caught.value.en
    preentry = _encode(juminhyo_record, templates, ring)
    with pytest.raises(errors.PayloadWrongKind):
        _decode(preentry, ring, catalog, kind=PayloadKind.PAPER)


def test_time_comes_from_the_office_clock(ring, catalog, juminhyo_record) -> None:
    # 23:59:59 UTC on New Year's Eve is already 1 January in Tokyo; expiry is an instant.
    issued = dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    templates = [catalog.get("juminhyo")]
    text = _encode(
        juminhyo_record, templates, ring, issued_at=None, clock=OfficeClock.fixed(issued)
    )
    expiry = issued + dt.timedelta(days=30)
    decoded = _decode(
        text, ring, catalog, now=None, clock=OfficeClock.fixed(expiry - dt.timedelta(seconds=1))
    )
    assert decoded.issued_at == issued
    with pytest.raises(errors.PayloadExpired):
        _decode(text, ring, catalog, now=None, clock=OfficeClock.fixed(expiry))
    with pytest.raises(ValueError, match="naive"):
        _encode(juminhyo_record, templates, ring, issued_at=dt.datetime(2025, 1, 1))  # noqa: DTZ001


# --- postal-coded addresses ----------------------------------------------------------------------


def _one_person(addresses: dict[str, Address]) -> SessionRecord:
    return SessionRecord(
        persons=[Person(name=PersonName(family="見本", given="花子"))], addresses=addresses
    )


def test_an_address_its_postal_code_determines_carries_only_the_code_and_the_rest() -> None:
    record = _one_person({"new": LONG_NEW})
    packed = compact_v2.compact_record_v2(record)
    assert _through_cbor(record) == record
    new = packed[3][compact_v2.KEY_TABLE_V2.index("new")]
    assert isinstance(new, list) and new[0] == 1600023
    assert new[1].decode("utf-16-be") == LONG_NEW.rest.removeprefix("西新宿")


@pytest.mark.parametrize(
    ("address", "coded"),
    [
        (Address(postal_code="1600023", prefecture="東京都", city="渋谷区", rest="西新宿"), False),
        (
            Address(postal_code="1600023", prefecture="東京都", city="新宿区", rest="歌舞伎町"),
            False,
        ),
        (Address(postal_code="0000000", prefecture="東京都", city="新宿区", rest="西新宿"), False),
        (Address(postal_code="", prefecture="東京都", city="新宿区", rest="西新宿一丁目"), False),
        (Address(prefecture="大阪府"), False),
        # a code that names no single town still determines its prefecture and city
        (
            Address(postal_code="6020000", prefecture="京都府", city="京都市上京区", rest="烏丸通"),
            True,
        ),
        (Address(postal_code="1600023", prefecture="東京都", city="新宿区", rest="西新宿"), True),
    ],
)
def test_other_addresses_round_trip_exactly(address, coded) -> None:
    record = _one_person({"current": address})
    packed = compact_v2.compact_record_v2(record)
    assert isinstance(packed[3][compact_v2.KEY_TABLE_V2.index("current")], list) is coded
    assert _through_cbor(record) == record


@pytest.mark.parametrize("lookup", ["unknown", "another_town"])
def test_a_reader_with_other_postal_data_refuses(ring, catalog, monkeypatch, lookup) -> None:
    templates = bundle_templates(catalog)
    record = prune_record(long_address_household(2), templates)
    text = _encode(record, templates, ring)

    def other_data(code: str) -> Address | None:
        if lookup == "unknown":
            return None
        return Address(postal_code=code, prefecture="東京都", city="新宿区", rest="新宿")

    monkeypatch.setattr(compact_v2, "postal_area", other_data)
    with pytest.raises(errors.PayloadPostalDataMismatch) as caught:
        _decode(text, ring, catalog)
    assert "郵便番号" in caught.value.ja and "postal data" in caught.value.en


# --- names ---------------------------------------------------------------------------------


_FAMILIES = st.sampled_from(["𠮷野", "山﨑", "髙橋", "Smith", ""])
_GIVEN = st.sampled_from(["髙子", "太郎", "", "John", "ハナコ"])
_NAMES = st.none() | st.builds(PersonName, family=_FAMILIES, given=_GIVEN)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(st.tuples(_NAMES, _NAMES), max_size=5),
    head=st.sampled_from(["new_head_name", "old_head_name", "juminhyo.target_head", "x"]),
    head_is_first=st.booleans(),
)
def test_family_names_and_heads_round_trip(people, head, head_is_first) -> None:
    record = SessionRecord(persons=[Person(name=n, kana=k) for n, k in people])
    if record.persons and record.persons[0].name is not None and head_is_first:
        record.answers[head] = record.persons[0].name.model_dump(exclude_defaults=True)
    else:
        record.answers[head] = {"family": "別人", "given": "一"}
    record.answers["empty"] = []
    assert _through_cbor(record) == record


def test_a_shared_family_name_is_carried_once() -> None:
    record = long_address_household(4)
    packed = compact_v2.compact_record_v2(record)
    persons = packed[compact_v2.KEY_TABLE_V2.index("persons")]
    family = "𠮷野".encode("utf-16-be")
    carried = cbor2.dumps(persons)
    assert carried.count(family) == 1  # the first person's; the spouse's 山﨑 stays whole
    assert "山﨑".encode("utf-16-be") in carried
    answers = packed[compact_v2.KEY_TABLE_V2.index("answers")]
    assert answers[compact_v2.KEY_TABLE_V2.index("new_head_name")] is cbor2.undefined


@pytest.mark.parametrize(
    "record_data",
    [
        {2: [{8: "太郎"}]},  # the first person's name as a bare given name
        {2: [{}, {8: "太郎"}]},  # a shared family name with no first person's
        {2: ["not a person", {8: "太郎"}]},
        {5: {"x": cbor2.undefined}},  # "same as the first person" with no first person
        {2: [{8: {14: "見本"}}], 4: {"move": cbor2.undefined}},  # the marker outside answers
        {3: {"new": [1600023, "x"]}},  # not [code, tail, check]
        {3: {"new": [16000230, "x", 1]}},  # 8 digits
        {3: {"new": ["1600023", "x", 1]}},
        {3: {"new": [1600023, 5, 1]}},
        {3: {"new": [1600023, "x", "1"]}},
        {3: {"new": [-1, "x", 1]}},
    ],
)
def test_malformed_format_2_records_are_refused(ring, catalog, record_data) -> None:
    content = {
        codec.K_TEMPLATES: [["juminhyo", 1]],
        codec.K_ISSUED: int(ISSUED.timestamp()),
        codec.K_EXPIRES: int((ISSUED + dt.timedelta(days=2)).timestamp()),
        codec.K_RECORD: {0: b"\x00" * 16, **record_data},
    }
    with pytest.raises(errors.MalformedContent):
        _decode(_sealed(content, ring), ring, catalog)


# --- fuzzing: malformed digit strings meet typed refusals only ---------------------------------

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_typed_refusals(text, ring, catalog, kind=PayloadKind.PREENTRY) -> None:
    with contextlib.suppress(errors.PayloadError):
        _decode(text, ring, catalog, kind=kind)


@FUZZ
@given(data=st.data(), version=st.sampled_from([1, 2]), kind=st.sampled_from(list(PayloadKind)))
def test_fuzz_mutations_of_both_formats(data, version, kind, ring, catalog) -> None:
    templates = bundle_templates(catalog)
    record = prune_record(long_address_household(2), templates)
    text = _encode(record, templates, ring, format_version=version)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["replace", "delete", "insert", "cut", "swap"]))
        at = data.draw(st.integers(0, max(0, len(text) - 1)))
        char = data.draw(st.sampled_from("0123456789x\n\t "))
        text = {
            "replace": text[:at] + char + text[at + 1 :],
            "delete": text[:at] + text[at + 1 :],
            "insert": text[:at] + char + text[at:],
            "cut": text[:at],
            "swap": text[:at] + text[at + 1 : at + 2] + text[at : at + 1] + text[at + 2 :],
        }[op]
    _only_typed_refusals(text, ring, catalog, kind)


@FUZZ
@given(
    record=st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.text(max_size=12)
        | st.binary(max_size=12)
        | st.just(cbor2.undefined)
        | st.builds(cbor2.CBORTag, st.sampled_from([0, 1, 100, 1004, 55799]), st.integers()),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=5) | st.integers(-2, 130), inner, max_size=4)
        ),
        max_leaves=24,
    ),
    kind=st.integers(-1, 3),
)
def test_fuzz_signed_format_2_contents(record, kind, ring, catalog) -> None:
    content = {
        codec.K_TEMPLATES: [["juminhyo", 1]],
        codec.K_ISSUED: int(ISSUED.timestamp()),
        codec.K_EXPIRES: int((ISSUED + dt.timedelta(days=2)).timestamp()),
        codec.K_RECORD: {0: b"\x00" * 16, 2: record} if kind % 2 else record,
        codec.K_KIND: kind,
    }
    _only_typed_refusals(_sealed(content, ring), ring, catalog)


def test_payload_sizes_cover_every_case_in_both_formats(catalog, ring) -> None:
    """What `madoguchi bench qr` prints: every case, household size and format, for real."""
    _, counter_pub, signing, _ = ring
    sizes = capacity.payload_sizes(
        catalog, signing_key=signing, counter_public_key=counter_pub, issued_at=ISSUED
    )
    cases = set(payload_cases(catalog))
    assert {(s.case, s.persons, s.format_version) for s in sizes} == {
        (c, p, v) for c in cases for p in HOUSEHOLD_SIZES for v in (1, 2)
    }
    by_key = {(s.case, s.persons, s.format_version): s for s in sizes}
    for case in cases:
        for persons in HOUSEHOLD_SIZES:
            old, new = by_key[(case, persons, 1)], by_key[(case, persons, 2)]
            assert new.digits < old.digits and new.qr_version <= old.qr_version
            assert new.qr_version == qr_version("1" * new.digits)  # digits decide the version
    assert by_key[("bundle", 4, 2)].qr_version <= 20
