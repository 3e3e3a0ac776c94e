"""`madoguchi staff`: registered, and a bad server URL is a one-line error before any window."""

from __future__ import annotations

import pytest

from madoguchi.cli import main


def test_staff_refuses_a_bad_server_url(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["staff", "--server", "ftp://office"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("madoguchi: ") and "http://" in err and err.count("\n") == 1


def test_staff_refuses_plain_http_to_another_machine(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["staff", "--server", "http://office.example"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("madoguchi: ") and "https://" in err and err.count("\n") == 1


def test_staff_help_lists_its_options(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:  # argparse exits after printing the help
        main(["staff", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--server", "--printer", "--print-dir", "--call-board"):
        assert option in out
