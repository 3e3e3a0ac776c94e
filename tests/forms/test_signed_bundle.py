"""Signed template bundles for the pre-entry site: round trip and every kind of refusal.

Covers every shipped template and bundle by iterating the catalogue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import signed_bundle as sb
from forms.catalog import Catalog
from forms.payload.keys import (
    generate_signing_keypair,
    load_signing_public_key,
    save_public_key,
)
from forms.signed_bundle import (
    BundleContentInvalid,
    BundleMalformed,
    BundleTampered,
    BundleTooLarge,
    BundleUnknownSigner,
    BundleUnreadable,
    SignedBundleError,
    export_signed_bundle,
    load_signed_bundle,
    read_signed_bundle,
    read_signed_bundle_catalog,
)

CATALOG = Catalog.builtin()
KEY, PUBLIC = generate_signing_keypair()
OTHER_KEY, OTHER_PUBLIC = generate_signing_keypair()
FULL = export_signed_bundle(CATALOG.latest(), CATALOG.bundles(), KEY)
SMALL = export_signed_bundle([CATALOG.get("juminhyo")], [], KEY)


def _resign(document: dict, key=KEY) -> bytes:
    document = dict(document)
    document["signature"] = key.sign(sb.DOMAIN + document["manifest"])
    return cbor2.dumps(document, canonical=True)


def _manifest(document: dict) -> dict:
    return json.loads(document["manifest"])


def _with_manifest(document: dict, manifest: dict) -> dict:
    return {**document, "manifest": sb._canonical_json(manifest)}


def test_round_trip_every_shipped_template_and_bundle() -> None:
    templates, bundles = load_signed_bundle(FULL, [OTHER_PUBLIC, PUBLIC])
    assert {t.key for t in templates} == {t.key for t in CATALOG.latest()}
    assert templates == CATALOG.latest()
    assert bundles == CATALOG.bundles()
    assert {"idou", "juminhyo", "inkan", "kokuho", "jidou_teate"} <= {t.id for t in templates}


def test_several_versions_of_one_template_travel_together() -> None:
    v1 = CATALOG.get("juminhyo")
    v2 = v1.model_copy(update={"version": v1.version + 1})
    templates, _ = load_signed_bundle(export_signed_bundle([v1, v2], [], KEY), [PUBLIC])
    assert [t.key for t in templates] == [v1.key, v2.key]
    catalog = sb.catalog_of(templates, [])
    assert catalog.get("juminhyo").version == v2.version
    assert catalog.versions("juminhyo") == [v1.version, v2.version]


def test_manifest_holds_hashes_signer_and_creation_time() -> None:
    when = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    data = export_signed_bundle([CATALOG.get("juminhyo")], [], KEY, created_at=when)
    document = cbor2.loads(data)
    manifest = _manifest(document)
    assert manifest["created_at"] == when.isoformat()
    assert manifest["signer"].startswith("sha256:")
    (entry,) = manifest["templates"]
    content = document["files"][entry["file"]]
    assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry["size"] == len(content)
    assert content.decode("utf-8").startswith("id: juminhyo")


def test_file_round_trip_and_catalog_for_the_preentry_site(tmp_path: Path) -> None:
    path = tmp_path / "templates.mdgb"
    path.write_bytes(FULL)
    save_public_key(PUBLIC, tmp_path / "templates-signing.pub")
    catalog = read_signed_bundle_catalog(
        path, [load_signing_public_key(tmp_path / "templates-signing.pub")]
    )
    assert [t.key for t in catalog.latest()] == [t.key for t in CATALOG.latest()]
    assert [b.id for b in catalog.bundles()] == [b.id for b in CATALOG.bundles()]


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(BundleUnreadable) as info:
        read_signed_bundle(tmp_path / "nope.mdgb", [PUBLIC])
    assert info.value.ja and info.value.en


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0, max_value=len(SMALL) - 1), bit=st.integers(0, 7))
def test_any_flipped_bit_is_refused(position: int, bit: int) -> None:
    damaged = bytearray(SMALL)
    damaged[position] ^= 1 << bit
    with pytest.raises(SignedBundleError):
        load_signed_bundle(bytes(damaged), [PUBLIC])


def test_a_byte_changed_inside_a_template_is_tampering() -> None:
    offset = SMALL.index(b"id: juminhyo")
    damaged = bytearray(SMALL)
    damaged[offset + 4] = ord("J")  # juminhyo -> Juminhyo, same length
    with pytest.raises(BundleTampered) as info:
        load_signed_bundle(bytes(damaged), [PUBLIC])
    assert "templates/juminhyo-v1.yaml" in info.value.en


def test_a_changed_manifest_breaks_the_signature() -> None:
    document = cbor2.loads(SMALL)
    manifest = _manifest(document)
    manifest["created_at"] = "2030-01-01T00:00:00+00:00"
    with pytest.raises(BundleTampered, match="signature"):
        load_signed_bundle(
            cbor2.dumps(_with_manifest(document, manifest), canonical=True), [PUBLIC]
        )


def test_a_file_added_or_removed_after_signing_is_refused() -> None:
    document = cbor2.loads(SMALL)
    added = {**document, "files": {**document["files"], "templates/x-v1.yaml": b"id: x\n"}}
    with pytest.raises(BundleTampered, match="manifest"):
        load_signed_bundle(cbor2.dumps(added, canonical=True), [PUBLIC])
    removed = {**document, "files": {}}
    with pytest.raises(BundleTampered, match="manifest"):
        load_signed_bundle(cbor2.dumps(removed, canonical=True), [PUBLIC])


def test_wrong_key_is_an_unknown_signer() -> None:
    with pytest.raises(BundleUnknownSigner) as info:
        load_signed_bundle(SMALL, [OTHER_PUBLIC])
    assert info.value.signer.startswith("sha256:")
    with pytest.raises(BundleUnknownSigner):
        load_signed_bundle(SMALL, [])


def test_a_signer_swapped_for_a_trusted_key_does_not_verify() -> None:
    document = cbor2.loads(SMALL)
    swapped = {**document, "signer": sb._raw(OTHER_PUBLIC)}
    with pytest.raises(BundleTampered, match="signature"):
        load_signed_bundle(cbor2.dumps(swapped, canonical=True), [PUBLIC, OTHER_PUBLIC])


def test_oversize_input_is_refused_before_decoding(tmp_path: Path) -> None:
    huge = b"\x00" * (sb.MAX_BUNDLE_BYTES + 1)
    with pytest.raises(BundleTooLarge):
        load_signed_bundle(huge, [PUBLIC])
    path = tmp_path / "huge.mdgb"
    path.write_bytes(huge)
    with pytest.raises(BundleTooLarge):
        read_signed_bundle(path, [PUBLIC])


def test_oversize_member_and_too_many_files_are_refused() -> None:
    document = cbor2.loads(SMALL)
    big_file = {**document, "files": {"templates/a-v1.yaml": b"#" * (sb.MAX_FILE_BYTES + 1)}}
    with pytest.raises(BundleTooLarge):
        load_signed_bundle(cbor2.dumps(big_file, canonical=True), [PUBLIC])
    many = {f"templates/t{n}-v1.yaml": b"" for n in range(sb.MAX_FILES + 1)}
    with pytest.raises(BundleTooLarge):
        load_signed_bundle(cbor2.dumps({**document, "files": many}, canonical=True), [PUBLIC])
    big_manifest = {**document, "manifest": b" " * (sb.MAX_MANIFEST_BYTES + 1)}
    with pytest.raises(BundleTooLarge):
        load_signed_bundle(cbor2.dumps(big_manifest, canonical=True), [PUBLIC])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04 a zip file",
        cbor2.dumps([1, 2, 3]),
        cbor2.dumps({"format": "other"}),
        SMALL + b"\x00",  # trailing data
        b"\x9f" * 100_000,  # deep indefinite nesting
        b"\x81" * 100_000,  # deep definite nesting
    ],
    ids=["empty", "zip", "list", "other-format", "trailing", "indefinite", "nested"],
)
def test_malformed_documents_are_refused(data: bytes) -> None:
    with pytest.raises(BundleMalformed) as info:
        load_signed_bundle(data, [PUBLIC])
    assert info.value.ja and info.value.en


def test_wrong_member_types_and_versions_are_malformed() -> None:
    document = cbor2.loads(SMALL)
    for change in (
        {"v": 2},
        {"signature": b"short"},
        {"signer": "text"},
        {"files": {"a": "not bytes"}},
        {"manifest": "text"},
    ):
        with pytest.raises(BundleMalformed):
            load_signed_bundle(cbor2.dumps({**document, **change}, canonical=True), [PUBLIC])
    with pytest.raises(BundleMalformed, match="not bytes"):
        load_signed_bundle("text", [PUBLIC])  # type: ignore[arg-type]


def test_non_canonical_encoding_is_refused() -> None:
    document = cbor2.loads(SMALL)
    reordered = dict(reversed(list(document.items())))  # same content, keys out of order
    data = cbor2.dumps(reordered, canonical=False)
    assert data != SMALL and cbor2.loads(data) == document
    with pytest.raises(BundleMalformed, match="canonical"):
        load_signed_bundle(data, [PUBLIC])


def test_a_signed_but_invalid_manifest_is_malformed() -> None:
    document = cbor2.loads(SMALL)
    with pytest.raises(BundleMalformed, match="manifest"):
        load_signed_bundle(_resign({**document, "manifest": b"{not json"}), [PUBLIC])


def test_a_signed_invalid_template_lists_every_problem() -> None:
    """A signer's mistake (not tampering): the content is checked like any template."""
    document = cbor2.loads(SMALL)
    name = next(iter(document["files"]))
    text = document["files"][name].decode()
    bad = text.replace("type: person_name", "type: no_such_type", 1) + "unknown_key: 1\n"
    data = bad.encode()
    manifest = _manifest(document)
    manifest["templates"][0].update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    changed = _with_manifest({**document, "files": {name: data}}, manifest)
    with pytest.raises(BundleContentInvalid) as info:
        load_signed_bundle(_resign(changed), [PUBLIC])
    assert info.value.problems
    assert all(p.startswith(name) for p in info.value.problems)
    assert any("unknown_key" in p for p in info.value.problems)


