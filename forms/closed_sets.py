"""Closed sets that forms print: 世帯主との続柄, 国籍・地域, 在留資格 and the sex a form prints.

A template field takes its choices from one of these with `options_from: NAME` (a `select`
field); `forms.template` fills the field's `options` from here, so validation, printing, the
kiosk's choice lists and the pre-entry site's all read the same list, and a value outside it
is refused whether it was typed, read from a card or carried by a QR code.

The lists are data (`forms/data/*.yaml`). Each choice has the value stored in the record, the
Japanese text printed on the form and an English text shown beside it. A few other spellings
are accepted on input (`ClosedSet.canonical`): full-width or half-width brackets and digits,
and for 国籍・地域 the alpha-3 code, the English names and other Japanese names; they are
stored as the choice's value.

    closed_set("relation").values()          → ["世帯主", "妻", …]
    closed_set("nationality").canonical("アメリカ合衆国") → "US"
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from forms.errors import MadoguchiError
from forms.text import Text
from forms.yamlio import load_yaml


@dataclass(frozen=True)
class Choice:
    value: str  # what the record holds
    ja: str  # what the form prints
    en: str = ""


@dataclass(frozen=True)
class ClosedSet:
    name: str
    label: Text
    choices: tuple[Choice, ...]
    aliases: dict[str, str] = field(default_factory=dict, repr=False)  # lookup key → value

    def values(self) -> list[str]:
        return [c.value for c in self.choices]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def canonical(self, raw: str) -> str | None:
        """The value `raw` stands for (itself, another spelling, an alias), or None."""
        return self.aliases.get(lookup_key(raw))


class UnknownClosedSet(MadoguchiError):
    code = "unknown_closed_set"

    def __init__(self, name: str) -> None:
        known = ", ".join(CLOSED_SET_NAMES)
        super().__init__(
            f"選択肢の一覧 {name!r} はありません（{known}）",
            f"no closed set named {name!r} (known: {known})",
        )
        self.name = name


_IGNORED = re.compile(r"[\s()（）［］\[\]・･、,.．]")


def lookup_key(text: str) -> str:
    """What two spellings of one choice have in common: NFKC, case and brackets ignored."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _data(file_name: str) -> dict[str, Any]:
    text = resources.files("forms").joinpath("data", file_name).read_text("utf-8")
    data = load_yaml(text)
    assert isinstance(data, dict), file_name
    return data


def _build(
    name: str, label: Text, choices: list[Choice], extra: dict[str, list[str]] | None = None
) -> ClosedSet:
    """A set whose values, Japanese texts and `extra` spellings all find their choice.

    A spelling that two choices share is kept for the first only (the data lists the
    printed names first, so a printed name always finds its own choice).
    """
    aliases: dict[str, str] = {}
    for choice in choices:
        aliases.setdefault(lookup_key(choice.value), choice.value)
        aliases.setdefault(lookup_key(choice.ja), choice.value)
    for value, spellings in (extra or {}).items():
        for spelling in spellings:
            if spelling:
                aliases.setdefault(lookup_key(spelling), value)
    return ClosedSet(name, label, tuple(choices), aliases)


def _listed(file_name: str) -> tuple[Text, list[dict[str, Any]]]:
    data = _data(file_name)
    return Text(**data["label"]), data["choices"]


def _relation() -> ClosedSet:
    label, rows = _listed("relations.yaml")
    return _build("relation", label, [Choice(r["value"], r["value"], r["en"]) for r in rows])


def _residence_status(registered_only: bool) -> ClosedSet:
    label, rows = _listed("residence_statuses.yaml")
    chosen = [r for r in rows if r.get("registered", True) or not registered_only]
    name = "residence_status_registered" if registered_only else "residence_status"
    return _build(name, label, [Choice(r["value"], r["value"], r["en"]) for r in chosen])


def _nationality() -> ClosedSet:
    import gettext

    import pycountry

    data = _data("nationalities.yaml")
    try:
        iso_ja: gettext.NullTranslations = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["ja"]
        )
    except OSError:  # a pycountry without its translations: the shipped names still work
        iso_ja = gettext.NullTranslations()
    choices = []
    extra: dict[str, list[str]] = {}
    for code, names in data["names"].items():
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
        if country is None:  # XXA, stateless: not in ISO 3166-1
            choices.append(Choice(code, names[0], "Stateless"))
            extra[code] = list(names[1:])
            continue
        english = getattr(country, "common_name", None) or country.name
        choices.append(Choice(code, names[0], english))
        extra[code] = [
            *names[1:],
            country.alpha_3,
            country.name,
            english,
            getattr(country, "official_name", ""),
            iso_ja.gettext(country.name),
        ]
    return _build("nationality", Text(**data["label"]), choices, extra)


def _sex() -> ClosedSet:
    """The sex a form prints: 男 or 女. (A card may also say 適用不能 or 不明: see
    `forms.sex_question`; those are never printed and never guessed.)"""
    return _build(
        "sex",
        Text(ja="性別", en="Sex"),
        [Choice("male", "男", "male"), Choice("female", "女", "female")],
    )


_BUILDERS = {
    "relation": _relation,
    "nationality": _nationality,
    "residence_status": lambda: _residence_status(registered_only=False),
    "residence_status_registered": lambda: _residence_status(registered_only=True),
    "sex": _sex,
}
CLOSED_SET_NAMES: tuple[str, ...] = tuple(_BUILDERS)


@functools.cache
def closed_set(name: str) -> ClosedSet:
    """The closed set `name` (one of `CLOSED_SET_NAMES`); UnknownClosedSet otherwise."""
    builder = _BUILDERS.get(name)
    if builder is None:
        raise UnknownClosedSet(name)
    return builder()
