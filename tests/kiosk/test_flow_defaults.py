"""Write once: the life events' defaults at the kiosk, without a display. The event's date is
the date of death, the household's address the card's, the new householder's name the
世帯主's… (`defaults` in forms/bundles/*.yaml). What the record holds fills them when the review
opens; what the resident types fills them when they leave its page, and a target is not asked
before that page. Filled defaults are the kiosk's (自動, prefilled), the resident may change
them, and what the resident typed or passed with 次へ is never overwritten."""

from __future__ import annotations

import datetime as dt

import pytest
from kioskkit import FakeClock

from forms.catalog import Catalog
from forms.guide import SUMMARY
from forms.navigator import navigate
from forms.provenance import Source
from forms.record import PersonName, SessionRecord
from forms.sample_records import load_sample
from kiosk.flow import KioskFlow, Method, Step
from kiosk.flow.errors import PageIncompleteError, PageNotShownError, PageWaitingError
from kiosk.ports import QrResult
from kiosk.visits import visit_day

OKUYAMI = load_sample("takasaki_okuyami")  # fictional: 見里 (card, 子), 見吉 (世帯主, died), 見代
BIRTH = load_sample("mihon_birth")  # fictional: the mother (card), 健 (世帯主), 陽, 𠮷乃 (newborn)
DIED = dt.date(2025, 3, 28)
TARGETS = ("date.death", "date.event", "date.household_change")


def make_flow(catalog: Catalog, sample: SessionRecord) -> KioskFlow:
    return KioskFlow(catalog, clock=FakeClock(), navigator=True, office_clock=visit_day(sample))


def through_navigator(flow: KioskFlow, sample: SessionRecord) -> SessionRecord:
    """Answer the navigator as the sample's household would, then on to the review."""
    assert flow.step is Step.NAVIGATOR
    if flow.nav_asks_size:
        flow.nav_set_size(len(sample.persons))
    truth = {
        q.id: q.answer
        for bundle in flow.nav_bundles()
        for q in navigate(bundle, sample, flow.catalog).questions
    }
    while (open_ := flow.nav_question()) is not None:
        flow.nav_answer(bool(truth.get(open_.question.id)))
    flow.nav_next()
    if flow.step is Step.DOMICILE:
        flow.domicile_choose(read=False)
    assert flow.step is Step.REVIEW and flow.record is not None
    return flow.record


def by_card(flow: KioskFlow, sample: SessionRecord, event: str) -> SessionRecord:
    assert sample.card is not None
    flow.start()
    flow.choose([f"bundle:{event}"])
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_read(sample.card)
    return through_navigator(flow, sample)


def type_person(flow: KioskFlow, sample: SessionRecord, n: int, *, leave: bool = True) -> None:
    """The member's page, typed as the sample says; then 次へ (the page left)."""
    flow.review_show(f"member_{n + 1}")
    person = sample.persons[n]
    assert person.name is not None and person.kana is not None
    answers = {
        "name": person.name.model_dump(),
        "kana": person.kana.model_dump(),
        "birth_date": person.birth_date,
        "sex": person.sex.value if person.sex else None,
        "relation": person.relation,
        "died_on": person.died_on,
    }
    page = flow.review_page()
    assert page is not None
    for item, raw in answers.items():
        path = f"person[{n}].{item}"
        if raw is not None and path in page.paths:
            assert flow.edit(path, raw) is None
    if leave:
        flow.review_next()


def dates_page(flow: KioskFlow) -> list[str]:
    assert flow.guide is not None
    group = flow.guide.group("dates")
    return [] if group is None else list(group.paths)


@pytest.fixture
def okuyami(catalog: Catalog) -> KioskFlow:
    flow = make_flow(catalog, OKUYAMI)
    by_card(flow, OKUYAMI, "okuyami")
    return flow


