"""`madoguchi card …` as scripts drive it: subprocesses against pcscd + vpcd."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cardkit import profile

from devices.card.pcsc import PcscBackend
from devices.card.virtual import VirtualLicence, VirtualMyNumberCard
from devices.card.virtual.vpcd import reader_name_for_port

pytestmark = pytest.mark.pcsc
ROOT = Path(__file__).resolve().parents[2]


def madoguchi(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_readers_lists_the_vpcd_reader(slot) -> None:
    result = madoguchi("card", "readers")
    assert result.returncode == 0, result.stderr
    assert slot.reader in result.stdout.splitlines()


def test_read_json(slot) -> None:
    resident = profile("yoshino-takako")
    slot.insert(VirtualMyNumberCard(resident))
    result = madoguchi(
        "card", "read", "--reader", slot.reader, "--pin-stdin", "--json", stdin=resident.pin + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "name": resident.name,
        "address": resident.address,
        "birth_date": resident.birth_date.isoformat(),
        "sex": resident.sex.value,
        "card": "my_number",
    }
    assert resident.individual_number not in result.stdout


def test_read_individual_number_only_when_asked(slot) -> None:
    resident = profile("reiwa-first-day")
    slot.insert(VirtualMyNumberCard(resident))
    result = madoguchi(
        "card",
        "read",
        "--pin-stdin",
        "--json",
        "--individual-number",
        "--template",
        "kokuho",
        stdin=resident.pin,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["individual_number"] == resident.individual_number
    assert out["birth_date"] == "2019-05-01" and out["sex"] == "not_applicable"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "--individual-number needs --template ID"),
        (("--template", "juminhyo"), "template juminhyo does not declare uses_individual_number"),
        (("--template", "no_such_form"), "unknown template no_such_form"),
    ],
)
def test_read_individual_number_needs_a_legal_basis(slot, extra, message) -> None:
    resident = profile("reiwa-first-day")
    card = slot.insert(VirtualMyNumberCard(resident))
    tries = card.pin.tries
    result = madoguchi(
        "card", "read", "--pin-stdin", "--json", "--individual-number", *extra, stdin=resident.pin
    )
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == "" and resident.individual_number not in result.stderr
    assert card.pin.tries == tries  # the card was never asked for anything


def test_wrong_pin_exit_3_with_tries_left(slot) -> None:
    resident = profile("smith-john")
    card = slot.insert(VirtualMyNumberCard(resident))
    result = madoguchi("card", "read", "--pin-stdin", "--json", stdin="8642\n")
    assert result.returncode == 3
    assert "2 tries left" in result.stderr and "残り2回" in result.stderr
    assert "8642" not in result.stderr + result.stdout and result.stdout == ""
    assert card.pin.tries == 2


def test_one_try_left_exit_5_unless_confirmed(slot) -> None:
    resident = profile("smith-john")
    card = slot.insert(VirtualMyNumberCard(resident, tries=1))
    result = madoguchi("card", "read", "--pin-stdin", stdin=resident.pin)
    assert result.returncode == 5 and card.pin.tries == 1
    assert not any(s.ins == 0x20 and s.has_data for s in card.history)
    result = madoguchi("card", "read", "--pin-stdin", "--confirm-last-try", stdin=resident.pin)
    assert result.returncode == 0, result.stderr
    assert f"name: {resident.name}" in result.stdout and card.pin.tries == 3


def test_blocked_exit_4(slot) -> None:
    slot.insert(VirtualMyNumberCard(profile("smith-john"), tries=0))
    result = madoguchi("card", "read", "--pin-stdin", stdin="2468")
    assert result.returncode == 4
    assert "blocked" in result.stderr


def test_no_card_exit_2(slot) -> None:
    slot.remove()
    result = madoguchi("card", "read", "--reader", slot.reader, "--pin-stdin", stdin="1234")
    assert result.returncode == 2
    assert "no card" in result.stderr


def test_no_reader_exit_2(slot) -> None:
    result = madoguchi("card", "read", "--reader", "No Such Reader 99", "--pin-stdin", stdin="1234")
    assert result.returncode == 2
    assert "not found" in result.stderr


def test_pin_is_never_taken_from_a_pipe_without_pin_stdin(slot) -> None:
    result = madoguchi("card", "read", stdin="1234\n")
    assert result.returncode == 1 and "--pin-stdin" in result.stderr


def test_virtual_card_command_serves_until_sigterm(slot) -> None:
    port = 35964
    reader = reader_name_for_port(port)
    resident = profile("showa-last-day")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "madoguchi.cli",
            "card",
            "virtual",
            "--profile",
            "era_boundaries",
            "--index",
            "0",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    backend = PcscBackend()
    try:
        assert backend.wait_for(reader, True, 10), "the CLI's virtual card never appeared"
        result = madoguchi(
            "card", "read", "--reader", reader, "--pin-stdin", "--json", stdin=resident.pin
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["birth_date"] == "1989-01-07"
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=10)
        backend.close()
    assert server.returncode == 0
    assert "showa-last-day" in err and resident.name not in err + out


def test_read_domicile_through_the_command_line(slot) -> None:
    resident = profile("heisei-first-day")
    slot.insert(VirtualLicence(resident))
    result = madoguchi(
        "card",
        "read",
        "--licence",
        "--domicile",
        "--template",
        "koseki",
        "--pin-stdin",
        "--json",
        stdin=f"{resident.licence_pin}\n{resident.licence_pin2}\n",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["domicile"] == resident.domicile


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--licence",), "--domicile needs --template ID"),
        (("--licence", "--template", "juminhyo"), "does not declare uses_licence_domicile"),
        (("--template", "koseki"), "--domicile needs --licence"),
    ],
)
def test_read_domicile_needs_a_declaring_form(slot, extra, message) -> None:
    resident = profile("heisei-first-day")
    card = slot.insert(VirtualLicence(resident))
    result = madoguchi("card", "read", "--domicile", "--pin-stdin", *extra, stdin="1234\n5678\n")
    assert result.returncode == 2 and message in result.stderr
    assert card.pin1.tries == 3 and card.pin2.tries == 3
    assert not any(s.ins == 0x20 for s in card.history)
