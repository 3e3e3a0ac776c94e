"""Every key file of Madoguchi, and the one way a public key is named (its fingerprint).

Three kinds of key pair, all PEM files (private: PKCS#8, unencrypted, the file's mode protects
it; public: SubjectPublicKeyInfo):

- The office **counter key** (X25519): the pre-entry site (and every kiosk, for its printed
  data QR) encrypts QR payloads to its public half; kiosks and the back office hold the
  private half. The back office's own pair (`office_key.pem`, which kiosks seal outbox records
  to, `sync.sealing`) is the same kind of key, made by `load_or_create_counter_key`.
- A **signing key** (Ed25519) per issuer: the pre-entry site signs QR payloads, each kiosk the
  data QR it prints, the admin the template bundles.

Every file is written whole or not at all (a temporary file renamed into place), 0600 in a
0700 folder whatever the umask; a private key is never overwritten unless asked. Every
failure to read one is a `KeyFileError` naming the path. A public key is named everywhere by
`fingerprint`: `sha256:` and the first 16 hex digits of SHA-256 over its 32 raw bytes.

Files of the QR payload (docs/qr-payload.md §7): `counter.key` / `counter.pub`,
`<name>-signing.key` / `<name>-signing.pub` in `default_key_dir()` unless a path is given.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from forms.errors import MadoguchiError
from forms.private_files import write_private

PrivateKey = X25519PrivateKey | Ed25519PrivateKey
PublicKey = X25519PublicKey | Ed25519PublicKey

COUNTER_PRIVATE = "counter.key"
COUNTER_PUBLIC = "counter.pub"


class KeyFileError(MadoguchiError):
    """A key file that is missing, unreadable, not a key, of the wrong kind, or in the way."""

    code = "key_file"

    def __init__(self, path: Path | str, ja_reason: str, en_reason: str) -> None:
        super().__init__(f"鍵ファイル {path}: {ja_reason}", f"key file {path}: {en_reason}")
        self.path = str(path)


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


# --- keys and their names -------------------------------------------------------------------


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
    """The one name of a public key: `sha256:` and 16 hex digits of SHA-256 of its raw bytes."""
    return "sha256:" + hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def private_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def parse_public_pem(data: bytes) -> PublicKey | None:
    """The X25519 or Ed25519 public key of a PEM text, or None for anything else."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, X25519PublicKey | Ed25519PublicKey) else None


# --- writing --------------------------------------------------------------------------------


def _write_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """`data` into `path`, 0600 in a 0700 folder, whole or not at all; KeyFileError if it
    exists and not `overwrite`, or cannot be written."""
    try:
        write_private(path, data, overwrite=overwrite)
    except FileExistsError:
        raise KeyFileError(
            path, "既に存在します（上書きしません）", "already exists (not overwritten)"
        ) from None
    except NotADirectoryError:
        raise KeyFileError(path.parent, "フォルダではありません", "is not a folder") from None
    except OSError:
        raise KeyFileError(path, "書き込めません", "cannot be written") from None


def save_private_key(key: PrivateKey, path: str | Path, *, overwrite: bool = False) -> None:
    """Write PKCS#8 PEM, 0600 in a 0700 folder; an existing file is kept unless `overwrite`."""
    _write_file(Path(path), private_pem(key), overwrite=overwrite)


def save_public_key(key: PublicKey, path: str | Path, *, overwrite: bool = True) -> None:
    """Write SubjectPublicKeyInfo PEM, 0600 in a 0700 folder."""
    _write_file(Path(path), public_pem(key), overwrite=overwrite)


# --- reading --------------------------------------------------------------------------------


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyFileError(path, "ありません", "not found") from None
    except OSError:
        raise KeyFileError(path, "読めません", "cannot be read") from None


def load_private_key(path: str | Path) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(
            path, "暗号化されていない秘密鍵の PEM ではありません", "not a PEM private key"
        ) from None
    if not isinstance(key, X25519PrivateKey | Ed25519PrivateKey):
        raise KeyFileError(path, "X25519/Ed25519 の鍵ではありません", "not an X25519/Ed25519 key")
    return key


def load_public_key(path: str | Path) -> PublicKey:
    data = _read(path)
    try:
        serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(path, "公開鍵の PEM ではありません", "not a PEM public key") from None
    key = parse_public_pem(data)
    if key is None:
        raise KeyFileError(path, "X25519/Ed25519 の鍵ではありません", "not an X25519/Ed25519 key")
    return key


def _not_x25519(path: str | Path) -> KeyFileError:
    return KeyFileError(path, "X25519 の鍵（窓口鍵）ではありません", "not an X25519 key")


def _not_ed25519(path: str | Path) -> KeyFileError:
    return KeyFileError(path, "Ed25519 の鍵（署名鍵）ではありません", "not an Ed25519 key")


def load_counter_private_key(path: str | Path) -> X25519PrivateKey:
    key = load_private_key(path)
    if not isinstance(key, X25519PrivateKey):
        raise _not_x25519(path)
    return key


def load_counter_public_key(path: str | Path) -> X25519PublicKey:
    key = load_public_key(path)
    if not isinstance(key, X25519PublicKey):
        raise _not_x25519(path)
    return key


def load_signing_private_key(path: str | Path) -> Ed25519PrivateKey:
    key = load_private_key(path)
    if not isinstance(key, Ed25519PrivateKey):
        raise _not_ed25519(path)
    return key


def load_signing_public_key(path: str | Path) -> Ed25519PublicKey:
    key = load_public_key(path)
    if not isinstance(key, Ed25519PublicKey):
        raise _not_ed25519(path)
    return key


def load_or_create_counter_key(
    private_path: str | Path, public_path: str | Path
) -> X25519PrivateKey:
    """The X25519 pair at these paths, made on first use (the back office's office key).

    An existing private key is never replaced; a missing public half is written again from it.
    Two processes starting at once end with the same key: the loser of the race loads the
    winner's file.
    """
    private_file, public_file = Path(private_path), Path(public_path)
    if not private_file.exists():
        key, public = generate_counter_keypair()
        try:
            save_private_key(key, private_file)
        except KeyFileError:
            if not private_file.exists():
                raise
        else:
            save_public_key(public, public_file)
            return key
    key = load_counter_private_key(private_file)
    if not public_file.exists():
        save_public_key(key.public_key(), public_file)
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
