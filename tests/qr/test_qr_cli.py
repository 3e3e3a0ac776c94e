"""`madoguchi keys` and `madoguchi qr encode | decode | scan`, in-process and as a real command."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from qrkit import byte_qr_image, eci_qr_image

from forms.payload import keys
from forms.sample_records import load_sample
from madoguchi.cli import main

SAMPLE_TEXT = "ヤマダ タロウ 𠮷野髙子 山﨑 〒160-0023"


def test_keys_demo_writes_a_consistent_set(tmp_path, capsys):
    assert main(["keys", "demo", "--out", str(tmp_path), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)["keys"]
    assert set(made) == {"counter", "preentry-signing", "kiosk-signing"}
    for name in ("counter.key", "preentry-signing.key", "kiosk-signing.key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    counter = keys.load_counter_private_key(tmp_path / "counter.key")
    assert keys.fingerprint(counter.public_key()) == made["counter"]
    assert keys.fingerprint(keys.load_public_key(tmp_path / "counter.pub")) == made["counter"]
    # never overwrites a private key silently
    assert main(["keys", "counter", "--out", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["keys", "counter", "--out", str(tmp_path), "--force"]) == 0


def test_keys_default_folder_follows_madoguchi_home(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MADOGUCHI_HOME", str(tmp_path))
    assert main(["keys", "signing", "--name", "kiosk"]) == 0
    assert (tmp_path / "keys" / "kiosk-signing.pub").exists()
    assert main(["keys", "show"]) == 0
    assert "kiosk-signing.pub: sha256:" in capsys.readouterr().out


def test_wrong_kind_of_key_file_is_refused(key_dir, tmp_path, capsys):
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(keys.KeyFileError):
        keys.load_counter_private_key(key_dir / "preentry-signing.key")
    with pytest.raises(keys.KeyFileError):
        keys.load_signing_public_key(key_dir / "counter.pub")
    with pytest.raises(keys.KeyFileError):
        keys.load_private_key(tmp_path / "junk.pem")
    with pytest.raises(keys.KeyFileError):
        keys.load_public_key(tmp_path / "missing.pub")
    code = main(["qr", "decode", "--text", "1", "--counter-key", str(tmp_path / "junk.pem"),
                 "--keys", str(key_dir)])  # fmt: skip
    assert code == 1 and "junk.pem" in capsys.readouterr().err


@pytest.fixture
def record_file(tmp_path) -> Path:
    path = tmp_path / "record.json"
    path.write_text(load_sample("yoshino_household").model_dump_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize("template", ["idou", "moving_in"])
def test_encode_then_decode_image(tmp_path, key_dir, record_file, capsys, template):
    png = tmp_path / "code.png"
    assert main(["qr", "encode", "--template", template, "--data", str(record_file),
                 "--out", str(png), "--keys", str(key_dir)]) == 0  # fmt: skip
    assert "QR version" in capsys.readouterr().out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["qr", "decode", str(png), "--json", "--keys", str(key_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["record"]["persons"][0]["name"]["family"] == "𠮷野"
    assert out["signer"].startswith("sha256:")
    assert out["templates"][0][0] == "idou"
    assert (
        "individual_number" not in json.dumps(out["record"])
        or (out["record"].get("card") or {}).get("individual_number") is None
    )


def test_encode_svg_and_decode_text(tmp_path, key_dir, record_file, capsys):
    svg, digits = tmp_path / "code.svg", tmp_path / "code.txt"
    assert main(["qr", "encode", "--template", "idou", "--data", str(record_file), "--svg",
                 "--out", str(svg), "--digits-out", str(digits), "--keys", str(key_dir)]) == 0  # fmt: skip
    assert b"<svg" in svg.read_bytes()[:300]
    capsys.readouterr()
    text = digits.read_text().strip()
    assert main(["qr", "decode", "--text", text, "--keys", str(key_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["addresses"]["new"]["city"] == "新宿区"


def test_encode_refuses_invalid_data_and_unknown_template(tmp_path, key_dir, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"persons": []}', encoding="utf-8")
    out = tmp_path / "x.png"
    assert main(["qr", "encode", "--template", "idou", "--data", str(bad), "--out", str(out),
                 "--keys", str(key_dir)]) == 1  # fmt: skip
    assert "need attention" in capsys.readouterr().err
    assert main(["qr", "encode", "--template", "nope", "--data", str(bad), "--out", str(out),
                 "--keys", str(key_dir)]) == 1  # fmt: skip
    assert "unknown template" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda t: "https://example.jp/", "not a Madoguchi"),
        (lambda t: t[:-40], "read only in part"),
        (lambda t: t + "000", "valid length"),
        (lambda t: t[:50] + "x" + t[51:], "digits are not valid"),
    ],
)
def test_decode_refusals_exit_1_with_the_reason(idou_payload, key_dir, capsys, mangle, reason):
    assert main(["qr", "decode", "--text", mangle(idou_payload), "--keys", str(key_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("madoguchi: ") and reason in err and err.count("\n") == 1


def test_decode_with_an_untrusted_signer(idou_payload, key_dir, capsys):
    assert main(["qr", "decode", "--text", idou_payload, "--keys", str(key_dir),
                 "--signer-key", str(key_dir / "kiosk-signing.pub")]) == 1  # fmt: skip
    assert "signature" in capsys.readouterr().err


def test_decode_image_without_our_code(tmp_path, key_dir, capsys):
    other = tmp_path / "other.png"
    byte_qr_image(b"https://example.jp/").save(other)
    blank = tmp_path / "blank.png"
    byte_qr_image(b"x").resize((10, 10)).save(blank)
    assert main(["qr", "decode", str(other), "--keys", str(key_dir)]) == 1
    assert "not a Madoguchi" in capsys.readouterr().err
    assert main(["qr", "decode", str(blank), "--keys", str(key_dir)]) == 1
    assert "no QR code" in capsys.readouterr().err


def test_scan_many_images_with_every_character_set(tmp_path, capsys):
    images = {
        "eci_utf8.png": eci_qr_image(SAMPLE_TEXT, eci=26, encoding="utf-8", version=6),
        "eci_sjis.png": eci_qr_image("ヤマダ 髙橋 ｶﾅ", eci=20, encoding="cp932"),
        "eci_latin1.png": eci_qr_image("café Ångström", eci=3, encoding="latin-1"),
        "utf8.png": byte_qr_image(SAMPLE_TEXT.encode("utf-8")),
        "sjis.png": byte_qr_image("ヤマダ 髙橋 山﨑".encode("cp932")),
        "ascii.png": byte_qr_image(b"HELLO 123"),
    }
    expected = {
        "eci_utf8.png": SAMPLE_TEXT,
        "eci_sjis.png": "ヤマダ 髙橋 ｶﾅ",
        "eci_latin1.png": "café Ångström",
        "utf8.png": SAMPLE_TEXT,
        "sjis.png": "ヤマダ 髙橋 山﨑",
        "ascii.png": "HELLO 123",
    }
    paths = []
    for name, image in images.items():
        image.save(tmp_path / name)
        paths.append(str(tmp_path / name))
    # two codes in one image
    both = byte_qr_image(b"FIRST")
    wide = both.crop((0, 0, both.width * 2 + 20, both.height))
    wide.paste(both, (0, 0))
    wide.paste(byte_qr_image("二番目".encode()), (both.width + 20, 0))
    wide.save(tmp_path / "two.png")
    paths.append(str(tmp_path / "two.png"))
    assert main(["qr", "scan", *paths, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [r["image"] for r in result] == paths
    for entry in result[:-1]:
        assert entry["codes"] == [{"text": expected[Path(entry["image"]).name], "encoding": "text"}]
    assert sorted(c["text"] for c in result[-1]["codes"]) == sorted(["FIRST", "二番目"])
    assert main(["qr", "scan", paths[0], paths[3]]) == 0
    assert capsys.readouterr().out.splitlines() == [SAMPLE_TEXT, SAMPLE_TEXT]


def test_scan_unreadable_image(tmp_path, capsys):
    (tmp_path / "bad.png").write_bytes(b"not an image")
    assert main(["qr", "scan", str(tmp_path / "bad.png")]) == 1
    assert "cannot read the image" in capsys.readouterr().err


def test_command_line_entry_point(tmp_path, key_dir, record_file):
    """The installed `madoguchi` command, once end to end (the rest run in-process)."""
    png = tmp_path / "code.png"
    exe = Path(sys.executable).parent / "madoguchi"
    subprocess.run([exe, "qr", "encode", "--template", "idou", "--data", record_file, "--out", png,
                    "--keys", key_dir], check=True, timeout=120)  # fmt: skip
    done = subprocess.run([exe, "qr", "decode", png, "--keys", key_dir], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["persons"][3]["kana"]["given"] == "ハナコ"


def test_scan_prints_control_characters_and_binary_as_hex(tmp_path, capsys):
    """Text stays text, control characters and all; bytes that are no text come out as hex."""
    with_controls = "受付\x01A-0107\x10\x1d山﨑\tend"
    binary = bytes([0x00, 0xFF, 0x10, 0x80, 0x9F, 0x41])
    byte_qr_image(with_controls.encode("utf-8")).save(tmp_path / "controls.png")
    byte_qr_image(binary).save(tmp_path / "binary.png")
    eci_qr_image("ESC\x1bGS\x1d", eci=26).save(tmp_path / "eci.png")
    paths = [str(tmp_path / n) for n in ("controls.png", "binary.png", "eci.png")]
    assert main(["qr", "scan", *paths, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [r["codes"] for r in result] == [
        [{"text": with_controls, "encoding": "text"}],
        [{"text": "00ff10809f41", "encoding": "hex"}],
        [{"text": "ESC\x1bGS\x1d", "encoding": "text"}],
    ]
    assert main(["qr", "scan", paths[0], paths[1]]) == 0
    out = capsys.readouterr().out
    assert out == with_controls + "\n" + "00ff10809f41\n"
    assert "<SOH>" not in out and "<DLE>" not in out
