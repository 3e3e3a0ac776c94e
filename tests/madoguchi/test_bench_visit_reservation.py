"""`madoguchi bench visit`'s moving-in with a 転入予約: the embedded back office (the real
service on SQLite, in-process) holds the household's reservation, the card read finds it, the
resident confirms it, and nothing it or the card gave is typed again."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from kiosk.visits import household_sample, reservation_file, run_visit
from madoguchi.bench.visit import _kit_with_office
from madoguchi.demo.embedded_office import DemoOffice

# what the reservation brings (after the card's name, birth date, sex and address)
FROM_RESERVATION = {
    "person[0].kana",
    "address.current",
    "address.new",
    "date.move",
    *(f"person[{i}].{item}" for i in (1, 2, 3) for item in ("name", "kana", "birth_date")),
    *(f"person[{i}].relation" for i in (1, 2, 3)),
}


def test_a_reservation_visit_types_nothing_the_reservation_gave(tmp_path: Path) -> None:
    kit = _kit_with_office(tmp_path / "demo")
    try:
        office = cast("DemoOffice", kit.start_office())
        assert office.backoffice.import_reservations(reservation_file(household_sample())) == 1
        figures = run_visit(kit, "moving_in_reservation_4")
    finally:
        kit.close()
    assert figures.reservation  # the back office matched it, the resident said はい
    assert figures.typed_over_prefill == 0 and figures.retyped_prefilled == []
    assert set(figures.kept_prefilled) >= FROM_RESERVATION
    assert 0 < figures.typed < figures.paper
    assert {"idou", "kokuho", "jidou_teate"} <= set(figures.forms)


def test_without_its_reservation_the_visit_says_so(tmp_path: Path) -> None:
    kit = _kit_with_office(tmp_path / "demo")
    try:
        kit.start_office()  # nothing imported: the back office finds nothing
        with pytest.raises(LookupError):
            run_visit(kit, "moving_in_reservation_4")
    finally:
        kit.close()
