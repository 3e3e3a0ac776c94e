"""The guided review's model (forms.guide): groups, what applies, fixed answers, the summary
with sources, and the resident's walk through the pages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from forms.bundle import fixed_answers, parse_bundle
from forms.catalog import Catalog
from forms.errors import TemplateError
from forms.fill import group_person_indexes, set_field
from forms.guide import SUMMARY, Guide, apply_fixed
from forms.guide_walk import GuideWalk
from forms.paths import parse_path, set_value
from forms.provenance import Provenance, Source
from forms.record import CardData, SessionRecord, Sex
from forms.sample_records import load_sample
from forms.template import parse_template

TRANSFER_OUT_PATHS = {"address.destination", "date.move_out", "answers.idou.kind"}


def card_record() -> SessionRecord:
    record = SessionRecord()
    record.apply_card(
        CardData(
            kind="my_number",
            name="見本　昭子",
            address="京都府京都市左京区見本町１番地",
            birth_date=dt.date(1989, 1, 7),
            sex=Sex.FEMALE,
        )
    )
    return record


def moving_in(catalog: Catalog, record: SessionRecord) -> Guide:
    bundle = catalog.bundle("moving_in")
    templates = [catalog.get(t) for t in bundle.template_ids()]
    fixed = fixed_answers([bundle])
    apply_fixed(record, templates, fixed)
    return Guide(templates, record, fixed=fixed)


def paths(guide: Guide) -> set[str]:
    return {q.path for q in guide.asked()}


def test_moving_in_groups_in_order_and_never_asks_transfer_out_items(catalog: Catalog) -> None:
    guide = moving_in(catalog, card_record())
    ids = [g.id for g in guide.groups()]
    assert ids[:5] == ["who", "address_new", "address_current", "dates", "contact"]
    assert ids[5:] == ["form:kokuho", "form:jidou_teate"]  # idou's own: only its fixed kind
    assert not paths(guide) & TRANSFER_OUT_PATHS
    who = guide.group("who")
    assert who is not None and who.household_max == 4
    assert [q.path for q in who.questions][:4] == [
        "person[0].name",
        "person[0].kana",
        "person[0].birth_date",
        "person[0].sex",
    ]
    assert guide.group("address_current").title_key == "guide.group.address_previous"  # type: ignore[union-attr]


def test_the_fixed_kind_is_in_the_record_and_on_the_summary(catalog: Catalog) -> None:
    record = card_record()
    guide = moving_in(catalog, record)
    assert record.answers["idou.kind"] == "moving_in"
    assert guide.forms["idou"].values["kind"] == "moving_in"
    idou = next(s for s in guide.summary() if s.group_id == "form:idou")
    assert not idou.editable
    (kind,) = [i for i in idou.items if i.path == "answers.idou.kind"]
    assert kind.value == "転入" and kind.source is Source.PROCEDURE


def test_a_transfer_out_item_appears_when_the_kind_asks_for_it(catalog: Catalog) -> None:
    """Without the bundle, 住民異動届 asks its kind; 転出 brings 転出先, 転入 does not."""
    record = card_record()
    idou = catalog.get("idou")
    assert "answers.idou.kind" in paths(Guide([idou], record))
    set_field(idou, record, "kind", "moving_out")
    assert {"address.destination", "date.move_out"} <= paths(Guide([idou], record))
    set_field(idou, record, "kind", "moving_in")
    assert not {"address.destination", "date.move_out"} & paths(Guide([idou], record))


def test_an_item_that_stopped_applying_is_still_shown_while_it_holds_a_value(
    catalog: Catalog,
) -> None:
    record = card_record()
    idou = catalog.get("idou")
    set_field(idou, record, "kind", "moving_out")
    set_value(record, parse_path("date.move_out"), dt.date(2026, 12, 24))
    set_field(idou, record, "kind", "moving_in")
    assert "date.move_out" in paths(Guide([idou], record))  # so it can be seen and cleared


def test_agent_items_only_when_an_agent_applies(catalog: Catalog) -> None:
    juminhyo, inkan = catalog.get("juminhyo"), catalog.get("inkan")
    agent = {"answers.agent_name", "address.agent", "answers.agent_birth_date"}
    record = SessionRecord()
    assert not paths(Guide([juminhyo, inkan], record)) & agent
    set_field(juminhyo, record, "requester_relation", "agent")
    guide = Guide([juminhyo, inkan], record)
    assert agent <= paths(guide)
    assert guide.group("agent") is not None
    assert any(
        e.en == "this item is required"
        for e in guide.errors_for(guide.group("agent").questions[0])  # type: ignore[union-attr]
    )
    record = SessionRecord()
    set_field(inkan, record, "by_agent", True)
    assert agent <= paths(Guide([inkan], record))


def test_the_other_insured_persons_numbers_follow_the_household(catalog: Catalog) -> None:
    kokuho = catalog.get("kokuho")
    record = card_record()
    numbers = {f"answers.kokuho.insured{n}_individual_number" for n in (2, 3, 4)}
    assert not paths(Guide([kokuho], record)) & numbers
    record.person(2)  # three persons
    asked = paths(Guide([kokuho], record))
    assert {
        "answers.kokuho.insured2_individual_number",
        "answers.kokuho.insured3_individual_number",
    } <= asked
    assert "answers.kokuho.insured4_individual_number" not in asked


def test_each_household_member_has_a_page(catalog: Catalog) -> None:
    record = load_sample("yoshino_household")
    guide = moving_in(catalog, record)
    members = [g for g in guide.groups() if g.id.startswith("member_")]
    assert [g.id for g in members] == ["member_2", "member_3", "member_4"]
    assert [g.title_values for g in members] == [{"number": 2}, {"number": 3}, {"number": 4}]
    assert all(
        q.path.startswith("person[1].") or q.path.endswith(".1") for q in members[0].questions
    )


def test_a_single_form_without_a_new_address_calls_it_your_address(catalog: Catalog) -> None:
    guide = Guide([catalog.get("juminhyo")], SessionRecord())
    assert [g.id for g in guide.screens()] == ["who", "address_current", "contact", "form:juminhyo"]
    assert guide.group("address_current").title_key == "guide.group.address_current"  # type: ignore[union-attr]
    # the date of notification is filled in automatically: a group on the summary only
    assert guide.group("dates") is not None
    dates = next(s for s in guide.summary() if s.group_id == "dates")
    assert not dates.editable and dates.items[0].source is Source.AUTO


def test_the_summary_says_where_each_answer_came_from(catalog: Catalog) -> None:
    record = card_record()
    guide = moving_in(catalog, record)
    sources = Provenance()
    sources.prefilled([q.path for q in guide.asked() if guide.display(q)], Source.CARD)
    set_value(record, parse_path("answers.applicant_phone"), "075-000-0000")
    sources.typed("answers.applicant_phone", 12)
    guide = moving_in(catalog, record)
    items = {i.path: i for s in guide.summary(sources) for i in s.items}
    assert items["person[0].name"].source is Source.CARD
    assert items["person[0].name"].value == "見本　昭子"
    assert items["answers.applicant_phone"].source is Source.TYPED
    assert items["date.move"].source is None and items["date.move"].value == ""
    assert sources.typed_over_prefill == {}
    sources.typed("person[0].name", 2)
    assert sources.typed_over_prefill == {"person[0].name": 2}


def test_the_walk_shows_no_problem_before_next_and_stays_until_fixed(catalog: Catalog) -> None:
    record = card_record()
    guide = moving_in(catalog, record)
    walk = GuideWalk()
    walk.start(guide)
    assert walk.page == "who" and walk.position(guide) == (1, len(guide.screens()) + 1)
    assert not walk.shows_problems("who")

    def problems(group):
        return sum(1 for q in group.questions if guide.errors_for(q))

    assert problems(guide.group("who")) > 0  # kana and 続柄 are not on the card
    assert walk.next(guide, problems) is False
    assert walk.page == "who" and walk.shows_problems("who")
    assert not walk.shows_problems("address_new")
    assert walk.next(guide, lambda g: 0) is True
    assert walk.page == "address_new"
    assert walk.back(guide) and walk.page == "who"
    assert not walk.back(guide)  # the first page has no page before it

    walk.page = SUMMARY
    walk.goto("contact")
    assert walk.next(guide, lambda g: 0) and walk.page == SUMMARY  # 修正 comes back
    restored = GuideWalk.from_dict(walk.to_dict())
    assert restored == walk
    with pytest.raises(ValueError, match="attempted"):
        GuideWalk.from_dict({"page": "who", "attempted": "who"})


def test_a_page_that_stops_applying_gives_way_to_the_next(catalog: Catalog) -> None:
    juminhyo = catalog.get("juminhyo")
    record = SessionRecord()
    set_field(juminhyo, record, "requester_relation", "agent")
    walk = GuideWalk(page="agent")
    set_field(juminhyo, record, "requester_relation", "self")
    guide = Guide([juminhyo], record)
    assert guide.group("agent") is None
    assert walk.current(guide).id == "form:juminhyo"  # type: ignore[union-attr]


def test_the_summary_sends_to_the_first_page_with_problems(catalog: Catalog) -> None:
    guide = moving_in(catalog, card_record())
    walk = GuideWalk(page=SUMMARY)
    walk.to_summary_with_problems(guide, lambda gid: gid == "address_new")
    assert walk.page == "address_new" and walk.back_to_summary
    assert walk.shows_problems("form:kokuho")  # every page's problems show now


ASKED_WHEN_CASES = [
    ("{field: kind, values: [a], group: g, min: 1}", "one of"),
    ("{field: kind}", "one of"),
    ("{field: nothing, values: [a]}", "no such field"),
    ("{field: kind, values: [zzz]}", "no such option"),
    ("{field: note, values: [a]}", "not a select"),
    ("{group: nothing, min: 2}", "no such group"),
]


@pytest.mark.parametrize(("condition", "problem"), ASKED_WHEN_CASES)
def test_a_bad_asked_when_is_refused_with_its_place(condition: str, problem: str) -> None:
    text = f"""