def test_a_template_whose_id_differs_from_its_manifest_entry_is_refused() -> None:
    document = cbor2.loads(SMALL)
    manifest = _manifest(document)
    manifest["templates"][0]["version"] = 7
    with pytest.raises(BundleContentInvalid, match="1 problem"):
        load_signed_bundle(_resign(_with_manifest(document, manifest)), [PUBLIC])


def test_export_refuses_what_loading_would_refuse() -> None:
    juminhyo = CATALOG.get("juminhyo")
    with pytest.raises(BundleContentInvalid):
        export_signed_bundle([], [], KEY)
    with pytest.raises(BundleContentInvalid, match="1 problem"):
        export_signed_bundle([juminhyo, juminhyo], [], KEY)
    bundle = CATALOG.bundles()[0]
    with pytest.raises(BundleContentInvalid) as info:
        export_signed_bundle([juminhyo], [bundle], KEY)
    missing = set(bundle.template_ids(include_optional=True)) - {"juminhyo"}
    assert len(info.value.problems) == len(missing)


def test_error_messages_carry_no_template_content() -> None:
    """Refusals name files and keys, never the YAML (templates are not personal data, but
    the rule for messages is the same everywhere)."""
    document = cbor2.loads(SMALL)
    manifest = _manifest(document)
    manifest["templates"][0]["sha256"] = "0" * 64
    with pytest.raises(BundleTampered) as info:
        load_signed_bundle(_resign(_with_manifest(document, manifest)), [PUBLIC])
    assert "住民票" not in str(info.value)
