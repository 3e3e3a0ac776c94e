"""YAML reading for templates and bundles: libyaml's C loader when present (5× faster).

Kiosk start-up parses every shipped template; the pure-Python SafeLoader made that the
largest part of it. Both loaders are "safe": no arbitrary Python objects.
"""

from __future__ import annotations

from typing import Any

import yaml

_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_SafeLoader)


def line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the node at `loc` (mapping keys and list indexes), or of the deepest
    node that exists on the way there; None if the text is not YAML at all.

    Errors name the place in the file as a path (`rules.2.when`) *and* a line, so an admin can
    find it in an editor.
    """
    try:
        node = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child, line = value, key.start_mark.line + 1  # the key's line
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


_ComposeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