id: t
version: 1
title: {{ja: 様式, en: Form}}
legal_basis: なし
fields:
- {{id: kind, type: select, label: {{ja: 種類}}, options: [{{value: a, ja: A}}]}}
- {{id: note, type: text, label: {{ja: 備考}}}}
- {{id: other, type: text, label: {{ja: その他}}, asked_when: {condition}}}
layout: {{pages: [{{}}]}}
"""
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_a_bundle_fixing_an_unwritable_path_is_refused() -> None:
    text = """
id: b
title: {ja: 束}
templates: [idou]
fixed: {card.name: x}
"""
    with pytest.raises(TemplateError) as caught:
        parse_bundle(text)
    assert any("writable" in p for p in caught.value.problems)


def test_a_fixed_value_outside_the_forms_options_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match=r"answers\.idou\.kind"):
        apply_fixed(SessionRecord(), [catalog.get("idou")], {"answers.idou.kind": "moving_away"})


def test_the_guide_repr_names_no_answer(catalog: Catalog) -> None:
    guide = moving_in(catalog, card_record())
    assert "見本" not in repr(guide) and "見本" not in repr(Provenance({"x": Source.CARD}))


def test_a_catalogue_refuses_a_bundle_whose_fixed_answer_no_form_takes(catalog: Catalog) -> None:
    text = """
