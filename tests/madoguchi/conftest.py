"""The umbrella's tests: the dispatcher, the demo's composition with the embedded back office,
the benchmarks' smoke runs."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt

from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.catalog import Catalog
from kiosk.demo import DemoKit, build_demo
from madoguchi.demo import embedded_office


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[DemoKit]:
    """The demo kiosk wired to the embedded back office (not started until a test asks)."""
    kit = build_demo(tmp_path / "demo", catalog=Catalog.builtin(), office=embedded_office)
    yield kit
    kit.close()
