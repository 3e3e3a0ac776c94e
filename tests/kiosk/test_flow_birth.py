"""The birth life event at the kiosk, without a display: the mother taps her card, the rest of
the household is typed on the guided review. A household member's page stays as it is while
the resident types on it (a parent's birth date takes them out of the children's forms only
once they leave the page), and the flow's forms are the guide's at every step."""

from __future__ import annotations

import datetime as dt

import pytest
from kioskkit import FakeClock

from forms.catalog import Catalog
from forms.guide import SUMMARY
from forms.record import SessionRecord
from forms.sample_records import load_sample
from kiosk.flow import KioskFlow, Method, Step
from kiosk.visits import visit_day

SAMPLE = load_sample("mihon_birth")  # fictional: the mother (card), 健 (世帯主), 陽, 𠮷乃


def _same_forms(flow: KioskFlow) -> None:
    """Every change the flow announces: the guide reads the flow's own forms."""
    if flow.guide is not None:
        assert flow.guide.forms is flow.forms


@pytest.fixture
def flow(catalog: Catalog) -> KioskFlow:
    flow = KioskFlow(catalog, clock=FakeClock(), navigator=True, office_clock=visit_day(SAMPLE))
    flow.subscribe(_same_forms)
    return flow


def to_review(flow: KioskFlow, size: int = 4) -> SessionRecord:
    assert SAMPLE.card is not None
    flow.start()
    flow.choose(["bundle:birth"])
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_read(SAMPLE.card)
    assert flow.step is Step.NAVIGATOR
    flow.nav_set_size(size)
    while flow.nav_question() is not None:
        flow.nav_answer(flow.nav_question().question.id == "receives_allowance")  # type: ignore[union-attr]
    flow.nav_next()
    if flow.step is Step.DOMICILE:
        flow.domicile_choose(read=False)
    assert flow.step is Step.REVIEW and flow.record is not None
    return flow.record


def pages(flow: KioskFlow) -> list[str]:
    assert flow.guide is not None
    return [g.id for g in flow.guide.screens()]


def type_member(flow: KioskFlow, n: int, *, relation: str, birth: dt.date) -> None:
    """A household member's page in its own order: name, reading, birth date, sex, 続柄."""
    page = f"member_{n + 1}"
    flow.review_show(page)
    before = pages(flow)
    person = SAMPLE.persons[n]
    assert person.name is not None and person.kana is not None
    answers = {
        "name": person.name.model_dump(),
        "kana": person.kana.model_dump(),
        "birth_date": birth,
        "sex": person.sex.value if person.sex else None,
        "relation": relation,
    }
    for item, raw in answers.items():
        path = f"person[{n}].{item}"
        shown = flow.review_page()
        assert shown is not None and shown.id == page, f"the page went before {item}"
        assert path in shown.paths, f"{item} went from the page"
        assert flow.edit(path, raw) is None
        if item == "birth_date":  # no page appears or goes while the resident is on it
            assert pages(flow) == before


def test_an_adults_birth_date_keeps_the_page_until_the_resident_leaves_it(flow) -> None:
    record = to_review(flow)
    assert "member_2" in pages(flow)
    type_member(flow, 1, relation="世帯主", birth=dt.date(1990, 1, 20))
    assert record.persons[1].sex is not None and record.persons[1].relation == "世帯主"
    page = flow.review_page()
    assert page is not None and page.id == "member_2"
    assert "person[1].relation" in page.paths  # still the page the resident typed on
    flow.review_next()
    shown = flow.review_page()
    assert shown is not None and shown.id == "member_3"
    # left: 健 is the father now (出生届's 父母); the children's forms no longer list him, and
    # no page asks for a fifth person the household does not have
    assert flow.guide is not None
    father = flow.guide.group("member_2")
    assert father is not None and "person[1].relation" not in father.paths
    assert all(int(p.removeprefix("member_")) <= 4 for p in pages(flow) if p.startswith("member_"))


def test_a_page_no_form_needs_any_more_gives_way_to_the_next_one_on_leaving(flow) -> None:
    to_review(flow)
    # an adult who is not a parent (祖母): once her birth date is known no form lists her
    type_member(flow, 1, relation="母", birth=dt.date(1960, 1, 20))
    page = flow.review_page()
    assert page is not None and page.id == "member_2"
    flow.review_next()
    assert "member_2" not in pages(flow)
    shown = flow.review_page()
    assert shown is not None and shown.id == "member_3"  # the next member, not a later page
    assert not flow.shows_problems(shown.questions[0])  # nothing red on a page not yet tried


