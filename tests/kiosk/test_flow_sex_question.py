"""A card whose sex is 適用不能 (9) or 不明 (0) no longer blocks 住民異動届 and 国保: the review
asks which of 男/女 to print (until the kiosk's own question screen, through the form's sex
item), the answer is kept apart from what the card said, and the forms print the answer."""

from __future__ import annotations

import datetime as dt

import pytest
from kioskkit import FakeClock

from forms.catalog import Catalog
from forms.fill import sex_questions as questions
from forms.record import CardData, Sex
from forms.sex_question import QUESTION_CODE
from kiosk.flow import KioskFlow, Method
from kiosk.staff_mode import DEMO_STAFF_PIN_HASH


@pytest.mark.parametrize("sex", [Sex.NOT_APPLICABLE, Sex.UNKNOWN])
def test_the_review_asks_and_the_answer_is_printed(catalog: Catalog, sex: Sex) -> None:
    flow = KioskFlow(catalog, clock=FakeClock(), staff_pin_hash=DEMO_STAFF_PIN_HASH)
    flow.start()
    flow.choose(["idou", "kokuho"])
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    card = CardData(
        kind="my_number", name="見本　晶", address="東京都千代田区永田町一丁目７番１号",
        birth_date=dt.date(1990, 1, 1), sex=sex,
    )  # fmt: skip
    flow.card_read(card)
    item = flow.question("person[0].sex")
    (error,) = flow.errors_for(item)  # asked once for both forms
    assert error.code == QUESTION_CODE and "男" in error.ja
    assert [q.path for q in questions(flow.templates, flow.record)] == ["person[0].sex_for_forms"]

    assert flow.edit("person[0].sex", "female") is None
    assert flow.errors_for(item) == []
    assert flow.display(item) == "女"
    assert flow.forms["idou"].values["movers[0].sex"] == "female"
    assert flow.forms["kokuho"].values["insured[0].sex"] == "female"
    assert flow.record.persons[0].sex is sex  # the card's own value is kept
    assert flow.record.persons[0].sex_for_forms is Sex.FEMALE
