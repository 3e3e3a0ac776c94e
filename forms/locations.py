"""Where this machine keeps Madoguchi's files, from the environment (flags may override).

| what | environment | default |
| --- | --- | --- |
| data folder | `MADOGUCHI_DATA_DIR` | `$XDG_DATA_HOME/madoguchi` (`~/.local/share/madoguchi`) |
| template cache | `MADOGUCHI_TEMPLATE_CACHE` | `<data folder>/templates` |
| office public key | `MADOGUCHI_OFFICE_KEY` | `<data folder>/office_public.pem` |

Every part that runs on a kiosk reads the same answers: the sync worker fills the template
cache, and `card read` and `print` check templates against it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = _env(env)
    xdg = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(env.get("MADOGUCHI_DATA_DIR") or Path(xdg) / "madoguchi")


def template_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    env = _env(env)
    return Path(env.get("MADOGUCHI_TEMPLATE_CACHE") or data_dir(env) / "templates")


def office_key_file(env: Mapping[str, str] | None = None) -> Path:
    env = _env(env)
    return Path(env.get("MADOGUCHI_OFFICE_KEY") or data_dir(env) / "office_public.pem")
