"""The procedure navigator: every life event over a table of households, the exact forms.

Each case is a household (続柄, birth dates, a death), the resident's はい/いいえ answers and the
forms the navigator must choose. Ages come from the birth dates on the office's date, from a
fixed clock; the boundary cases cross the office's midnight (15:00 UTC) and the New Year.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest

from forms.catalog import Catalog
from forms.clock import OfficeClock
from forms.errors import UnknownTemplate
from forms.fill import fill, group_person_indexes
from forms.navigator import (
    ADDED,
    ALWAYS,
    REMOVED,
    BadChange,
    UnknownQuestion,
    add_procedure,
    answer,
    apply_defaults,
    changes_key,
    default_sources,
    forget_answer,
    is_source,
    navigate,
    remove_procedure,
    undo_change,
)
from forms.paths import get_value, parse_path, set_value
from forms.record import Address, Person, PersonName, SessionRecord
from forms.sample_records import load_sample, sample_info, sample_names

CATALOG = Catalog.builtin()
UTC = dt.UTC
NOON = dt.datetime(2025, 6, 10, 3, 0, tzinfo=UTC)  # 12:00 in Tokyo, 10 June 2025
TOKYO = Address(postal_code="1600023", prefecture="東京都", city="新宿区", rest="西新宿一丁目")
SAITAMA = Address(postal_code="3300063", prefecture="埼玉県", city="さいたま市浦和区", rest="高砂")


def P(relation: str, birth: str | None, died: str | None = None) -> Person:
    return Person(
        name=PersonName(family="見本", given=relation or "同居"),
        birth_date=dt.date.fromisoformat(birth) if birth else None,
        relation=relation,
        died_on=dt.date.fromisoformat(died) if died else None,
    )


# the person at the counter as the card gives her: a name and a birth date, no 続柄
NOTIFIER = Person(name=PersonName(family="見本", given="届出人"), birth_date=dt.date(1976, 9, 3))


@dataclass
class Case:
    name: str
    persons: list[Person]
    answers: dict[str, bool]
    forms: set[str]
    addresses: dict[str, Address] = field(default_factory=dict)
    asked: set[str] | None = None  # the questions the resident had to answer, if checked

    def record(self, event: str) -> SessionRecord:
        record = SessionRecord(today=NOON.date(), persons=copy.deepcopy(self.persons))
        record.addresses = copy.deepcopy(self.addresses)
        bundle = CATALOG.bundle(event)
        for question, yes in self.answers.items():
            answer(record, bundle, question, yes)
        return record


TABLE: dict[str, list[Case]] = {
    "moving_in": [
        Case(
            "one adult, employee, no dog",
            [P("世帯主", "1995-01-10")],
            {"no_employee_insurance": False, "became_category_1": False, "has_dog": False},
            {"idou"},
            asked={"no_employee_insurance", "became_category_1", "has_dog"},
        ),
        Case(
            "family of four on 国保 with a dog",
            [
                P("世帯主", "1985-02-01"),
                P("妻", "1987-03-01"),
                P("子", "2014-08-01"),  # 小5
                P("子", "2022-01-01"),  # 3
            ],
            {
                "no_employee_insurance": True,
                "public_servant": False,
                "public_school": True,
                "became_category_1": False,
                "has_dog": True,
            },
            {"idou", "kokuho", "jidou_teate", "kodomo_iryo", "tennyugaku", "inu"},
        ),
        Case(
            "public servant's family, private school",
            [P("世帯主", "1985-02-01"), P("妻", "1987-03-01"), P("子", "2014-08-01")],
            {
                "no_employee_insurance": False,
                "public_servant": True,
                "public_school": False,
                "became_category_1": False,
                "has_dog": False,
            },
            {"idou", "kodomo_iryo"},
        ),
        Case(
            "couple of 80 and 70",
            [P("世帯主", "1945-01-01"), P("妻", "1955-03-03")],
            {"no_employee_insurance": True, "has_dog": False},
            {"idou", "kokuho", "kaigo", "kouki"},
            asked={"no_employee_insurance", "has_dog"},
        ),
        Case(
            "alone at 90: nobody under 75, so 国保 is not asked",
            [P("世帯主", "1935-05-05")],
            {"has_dog": False},
            {"idou", "kaigo", "kouki"},
            asked={"has_dog"},
        ),
        Case(
            "parent who left a job, child in 高校",
            [P("世帯主", "1980-04-04"), P("子", "2008-05-01")],
            {
                "no_employee_insurance": False,
                "public_servant": False,
                "became_category_1": True,
                "has_dog": False,
            },
            {"idou", "jidou_teate", "nenkin"},
        ),
    ],
    "moving_in_abroad": [
        Case(
            "couple and a child of 5",
            [P("世帯主", "1995-01-01"), P("妻", "1997-02-02"), P("子", "2019-09-01")],
            {"no_employee_insurance": True, "no_employee_pension": True, "public_servant": False},
            {"idou", "kokuho", "nenkin", "jidou_teate", "kodomo_iryo"},
        ),
        Case(
            "one employee of 25",
            [P("世帯主", "2000-01-01")],
            {"no_employee_insurance": False, "no_employee_pension": False},
            {"idou"},
        ),
        Case(
            "returning at 66",
            [P("世帯主", "1959-01-01")],
            {"no_employee_insurance": True},
            {"idou", "kokuho", "kaigo"},
            asked={"no_employee_insurance"},
        ),
    ],
    "moving_within": [
        Case(
            "family changing school, with a dog",
            [P("世帯主", "1985-02-01"), P("子", "2017-01-01")],
            {"changes_school": True, "has_dog": True},
            {"tenkyo", "kodomo_iryo", "tennyugaku", "inu"},
        ),
        Case(
            "alone at 77",
            [P("世帯主", "1948-01-15")],
            {"has_dog": False},
            {"tenkyo", "kaigo", "kouki"},
            asked={"has_dog"},
        ),
        Case(
            "young couple",
            [P("世帯主", "1995-01-01"), P("妻", "1996-01-01")],
            {"has_dog": False},
            {"tenkyo"},
        ),
    ],
    "moving_out": [
        Case(
            "three generations to another prefecture",
            [
                P("世帯主", "1976-05-10"),
                P("妻", "1979-08-22"),
                P("子", "2012-11-30"),
                P("父", "1948-01-15"),
            ],
            {"kokuho_member": True, "child_allowance": True},
            {"tenshutsu", "kokuho", "kouki", "kaigo", "jidou_henkou"},
            addresses={"current": TOKYO, "destination": SAITAMA},
            asked={"kokuho_member", "child_allowance"},
        ),
        Case(
            "three generations within the prefecture: 後期 stays",
            [
                P("世帯主", "1976-05-10"),
                P("妻", "1979-08-22"),
                P("子", "2012-11-30"),
                P("父", "1948-01-15"),
            ],
            {"kokuho_member": True, "child_allowance": True},
            {"tenshutsu", "kokuho", "kaigo", "jidou_henkou"},
            addresses={
                "current": TOKYO,
                "destination": Address(prefecture="東京都", city="八王子市", rest="元本郷町"),
            },
        ),
        Case(
            "one employee",
            [P("世帯主", "1995-01-01")],
            {"kokuho_member": False},
            {"tenshutsu"},
            addresses={"current": TOKYO, "destination": SAITAMA},
        ),
        Case(
            "alone at 80: 国保 not asked",
            [P("世帯主", "1945-01-01")],
            {},
            {"tenshutsu", "kouki", "kaigo"},
            addresses={"current": TOKYO, "destination": SAITAMA},
            asked=set(),
        ),
    ],
    "birth": [
        Case(
            "a first child",
            [P("妻", "1994-01-01"), P("世帯主", "1993-01-01"), P("子", "2025-06-01")],
            {"public_servant": False, "kokuho_household": False},
            {"shussei", "jidou_teate", "kodomo_iryo"},
            asked={"public_servant", "kokuho_household"},  # 上の子 is not asked: there is none
        ),
        Case(
            "a second child, allowance received, on 国保",
            [
                P("妻", "1994-01-01"),
                P("世帯主", "1993-01-01"),
                P("子", "2021-03-03"),
                P("子", "2025-06-01"),
            ],
            {"public_servant": False, "receives_allowance": True, "kokuho_household": True},
            {"shussei", "jidou_henkou", "kodomo_iryo", "kokuho"},
        ),
        Case(
            "a public servant's child",
            [P("世帯主", "1990-01-01"), P("子", "2025-06-01")],
            {"public_servant": True, "kokuho_household": False},
            {"shussei", "kodomo_iryo"},
        ),
    ],
    "okuyami": [
        Case(
            "householder of 78 on 後期 and 介護, funeral held",
            [P("子", "1976-09-03"), P("世帯主", "1946-11-20", "2025-05-28"), P("妻", "1950-06-01")],
            {"funeral_held": True, "certificates": False},
            {"kouki", "kaigo", "kouki_sousaihi", "setai_henko"},
            asked={"funeral_held", "certificates"},
        ),
        Case(
            "the same, no funeral",
            [P("子", "1976-09-03"), P("世帯主", "1946-11-20", "2025-05-28"), P("妻", "1950-06-01")],
            {"funeral_held": False, "certificates": False},
            {"kouki", "kaigo", "setai_henko"},
        ),
        Case(
            "head died, widow and a son of 21 remain, certificates needed",
            [P("妻", "1960-02-02"), P("世帯主", "1955-01-01", "2025-05-01"), P("子", "2004-04-04")],
            {
                "kouki_member": False,
                "kokuho_member": True,
                "funeral_held": True,
                "certificates": True,
            },
            {"kaigo", "kokuho_sousaihi", "setai_henko", "koseki", "juminhyo"},
            asked={"kouki_member", "kokuho_member", "funeral_held", "certificates"},
        ),
        Case(
            "head died, the widow alone remains: she is the head without a notification",
            [P("妻", "1950-06-01"), P("世帯主", "1945-01-01", "2025-05-01")],
            {"funeral_held": False, "certificates": True},
            {"kouki", "kaigo", "koseki", "juminhyo"},
            asked={"funeral_held", "certificates"},
        ),
        Case(
            "householder of 60 on 国保; the notifier's 続柄 is empty, so who remains is asked",
            [P("", "1990-01-01"), P("世帯主", "1965-01-01", "2025-05-01"), P("妻", "1967-01-01")],
            {
                "kokuho_member": True,
                "kaigo_member": False,
                "funeral_held": True,
                "adults_remain": False,  # the child lives elsewhere: the widow alone remains
                "certificates": False,
            },
            {"kokuho_sousaihi"},
            asked={
                "kokuho_member",
                "kaigo_member",
                "funeral_held",
                "adults_remain",
                "certificates",
            },
        ),
        Case(
            "the householder's mother died (not the head), certificates not needed",
            [P("世帯主", "1970-01-01"), P("母", "1940-01-01", "2025-05-01"), P("妻", "1972-01-01")],
            {"funeral_held": True, "certificates": False},
            {"kouki", "kaigo", "kouki_sousaihi"},
            asked={"funeral_held", "certificates"},
        ),
        Case(
            "wife of 70 certified for 後期 (障害認定)",
            [P("世帯主", "1953-01-01"), P("妻", "1955-01-01", "2025-05-01")],
            {"kouki_member": True, "funeral_held": True, "certificates": False},
            {"kouki", "kaigo", "kouki_sousaihi"},
            asked={"kouki_member", "funeral_held", "certificates"},
        ),
        Case(
            "a parent of 40 who received the child allowance; one adult and a child remain",
            [P("妻", "1987-01-01"), P("世帯主", "1985-01-01", "2025-05-01"), P("子", "2015-01-01")],
            {
                "kokuho_member": False,
                "kaigo_member": False,
                "funeral_held": True,
                "child_allowance": True,
                "certificates": True,
            },
            {"jidou_teate", "koseki", "juminhyo"},
        ),
        Case(
            "at the counter: the notifier's card and two persons not entered yet; head died",
            [NOTIFIER, Person(), Person()],
            {
                "kouki_member": True,
                "kaigo_member": True,
                "funeral_held": True,
                "deceased_householder": True,
                "adults_remain": True,
                "child_allowance": False,
                "certificates": True,
            },
            {"kouki", "kaigo", "kouki_sousaihi", "setai_henko", "koseki", "juminhyo"},
            asked={
                "kouki_member",
                "kaigo_member",
                "funeral_held",
                "deceased_householder",
                "adults_remain",
                "child_allowance",
                "certificates",
            },
        ),
        Case(
            "at the counter: the same, the deceased was not the head",
            [NOTIFIER, Person(), Person()],
            {
                "kouki_member": True,
                "kaigo_member": True,
                "funeral_held": False,
                "deceased_householder": False,
                "child_allowance": False,
                "certificates": False,
            },
            {"kouki", "kaigo"},
            asked={
                "kouki_member",
                "kaigo_member",
                "funeral_held",
                "deceased_householder",
                "child_allowance",
                "certificates",
            },
        ),
    ],
    "household_change": [
        Case(
            "a parent of 80 joins",
            [P("世帯主", "1975-01-01"), P("母", "1945-01-01"), P("子", "2010-05-05")],
            {"allowance_moves": False},
            {"setai_henko", "kaigo", "kouki"},
        ),
        Case(
            "a young household splits",
            [P("世帯主", "1990-01-01"), P("子", "2015-01-01")],
            {"allowance_moves": True},
            {"setai_henko", "jidou_henkou"},
        ),
    ],
}
CASES = [(event, case) for event, cases in TABLE.items() for case in cases]


def clock(moment: dt.datetime = NOON) -> OfficeClock:
    return OfficeClock.fixed(moment)


def test_every_life_event_has_cases() -> None:
    assert set(TABLE) == {b.id for b in CATALOG.bundles()}


@pytest.mark.parametrize(("event", "case"), CASES, ids=[f"{e}: {c.name}" for e, c in CASES])
def test_the_exact_forms_for_each_household(event: str, case: Case) -> None:
    nav = navigate(CATALOG.bundle(event), case.record(event), CATALOG, clock())
    assert nav.complete, [q.id for q in nav.to_ask]
    assert set(nav.template_ids()) == case.forms
    assert nav.undecided == ()
    if case.asked is not None:
        assert {q.id for q in nav.questions if q.source == "resident"} == case.asked
    for procedure in nav.chosen:
        assert procedure.reasons and all(r.ja and r.en for r in procedure.reasons)
        assert procedure.title == CATALOG.get(procedure.template_id).title


def test_forms_no_rule_names_are_always_chosen_and_say_so() -> None:
    event, case = "moving_in", TABLE["moving_in"][0]
    nav = navigate(CATALOG.bundle(event), case.record(event), CATALOG, clock())
    assert nav.procedure("idou").reasons == (ALWAYS,)
    assert nav.procedure("idou").by == "event"
    assert "inkan" in nav.offered and "kokuho" in nav.offered


def test_a_question_the_record_answers_is_not_asked_until_it_cannot() -> None:
    bundle = CATALOG.bundle("moving_in")
    record = SessionRecord(today=NOON.date(), persons=[P("世帯主", "1985-01-01"), P("子", None)])
    nav = navigate(bundle, record, CATALOG, clock())
    has_child = next(q for q in nav.questions if q.id == "has_child")
    assert has_child.source == "open" and has_child.answer is None  # a birth date is missing
    assert "jidou_teate" in nav.undecided
    assert not nav.complete
    waiting = {q.id for q in nav.questions if q.source == "waiting"}
    assert "public_servant" in waiting  # asked only once has_child is answered
    record.persons[1].birth_date = dt.date(2016, 1, 1)  # the card or the resident says it
    nav = navigate(bundle, record, CATALOG, clock())
    has_child = next(q for q in nav.questions if q.id == "has_child")
    assert has_child.source == "record" and has_child.answer is True
    assert has_child.note is not None and has_child.note.en
    assert [q.id for q in nav.to_ask][:2] == ["no_employee_insurance", "public_servant"]


def test_the_record_wins_over_an_old_answer() -> None:
    bundle = CATALOG.bundle("moving_in")
    record = SessionRecord(today=NOON.date(), persons=[P("世帯主", "1940-01-01")])
    answer(record, bundle, "aged_75", False)
    nav = navigate(bundle, record, CATALOG, clock())
    assert next(q for q in nav.questions if q.id == "aged_75").answer is True
    assert "kouki" in nav.template_ids()


def test_answering_and_forgetting() -> None:
    bundle = CATALOG.bundle("moving_out")
    record = TABLE["moving_out"][0].record("moving_out")
    record.addresses.pop("destination")  # not known yet: whether 後期 ends cannot be told
    nav = navigate(bundle, record, CATALOG, clock())
    assert [q.id for q in nav.to_ask] == ["other_prefecture"]
    assert nav.undecided == ("kouki",)
    answer(record, bundle, "other_prefecture", True)
    nav = navigate(bundle, record, CATALOG, clock())
    assert "kouki" in nav.template_ids() and nav.complete
    forget_answer(record, bundle, "other_prefecture")
    assert navigate(bundle, record, CATALOG, clock()).undecided == ("kouki",)
    with pytest.raises(UnknownQuestion) as caught:
        answer(record, bundle, "has_cat", True)
    assert caught.value.ja and caught.value.en and "has_cat" in caught.value.en
    with pytest.raises(BadChange):
        answer(record, bundle, "kokuho_member", "はい")  # type: ignore[arg-type]


def test_resident_and_staff_add_and_remove_procedures() -> None:
    bundle = CATALOG.bundle("moving_in")
    record = TABLE["moving_in"][1].record("moving_in")
    add_procedure(record, bundle, CATALOG, "inkan", by="resident")
    add_procedure(record, bundle, CATALOG, "juminhyo", by="staff")  # not in the bundle
    remove_procedure(record, bundle, CATALOG, "inu", by="staff")
    nav = navigate(bundle, record, CATALOG, clock())
    assert nav.procedure("inkan").reasons == (ADDED["resident"],)
    assert nav.procedure("inkan").by == "resident"
    assert nav.procedure("juminhyo").reasons == (ADDED["staff"],)
    assert nav.template_ids()[-1] == "juminhyo"  # after the bundle's own forms
    assert "inu" not in nav.template_ids() and "inu" not in nav.offered
    (removed,) = nav.removed
    assert removed.template_id == "inu" and removed.by == "staff"
    assert removed.reasons[-1] == REMOVED["staff"] and len(removed.reasons) == 2
    # the choices travel with the record (QR, kiosk, reception)
    again = SessionRecord.from_json(record.model_dump_json())
    assert navigate(bundle, again, CATALOG, clock()) == nav
    undo_change(record, bundle, "inu")
    assert "inu" in navigate(bundle, record, CATALOG, clock()).template_ids()
    undo_change(record, bundle, "inkan")
    undo_change(record, bundle, "juminhyo")
    assert changes_key(bundle.id) not in record.answers


def test_bad_changes_are_refused() -> None:
    bundle = CATALOG.bundle("moving_in")
    record = SessionRecord(today=NOON.date())
    with pytest.raises(UnknownTemplate):
        add_procedure(record, bundle, CATALOG, "no_such_form", by="staff")
    with pytest.raises(BadChange) as caught:
        add_procedure(record, bundle, CATALOG, "inkan", by="mayor")  # type: ignore[arg-type]
    assert caught.value.ja and caught.value.en
    record.answers[changes_key(bundle.id)] = {"inkan": "yes please", 3: {}}
    assert "inkan" in navigate(bundle, record, CATALOG, clock()).offered  # malformed: ignored


# --- ages on the office's date: the boundaries ---------------------------------------------


def _one(event: str, person: Person, **answers: bool) -> SessionRecord:
    record = SessionRecord(today=NOON.date(), persons=[person])
    record.addresses = {"current": TOKYO, "destination": SAITAMA}
    for question, yes in answers.items():
        answer(record, CATALOG.bundle(event), question, yes)
    return record


JUST_BEFORE = dt.datetime(2025, 6, 9, 14, 59, 59, tzinfo=UTC)  # 9 June 23:59:59 in Tokyo
MIDNIGHT = dt.datetime(2025, 6, 9, 15, 0, 0, tzinfo=UTC)  # 10 June 00:00 in Tokyo


@pytest.mark.parametrize(
    ("birth", "moment", "form", "chosen"),
    [
        # 後期高齢者医療 from the 75th birthday itself (born 10 June 1950)
        ("1950-06-10", JUST_BEFORE, "kouki", False),
        ("1950-06-10", MIDNIGHT, "kouki", True),
        # … so on the day before the birthday (legal age 75) not yet
        ("1950-06-11", MIDNIGHT, "kouki", False),
        # 介護保険 from the day before the 65th birthday (born 11 June 1960)
        ("1960-06-11", JUST_BEFORE, "kaigo", False),
        ("1960-06-11", MIDNIGHT, "kaigo", True),
        # New Year in Tokyo comes at 15:00 UTC on 31 December
        ("1951-01-01", dt.datetime(2025, 12, 31, 14, 59, 59, tzinfo=UTC), "kouki", False),
        ("1951-01-01", dt.datetime(2025, 12, 31, 15, 0, 0, tzinfo=UTC), "kouki", True),
    ],
)
def test_age_boundaries_on_the_office_date(
    birth: str, moment: dt.datetime, form: str, chosen: bool
) -> None:
    record = _one("moving_in", P("世帯主", birth), no_employee_insurance=True, has_dog=False)
    nav = navigate(CATALOG.bundle("moving_in"), record, CATALOG, clock(moment))
    assert (form in nav.template_ids()) is chosen


@pytest.mark.parametrize(
    ("birth", "moment", "working_age"),
    [
        ("2005-06-11", JUST_BEFORE, False),  # 20 is reached on 10 June, the day before
        ("2005-06-11", MIDNIGHT, True),
        ("1965-06-11", JUST_BEFORE, True),  # 60 is reached on 10 June: no longer 第1号
        ("1965-06-11", MIDNIGHT, False),
    ],
)
def test_national_pension_ages_20_to_59(birth: str, moment: dt.datetime, working_age: bool) -> None:
    record = _one(
        "moving_in_abroad",
        P("世帯主", birth),
        no_employee_insurance=False,
        no_employee_pension=True,
    )
    nav = navigate(CATALOG.bundle("moving_in_abroad"), record, CATALOG, clock(moment))
    state = next(q for q in nav.questions if q.id == "working_age")
    assert state.answer is working_age and state.source == "record"
    assert ("nenkin" in nav.template_ids()) is working_age


@pytest.mark.parametrize(
    ("birth", "moment", "young_child"),
    [
        # born 1 April 2010: 中学3年 until 31 March 2025, then no longer 中学生以下
        ("2010-04-01", dt.datetime(2025, 3, 31, 14, 59, 59, tzinfo=UTC), True),
        ("2010-04-01", dt.datetime(2025, 3, 31, 15, 0, 0, tzinfo=UTC), False),
        # born 2 April 2010: one school year later
        ("2010-04-02", dt.datetime(2025, 3, 31, 15, 0, 0, tzinfo=UTC), True),
    ],
)
def test_junior_high_ends_with_the_school_year(
    birth: str, moment: dt.datetime, young_child: bool
) -> None:
    record = SessionRecord(today=NOON.date(), persons=[P("世帯主", "1980-01-01"), P("子", birth)])
    nav = navigate(CATALOG.bundle("moving_within"), record, CATALOG, clock(moment))
    assert ("kodomo_iryo" in nav.template_ids()) is young_child


def test_okuyami_from_the_notifiers_card_asks_about_the_deceased() -> None:
    """The card holds the notifier only: the deceased is not entered yet, so the questions
    about them are asked, never answered いいえ from a record that does not say."""
    record = SessionRecord(today=NOON.date(), persons=[P("子", "1976-09-03")])
    nav = navigate(CATALOG.bundle("okuyami"), record, CATALOG, clock())
    asked = {q.id for q in nav.to_ask}
    assert {"kouki_member", "kaigo_member", "deceased_householder", "certificates"} <= asked
    answer(record, CATALOG.bundle("okuyami"), "kouki_member", True)
    answer(record, CATALOG.bundle("okuyami"), "kaigo_member", True)
    assert {"kouki", "kaigo"} <= set(
        navigate(CATALOG.bundle("okuyami"), record, CATALOG, clock()).template_ids()
    )
    # once the deceased is entered, the record answers again
    record.persons.append(P("世帯主", "1946-11-20", "2025-05-28"))
    kouki = next(
        q
        for q in navigate(CATALOG.bundle("okuyami"), record, CATALOG, clock()).questions
        if q.id == "kouki_member"
    )
    assert kouki.source == "record" and kouki.answer is True


def test_the_age_of_the_deceased_stops_at_death() -> None:
    """Died at 74 on 1 May; today they would be 75: 後期 cannot be told from the age."""
    record = SessionRecord(
        today=NOON.date(),
        persons=[P("子", "1980-01-01"), P("世帯主", "1950-06-01", "2025-05-01")],
    )
    nav = navigate(CATALOG.bundle("okuyami"), record, CATALOG, clock())
    assert "kouki_member" in [q.id for q in nav.to_ask]
    assert next(q for q in nav.questions if q.id == "kaigo_member").source == "record"


# --- groups choose their persons ------------------------------------------------------------


def test_insurance_forms_list_the_deceased_only_after_a_death() -> None:
    record = load_sample("takasaki_okuyami")
    widow = 2
    assert record.persons[widow].birth_date is not None  # 74: 介護保険 too, but alive
    for template_id in ("kouki", "kaigo"):
        group = CATALOG.get(template_id).group("insured")
        assert group_person_indexes(group, record) == [1], template_id
    setai = CATALOG.get("setai_henko").group("members")
    assert group_person_indexes(setai, record) == [0, 2]  # the living members


def test_groups_count_ages_on_the_record_day() -> None:
    record = load_sample("mihon_three_generations")
    kouki = CATALOG.get("kouki").group("insured")
    nenkin = CATALOG.get("nenkin").group("insured")
    pupils = CATALOG.get("tennyugaku").group("pupils")
    assert group_person_indexes(kouki, record) == [3]  # the grandfather, 77
    assert group_person_indexes(nenkin, record) == [0, 1]  # aged 20 to 59
    assert group_person_indexes(pupils, record) == [2]  # 中学1年
    record.today = dt.date(2028, 4, 1)  # three school years later she is in 高校
    assert group_person_indexes(pupils, record) == []


# --- the samples and the defaults -----------------------------------------------------------


EXPECTED_FOR_SAMPLES = {
    "yoshino_household": [
        "idou",
        "kokuho",
        "jidou_teate",
        "inkan",
        "kodomo_iryo",
        "tennyugaku",
        "inu",
    ],
    "smith_john": ["idou", "kokuho", "nenkin"],
    "mihon_showa_last_day": ["tenkyo"],
    "silva_from_abroad": ["idou", "kokuho", "nenkin", "jidou_teate", "kodomo_iryo", "tennyugaku"],
    "mihon_three_generations": ["tenshutsu", "kokuho", "kouki", "kaigo", "jidou_henkou"],
    "takasaki_okuyami": ["kouki", "kaigo", "kouki_sousaihi", "setai_henko", "koseki", "juminhyo"],
    "mihon_birth": ["shussei", "kodomo_iryo", "jidou_henkou"],
}


@pytest.mark.parametrize("sample", sample_names())
def test_each_sample_visit_chooses_forms_its_record_fills(sample: str) -> None:
    record = load_sample(sample)
    info = sample_info(sample)
    moment = dt.datetime.combine(record.today, dt.time(3), tzinfo=UTC)
    nav = navigate(CATALOG.bundle(info.event), record, CATALOG, clock(moment))
    assert nav.complete
    assert nav.template_ids() == EXPECTED_FOR_SAMPLES[sample]
    assert set(nav.template_ids()) <= set(info.forms)
    for template_id in nav.template_ids():
        assert fill(CATALOG.get(template_id), record).ok, template_id


def test_the_okuyami_sample_is_a_78_year_old_on_kouki_and_kaigo() -> None:
    record = load_sample("takasaki_okuyami")
    nav = navigate(CATALOG.bundle("okuyami"), record, CATALOG, clock(NOON))
    deceased = record.persons[1]
    assert deceased.died_on is not None and deceased.birth_date is not None
    assert (deceased.died_on - deceased.birth_date).days // 365 == 78
    sources = {q.id: q.source for q in nav.questions}
    assert sources["kouki_member"] == sources["kaigo_member"] == "record"
    assert sources["deceased_householder"] == sources["adults_remain"] == "record"
    assert sources["certificates"] == "resident"  # 除籍謄本 and 除票 for the survivors' pension
    for template_id in ("koseki", "juminhyo"):
        procedure = nav.procedure(template_id)
        assert procedure.by == "rule" and "除票" in procedure.reasons[0].ja, template_id
    assert record.answers["juminhyo.document"] == "removed"  # 除票の写し
    assert record.answers["koseki.copies_removed"] == 2  # 除籍謄本


@pytest.mark.parametrize("sample", sample_names())
def test_defaults_fill_what_the_sample_would_otherwise_write_twice(sample: str) -> None:
    record = load_sample(sample)
    bundle = CATALOG.bundle(sample_info(sample).event)
    forms = sample_info(sample).forms
    bare = record.model_copy(deep=True)
    targets = []
    for default in bundle.defaults:
        path = parse_path(default.path)
        if get_value(bare, path) is not None:
            set_value(bare, path, None)
            targets.append(default.path)
    filled = apply_defaults(bundle, bare)
    assert set(targets) <= set(filled)
    for template_id in forms:
        template = CATALOG.get(template_id)
        assert fill(template, bare).values == fill(template, record).values, template_id


def test_defaults_never_overwrite() -> None:
    record = load_sample("mihon_birth")
    bundle = CATALOG.bundle("birth")
    record.addresses["new"] = SAITAMA.model_copy()
    record.dates["event"] = dt.date(2020, 1, 1)
    filled = apply_defaults(bundle, record)
    assert "address.new" not in filled and "date.event" not in filled
    assert record.addresses["new"] == SAITAMA and record.dates["event"] == dt.date(2020, 1, 1)
    bare = SessionRecord(today=NOON.date(), persons=[P("子", "2025-06-01")])
    apply_defaults(bundle, bare)
    assert bare.dates["birth"] == bare.dates["event"] == dt.date(2025, 6, 1)
    assert "new" not in bare.addresses  # nothing to copy from
    assert "new_head_name" not in bare.answers  # nobody is 世帯主


def test_an_empty_relation_is_not_known_yet_not_outside_the_household() -> None:
    """The card gives no 続柄: `member` and `relations` cannot say until it is typed, unless
    another criterion already rules the person out."""
    from forms.person_filter import AgeRange, PersonFilter

    record = SessionRecord(today=NOON.date(), persons=[NOTIFIER])
    adult_member = PersonFilter(member=True, deceased=False, age=AgeRange(min=15))
    assert adult_member.test(NOTIFIER, 0, record, NOON.date()) is None
    assert PersonFilter(relations=["世帯主"]).test(NOTIFIER, 0, record, NOON.date()) is None
    assert PersonFilter(member=True, deceased=True).test(NOTIFIER, 0, record, NOON.date()) is False
    child = PersonFilter(member=True, age=AgeRange(max=14))
    assert child.test(NOTIFIER, 0, record, NOON.date()) is False  # 48: not a child anyway
    typed = NOTIFIER.model_copy(update={"relation": "子"})
    assert adult_member.test(typed, 0, record, NOON.date()) is True
    assert PersonFilter(relations=["世帯主"]).test(typed, 0, record, NOON.date()) is False


def test_default_sources_follow_a_chain_of_defaults() -> None:
    """おくやみ: 届出日 ← the date of death ← the deceased's died_on (whichever person)."""
    sources = default_sources(CATALOG.bundle("okuyami").defaults)
    assert sources["date.death"] == {"person[*].died_on"}
    assert sources["date.event"] == {"date.death", "person[*].died_on"}
    assert sources["date.household_change"] == sources["date.event"]
    assert sources["address.new"] == {"address.current"}
    assert "date.funeral" not in sources  # no default
    assert is_source("person[*].died_on", "person[1].died_on")
    assert is_source("date.death", "date.death")
    assert not is_source("person[*].died_on", "person[1].birth_date")
    assert not is_source("person[*].name", "person[1].name_kana")
    assert not is_source("date.death", "date.event")


def test_default_sources_stop_at_a_cycle_and_join_several_events() -> None:
    from forms.bundle import Default

    defaults = [
        Default.model_validate({"path": "date.a", "from": "date.b"}),
        Default.model_validate({"path": "date.b", "from": "date.a"}),
        Default.model_validate({"path": "date.c", "from": "date.a"}),
        Default.model_validate({"path": "date.c", "from": "date.d"}),  # another life event's
    ]
    sources = default_sources(defaults)
    assert sources["date.a"] == {"date.b", "date.a"}
    assert sources["date.c"] == {"date.a", "date.b", "date.d"}
