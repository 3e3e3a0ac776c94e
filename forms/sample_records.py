"""Sample session records shipped with Madoguchi: obviously fictional residents for demos and tests.

The records are data (`forms/samples/*.json`, the `--data FILE` format of the command line):

- `yoshino_household`: a household of four moving in from Sapporo to Shinjuku with long
  addresses; 𠮷 (U+20BB7), 髙 and 﨑 in the names; the spouse has a different family name;
  the householder's My Number Card data (with a fictional individual number).
- `smith_john`: a single foreign resident with a Latin name, nationality and residence card.
- `mihon_showa_last_day`: born 1989-01-07, the last day of 昭和 (昭和64年); moves within the city,
  and asks for a seal certificate, cancels a seal registration and requests a 戸籍 certificate.
- `silva_from_abroad`: a mother and her son (Brazilian nationals) moving in from abroad.
- `mihon_three_generations`: a household of four (a grandfather of 77 on 後期高齢者医療 and
  介護保険, a child in 中学1年) moving out to another prefecture; it fills nearly every form.
- `takasaki_okuyami`: the householder died at 78 (後期高齢者医療, 介護保険); his daughter comes
  to the おくやみ counter with her card; the widow becomes the householder (髙, 﨑).
- `mihon_birth`: a birth in a household that already receives the child allowance (𠮷).

`forms/samples/index.yaml` names each sample's life event and the forms it fills completely.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from forms.errors import MadoguchiError
from forms.record import SessionRecord
from forms.yamlio import load_yaml

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


@dataclass(frozen=True)
class SampleInfo:
    event: str  # the bundle id of the life event the resident comes for
    forms: tuple[str, ...]  # the templates the record fills without an error


def sample_info(name: str) -> SampleInfo:
    """The life event and the forms of the sample `name` (from `samples/index.yaml`)."""
    if name not in sample_names():
        raise UnknownSample(name)
    index = load_yaml(resources.files("forms").joinpath(_FOLDER, "index.yaml").read_text("utf-8"))
    entry = index.get(name) if isinstance(index, dict) else None
    if not isinstance(entry, dict):
        raise UnknownSample(name)
    return SampleInfo(str(entry["event"]), tuple(str(f) for f in entry["forms"]))
