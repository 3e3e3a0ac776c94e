"""Helpers shared by the card tests (a module, since tests/ has no packages)."""

from __future__ import annotations

import copy
import dataclasses
import functools

from devices.card.virtual import ResidentProfile, bundled_profiles, load_profiles


@functools.cache
def _bundled() -> tuple[ResidentProfile, ...]:
    """The shipped profiles, read once per process (the tests' parametrisation and cases
    asked for them ~280 times, each re-reading the YAML files)."""
    return tuple(p for path in sorted(bundled_profiles().values()) for p in load_profiles(path))


def all_profiles() -> list[ResidentProfile]:
    """The shipped profiles: a test's own copies (a frozen dataclass, but `extra` is a dict)."""
    return copy.deepcopy(list(_bundled()))


def profile(label: str) -> ResidentProfile:
    return next(p for p in all_profiles() if p.label == label)


def with_pin(base: ResidentProfile, pin: str) -> ResidentProfile:
    return dataclasses.replace(base, pin=pin, licence_pin=pin)
