"""The session record: everything one resident enters once (card, QR or typing).

Every form of a procedure or life-event bundle reads its fields from here through `prefill:`
paths (see `forms.paths`), and every edit on the review screen writes back here, so nothing is
asked twice (ワンスオンリー). The record's JSON form (`SessionRecord.model_dump_json`) is the
`--data FILE` format of the command line and what the QR payload carries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from forms.address import Address, split_address
from forms.clock import office_clock
from forms.errors import MadoguchiError
from forms.record_model import RecordModel as _Model


class Sex(StrEnum):
    """Card codes: 1 male, 2 female, 9 not applicable, 0 unknown (ISO/IEC 5218)."""

    MALE = "male"
    FEMALE = "female"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"

    @classmethod
    def from_code(cls, code: str) -> Sex:
        return {"1": cls.MALE, "2": cls.FEMALE, "9": cls.NOT_APPLICABLE, "0": cls.UNKNOWN}[code]

    @property
    def ja(self) -> str:
        return {"male": "男", "female": "女", "not_applicable": "適用不能", "unknown": "不明"}[
            self.value
        ]

    @property
    def is_binary(self) -> bool:
        """男 or 女: what forms that print only those two can take as it is."""
        return self in (Sex.MALE, Sex.FEMALE)


class PersonName(_Model):
    """A name split into family and given parts; either part may be empty for Latin names."""

    family: str = ""
    given: str = ""

    @property
    def full(self) -> str:
        """As printed on Japanese forms: family, ideographic space, given."""
        return "\u3000".join(p for p in (self.family, self.given) if p)

    @classmethod
    def parse(cls, text: str) -> PersonName:
        """Split a card's name (family U+3000 given) or a typed one (any space)."""
        text = text.strip()
        for sep in ("\u3000", " "):
            if sep in text:
                family, given = text.split(sep, 1)
                return cls(family=family.strip(), given=given.strip())
        return cls(family=text, given="")

    def __str__(self) -> str:
        return self.full


class Person(_Model):
    name: PersonName | None = None
    kana: PersonName | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None  # as the card (or the person) said: 9 適用不能 and 0 不明 included
    # For forms that print only 男/女, when `sex` is neither: what the person (or staff with
    # them) chose to be printed. Asked, never guessed; `sex` keeps what the card said.
    # See forms.sex_question.
    sex_for_forms: Sex | None = None
    relation: str = ""  # 続柄 to the householder: 世帯主, 妻, 子, … (closed set `relation`)
    nationality: str = ""  # ISO 3166-1 alpha-2 (closed set `nationality`); empty for Japanese
    # 死亡年月日: set for a deceased person (おくやみ); their record is then a 除票.
    died_on: dt.date | None = None

    @field_validator("sex_for_forms")
    @classmethod
    def _male_or_female(cls, value: Sex | None) -> Sex | None:
        if value is not None and not value.is_binary:
            raise ValueError("sex_for_forms is male or female")
        return value


CardKind = Literal["my_number", "drivers_licence"]


class CardData(_Model):
    """What an IC card said, exactly as stored on it (the review screen may still correct it)."""

    kind: CardKind
    name: str
    address: str
    birth_date: dt.date
    sex: Sex | None = None
    kana: str = ""
    # Read only for templates that declare `uses_individual_number`; never logged or exported.
    individual_number: str | None = Field(default=None, repr=False)
    # 本籍 from the driver's licence (behind PIN 2): read only when a chosen form declares
    # `uses_licence_domicile`. It is in transit only: `SessionRecord.apply_card` drops it, and
    # `forms.domicile.seed_domicile` puts it into the declaring forms' fields.
    domicile: str | None = Field(default=None, repr=False)

    def __repr__(self) -> str:  # personal data never reaches a log through repr()
        return f"CardData(kind={self.kind!r}, …)"

    __str__ = __repr__


class SessionRecord(_Model):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    # The office's date when the session began (forms.clock): 届出日, ages, era dates.
    today: dt.date = Field(default_factory=lambda: office_clock().today())
    persons: list[Person] = Field(default_factory=list)
    addresses: dict[str, Address] = Field(default_factory=dict)
    dates: dict[str, dt.date] = Field(default_factory=dict)
    answers: dict[str, Any] = Field(default_factory=dict)
    card: CardData | None = None
    qr: dict[str, Any] = Field(default_factory=dict)

    def __repr__(self) -> str:
        return f"SessionRecord(id={self.id}, persons={len(self.persons)}, …)"

    __str__ = __repr__

    def person(self, index: int) -> Person:
        """The person at `index`, creating empty ones up to it (for writes)."""
        while len(self.persons) <= index:
            self.persons.append(Person())
        return self.persons[index]

    def apply_card(self, card: CardData) -> None:
        """Put what the card said into the record: the card holder is person 0.

        本籍 (`card.domicile`) is not kept with the card: `forms.domicile.seed_domicile`
        writes it where the declaring forms read it."""
        if card.domicile is not None:
            card = card.model_copy(update={"domicile": None})
        self.card = card
        holder = self.person(0)
        holder.name = PersonName.parse(card.name)
        holder.birth_date = card.birth_date
        if card.sex is not None:
            holder.sex = card.sex
        if card.kana:
            holder.kana = PersonName.parse(card.kana)
        current = split_address(card.address)
        current.postal_code = self.addresses.get("current", Address()).postal_code
        self.addresses["current"] = current

    @classmethod
    def from_json(cls, text: str | bytes) -> SessionRecord:
        """Parse record JSON; errors name the fields, never their values."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise RecordError(exc) from None


class RecordError(MadoguchiError):
    code = "record_invalid"

    def __init__(self, exc: ValidationError) -> None:
        where = ", ".join(
            ".".join(str(p) for p in e["loc"]) or "(root)" for e in exc.errors(include_input=False)
        )
        super().__init__(f"記録データの形式が不正です: {where}", f"malformed record data: {where}")
