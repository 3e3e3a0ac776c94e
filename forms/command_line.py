"""Small helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from forms.errors import MadoguchiError


class CliError(MadoguchiError):
    """A command-line usage problem (missing file, bad option combination)."""

    code = "cli"

    def __init__(self, ja: str, en: str, exit_code: int = 1) -> None:
        super().__init__(ja, en)
        self.exit_code = exit_code


def read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"ファイルがありません: {path}", f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise CliError(f"UTF-8 ではありません: {path}", f"not UTF-8: {path}") from None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
