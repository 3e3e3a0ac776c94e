"""Printing and the office: times on the office's wall clock; forms' font coverage data matches
the fonts printing embeds; every closed-set choice prints in its box."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from printkit import pdftotext_raw

from forms.catalog import Catalog
from forms.closed_sets import closed_set
from forms.fill import fill
from forms.printable import (
    COVERAGE_FILE,
    coverage_data,
    covered_code_points,
    decode_coverage,
    encode_coverage,
)
from forms.sample_records import load_sample
from printing.font_coverage import font_coverage
from printing.fonts import default_fonts
from printing.render import render_application
from printing.slip import render_slip

NEW_YEAR_UTC = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)  # 00:30 on 1 January in Tokyo


@pytest.mark.usefixtures("machine_zone")
def test_the_slip_prints_the_offices_date_and_time() -> None:
    pdf = render_slip(
        reception_number="A-1", procedures=[("住民異動届", 0)], issued_at=NEW_YEAR_UTC
    )
    assert "令和9年（2027年）1月1日 00:30" in pdftotext_raw(pdf).splitlines()


@pytest.mark.usefixtures("machine_zone")
def test_the_form_header_prints_the_offices_date_and_time() -> None:
    form = fill(Catalog.builtin().get("juminhyo"), load_sample("mihon_showa_last_day"))
    pdf = render_application([form], reception_number="R-1", issued_at=NEW_YEAR_UTC)
    assert "令和9年1月1日 00:30" in pdftotext_raw(pdf)


def test_a_naive_issue_time_is_refused() -> None:
    form = fill(Catalog.builtin().get("juminhyo"), load_sample("mihon_showa_last_day"))
    naive = dt.datetime(2026, 12, 31, 15, 30)  # noqa: DTZ001 (naive on purpose: refused)
    with pytest.raises(ValueError, match="naive"):
        render_application([form], reception_number="R-1", issued_at=naive)


def test_the_font_coverage_data_in_forms_matches_the_fonts() -> None:
    """forms/data/font_coverage.json is made from the fonts by scripts/make_font_coverage.py;
    if the fonts change (a Debian update), this fails until the script is run again."""
    code_points, fonts = font_coverage()
    shipped = coverage_data()
    assert shipped == encode_coverage(code_points, fonts), (
        f"forms/data/{COVERAGE_FILE} is stale: run scripts/make_font_coverage.py"
    )
    assert covered_code_points(decode_coverage(shipped)) == code_points
    chain = default_fonts().values  # what the renderer draws values with
    for cp in (0x20BB7, 0x9AD9, 0xFA11, 0x3042, 0x41):  # 𠮷 髙 﨑 あ A
        assert cp in code_points and chain.font_for(chr(cp)) is not None
    assert json.dumps(shipped["fonts"])  # names the fonts it was made from


def test_every_closed_set_choice_prints_in_the_residence_form() -> None:
    """The longest 国籍・地域, 在留資格 and 続柄 texts fit their boxes (shrink or wrap)."""
    idou = Catalog.builtin().get("idou")
    record = load_sample("smith_john")
    longest = {
        name: max(closed_set(name).choices, key=lambda c: len(c.ja)).value
        for name in ("nationality", "residence_status_registered", "relation")
    }
    record.persons[0].nationality = longest["nationality"]
    record.persons[0].relation = longest["relation"]
    record.answers["idou.residence_status.0"] = longest["residence_status_registered"]
    form = fill(idou, record)
    assert form.ok, form.errors
    text = pdftotext_raw(render_application([form], reception_number="R-1")).replace("\n", "")
    for ref in ("movers[0].nationality", "movers[0].residence_status", "movers[0].relation"):
        assert form.text(ref) in text, ref
