"""Resident profiles: the fictional people the virtual cards are made from.

A profile file is YAML with a `residents:` list; see `devices/card/profiles/*.yaml`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from devices.card.errors import CardError
from devices.card.individual_number import is_valid
from forms.record import Sex


class ProfileError(CardError):
    code = "card_profile"

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(
            f"住民プロファイルが不正です（{where}: {problem}）",
            f"invalid resident profile ({where}: {problem})",
        )


@dataclass(frozen=True)
class ResidentProfile:
    label: str
    name: str  # as the card stores it: family U+3000 given (or a Latin name as printed)
    kana: str
    address: str
    birth_date: dt.date
    sex: Sex
    individual_number: str
    pin: str = "1234"  # My Number input-assist PIN
    licence_pin: str | None = "1234"  # licence PIN 1; None: never set (the card uses ****)
    licence_pin2: str = "5678"  # licence PIN 2 (本籍); ignored when licence_pin is None
    # 本籍 on the licence (DF1/EF02); for a foreign resident the licence prints the nationality.
    domicile: str = "見本県見本市見本町一丁目一番地"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:  # the label is not personal data; the rest is
        return f"ResidentProfile(label={self.label!r}, …)"

    __str__ = __repr__


_REQUIRED = ("label", "name", "address", "birth_date", "sex", "individual_number")


def _profile(entry: Any, where: str) -> ResidentProfile:
    if not isinstance(entry, dict):
        raise ProfileError(where, "not a mapping")
    for key in _REQUIRED:
        if key not in entry:
            raise ProfileError(where, f"missing {key}")
    birth = entry["birth_date"]
    if isinstance(birth, str):
        birth = dt.date.fromisoformat(birth)
    if not isinstance(birth, dt.date):
        raise ProfileError(where, "birth_date is not a date")
    number = str(entry["individual_number"])
    if not is_valid(number):
        raise ProfileError(where, "individual_number has a bad check digit")
    try:
        sex = Sex(str(entry["sex"]))
    except ValueError:
        raise ProfileError(where, "sex is not male/female/not_applicable/unknown") from None
    pin = str(entry.get("pin", "1234"))
    licence_pin = entry.get("licence_pin", "1234")
    licence_pin2 = str(entry.get("licence_pin2", "5678"))
    for value in (pin, licence_pin, licence_pin2):
        if value is not None and not (len(str(value)) == 4 and str(value).isdigit()):
            raise ProfileError(where, "PINs are 4 digits")
    known = {*_REQUIRED, "kana", "pin", "licence_pin", "licence_pin2", "domicile"}
    domicile = str(entry.get("domicile", ResidentProfile.domicile))
    return ResidentProfile(
        label=str(entry["label"]),
        name=str(entry["name"]),
        kana=str(entry.get("kana", "")),
        address=str(entry["address"]),
        birth_date=birth,
        sex=sex,
        individual_number=number,
        pin=pin,
        licence_pin=None if licence_pin is None else str(licence_pin),
        licence_pin2=licence_pin2,
        domicile=domicile,
        extra={k: v for k, v in entry.items() if k not in known},
    )


def load_profiles(path: str | Path) -> list[ResidentProfile]:
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(path.name, type(exc).__name__) from None
    residents = document.get("residents") if isinstance(document, dict) else None
    if not isinstance(residents, list) or not residents:
        raise ProfileError(path.name, "no residents list")
    return [_profile(e, f"{path.name}[{i}]") for i, e in enumerate(residents)]


def bundled_profiles() -> dict[str, Path]:
    """The sample profile files shipped in the package, by stem (`rare_kanji`, …)."""
    folder = resources.files("devices.card.profiles")
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def resolve_profile_file(name_or_path: str) -> Path:
    """A path, or the stem of a bundled profile file."""
    path = Path(name_or_path)
    if path.exists():
        return path
    bundled = bundled_profiles()
    if name_or_path in bundled:
        return bundled[name_or_path]
    raise ProfileError(name_or_path, "no such file or bundled profile")
