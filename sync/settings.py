"""The kiosk's sync configuration: flags override environment variables override defaults.

| setting | environment | default |
| --- | --- | --- |
| data dir | `MADOGUCHI_DATA_DIR` | `$XDG_DATA_HOME/madoguchi` (`~/.local/share/madoguchi`) |
| kiosk id | `MADOGUCHI_KIOSK_ID` | the host name |
| server URL | `MADOGUCHI_SERVER_URL` | from enrolment, else `http://127.0.0.1:8000` |
| terminal token file | `MADOGUCHI_TOKEN_FILE` | `<data dir>/terminal.token` |
| office public key | `MADOGUCHI_OFFICE_KEY` | `<data dir>/office_public.pem` |
| office CA certificate | `MADOGUCHI_OFFICE_CA` | `<data dir>/office_ca.pem` |
| outbox database | `MADOGUCHI_OUTBOX` | `<data dir>/outbox.sqlite3` |
| template cache | `MADOGUCHI_TEMPLATE_CACHE` | `<data dir>/templates` |
| retention (days) | `MADOGUCHI_RETENTION_DAYS` | 7 |
| offline call-number letter | `MADOGUCHI_OFFLINE_LETTER` | none: the letter the back office reserved for this kiosk (learned online) |

The server URL is https://, or plain http:// only to this machine (127.0.0.0/8, ::1,
localhost): the terminal token must not cross the network unencrypted (`require_secure_url`).
Over https:// the office CA from enrolment is the only certificate authority trusted
(`client_ca`); without it the kiosk does not connect. `madoguchi kiosk enrol` writes the token,
the office key, the CA and `enrolment.json` (server URL, terminal name), whose values stand
in for the environment's when it says nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from forms import locations
from forms.errors import MadoguchiError
from sync.client import require_secure_url
from sync.enrolment import CA_FILE, read_enrolment
from sync.errors import BadServerUrl
from sync.outbox import DEFAULT_RETENTION

DEFAULT_SERVER_URL = "http://127.0.0.1:8000"
_KIOSK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class SettingsError(MadoguchiError):
    code = "settings"

    def __init__(self, name: str, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"設定 {name} が不正です（{reason_ja}）", f"setting {name} is invalid ({reason_en})"
        )


@dataclass(frozen=True)
class KioskSettings:
    data_dir: Path
    kiosk_id: str
    server_url: str
    token_file: Path
    office_key: Path
    db_path: Path
    template_cache: Path
    retention: dt.timedelta = DEFAULT_RETENTION
    # The letter of the call numbers this kiosk issues while the office is out of reach; by
    # default the one the back office reserved for it (sync.counter_link).
    offline_letter: str | None = None
    ca_file: Path | None = None

    def client_ca(self) -> Path | None:
        """The CA file an `OfficeClient` must trust: the office CA for https://, None for
        the loopback http:// of a development set-up. SettingsError if https:// and missing."""
        if not self.server_url.lower().startswith("https://"):
            return None
        if self.ca_file is None or not self.ca_file.is_file():
            raise SettingsError(
                "office_ca",
                f"認証局の証明書がありません（{self.ca_file}）。madoguchi kiosk enrol で登録してください",
                f"no office CA certificate at {self.ca_file}; enrol with `madoguchi kiosk enrol`",
            )
        return self.ca_file

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, **overrides: str | Path | None
    ) -> KioskSettings:
        """Build from `env` (default `os.environ`); non-None `overrides` (flags) win."""
        env = os.environ if env is None else env

        def pick(flag: str, var: str, default: str | Path) -> str:
            value = overrides.get(flag)
            if value is not None:
                return str(value)
            return env.get(var) or str(default)

        data_dir = Path(overrides.get("data_dir") or locations.data_dir(env))
        enrolled = read_enrolment(data_dir)
        kiosk_id = pick(
            "kiosk_id",
            "MADOGUCHI_KIOSK_ID",
            enrolled.get("name") or socket.gethostname() or "kiosk",
        )
        if not _KIOSK_ID.match(kiosk_id):
            raise SettingsError("kiosk_id", "英数字と ._- で64字まで", "1-64 of A-Z a-z 0-9 . _ -")
        server_url = pick(
            "server_url", "MADOGUCHI_SERVER_URL", enrolled.get("server_url") or DEFAULT_SERVER_URL
        )
        try:
            require_secure_url(server_url)
        except BadServerUrl:
            raise SettingsError(
                "server_url", "http(s):// で始めてください", "must be http(s)://"
            ) from None
        days_text = pick("retention_days", "MADOGUCHI_RETENTION_DAYS", "7")
        try:
            days = float(days_text)
        except ValueError:
            raise SettingsError("retention_days", "数値ではありません", "not a number") from None
        if not 0 <= days <= 3650:
            raise SettingsError("retention_days", "0〜3650 日", "0-3650 days")
        letter = pick("offline_letter", "MADOGUCHI_OFFLINE_LETTER", "") or None
        if letter is not None and (len(letter) != 1 or not "A" <= letter <= "Z"):
            raise SettingsError("offline_letter", "A〜Zの1文字", "one letter A-Z")
        return cls(
            offline_letter=letter,
            data_dir=data_dir,
            kiosk_id=kiosk_id,
            server_url=server_url,
            token_file=Path(
                pick("token_file", "MADOGUCHI_TOKEN_FILE", data_dir / "terminal.token")
            ),
            office_key=Path(
                pick("office_key", "MADOGUCHI_OFFICE_KEY", data_dir / "office_public.pem")
            ),
            db_path=Path(pick("db_path", "MADOGUCHI_OUTBOX", data_dir / "outbox.sqlite3")),
            template_cache=Path(
                pick("template_cache", "MADOGUCHI_TEMPLATE_CACHE", data_dir / "templates")
            ),
            retention=dt.timedelta(days=days),
            ca_file=Path(pick("ca_file", "MADOGUCHI_OFFICE_CA", data_dir / CA_FILE)),
        )
