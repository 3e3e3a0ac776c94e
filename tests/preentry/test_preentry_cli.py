"""`madoguchi preentry serve`: its options, and its refusals before anything listens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forms.payload.keys import (
    COUNTER_PUBLIC,
    generate_counter_keypair,
    generate_signing_keypair,
    save_private_key,
    save_public_key,
    signing_private_name,
)
from madoguchi.cli import build_parser, main
from preentry import cli as preentry_cli


def test_serve_is_registered_with_its_options() -> None:
    args = build_parser().parse_args(["preentry", "serve"])
    assert (args.host, args.port, args.keys) == ("127.0.0.1", 8300, None)
    args = build_parser().parse_args(
        ["preentry", "serve", "--host", "0.0.0.0", "--port", "9000", "--keys", "/k"]
    )
    assert (args.host, args.port, args.keys) == ("0.0.0.0", 9000, Path("/k"))


def test_missing_keys_folder_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["preentry", "serve", "--keys", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("madoguchi: 鍵がありません") and "counter.pub" in err
    assert len(err.strip().splitlines()) == 1


def test_a_wrong_key_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counter_private, counter_public = generate_counter_keypair()
    # the counter's private key where the signing key belongs
    save_private_key(counter_private, tmp_path / signing_private_name("preentry"))
    save_public_key(counter_public, tmp_path / COUNTER_PUBLIC)
    assert main(["preentry", "serve", "--keys", str(tmp_path)]) == 1
    assert "Ed25519" in capsys.readouterr().err


def test_bad_port_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preentry", "serve", "--keys", str(tmp_path), "--port", "70000"]) == 1
    assert "port" in capsys.readouterr().err


def test_keys_load_from_a_folder_and_demo_keys_are_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    signing_private, _ = generate_signing_keypair()
    _, counter_public = generate_counter_keypair()
    save_private_key(signing_private, tmp_path / signing_private_name("preentry"))
    save_public_key(counter_public, tmp_path / COUNTER_PUBLIC)
    signing, counter = preentry_cli.load_site_keys(tmp_path)
    assert signing.public_key() == signing_private.public_key()
    assert counter == counter_public

    started: dict[str, Any] = {}

    def fake_run(app: Any, **kwargs: Any) -> None:
        started.update(kwargs, app=app)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("MADOGUCHI_HOME", str(tmp_path / "home"))
    assert main(["preentry", "serve", "--port", "8399"]) == 0
    err = capsys.readouterr().err
    assert "throw-away demo keys" in err
    assert started["port"] == 8399 and started["host"] == "127.0.0.1"
    assert started["server_header"] is False
    assert main(["preentry", "serve", "--keys", str(tmp_path), "--port", "8399"]) == 0
    assert "demo" not in capsys.readouterr().err
