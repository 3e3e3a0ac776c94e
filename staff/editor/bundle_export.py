"""Gathering and writing the signed template bundle for the pre-entry site (no Qt).

Shared by the editor's menu and `madoguchi admin export-bundle`. The bundle holds the newest
version of each template (the pre-entry site offers only the current forms) and every
life-event bundle whose templates are all in it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.bundle import Bundle
from forms.catalog import Catalog
from forms.payload.keys import load_signing_private_key
from forms.signed_bundle import export_signed_bundle
from forms.template import Template
from staff.editor.admin_api import AdminApi

SIGNING_KEY_NAME = "templates"  # <key dir>/templates-signing.key and .pub


def usable_bundles(bundles: list[Bundle], templates: list[Template]) -> list[Bundle]:
    ids = {t.id for t in templates}
    return [b for b in bundles if all(t in ids for t in b.template_ids(include_optional=True))]


def from_catalog(catalog: Catalog) -> tuple[list[Template], list[Bundle]]:
    templates = catalog.latest()
    return templates, usable_bundles(catalog.bundles(), templates)


def from_server(api: AdminApi, bundles: list[Bundle]) -> tuple[list[Template], list[Bundle]]:
    """The newest published version of every template (network: call off the GUI thread)."""
    templates = api.latest_catalog().latest()
    return templates, usable_bundles(bundles, templates)


def write_signed_bundle(
    path: str | Path,
    templates: list[Template],
    bundles: list[Bundle],
    signing_key: Ed25519PrivateKey,
) -> int:
    """Sign and write atomically; returns the size in bytes."""
    data = export_signed_bundle(templates, bundles, signing_key)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


def signed_bundle_job(
    out: str | Path, key_path: str | Path, bundles: list[Bundle]
) -> Callable[[AdminApi], int]:
    """The work of the editor's "signed bundle" (to run off the GUI thread): the newest
    published templates and the usable `bundles`, signed, written to `out`; its size in bytes.
    The key is read now, so an unreadable key is a MadoguchiError before any call."""
    key = load_signing_private_key(key_path)

    def work(api: AdminApi) -> int:
        templates, usable = from_server(api, bundles)
        return write_signed_bundle(out, templates, usable, key)

    return work
