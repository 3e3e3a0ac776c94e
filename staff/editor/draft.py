"""The editor's working copy of a template: plain Python data, validated after every edit.

The copy is the template's YAML data (a dict of dicts and lists, defaults left out), not a
`Template`: an admin's half-typed value ("12a" for a width, an unknown type) must be kept and
reported, which a validated model could not hold. `validate()` runs the very check the back
office runs on publish (`forms.template.parse_template`) and places every problem next to the
field, box or template setting it concerns (`staff.editor.problems`).

No Qt here: the table models wrap it, the tests drive it directly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import yaml

from forms.errors import TemplateError
from forms.template import Box, FieldSpec, Template, parse_template
from forms.yamlio import load_yaml
from staff.editor.problems import Location, Problem, describe, locate


@dataclass(frozen=True)
class FieldRef:
    """A row of the fields table: a top-level field (group None) or a field of a group."""

    group: int | None
    index: int


FIELD_DEFAULTS: dict[str, Any] = {
    name: info.get_default(call_default_factory=True)
    for name, info in FieldSpec.model_fields.items()
    if not info.is_required()
}
BOX_DEFAULTS: dict[str, Any] = {
    name: info.get_default(call_default_factory=True)
    for name, info in Box.model_fields.items()
    if not info.is_required()
}


class DraftUnreadable(TemplateError):
    """YAML that is not even a mapping cannot become a working copy (nothing to show)."""

    code = "editor_draft_unreadable"


def load_mapping(text: str, source: str) -> dict[str, Any]:
    """The YAML mapping a draft is made of; DraftUnreadable when the text is not one."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError:
        raise DraftUnreadable(source, ["YAML の構文誤り / malformed YAML"]) from None
    if not isinstance(data, dict):
        raise DraftUnreadable(source, ["最上位は対応表です / the top level must be a mapping"])
    return data


class TemplateDraft:
    def __init__(self, data: dict[str, Any], source: str = "draft") -> None:
        self.data = data
        self.source = source
        self.problems: list[Problem] = []
        self.template: Template | None = None  # the last state that validated, if the current
        self.validate()

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def from_template(cls, template: Template) -> TemplateDraft:
        return cls(template.model_dump(mode="json", exclude_defaults=True), template.key)

    @classmethod
    def from_yaml(cls, text: str, source: str = "import") -> TemplateDraft:
        """Any YAML mapping becomes a draft, valid or not; its problems are then shown."""
        return cls(load_mapping(text, source), source)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, width=100)

    def clone(self) -> TemplateDraft:
        return TemplateDraft(copy.deepcopy(self.data), self.source)

    # -- validation --------------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        try:
            self.template = parse_template(self.to_yaml(), self.source)
            self.problems = []
        except TemplateError as exc:
            self.template = None
            self.problems = [
                Problem(describe(p, self.data), locate(p, self.data), p) for p in exc.problems
            ]
        return self.problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_at(self, location: Location) -> list[Problem]:
        return [p for p in self.problems if p.location == location]

    # -- template settings -------------------------------------------------------------------

    @property
    def template_id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def version(self) -> Any:
        return self.data.get("version")

    def setting(self, key: str) -> Any:
        """A top-level value; `title.ja` style keys reach into a bilingual text."""
        head, _, part = key.partition(".")
        value = self.data.get(head)
        if part:
            return value.get(part, "") if isinstance(value, dict) else ""
        return value

    def set_setting(self, key: str, value: Any) -> None:
        head, _, part = key.partition(".")
        if part:
            text = self.data.get(head)
            text = dict(text) if isinstance(text, dict) else {}
            text[part] = value
            self.data[head] = text
        else:
            _store(self.data, head, value, None)
        self.validate()

    # -- fields ------------------------------------------------------------------------------

    def groups(self) -> list[dict[str, Any]]:
        groups = self.data.get("groups")
        return groups if isinstance(groups, list) else []

    def field_rows(self) -> list[FieldRef]:
        rows = [FieldRef(None, n) for n in range(len(self._fields(None)))]
        for g in range(len(self.groups())):
            rows.extend(FieldRef(g, n) for n in range(len(self._fields(g))))
        return rows

    def field(self, ref: FieldRef) -> dict[str, Any]:
        return self._fields(ref.group)[ref.index]

    def group_id(self, ref: FieldRef) -> str:
        return "" if ref.group is None else str(self.groups()[ref.group].get("id", ""))

    def field_value(self, ref: FieldRef, key: str) -> Any:
        spec = self.field(ref)
        head, _, part = key.partition(".")
        if part:  # label.ja, label.en
            value = spec.get(head)
            return value.get(part, "") if isinstance(value, dict) else ""
        return spec.get(key, FIELD_DEFAULTS.get(key))

    def set_field_value(self, ref: FieldRef, key: str, value: Any) -> None:
        spec = self.field(ref)
        head, _, part = key.partition(".")
        if part:
            text = spec.get(head)
            text = dict(text) if isinstance(text, dict) else {}
            text[part] = value
            spec[head] = text
        else:
            _store(spec, key, value, FIELD_DEFAULTS.get(key))
        self.validate()

    def add_field(self, group: int | None = None) -> FieldRef:
        fields = self._fields(group, create=True)
        taken = {f.get("id") for f in fields}
        n = len(fields) + 1
        while f"item_{n}" in taken:
            n += 1
        fields.append(
            {"id": f"item_{n}", "type": "text", "label": {"ja": "新しい項目", "en": "New item"}}
        )
        self.validate()
        return FieldRef(group, len(fields) - 1)

    def remove_field(self, ref: FieldRef) -> None:
        del self._fields(ref.group)[ref.index]
        self.validate()

    def _fields(self, group: int | None, create: bool = False) -> list[dict[str, Any]]:
        owner = self.data if group is None else self.groups()[group]
        fields = owner.get("fields")
        if not isinstance(fields, list):
            fields = []
            if create:
                owner["fields"] = fields
        return fields

    # -- layout boxes ------------------------------------------------------------------------

    def pages(self) -> list[dict[str, Any]]:
        layout = self.data.get("layout")
        pages = layout.get("pages") if isinstance(layout, dict) else None
        return pages if isinstance(pages, list) else []

    def boxes(self, page: int) -> list[dict[str, Any]]:
        pages = self.pages()
        if not 0 <= page < len(pages):
            return []
        boxes = pages[page].get("boxes")
        return boxes if isinstance(boxes, list) else []

    def box_value(self, page: int, index: int, key: str) -> Any:
        return self.boxes(page)[index].get(key, BOX_DEFAULTS.get(key))

    def set_box_value(self, page: int, index: int, key: str, value: Any) -> None:
        _store(self.boxes(page)[index], key, value, BOX_DEFAULTS.get(key))
        self.validate()

    def add_box(self, page: int, field: str = "") -> int:
        pages = self.pages()
        boxes = pages[page].setdefault("boxes", [])
        boxes.append({"field": field, "x": 10.0, "y": 270.0, "w": 40.0, "h": 8.0})
        self.validate()
        return len(boxes) - 1

    def remove_box(self, page: int, index: int) -> None:
        del self.boxes(page)[index]
        self.validate()


def _store(owner: dict[str, Any], key: str, value: Any, default: Any) -> None:
    """Set a value; an empty one (or the model's default) is left out, as the YAML would be."""
    if value is None or value == "" or (value == default and default is not None):
        owner.pop(key, None)
    else:
        owner[key] = value
