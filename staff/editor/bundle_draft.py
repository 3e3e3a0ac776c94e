"""The working copy of a life-event bundle (引越し・転入 …), checked after every edit (no Qt).

A bundle lists the templates one event needs (`templates`) and those the resident may add
(`optional`), with the navigator's questions and rules. It is checked as
`forms.bundle.parse_bundle` checks it (none may be both required and optional; a rule may only
choose a listed form), plus: every template it names must exist.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from forms.bundle import Bundle, parse_bundle
from forms.errors import TemplateError
from forms.signed_bundle import dump_bundle
from staff.editor.draft import load_mapping

REQUIRED, OPTIONAL, UNUSED = "required", "optional", "unused"


class BundleDraft:
    def __init__(
        self, data: dict[str, Any], known_templates: list[str], source: str = "bundle"
    ) -> None:
        self.data = data
        self.known = list(known_templates)
        self.source = source
        self.problems: list[str] = []
        self.bundle: Bundle | None = None
        self.validate()

    @classmethod
    def from_bundle(cls, bundle: Bundle, known_templates: list[str]) -> BundleDraft:
        return cls(
            bundle.model_dump(mode="json", exclude_defaults=True), known_templates, bundle.id
        )

    @classmethod
    def from_yaml(
        cls, text: str, known_templates: list[str], source: str = "import"
    ) -> BundleDraft:
        return cls(load_mapping(text, source), known_templates, source)

    @classmethod
    def new(cls, known_templates: list[str]) -> BundleDraft:
        data = {
            "id": "new_event",
            "title": {"ja": "新しい手続き", "en": "New event"},
            "templates": [],
        }
        return cls(data, known_templates)

    def clone(self) -> BundleDraft:
        return BundleDraft(copy.deepcopy(self.data), self.known, self.source)

    def to_yaml(self) -> str:
        if self.bundle is not None:
            return dump_bundle(self.bundle)
        return yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, width=100)

    def validate(self) -> list[str]:
        problems: list[str] = []
        bundle: Bundle | None = None
        try:
            bundle = parse_bundle(
                yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False), self.source
            )
        except TemplateError as exc:
            problems.extend(exc.problems)
        if bundle is not None:
            problems.extend(
                f"templates: 様式 {t} がありません / unknown template {t}"
                for t in bundle.template_ids(include_optional=True)
                if t not in self.known
            )
        self.problems = problems
        self.bundle = bundle if not problems else None
        return problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self, key: str) -> str:
        head, _, part = key.partition(".")
        value = self.data.get(head)
        if part:
            return str(value.get(part, "")) if isinstance(value, dict) else ""
        return "" if value is None else str(value)

    def set_text(self, key: str, value: str) -> None:
        head, _, part = key.partition(".")
        if part:
            text = self.data.get(head)
            text = dict(text) if isinstance(text, dict) else {}
            text[part] = value
            if head == "description" and not any(text.values()):
                self.data.pop(head, None)
            else:
                self.data[head] = text
        else:
            self.data[head] = value
        self.validate()

    def _list(self, key: str) -> list[str]:
        value = self.data.get(key)
        return [str(v) for v in value] if isinstance(value, list) else []

    def role_of(self, template_id: str) -> str:
        if template_id in self._list("templates"):
            return REQUIRED
        if template_id in self._list("optional"):
            return OPTIONAL
        return UNUSED

    def set_role(self, template_id: str, role: str) -> None:
        required = [t for t in self._list("templates") if t != template_id]
        optional = [t for t in self._list("optional") if t != template_id]
        if role == REQUIRED:
            required.append(template_id)
        elif role == OPTIONAL:
            optional.append(template_id)
        self.data["templates"] = required
        if optional:
            self.data["optional"] = optional
        else:
            self.data.pop("optional", None)
        self.validate()

    def listed_templates(self) -> list[str]:
        """Known templates, then any unknown one the bundle names (so it can be removed)."""
        named = [*self._list("templates"), *self._list("optional")]
        return [*self.known, *(t for t in named if t not in self.known)]
