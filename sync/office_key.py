"""The office's public key on the kiosk: pulled through sync, read fresh at every confirm.

The back office can rotate its X25519 key (`madoguchi backoffice keys rotate`). The sync
worker asks for the current one on every pass (`OfficeKeyPull.pull`, `GET /office-keys`, over
the terminal's own pinned TLS connection) and writes it over `office_public.pem` (atomically,
0600 in a 0700 folder) when it changed; the kiosk seals every new record, and encrypts every
printed data QR, to whatever that file holds at that moment (`OfficeKeyFile.current`). Rows
already sealed to the old key stay as they are: the back office keeps its old private keys.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.payload import keys
from sync.client import OfficeClient
from sync.errors import OfficeError

log = logging.getLogger(__name__)


@dataclass
class OfficeKeyPullReport:
    fingerprint: str | None = None  # the office's current key, as the back office said
    changed: bool = False  # this pass wrote a new key
    offline: bool = False
    error: OfficeError | None = field(default=None, repr=False)  # why, when offline

    def as_dict(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "changed": self.changed, "offline": self.offline}


class OfficeKeyPull:
    """Keeps `path` (the kiosk's `office_public.pem`) equal to the office's current key."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"OfficeKeyPull({self.path})"

    def pull(self, client: OfficeClient) -> OfficeKeyPullReport:
        """Fetch the current key; write it if it differs from the file. Never raises
        OfficeError (offline: the file stays as it is)."""
        report = OfficeKeyPullReport()
        try:
            answer = client.office_keys()
        except OfficeError as exc:
            report.offline = True
            report.error = exc
            log.info("office key: not available, keeping %s (%s)", self.path.name, exc.en)
            return report
        key = keys.parse_public_pem(answer.current.public_key_pem.encode("ascii"))
        if not isinstance(key, X25519PublicKey) or (
            keys.fingerprint(key) != answer.current.fingerprint
        ):
            report.offline = True
            log.warning("office key: the answer is not an X25519 key with its fingerprint")
            return report
        report.fingerprint = answer.current.fingerprint
        try:
            held = keys.fingerprint(keys.load_counter_public_key(self.path))
        except keys.KeyFileError:
            held = None
        if held != report.fingerprint:
            keys.save_public_key(key, self.path)
            report.changed = True
            log.warning("office key: now sealing to %s (was %s)", report.fingerprint, held)
        return report


class OfficeKeyFile:
    """The office public key in a file, re-read whenever the file changes (a stat per call).

    The kiosk's confirm step asks it for the key at each confirm, so a rotation pulled by the
    sync worker (another process) takes effect at the next resident, without a restart.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._key: X25519PublicKey | None = None

    def __repr__(self) -> str:
        return f"OfficeKeyFile({self.path})"

    def current(self) -> X25519PublicKey:
        """The key the file holds now (KeyFileError if it is missing or not an X25519 key)."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            raise keys.KeyFileError(self.path, "ありません", "not found") from None
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        with self._lock:
            if self._key is None or stamp != self._stamp:
                self._key = keys.load_counter_public_key(self.path)
                self._stamp = stamp
            return self._key

    def __call__(self) -> X25519PublicKey:
        return self.current()