def test_after_change_on_the_summary_a_page_that_went_returns_to_the_summary(flow) -> None:
    to_review(flow)
    flow.review_show(SUMMARY)
    flow.review_edit("member_2")
    type_member_on_current = flow.review_page()
    assert type_member_on_current is not None and type_member_on_current.id == "member_2"
    flow.edit("person[1].birth_date", dt.date(1960, 1, 20))
    flow.edit("person[1].relation", "母")
    flow.review_next()
    assert flow.on_summary


def test_the_childs_address_is_offered_as_the_card_holders_in_one_tap(flow) -> None:
    record = to_review(flow)
    assert SAMPLE.card is not None and record.card is not None
    q = flow.question("address.new")  # 子の住所（住民登録をするところ）
    (offer,) = flow.address_offers(q)
    holder = record.persons[0].name
    assert holder is not None
    assert offer.path == "address.current" and offer.label_key == "review.address_of"
    assert offer.label_values == {"name": holder.full}
    assert offer.address == record.addresses["current"]
    assert holder.full not in repr(offer)  # personal data: never in a repr
    assert offer.address.rest and offer.address.rest not in repr(offer)
    assert flow.edit(q.path, offer.address.model_dump(), typed_chars=0) is None
    assert record.addresses["new"] == record.addresses["current"]
    assert flow.forms["shussei"].values["child_address"] == record.addresses["current"]
    assert flow.forms["kodomo_iryo"].values["guardian_address"] == record.addresses["current"]
    assert flow.metrics is not None and flow.metrics.typed_chars == 0


def test_a_move_never_offers_the_old_address_as_the_new_one(catalog) -> None:
    flow = KioskFlow(catalog, clock=FakeClock())
    assert SAMPLE.card is not None
    flow.start()
    flow.choose(["bundle:moving_in"])
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_read(SAMPLE.card)
    assert flow.step is Step.REVIEW
    assert flow.address_offers(flow.question("address.new")) == []


def test_the_card_holders_unasked_relation_still_lists_her_among_the_parents(flow) -> None:
    """The card holds no 続柄 and the birth asks the notifier none: an empty 続柄 is not known
    yet, so the 出生届's 父母 lists the mother who taps her card (it printed only the father)."""
    record = to_review(flow)
    assert record.persons[0].relation == ""
    type_member(flow, 1, relation="世帯主", birth=dt.date(1990, 1, 20))
    flow.review_next()
    values = flow.forms["shussei"].values
    holder = record.persons[0].name
    assert holder is not None and values["parents[0].name"] == holder
    assert values["parents[0].sex"] == "female"
    assert values["parents[1].name"] == record.persons[1].name


def test_the_card_holder_is_asked_her_relation_and_a_mother_is_listed_as_mother(flow) -> None:
    """The 出生届 decides its 父母 by 続柄 and the card gives none: the card holder's is asked
    on her own page. The mother (妻) is printed among 父母 as 母, and files as 母."""
    record = to_review(flow)
    who = flow.review_page()
    assert who is not None and who.id == "who" and "person[0].relation" in who.paths
    assert flow.edit("person[0].relation", "妻") is None
    type_member(flow, 1, relation="世帯主", birth=dt.date(1990, 1, 20))
    flow.review_next()
    assert flow.edit("answers.shussei.notifier_status", "mother") is None
    values = flow.forms["shussei"].values
    holder = record.persons[0].name
    assert holder is not None and values["parents[0].name"] == holder
    assert values["parents[0].sex"] == "female"
    assert values["parents[1].name"] == record.persons[1].name
    assert values["notifier_name"] == holder and values["notifier_status"] == "mother"


def test_a_grandmother_who_taps_her_card_is_the_notifier_not_a_parent(flow) -> None:
    """A grandparent filing the birth answers 祖母: she is not among the 父母 (the father the
    household typed is), and the 出生届 names her as 届出人 with the 資格 その他（同居者）."""
    record = to_review(flow)
    assert flow.edit("person[0].relation", "祖母") is None
    type_member(flow, 1, relation="世帯主", birth=dt.date(1990, 1, 20))
    flow.review_next()
    assert flow.edit("answers.shussei.notifier_status", "other") is None
    values = flow.forms["shussei"].values
    holder = record.persons[0].name
    assert holder is not None
    assert values["parents[0].name"] == record.persons[1].name
    listed = flow.forms["shussei"].group_counts["parents"]
    assert holder not in [values.get(f"parents[{i}].name") for i in range(listed)]
    assert values["notifier_name"] == holder and values["notifier_status"] == "other"
    flow.review_show(SUMMARY)  # her answer stays on the summary, so she can correct it
    assert flow.guide is not None and "person[0].relation" in [q.path for q in flow.guide.asked()]