id: b
title: {ja: 束}
templates: [idou]
fixed: {answers.idou.kind: moving_away}
"""
    copy = Catalog()
    copy.add(catalog.get("idou"))
    with pytest.raises(TemplateError) as caught:
        copy.add_bundle(parse_bundle(text))
    assert any("answers.idou.kind" in p for p in caught.value.problems)


def test_a_lazy_catalogue_loads_once_on_first_use_from_any_thread() -> None:
    import threading

    lazy = Catalog.builtin(lazy=True)
    assert lazy._templates == {}  # nothing parsed yet
    found: list[int] = []
    threads = [threading.Thread(target=lambda: found.append(len(lazy.latest()))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == [len(Catalog.builtin().latest())] * 4
    assert lazy.bundle("moving_in").fixed


def test_residence_items_only_for_a_person_with_a_foreign_nationality(catalog: Catalog) -> None:
    idou = catalog.get("idou")
    record = card_record()
    foreign = {"answers.idou.residence_status.0", "answers.idou.residence_card.0"}
    assert not paths(Guide([idou], record)) & foreign  # a Japanese national is not asked
    record.persons[0].nationality = "VN"
    assert foreign <= paths(Guide([idou], record))


def test_a_vanished_member_page_gives_way_to_the_next_member_not_an_earlier_one() -> None:
    ids = ["who", "member_2", "member_4", "contact"]

    class Pages:  # what GuideWalk reads of a guide: its screens and groups by id
        def screens(self) -> list[SimpleNamespace]:
            return [SimpleNamespace(id=i) for i in ids]

        def group(self, group_id: str) -> SimpleNamespace | None:
            return SimpleNamespace(id=group_id) if group_id in ids else None

    walk = GuideWalk(page="member_3")  # member_3's person is asked nothing any more
    shown = walk.current(Pages())  # type: ignore[arg-type]
    assert shown is not None and shown.id == "member_4"


def test_a_held_person_stays_listed_whatever_their_birth_date_says(catalog: Catalog) -> None:
    record = load_sample("mihon_birth")  # 健 (1990) is person 1; the children are 2 and 3
    children = catalog.get("kodomo_iryo").groups[0]
    assert group_person_indexes(children, record) == [2, 3]
    assert group_person_indexes(children, record, held={1}) == [1, 2, 3]
