"""Sealing to the office key: round trip, the documented wire form, and every way to fail."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sync_residents import SAMPLE_FAMILY, resident_record

from forms.payload.keys import (
    KeyFileError,
    fingerprint,
    load_counter_private_key,
    load_counter_public_key,
    load_or_create_counter_key,
)
from sync.protocol import MAX_SEALED_BYTES, SealedContent
from sync.sealing import SealError, open_sealed, seal


def _content() -> SealedContent:
    record = resident_record()
    return SealedContent(
        record=record.model_dump(mode="json"),
        pdf=base64.b64encode(b"%PDF-1.4 test").decode(),
        measurement={"typed_chars": 3},
    )


def test_round_trip(office_key):
    content = _content()
    sealed = seal(content, office_key.public_key())
    assert open_sealed(sealed, office_key) == content


def test_ciphertext_hides_the_resident(office_key):
    sealed = seal(_content(), office_key.public_key())
    raw = base64.b64decode(sealed)
    assert SAMPLE_FAMILY.encode() not in raw
    assert SAMPLE_FAMILY not in sealed
    # Two seals of the same content differ (fresh ephemeral key each time).
    assert seal(_content(), office_key.public_key()) != sealed


def test_wire_form_is_version_byte_then_standard_hpke(office_key):
    """Another implementation can open it with RFC 9180 base mode and the documented info."""
    content = _content()
    raw = base64.b64decode(seal(content, office_key.public_key()))
    assert raw[0] == 1
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
    plaintext = suite.decrypt(raw[1:], office_key, info=b"madoguchi sealed application v1")
    assert SealedContent.model_validate_json(plaintext) == content


def test_wrong_key_does_not_open(office_key):
    sealed = seal(_content(), office_key.public_key())
    with pytest.raises(SealError) as info:
        open_sealed(sealed, X25519PrivateKey.generate())
    assert "wrong key or tampered" in info.value.en


@pytest.mark.parametrize("where", [1, 20, 40, -20, -1])  # enc, ciphertext, tag
def test_any_flipped_byte_is_refused(office_key, where):
    raw = bytearray(base64.b64decode(seal(_content(), office_key.public_key())))
    raw[where] ^= 0x01
    with pytest.raises(SealError, match="tampered"):
        open_sealed(base64.b64encode(bytes(raw)).decode(), office_key)


@pytest.mark.parametrize(
    ("sealed", "reason"),
    [
        ("", "empty"),
        ("***", "not base64"),
        ("äöü", "not base64"),
        (base64.b64encode(b"\x02" + b"\0" * 60).decode(), "unknown format version 2"),
        (base64.b64encode(b"\x01" + b"\0" * 20).decode(), "truncated"),
        (base64.b64encode(b"\x01" + os.urandom(80)).decode(), "tampered"),
        ("A" * (MAX_SEALED_BYTES * 4 // 3 + 8), "too large"),
    ],
)
def test_garbage_is_refused_with_the_reason(office_key, sealed, reason):
    with pytest.raises(SealError) as info:
        open_sealed(sealed, office_key)
    assert reason in info.value.en
    assert info.value.ja.startswith("封緘データを開けません")


def test_opens_but_is_not_sealed_content(office_key):
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
    ct = suite.encrypt(
        b'{"format": 2, "record": {}, "pdf": ""}',
        office_key.public_key(),
        info=b"madoguchi sealed application v1",
    )
    with pytest.raises(SealError, match="malformed content"):
        open_sealed(base64.b64encode(b"\x01" + ct).decode(), office_key)


def test_office_key_files_round_trip(tmp_path):
    """The office pair comes from the one key-file module; sealing works across its files."""
    private_path, public_path = tmp_path / "k" / "office.pem", tmp_path / "k" / "office.pub.pem"
    key = load_or_create_counter_key(private_path, public_path)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    sealed = seal(_content(), load_counter_public_key(public_path))
    assert open_sealed(sealed, load_counter_private_key(private_path)) == open_sealed(sealed, key)
    again = load_or_create_counter_key(private_path, public_path)  # kept, never replaced
    assert fingerprint(again.public_key()) == fingerprint(key.public_key())


def test_bad_key_files_are_refused(tmp_path):
    with pytest.raises(KeyFileError, match="not found"):
        load_counter_public_key(tmp_path / "missing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("hello")
    with pytest.raises(KeyFileError, match="not a PEM public key"):
        load_counter_public_key(junk)
    with pytest.raises(KeyFileError, match="not a PEM private key"):
        load_counter_private_key(junk)
    ed = Ed25519PrivateKey.generate()
    ed_public = tmp_path / "ed.pub.pem"
    ed_public.write_bytes(
        ed.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(KeyFileError, match="not an X25519 key"):
        load_counter_public_key(ed_public)
    ed_private = tmp_path / "ed.pem"
    ed_private.write_bytes(
        ed.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(KeyFileError, match="not an X25519 key") as caught:
        load_counter_private_key(ed_private)
    assert str(ed_private) in caught.value.en and str(ed_private) in caught.value.ja
