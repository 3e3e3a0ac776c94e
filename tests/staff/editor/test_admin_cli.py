"""`madoguchi admin export-bundle`: the signed template bundle from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.payload.keys import generate_signing_keypair, save_private_key
from forms.signed_bundle import load_signed_bundle
from tests.staff.editor.editorkit import ADMIN, PASSWORD, STAFF

BUILTIN = Catalog.builtin()


def madoguchi(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MADOGUCHI_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def key(tmp_path: Path):
    private, public = generate_signing_keypair()
    path = tmp_path / "templates-signing.key"
    save_private_key(private, path)
    return path, public


def test_local_export_holds_every_shipped_template_and_bundle(tmp_path, key) -> None:
    path, public = key
    out = tmp_path / "local.mdgb"
    result = madoguchi(
        "admin",
        "export-bundle",
        "--out",
        str(out),
        "--signing-key",
        str(path),
        "--local",
        "--json",
        home=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    templates, bundles = load_signed_bundle(out.read_bytes(), [public])
    assert templates == BUILTIN.latest()
    assert bundles == BUILTIN.bundles()
    assert '"signer": "sha256:' in result.stdout


def test_server_export_signs_in_as_admin(tmp_path, key, office_server) -> None:
    path, public = key
    out = tmp_path / "server.mdgb"
    result = madoguchi(
        "admin",
        "export-bundle",
        "--out",
        str(out),
        "--signing-key",
        str(path),
        "--server",
        office_server.url,
        "--user",
        ADMIN,
        home=tmp_path,
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    templates, _ = load_signed_bundle(out.read_bytes(), [public])
    assert {t.id for t in templates} >= {t.id for t in BUILTIN.latest()}
    assert PASSWORD not in result.stdout + result.stderr


def test_server_export_refuses_staff_and_wrong_passwords(tmp_path, key, office_server) -> None:
    path, _ = key
    out = tmp_path / "x.mdgb"
    common = ("admin", "export-bundle", "--out", str(out), "--signing-key", str(path))
    staff = madoguchi(
        *common,
        "--server",
        office_server.url,
        "--user",
        STAFF,
        home=tmp_path,
        stdin=PASSWORD + "\n",
    )
    assert staff.returncode == 1
    assert "admins only" in staff.stderr
    wrong = madoguchi(
        *common, "--server", office_server.url, "--user", ADMIN, home=tmp_path, stdin="nope\n"
    )
    assert wrong.returncode == 1
    assert "credentials" in wrong.stderr
    no_user = madoguchi(*common, "--server", office_server.url, home=tmp_path)
    assert no_user.returncode == 1
    assert "--user" in no_user.stderr
    assert not out.exists()


def test_missing_signing_key_says_how_to_make_one(tmp_path) -> None:
    result = madoguchi("admin", "export-bundle", "--out", str(tmp_path / "o.mdgb"), home=tmp_path)
    assert result.returncode == 1
    assert "madoguchi keys signing --name templates" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_default_key_from_the_key_folder(tmp_path) -> None:
    made = madoguchi("keys", "signing", "--name", "templates", home=tmp_path)
    assert made.returncode == 0, made.stderr
    out = tmp_path / "d.mdgb"
    result = madoguchi("admin", "export-bundle", "--out", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    from forms.payload.keys import load_signing_public_key

    public = load_signing_public_key(tmp_path / "keys" / "templates-signing.pub")
    templates, _ = load_signed_bundle(out.read_bytes(), [public])
    assert templates == BUILTIN.latest()
