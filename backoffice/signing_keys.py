"""Kiosk signing keys (Ed25519, PEM): each kiosk terminal may register the public key that
signs the data QR on the pages it prints, so the back office can verify a paper copy.
Parsing, serialising and naming keys is `forms.payload.keys`'; this adds the API's limits."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from backoffice.errors import BadSigningKey
from forms.payload.keys import fingerprint, parse_public_pem, public_pem

MAX_PEM = 1000


def parse_signing_key(pem: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a PEM text; BadSigningKey for anything else."""
    if len(pem) > MAX_PEM or not pem.isascii():
        raise BadSigningKey()
    key = parse_public_pem(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise BadSigningKey()
    return key


def normalised_pem(pem: str) -> str:
    """The key re-serialised (SubjectPublicKeyInfo PEM), so one key is stored one way."""
    return public_pem(parse_signing_key(pem)).decode("ascii")


def key_fingerprint(pem: str) -> str:
    return fingerprint(parse_signing_key(pem))