def test_okuyami_date_of_death_from_the_record_fills_the_dates(catalog: Catalog) -> None:
    """A pre-entry QR brings the household with the deceased's date of death: the dates the
    forms ask are there when the review opens, prefilled by the kiosk, not typed."""
    sample = OKUYAMI.model_copy(deep=True)
    for key in ("death", "event", "household_change"):
        sample.dates.pop(key)
    sample.answers.pop("old_head_name")
    flow = make_flow(catalog, OKUYAMI)
    flow.start()
    flow.choose(["bundle:okuyami"])
    flow.identify_with(Method.QR)
    templates = [catalog.get(t) for t in catalog.bundle("okuyami").templates]
    flow.qr_read(QrResult(sample, templates))
    record = through_navigator(flow, OKUYAMI)
    assert [record.dates[k] for k in ("death", "event", "household_change")] == [DIED] * 3
    assert record.answers["old_head_name"] == PersonName(family="髙﨑", given="見吉")
    sources = flow.provenance
    for path in (*TARGETS, "answers.old_head_name"):
        assert sources.source(path) is Source.AUTO, path
        assert sources.prefilled_from[path] is Source.AUTO
    assert "date.event" in dates_page(flow)  # shown on its page, filled
    assert flow.metrics is not None and flow.metrics.typed_chars == 0
    summary = {i.path: i.source for s in flow.guide.summary(sources) for i in s.items}  # type: ignore[union-attr]
    assert summary["date.event"] is Source.AUTO
    # the resident may still change it: then it is theirs
    assert flow.edit("date.event", dt.date(2025, 3, 29)) is None
    assert sources.source("date.event") is Source.TYPED
    assert sources.typed_over_prefill == {}  # a default is the kiosk's, not the card's or QR's
    flow.review_show(SUMMARY)
    assert record.dates["event"] == dt.date(2025, 3, 29)


def test_typed_date_of_death_flows_into_the_event_date(okuyami: KioskFlow) -> None:
    record = okuyami.record
    assert record is not None
    # the dates page comes before the deceased's page: the event's date is not asked yet
    assert "date.event" not in dates_page(okuyami)
    assert "date.funeral" in dates_page(okuyami)  # what no default fills is asked as before
    assert not any(k in record.dates for k in ("death", "event", "household_change"))
    type_person(okuyami, OKUYAMI, 1, leave=False)
    assert "event" not in record.dates  # not while the resident is on the page
    okuyami.review_next()
    assert [record.dates[k] for k in ("death", "event", "household_change")] == [DIED] * 3
    assert record.answers["old_head_name"] == PersonName(family="髙﨑", given="見吉")  # the 世帯主
    for path in (*TARGETS, "answers.old_head_name"):
        assert okuyami.provenance.source(path) is Source.AUTO, path
    assert "date.event" in dates_page(okuyami)  # on its page and the summary, as 自動
    assert okuyami.metrics is not None
    typed = okuyami.metrics.typed_chars
    okuyami.review_show("dates")
    assert okuyami.display(okuyami.question("date.event")) == "令和7年（2025年）3月28日"
    assert okuyami.metrics.typed_chars == typed  # nothing typed for it


def test_an_untouched_default_follows_a_corrected_source(okuyami: KioskFlow) -> None:
    record = okuyami.record
    assert record is not None
    type_person(okuyami, OKUYAMI, 1)
    okuyami.review_show("member_2")  # the date of death was wrong
    assert okuyami.edit("person[1].died_on", dt.date(2025, 3, 27)) is None
    okuyami.review_next()
    assert [record.dates[k] for k in ("death", "event", "household_change")] == [
        dt.date(2025, 3, 27)
    ] * 3


def test_an_untouched_default_is_emptied_with_its_source(okuyami: KioskFlow) -> None:
    """The resident clears the date of death: the event's date that only followed it is empty
    again (not kept stale) and asked."""
    record = okuyami.record
    assert record is not None
    type_person(okuyami, OKUYAMI, 1)
    assert record.dates["event"] == DIED
    okuyami.review_show("member_2")
    assert okuyami.edit("person[1].died_on", None) is None
    with pytest.raises(PageIncompleteError):  # the deceased's date of death is required
        okuyami.review_next()
    assert not any(k in record.dates for k in ("death", "event", "household_change"))
    for path in TARGETS:
        assert okuyami.provenance.source(path) is None, path
    # empty, it waits for its source like any other (another member's page not passed yet)
    # and is asked at the latest on the summary
    assert okuyami.guide is not None and "date.event" in okuyami.guide.deferred
    okuyami.review_show(SUMMARY)
    assert "date.event" in dates_page(okuyami)
    okuyami.review_show("member_2")  # given again: filled again, the kiosk's
    assert okuyami.edit("person[1].died_on", DIED) is None
    okuyami.review_next()
    assert [record.dates[k] for k in ("death", "event", "household_change")] == [DIED] * 3
    assert okuyami.provenance.source("date.event") is Source.AUTO


