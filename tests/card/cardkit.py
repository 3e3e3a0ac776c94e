"""Helpers shared by the card tests (a module, since tests/ has no packages)."""

from __future__ import annotations

import dataclasses

from devices.card.virtual import ResidentProfile, bundled_profiles, load_profiles


def all_profiles() -> list[ResidentProfile]:
    return [p for path in sorted(bundled_profiles().values()) for p in load_profiles(path)]


def profile(label: str) -> ResidentProfile:
    return next(p for p in all_profiles() if p.label == label)


def with_pin(base: ResidentProfile, pin: str) -> ResidentProfile:
    return dataclasses.replace(base, pin=pin, licence_pin=pin)
