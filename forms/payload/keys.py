"""The two key pairs of the pre-entry QR codes, as PEM files.

- The office **counter key** (X25519): the pre-entry site (and every kiosk, for its printed
  data QR) encrypts to its public half; kiosks and the back office hold the private half.
- A **signing key** (Ed25519) per issuer: the pre-entry site signs with its private half and
  the kiosk trusts its public half; kiosks have their own for the QR stamped on printouts.

Files (see docs/qr-payload.md): `counter.key` / `counter.pub`, `<name>-signing.key` /
`<name>-signing.pub` in `default_key_dir()` unless a path is given. Private keys are PKCS#8
PEM written with mode 0600; public keys SubjectPublicKeyInfo PEM.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from forms.payload.errors import KeyFileError

PrivateKey = X25519PrivateKey | Ed25519PrivateKey
PublicKey = X25519PublicKey | Ed25519PublicKey

COUNTER_PRIVATE = "counter.key"
COUNTER_PUBLIC = "counter.pub"


def signing_private_name(name: str) -> str:
    return f"{name}-signing.key"


def signing_public_name(name: str) -> str:
    return f"{name}-signing.pub"


def default_key_dir() -> Path:
    """`$MADOGUCHI_HOME/keys`, else `$XDG_DATA_HOME/madoguchi/keys` (~/.local/share/…)."""
    home = os.environ.get("MADOGUCHI_HOME")
    if home:
        return Path(home) / "keys"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "madoguchi" / "keys"


def generate_counter_keypair() -> tuple[X25519PrivateKey, X25519PublicKey]:
    private = X25519PrivateKey.generate()
    return private, private.public_key()


def generate_signing_keypair() -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    private = Ed25519PrivateKey.generate()
    return private, private.public_key()


def public_bytes(key: PublicKey) -> bytes:
    """The 32 raw bytes of an X25519 or Ed25519 public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: PublicKey) -> bytes:
    """First 4 bytes of SHA-256 over the raw public key: the payload header's recipient id."""
    return hashlib.sha256(public_bytes(key)).digest()[:4]


def fingerprint(key: PublicKey) -> str:
    """A short, stable name for a public key: `sha256:` and 16 hex digits of its raw bytes."""
    return "sha256:" + hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def save_private_key(key: PrivateKey, path: str | Path, *, overwrite: bool = False) -> None:
    """Write PKCS#8 PEM, created with mode 0600 (never readable by others, even briefly)."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise KeyFileError(
            str(target), "既に存在します（上書きしません）", "already exists (not overwritten)"
        ) from None
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)  # O_TRUNC on an existing file keeps its old mode
        out.write(pem)


def save_public_key(key: PublicKey, path: str | Path) -> None:
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pem)


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyFileError(str(path), "ありません", "not found") from None
    except OSError:
        raise KeyFileError(str(path), "読めません", "cannot be read") from None


def load_private_key(path: str | Path) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError):
        raise KeyFileError(
            str(path), "秘密鍵の PEM ではありません", "not an unencrypted private key PEM"
        ) from None
    if not isinstance(key, X25519PrivateKey | Ed25519PrivateKey):
        raise KeyFileError(str(path), "X25519/Ed25519 の鍵ではありません", "not X25519/Ed25519")
    return key


def load_public_key(path: str | Path) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(_read(path))
    except (ValueError, TypeError):
        raise KeyFileError(
            str(path), "公開鍵の PEM ではありません", "not a public key PEM"
        ) from None
    if not isinstance(key, X25519PublicKey | Ed25519PublicKey):
        raise KeyFileError(str(path), "X25519/Ed25519 の鍵ではありません", "not X25519/Ed25519")
    return key


def load_counter_private_key(path: str | Path) -> X25519PrivateKey:
    key = load_private_key(path)
    if not isinstance(key, X25519PrivateKey):
        raise KeyFileError(str(path), "窓口鍵（X25519）ではありません", "not an X25519 counter key")
    return key


def load_counter_public_key(path: str | Path) -> X25519PublicKey:
    key = load_public_key(path)
    if not isinstance(key, X25519PublicKey):
        raise KeyFileError(str(path), "窓口鍵（X25519）ではありません", "not an X25519 counter key")
    return key


def load_signing_private_key(path: str | Path) -> Ed25519PrivateKey:
    key = load_private_key(path)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            str(path), "署名鍵（Ed25519）ではありません", "not an Ed25519 signing key"
        )
    return key


def load_signing_public_key(path: str | Path) -> Ed25519PublicKey:
    key = load_public_key(path)
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(
            str(path), "署名鍵（Ed25519）ではありません", "not an Ed25519 signing key"
        )
    return key


@dataclass(frozen=True)
class KeyRing:
    """What a kiosk (or the back office) holds to read QR payloads.

    `extra_signers`: further trusted issuers, e.g. the kiosks whose printed pages are scanned
    back in the back office.
    """

    counter_private: X25519PrivateKey = field(repr=False)
    preentry_public: Ed25519PublicKey
    extra_signers: tuple[Ed25519PublicKey, ...] = ()

    @property
    def signer_public_keys(self) -> list[Ed25519PublicKey]:
        return [self.preentry_public, *self.extra_signers]

    @classmethod
    def load(cls, directory: str | Path | None = None, *, signer: str = "preentry") -> KeyRing:
        """`counter.key` and `<signer>-signing.pub` (plus any other `*-signing.pub`) of a folder."""
        folder = Path(directory) if directory is not None else default_key_dir()
        counter = load_counter_private_key(folder / COUNTER_PRIVATE)
        main = load_signing_public_key(folder / signing_public_name(signer))
        extra = tuple(
            load_signing_public_key(p)
            for p in sorted(folder.glob("*-signing.pub"))
            if p.name != signing_public_name(signer)
        )
        return cls(counter, main, extra)

    def __repr__(self) -> str:
        return f"KeyRing(signers={[fingerprint(k) for k in self.signer_public_keys]})"
