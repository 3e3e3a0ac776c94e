"""`madoguchi print`: to a file, to a CUPS queue, the slip, and refusals."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from printkit import QUEUE, page_count, pdftotext_raw, squeeze

from forms.catalog import Catalog
from forms.fill import fill
from forms.record import SessionRecord
from forms.sample_records import load_sample, sample_info, sample_names
from madoguchi.cli import main

TEMPLATE_IDS = [t.id for t in Catalog.builtin().latest()]


def sample_file(tmp_path: Path, name: str = "yoshino_household") -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(load_sample(name).model_dump_json(), "utf-8")
    return path


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_print_every_template_to_a_file(template_id: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.pdf"
    # a sample whose life event fills this form (forms/samples/index.yaml)
    sample = next(n for n in sample_names() if template_id in sample_info(n).forms)
    data = sample_file(tmp_path, sample)
    code = main(
        [
            "print",
            "--template",
            template_id,
            "--data",
            str(data),
            "--out",
            str(out),
            "--reception-number",
            "C-9",
        ]
    )
    assert code == 0
    pdf = out.read_bytes()
    template = Catalog.builtin().get(template_id)
    assert page_count(pdf) == len(template.layout.pages)
    text = squeeze(pdftotext_raw(pdf))
    assert "受付番号C-9" in text and squeeze(template.title.ja) in text


def test_print_to_a_cups_queue(cups, cups_output, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    since = time.time()
    code = main(
        [
            "print",
            "--template",
            TEMPLATE_IDS[0],
            "--data",
            str(sample_file(tmp_path)),
            "--printer",
            QUEUE,
            "--timeout",
            "30",
        ]
    )
    assert code == 0
    line = capsys.readouterr().out
    assert "completed" in line
    job_id = int(line.split(" job ")[1].split()[0])
    landed = cups_output.wait_for(job_id, since)
    assert page_count(landed) == len(Catalog.builtin().get(TEMPLATE_IDS[0]).layout.pages)


def test_printer_problem_exits_2_with_one_bilingual_line(
    cups, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    code = main(
        [
            "print",
            "--template",
            TEMPLATE_IDS[0],
            "--data",
            str(sample_file(tmp_path)),
            "--printer",
            "NO_SUCH_QUEUE",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "NO_SUCH_QUEUE" in err[0] and " / " in err[0]


def test_slip_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    ids = TEMPLATE_IDS[:2]
    argv = ["print", "--slip", "--reception-number", "S-12", "--out", str(out)]
    for template_id in ids:
        argv += ["--procedure", template_id]
    assert main(argv) == 0
    text = pdftotext_raw(out.read_bytes())
    assert "S-12" in text
    for template_id in ids:
        assert Catalog.builtin().get(template_id).title.ja in text


def test_record_that_does_not_validate_lists_every_error(tmp_path: Path, capsys) -> None:
    data = tmp_path / "empty.json"
    data.write_text("{}", "utf-8")
    template = next(t for t in Catalog.builtin().latest() if any(f.required for f in t.fields))
    out = tmp_path / "x.pdf"
    code = main(["print", "--template", template.id, "--data", str(data), "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    expected = fill(template, SessionRecord.from_json("{}")).errors
    assert len(expected) >= 2
    for error in expected:  # each by its path and the template's label
        assert error.label_ja
        assert f"  - {error.path}（{error.label_ja}）: " in err
    last = err.splitlines()[-1]
    assert f"{len(expected)} field(s) need attention: {expected[0].path} (" in last
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "malformed record data"),
        (json.dumps({"persons": "nobody"}), "persons"),
        (json.dumps({"persons": [{"birth_date": "1989-02-30"}]}), "birth_date"),
        (json.dumps({"unknown_key": 1}), "unknown_key"),
    ],
)
def test_malformed_data_file_is_refused(content: str, needle: str, tmp_path: Path, capsys) -> None:
    data = tmp_path / "bad.json"
    data.write_text(content, "utf-8")
    code = main(
        [
            "print",
            "--template",
            TEMPLATE_IDS[0],
            "--data",
            str(data),
            "--out",
            str(tmp_path / "x.pdf"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("madoguchi: ") and needle in err


def test_refusals(tmp_path: Path, capsys) -> None:
    data = sample_file(tmp_path)
    out = str(tmp_path / "x.pdf")
    cases = [
        (
            ["print", "--template", "no_such_form", "--data", str(data), "--out", out],
            "no_such_form",
        ),
        (
            [
                "print",
                "--template",
                TEMPLATE_IDS[0],
                "--data",
                str(tmp_path / "missing.json"),
                "--out",
                out,
            ],
            "no such file",
        ),
        (["print", "--template", TEMPLATE_IDS[0], "--out", out], "--data"),
        (["print", "--slip", "--out", out], "--procedure"),
        (["print", "--slip", "--procedure", "no_such_form", "--out", out], "no_such_form"),
        (
            [
                "print",
                "--slip",
                "--template",
                TEMPLATE_IDS[0],
                "--procedure",
                TEMPLATE_IDS[0],
                "--out",
                out,
            ],
            "--slip",
        ),
    ]
    for argv, needle in cases:
        assert main(argv) == 1, argv
        assert needle in capsys.readouterr().err, argv
    with pytest.raises(SystemExit):  # argparse: --out and --printer together
        main(["print", "--template", "x", "--data", "y", "--out", out, "--printer", "P"])
