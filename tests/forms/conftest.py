"""Shared by the payload tests: the catalogue and a fresh set of QR keys."""

from __future__ import annotations

import pytest

from forms.catalog import Catalog
from forms.payload import keys


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.builtin()


@pytest.fixture(scope="module")
def ring():
    """(counter private, counter public, signing private, signing public)."""
    counter, counter_pub = keys.generate_counter_keypair()
    signing, signing_pub = keys.generate_signing_keypair()
    return counter, counter_pub, signing, signing_pub
