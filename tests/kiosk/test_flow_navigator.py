"""The procedure navigator step in the kiosk flow, without a display: what the card (and a
reservation's household) answers is not asked, はい chooses the rule's form with its reason,
外す and 元に戻す, and 次へ makes the navigation's forms the session's."""

from __future__ import annotations

import datetime as dt

import pytest
from kioskkit import FakeClock

from forms.catalog import Catalog
from forms.record import CardData
from kiosk.flow import KioskFlow, Method, Step
from kiosk.flow.navigation import QuestionsLeftError
from sync.protocol.reservations import HouseholdMember, ReservationFound

CARD = CardData(
    kind="my_number",
    name="見本\u3000花子",
    address="東京都千代田区見本町1-2-3",
    birth_date=dt.date(1990, 4, 1),
)


def household(*members: tuple[str, dt.date, str]) -> ReservationFound:
    return ReservationFound(
        reservation_id="R-1",
        household=[
            HouseholdMember(name="見本 花子", birth_date=dt.date(1990, 4, 1), relation="本人"),
            *(HouseholdMember(name=n, birth_date=b, relation=r) for n, b, r in members),
        ],
        old_address="東京都千代田区見本町1-2-3",
        new_address="神奈川県横浜市中区見本通4-5-6",
        move_date=dt.date(2026, 12, 28),
    )


FOUR = household(
    ("見本 一郎", dt.date(1988, 2, 2), "夫"),
    ("見本 太郎", dt.date(2016, 5, 5), "子"),
    ("見本 次郎", dt.date(2020, 7, 7), "子"),
)


@pytest.fixture
def flow(catalog: Catalog) -> KioskFlow:
    return KioskFlow(catalog, clock=FakeClock(), navigator=True)


def to_navigator(
    flow: KioskFlow, found: ReservationFound | None = None, *, ids=("bundle:moving_in",), **kw
) -> None:
    flow.start()
    flow.choose(list(ids), **kw)
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_read(CARD, found)
    assert flow.step is Step.NAVIGATOR


def asked(flow: KioskFlow) -> list[str]:
    """Answer いいえ to everything, returning the question ids in the order asked."""
    ids = []
    while (q := flow.nav_question()) is not None:
        ids.append(q.question.id)
        flow.nav_answer(False)
    return ids


def test_off_by_default_the_flow_goes_to_the_review_as_before(catalog) -> None:
    flow = KioskFlow(catalog, clock=FakeClock())
    flow.start()
    flow.choose(["bundle:moving_in"])
    flow.identify_with(Method.CARD)
    flow.card_read(CARD)
    assert flow.step is Step.REVIEW


def test_ages_from_the_card_and_household_are_never_asked(flow) -> None:
    to_navigator(flow, FOUR)
    ids = asked(flow)
    for derived in ("has_child", "young_child", "school_child", "aged_65", "aged_75"):
        assert derived not in ids
    assert ids == [
        "no_employee_insurance",
        "public_servant",
        "public_school",
        "became_category_1",
        "has_dog",
    ]
    chosen = flow.navigations()[0]
    assert chosen.template_ids() == ["idou", "jidou_teate", "kodomo_iryo"]
    assert "中学生以下" in chosen.procedure("kodomo_iryo").reasons[0].ja


def test_card_alone_asks_the_households_size_then_unknown_ages(flow) -> None:
    to_navigator(flow)  # the card holder alone: the household is not known yet
    assert flow.nav_asks_size and flow.nav_question() is None and flow.nav_max_people() > 1
    with pytest.raises(QuestionsLeftError):
        flow.nav_next()
    flow.nav_set_size(3)
    assert len(flow._pending[0].persons) == 3
    ids = asked(flow)  # the two others' ages are unknown: asked, not taken as いいえ
    assert "has_child" in ids and "aged_65" in ids
    flow.back()  # to the last question; then back to the size
    for _ in ids[:-1]:
        flow.back()
    assert flow.nav_question().question.id == ids[0]
    flow.back()
    assert flow.nav_asks_size and len(flow._pending[0].persons) == 1


def test_card_holder_alone_has_ages_from_the_card(flow) -> None:
    to_navigator(flow)
    flow.nav_set_size(1)
    ids = asked(flow)
    assert "has_child" not in ids and "aged_65" not in ids and "working_age" not in ids