def test_a_typed_target_is_not_emptied_with_its_source(okuyami: KioskFlow) -> None:
    record = okuyami.record
    assert record is not None
    type_person(okuyami, OKUYAMI, 1)
    okuyami.review_show("dates")
    assert okuyami.edit("date.event", dt.date(2025, 3, 30)) is None
    okuyami.review_show("member_2")
    assert okuyami.edit("person[1].died_on", None) is None
    with pytest.raises(PageIncompleteError):
        okuyami.review_next()
    assert record.dates["event"] == dt.date(2025, 3, 30)  # typed: theirs, kept
    assert "death" not in record.dates


def test_a_default_never_overwrites_what_the_resident_typed(okuyami: KioskFlow) -> None:
    record = okuyami.record
    assert record is not None
    type_person(okuyami, OKUYAMI, 1)
    okuyami.review_show("dates")
    assert okuyami.edit("date.event", dt.date(2025, 3, 30)) is None  # typed over the default
    assert okuyami.edit("date.household_change", None) is None  # emptied: theirs too
    okuyami.review_show("member_2")
    assert okuyami.edit("person[1].died_on", dt.date(2025, 3, 27)) is None
    okuyami.review_next()
    assert record.dates["death"] == dt.date(2025, 3, 27)  # untouched: follows
    assert record.dates["event"] == dt.date(2025, 3, 30)  # typed: kept
    assert "household_change" not in record.dates  # emptied: not filled again
    assert okuyami.provenance.source("date.event") is Source.TYPED


def test_a_default_passed_with_next_is_the_residents(okuyami: KioskFlow) -> None:
    """The resident saw the event's date on its page and pressed 次へ: it is confirmed, and a
    later correction of the date of death leaves it as it is."""
    record = okuyami.record
    assert record is not None
    type_person(okuyami, OKUYAMI, 1)
    okuyami.review_show("dates")
    assert okuyami.edit("date.funeral", dt.date(2025, 4, 1)) is None
    okuyami.review_next()
    okuyami.review_show("member_2")
    assert okuyami.edit("person[1].died_on", dt.date(2025, 3, 27)) is None
    okuyami.review_next()
    assert record.dates["death"] == dt.date(2025, 3, 27)  # on no page: follows
    assert record.dates["event"] == record.dates["household_change"] == DIED


def test_a_target_its_source_left_empty_is_asked_on_the_summary(okuyami: KioskFlow) -> None:
    record = okuyami.record
    assert record is not None
    assert "date.event" not in dates_page(okuyami)
    okuyami.review_show(SUMMARY)
    assert "date.event" in dates_page(okuyami)  # nothing deferred on the summary
    assert okuyami.guide is not None and okuyami.guide.deferred == frozenset()


def test_birth_defaults_from_the_card_and_the_typed_members(catalog: Catalog) -> None:
    flow = make_flow(catalog, BIRTH)
    record = by_card(flow, BIRTH, "birth")
    # the household's address is the card's: prefilled by the kiosk, not asked again
    assert record.addresses["new"] == record.addresses["current"]
    assert flow.provenance.source("address.new") is Source.AUTO
    assert "date.event" not in [q.path for q in flow.questions()]  # waits for the newborn
    for n in (1, 2, 3):
        type_person(flow, BIRTH, n)
    newborn = BIRTH.persons[3].birth_date
    assert record.dates["birth"] == record.dates["event"] == record.dates["move"] == newborn
    assert record.answers["new_head_name"] == PersonName(family="見本", given="健")
    for path in ("date.event", "answers.new_head_name"):
        assert flow.provenance.source(path) is Source.AUTO
    assert flow.forms["shussei"].values["child_address"] == record.addresses["current"]
    assert flow.metrics is not None and flow.metrics.prefilled_chars > 0


def test_showing_a_page_waiting_for_its_source_says_where_to_go(
    okuyami: KioskFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staff going to a page whose items all wait for a default's source get a typed error
    naming the page that gives it (there they fill it), not a bare KeyError."""
    hidden = frozenset({*dates_page(okuyami), *TARGETS})  # its own items and the dates
    waiting = okuyami._deferred_defaults
    monkeypatch.setattr(okuyami, "_deferred_defaults", lambda: waiting() | hidden)
    okuyami.review_show("member_3")  # settles: the whole dates page waits now
    assert okuyami.guide is not None and okuyami.guide.group("dates") is None
    with pytest.raises(PageWaitingError) as raised:
        okuyami.review_show("dates")
    assert "member_2" in raised.value.source_pages  # the deceased's page gives the date
    assert raised.value.group_id == "dates"
    with pytest.raises(PageNotShownError) as unknown:
        okuyami.review_show("no_such_page")
    assert not isinstance(unknown.value, PageWaitingError)
    assert isinstance(unknown.value, KeyError)  # as before, for callers that caught it
