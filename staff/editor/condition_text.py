"""A navigator condition as one line of text in the bundle editor's form (no Qt).

The line is YAML in flow style, the same as in the bundle file: a question id (`has_dog`),
`{not: has_dog}`, `{all: [has_dog, {someone: {age: {min: 65}}}]}` … (`forms.conditions`).
An empty line means "no condition". Reading the line only checks that it is YAML; whether it
is a condition, and whether the questions it names exist, `parse_bundle` checks with the rest
of the bundle.
"""

from __future__ import annotations

from typing import Any

import yaml

from forms.yamlio import load_yaml

EXAMPLE = "例 / e.g.  has_dog   {not: has_dog}   {all: [has_dog, {someone: {age: {min: 65}}}]}"


class ConditionUnreadable(ValueError):
    """The line is not YAML; the message is "ja / en"."""


def condition_text(value: Any) -> str:
    """One line of flow YAML; a question id as it is; nothing for no condition."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1_000_000
    )
    return text.removesuffix("\n").removesuffix("\n...")


def read_condition(text: str) -> Any:
    """The condition's value (None for an empty line); ConditionUnreadable if not YAML."""
    if not text.strip():
        return None
    try:
        return load_yaml(text)
    except yaml.YAMLError:
        raise ConditionUnreadable(
            "条件の書き方の誤り（括弧・コロンを確かめてください） / "
            "malformed condition (check brackets and colons)"
        ) from None
