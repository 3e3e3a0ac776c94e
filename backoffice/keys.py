"""The back office's HPKE key pair (X25519 PEM files in the data directory).

Kiosks seal every application to the public key (`sync.sealing`); only the back office, which
holds the private key, can open them. The pair is made on first start or by
`madoguchi backoffice keys`; both files are 0600 in a 0700 folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from sync.private_files import private_dir, write_private
from sync.sealing import load_private_key, public_key_pem, write_keypair


def load_or_create(private_path: Path, public_path: Path) -> X25519PrivateKey:
    private_dir(private_path.parent)  # the key folder is ours: 0700
    if private_path.exists():
        key = load_private_key(private_path)
        if not public_path.exists():
            write_private(public_path, public_key_pem(key.public_key()))
        return key
    return write_keypair(private_path, public_path)


def fingerprint(public_key: X25519PublicKey) -> str:
    """SHA-256 of the PEM, for staff to compare with what a kiosk shows."""
    return hashlib.sha256(public_key_pem(public_key)).hexdigest()
