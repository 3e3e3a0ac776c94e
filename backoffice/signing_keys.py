"""Kiosk signing keys (Ed25519, PEM): each kiosk terminal may register the public key that
signs the data QR on the pages it prints, so the back office can verify a paper copy."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from backoffice.errors import BadSigningKey
from forms.payload import fingerprint

MAX_PEM = 1000


def parse_signing_key(pem: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a PEM text; BadSigningKey for anything else."""
    if len(pem) > MAX_PEM:
        raise BadSigningKey()
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError):
        raise BadSigningKey() from None
    if not isinstance(key, Ed25519PublicKey):
        raise BadSigningKey()
    return key


def normalised_pem(pem: str) -> str:
    """The key re-serialised (SubjectPublicKeyInfo PEM), so one key is stored one way."""
    key = parse_signing_key(pem)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def key_fingerprint(pem: str) -> str:
    return fingerprint(parse_signing_key(pem))
