"""The one key-file module: files 0600 in 0700 folders whatever the umask, typed errors naming
the path, never an overwritten private key, one fingerprint format for every key."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.payload import keys


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask a machine can have: nothing masked."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_0600_in_0700_folders_whatever_the_umask(tmp_path, open_umask) -> None:
    folder = tmp_path / "a" / "b" / "keys"
    private, public = keys.generate_counter_keypair()
    keys.save_private_key(private, folder / keys.COUNTER_PRIVATE)
    keys.save_public_key(public, folder / keys.COUNTER_PUBLIC)
    assert _mode(folder / keys.COUNTER_PRIVATE) == 0o600
    assert _mode(folder / keys.COUNTER_PUBLIC) == 0o600
    for made in (folder, folder.parent, folder.parent.parent):
        assert _mode(made) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["counter.key", "counter.pub"]  # no temp


def test_an_existing_open_folder_of_ours_is_closed(tmp_path, open_umask) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    private, _ = keys.generate_signing_keypair()
    keys.save_private_key(private, folder / "kiosk-signing.key")
    assert _mode(folder) == 0o700


def test_a_private_key_is_never_overwritten_unless_asked(tmp_path) -> None:
    path = tmp_path / "counter.key"
    first, _ = keys.generate_counter_keypair()
    second, _ = keys.generate_counter_keypair()
    keys.save_private_key(first, path)
    with pytest.raises(keys.KeyFileError, match="already exists") as caught:
        keys.save_private_key(second, path)
    assert caught.value.path == str(path)
    kept = keys.load_counter_private_key(path)
    assert keys.fingerprint(kept.public_key()) == keys.fingerprint(first.public_key())
    path.chmod(0o644)  # an old file with a loose mode is tightened when it is replaced
    keys.save_private_key(second, path, overwrite=True)
    assert _mode(path) == 0o600
    replaced = keys.load_counter_private_key(path)
    assert keys.fingerprint(replaced.public_key()) == keys.fingerprint(second.public_key())


@pytest.mark.parametrize(
    ("loader", "content", "reason"),
    [
        (keys.load_private_key, None, "not found"),
        (keys.load_public_key, None, "not found"),
        (keys.load_private_key, b"not a key", "not a PEM private key"),
        (keys.load_public_key, b"not a key", "not a PEM public key"),
    ],
)
def test_unusable_files_name_the_path(tmp_path, loader, content, reason) -> None:
    path = tmp_path / "key.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(keys.KeyFileError, match=reason) as caught:
        loader(path)
    assert str(path) in caught.value.ja and str(path) in caught.value.en
    assert caught.value.code == "key_file"


def test_a_folder_is_not_a_key_file(tmp_path) -> None:
    with pytest.raises(keys.KeyFileError, match="cannot be read"):
        keys.load_private_key(tmp_path)


def test_each_loader_wants_its_kind(tmp_path) -> None:
    counter, counter_pub = keys.generate_counter_keypair()
    signing, signing_pub = keys.generate_signing_keypair()
    keys.save_private_key(counter, tmp_path / "c.key")
    keys.save_public_key(counter_pub, tmp_path / "c.pub")
    keys.save_private_key(signing, tmp_path / "s.key")
    keys.save_public_key(signing_pub, tmp_path / "s.pub")
    with pytest.raises(keys.KeyFileError, match="not an X25519 key"):
        keys.load_counter_private_key(tmp_path / "s.key")
    with pytest.raises(keys.KeyFileError, match="not an X25519 key"):
        keys.load_counter_public_key(tmp_path / "s.pub")
    with pytest.raises(keys.KeyFileError, match="not an Ed25519 key"):
        keys.load_signing_private_key(tmp_path / "c.key")
    with pytest.raises(keys.KeyFileError, match="not an Ed25519 key"):
        keys.load_signing_public_key(tmp_path / "c.pub")


def test_load_or_create_makes_once_and_rewrites_a_lost_public_half(tmp_path, open_umask) -> None:
    private_path, public_path = tmp_path / "office" / "key.pem", tmp_path / "office" / "key.pub"
    made = keys.load_or_create_counter_key(private_path, public_path)
    assert _mode(private_path) == 0o600 and _mode(private_path.parent) == 0o700
    public_path.unlink()
    again = keys.load_or_create_counter_key(private_path, public_path)
    assert keys.fingerprint(again.public_key()) == keys.fingerprint(made.public_key())
    assert keys.fingerprint(keys.load_counter_public_key(public_path)) == keys.fingerprint(
        made.public_key()
    )


def test_one_fingerprint_format_for_every_kind_of_key() -> None:
    for _, public in (keys.generate_counter_keypair(), keys.generate_signing_keypair()):
        raw = keys.public_bytes(public)
        assert len(raw) == 32
        assert keys.fingerprint(public) == "sha256:" + hashlib.sha256(raw).hexdigest()[:16]
        assert keys.parse_public_pem(keys.public_pem(public)) is not None
    assert (
        keys.parse_public_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----") is None
    )
