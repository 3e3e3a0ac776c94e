"""The pre-entry site takes its templates from the office's signed bundle, never unsigned."""

from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.command_line import CliError
from forms.errors import MadoguchiError
from forms.payload.keys import generate_signing_keypair, save_public_key
from forms.signed_bundle import export_signed_bundle
from preentry.cli import site_catalog


def test_site_catalog_from_a_signed_bundle(tmp_path: Path) -> None:
    builtin = Catalog.builtin()
    private, public = generate_signing_keypair()
    bundle = tmp_path / "templates.mdgb"
    bundle.write_bytes(export_signed_bundle(builtin.latest(), builtin.bundles(), private))
    key = tmp_path / "templates-signing.pub"
    save_public_key(public, key)

    catalog = site_catalog(bundle, key)
    assert [t.key for t in catalog.latest()] == [t.key for t in builtin.latest()]
    assert [b.id for b in catalog.bundles()] == [b.id for b in builtin.bundles()]

    _, stranger = generate_signing_keypair()
    other = tmp_path / "other.pub"
    save_public_key(stranger, other)
    with pytest.raises(MadoguchiError):
        site_catalog(bundle, other)
    with pytest.raises(CliError):
        site_catalog(bundle, None)
    assert [t.key for t in site_catalog(None, None).latest()] == [t.key for t in builtin.latest()]