def test_yes_adds_the_rules_form_with_its_reason(flow) -> None:
    to_navigator(flow)
    flow.nav_set_size(1)
    assert flow.nav_question().question.id == "no_employee_insurance"
    assert flow.nav_progress() == (1, 3)
    flow.nav_answer(True)
    kokuho = flow.navigations()[0].procedure("kokuho")
    assert kokuho.by == "rule" and "国民健康保険" in kokuho.reasons[0].ja
    assert flow.nav_progress()[0] == 2
    flow.back()  # the chrome's 戻る: the last answer is forgotten and asked again
    assert flow.nav_question().question.id == "no_employee_insurance"
    assert "kokuho" not in flow.navigations()[0].template_ids()


def test_next_needs_every_question_then_sets_the_templates(flow) -> None:
    to_navigator(flow, ids=("bundle:moving_in", "juminhyo"))
    flow.nav_set_size(1)
    with pytest.raises(QuestionsLeftError):
        flow.nav_next()
    flow.nav_answer(True)  # 国民健康保険
    asked(flow)
    flow.nav_next()
    assert flow.step is Step.REVIEW
    assert [t.id for t in flow.templates] == ["idou", "kokuho", "juminhyo"]
    assert flow.metrics is not None and len(flow.metrics.templates) == 3
    assert flow.record is not None
    assert flow.record.answers["navigator.moving_in.no_employee_insurance"] is True


def test_remove_undo_and_add(flow) -> None:
    to_navigator(flow, FOUR)
    asked(flow)
    flow.nav_remove("moving_in", "kodomo_iryo")
    navigation = flow.navigations()[0]
    assert "kodomo_iryo" not in navigation.template_ids()
    assert [p.template_id for p in navigation.removed] == ["kodomo_iryo"]
    flow.nav_undo("moving_in", "kodomo_iryo")
    assert "kodomo_iryo" in flow.navigations()[0].template_ids()
    flow.nav_add("moving_in", "inkan")
    inkan = flow.navigations()[0].procedure("inkan")
    assert inkan.by == "resident" and inkan.reasons[0].ja == "ご本人が追加しました"
    flow.nav_remove("moving_in", "inkan")  # an addition taken off: simply not chosen again
    assert "inkan" in flow.navigations()[0].offered
    flow.nav_next()
    assert [t.id for t in flow.templates] == ["idou", "jidou_teate", "kodomo_iryo"]


def test_an_option_ticked_on_the_procedures_screen_is_an_addition(flow) -> None:
    to_navigator(flow, with_optional=["inkan"])
    flow.nav_set_size(1)
    asked(flow)
    assert flow.navigations()[0].procedure("inkan").by == "resident"


def test_nothing_left_to_ask_still_shows_the_list_once(flow) -> None:
    to_navigator(flow, ids=("bundle:moving_out",))
    flow.nav_set_size(1)
    asked(flow)
    assert flow.step is Step.NAVIGATOR and flow.nav_question() is None
    flow.nav_next()
    assert flow.step is Step.REVIEW


def test_a_form_alone_skips_the_navigator(flow) -> None:
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.TYPING)
    assert flow.step is Step.REVIEW


def test_a_wipe_on_the_navigator_clears_the_waiting_record(flow) -> None:
    to_navigator(flow, FOUR)
    record = flow._pending[0]
    flow.cancel()
    assert flow.step is Step.WELCOME and not record.persons and not record.answers


def test_in_staff_mode_changes_are_staffs(catalog) -> None:
    from kiosk.staff_mode import hash_staff_pin

    flow = KioskFlow(
        catalog, clock=FakeClock(), navigator=True, staff_pin_hash=hash_staff_pin("246813")
    )
    to_navigator(flow, FOUR)
    flow.enter_staff_mode("246813")
    asked(flow)
    flow.nav_add("moving_in", "inu")
    flow.nav_remove("moving_in", "jidou_teate")
    navigation = flow.navigations()[0]
    assert navigation.procedure("inu").reasons[0].ja == "職員が追加しました"
    assert navigation.removed[0].reasons[-1].ja == "職員が外しました"
