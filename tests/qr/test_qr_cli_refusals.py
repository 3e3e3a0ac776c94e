"""Every command-line path refuses a record that cannot be printed, naming each field by its
path and label, before anything is written: `qr encode`, `print` and `submit`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from forms.payload.keys import public_pem as public_key_pem
from forms.record import PersonName, SessionRecord
from forms.sample_records import load_sample
from madoguchi.cli import main


def _before_meiji_6(record: SessionRecord) -> None:
    record.persons[0].birth_date = dt.date(1872, 12, 31)


def _no_font_has_it(record: SessionRecord) -> None:
    record.persons[0].name = PersonName(family="山田", given="太\U000f0000")


def _outside_the_closed_set(record: SessionRecord) -> None:
    record.persons[0].relation = "長男"


CASES = {
    "before_meiji_6": (_before_meiji_6, "movers[0].birth_date（異動する人の生年月日）", "1873"),
    "no_font": (_no_font_has_it, "movers[0].name（異動する人の氏名）", "character 2"),
    "closed_set": (_outside_the_closed_set, "movers[0].relation（異動する人の世帯主との続柄）",
                   "choose one of the options"),
}  # fmt: skip


@pytest.fixture(params=sorted(CASES))
def bad_record(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, str]:
    spoil, where, reason = CASES[request.param]
    record = load_sample("yoshino_household")
    spoil(record)
    path = tmp_path / "bad.json"
    path.write_text(record.model_dump_json(), encoding="utf-8")
    return path, where, reason


def _assert_named(err: str, where: str, reason: str) -> None:
    lines = err.rstrip().splitlines()
    assert any(line.startswith(f"  - {where}: ") and reason in line for line in lines), err
    assert where.partition("（")[0] in lines[-1] and "need attention" in lines[-1]  # the one-liner
    assert "Traceback" not in err and "山田" not in err and "𠮷野" not in err


def test_qr_encode_names_the_field(bad_record, key_dir, tmp_path, capsys) -> None:
    data, where, reason = bad_record
    out = tmp_path / "qr.png"
    code = main(["qr", "encode", "--template", "idou", "--data", str(data), "--out", str(out),
                 "--keys", str(key_dir)])  # fmt: skip
    assert code == 1 and not out.exists()
    _assert_named(capsys.readouterr().err, where, reason)


def test_print_names_the_field(bad_record, tmp_path, capsys) -> None:
    data, where, reason = bad_record
    out = tmp_path / "form.pdf"
    code = main(["print", "--template", "idou", "--data", str(data), "--out", str(out)])
    assert code == 1 and not out.exists()
    _assert_named(capsys.readouterr().err, where, reason)


def test_submit_names_the_field_and_queues_nothing(bad_record, tmp_path, capsys, monkeypatch):
    data, where, _reason = bad_record
    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MADOGUCHI_KIOSK_ID", "kiosk-cli")
    key = tmp_path / "office.pub.pem"
    key.write_bytes(public_key_pem(X25519PrivateKey.generate().public_key()))
    db = tmp_path / "outbox.sqlite3"
    code = main(["submit", "--template", "idou", "--data", str(data), "--db", str(db),
                 "--office-key", str(key)])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert f"  - idou:{where}: " in err and "Traceback" not in err  # path and label
    assert main(["sync", "status", "--db", str(db), "--json"]) == 0
    assert '"pending": 0' in capsys.readouterr().out
