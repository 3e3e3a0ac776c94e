"""The scripted residents of `madoguchi bench visit`: nothing the card or the QR holds is
typed again, and every visit types less than the same forms on paper (おくやみ and a birth from
the notifier's own card among them)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from kiosk.visits import NEEDS_OFFICE, RESIDENTS, run_visit

# the reservation visit needs a back office: tests/madoguchi/test_bench_visit_reservation.py
WITHOUT_OFFICE = [r for r in RESIDENTS if r not in NEEDS_OFFICE]


@pytest.mark.parametrize("resident", WITHOUT_OFFICE)
def test_a_scripted_visit_types_nothing_the_card_or_qr_holds(kit, resident: str) -> None:
    figures = run_visit(kit, resident)
    assert figures.typed_over_prefill == 0
    assert 0 <= figures.typed < figures.paper
    assert figures.screens >= 8 and figures.taps >= 8
    if resident == "moving_in_qr_4":
        assert figures.typed == 0 and figures.prefilled > 200  # the QR holds every answer
    if resident == "moving_in_card_4":
        assert figures.prefilled > 0 and figures.typed > 0  # the three others are typed
        assert set(figures.forms) >= {"idou", "kokuho", "jidou_teate"}
    if resident == "juminhyo_typed_1":
        assert figures.prefilled == 0
    assert re.fullmatch(r"[A-Z]-\d{3}", figures.call_number)


def test_bench_visit_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", "bench", "visit"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = [line.split(":")[0] for line in done.stdout.splitlines()]
    for resident in RESIDENTS:
        for figure in ("screens", "taps", "typed", "prefilled", "paper", "typed_vs_paper"):
            assert f"visit_{resident}_{figure}" in names
    # then a table: its header, one row per visit in the same order
    rows = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("visit_table:")]
    assert rows == ["visit", *RESIDENTS]


# what the notifier's card gives that the visit's forms use (おくやみ: no notifier's birth
# date; a birth: the household's address is the child's, asked as 新しい住所, not the card's)
FROM_CARD = {
    "okuyami_card_78": {"person[0].name", "address.current"},
    "birth_card_jidou": {"person[0].name", "person[0].birth_date"},
}


@pytest.mark.parametrize("resident", sorted(FROM_CARD))
def test_okuyami_and_birth_type_nothing_the_notifiers_card_gave(kit, resident: str) -> None:
    """The notifier taps their own card (not the demo resident's): what it gave stays the
    card's; the rest of the household is typed, and less than on paper."""
    figures = run_visit(kit, resident)
    assert figures.typed_over_prefill == 0 and figures.retyped_prefilled == []
    assert FROM_CARD[resident] <= set(figures.kept_prefilled)
    assert 0 < figures.typed < figures.paper and figures.prefilled > 0
    assert figures.navigator_taps >= 3  # the household's size, はい/いいえ, 次へ
    if resident == "okuyami_card_78":
        # asked about the deceased (the record held no one with a date of death): 後期, 介護;
        # whether they were the head and who remains (the card has no 続柄): 世帯変更届; the
        # certificates for the survivors' pension: 戸籍証明書等請求書 and 住民票（除票）
        assert figures.forms == [
            "kouki",
            "kaigo",
            "kouki_sousaihi",
            "setai_henko",
            "koseki",
            "juminhyo",
        ]
    else:
        assert {"shussei", "jidou_henkou"} <= set(figures.forms)  # 児童手当: the amount changes
