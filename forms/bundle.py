"""Life-event bundles (引越し・転入, 出生, …): the templates one event needs over one record.

`questions` merges the fillable slots of every form by record path, so a bundle asks each
item exactly once, under one label, however many forms print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from forms.errors import PathError, TemplateError
from forms.fill import Slot, slots
from forms.paths import parse_path
from forms.record import SessionRecord
from forms.text import Text
from forms.yamlio import load_yaml

if TYPE_CHECKING:
    from forms.template import Template


class Bundle(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    description: Text | None = None
    templates: list[str] = Field(min_length=1)
    optional: list[str] = Field(default_factory=list)  # filled when the resident asks
    # Answers the event itself gives, never asked: record path → value, e.g. moving in fixes
    # 住民異動届's kind to 転入 (`answers.idou.kind: moving_in`). See `fixed_answers`.
    fixed: dict[str, str | bool] = Field(default_factory=dict)

    @field_validator("fixed")
    @classmethod
    def _fixed_paths(cls, fixed: dict[str, str | bool]) -> dict[str, str | bool]:
        for text in fixed:
            try:
                path = parse_path(text)
            except PathError as exc:
                raise ValueError(f"{exc.ja} / {exc.en}") from None
            if path.read_only or path.starred:
                raise ValueError(f"{text}: 書き込めるパスではありません / not a writable path")
        return fixed

    def template_ids(self, include_optional: bool = False) -> list[str]:
        return [*self.templates, *(self.optional if include_optional else [])]


def parse_bundle(text: str, source: str = "<bundle>") -> Bundle:
    try:
        data = load_yaml(text)
        return Bundle.model_validate(data)
    except yaml.YAMLError:
        raise TemplateError(source, ["YAML の構文誤り / malformed YAML"]) from None
    except ValidationError as exc:
        raise TemplateError(
            source,
            [
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                for e in exc.errors(include_input=False, include_url=False)
            ],
        ) from None


def fixed_answers(bundles: list[Bundle]) -> dict[str, str | bool]:
    """The answers the chosen events fix (the first event's value wins a disagreement)."""
    out: dict[str, str | bool] = {}
    for bundle in bundles:
        for path, value in bundle.fixed.items():
            out.setdefault(path, value)
    return out


@dataclass
class Question:
    """One item the resident is asked (or that was prefilled), shared by every form using it."""

    path: str
    slot: Slot  # the first slot that uses it: its type and label lead
    uses: list[tuple[str, str]] = field(default_factory=list)  # (template id, ref)

    @property
    def label(self) -> Text:
        return self.slot.spec.label


def questions(templates: list[Template], record: SessionRecord) -> list[Question]:
    by_path: dict[str, Question] = {}
    for template in templates:
        for slot in slots(template, record):
            q = by_path.setdefault(slot.path.text, Question(slot.path.text, slot))
            q.uses.append((template.id, slot.ref))
    return list(by_path.values())
