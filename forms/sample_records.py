"""Sample session records shipped with Madoguchi: obviously fictional residents for demos and tests.

The records are data (`forms/samples/*.json`, the `--data FILE` format of the command line):

- `yoshino_household`: a household of four moving in from Sapporo to Shinjuku with long
  addresses; 𠮷 (U+20BB7), 髙 and 﨑 in the names; the spouse has a different family name;
  the householder's My Number Card data (with a fictional individual number).
- `smith_john`: a single foreign resident with a Latin name, nationality and residence card.
- `mihon_showa_last_day`: born 1989-01-07, the last day of 昭和 (昭和64年); moves within the city.
"""

from __future__ import annotations

from importlib import resources

from forms.errors import MadoguchiError
from forms.record import SessionRecord

_FOLDER = "samples"


class UnknownSample(MadoguchiError):
    code = "unknown_sample"

    def __init__(self, name: str) -> None:
        super().__init__(f"見本データ {name} はありません", f"no sample record named {name}")
        self.name = name


def sample_names() -> list[str]:
    """The names of the shipped samples (file names without `.json`), sorted."""
    folder = resources.files("forms").joinpath(_FOLDER)
    return sorted(
        e.name.removesuffix(".json") for e in folder.iterdir() if e.name.endswith(".json")
    )


def load_sample(name: str) -> SessionRecord:
    """The sample record `name` (see `sample_names()`); raises UnknownSample for any other name."""
    if name not in sample_names():  # also refuses path tricks such as "../x"
        raise UnknownSample(name)
    text = resources.files("forms").joinpath(_FOLDER, f"{name}.json").read_text("utf-8")
    return SessionRecord.from_json(text)
