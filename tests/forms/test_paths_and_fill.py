import datetime as dt

import pytest

from forms.errors import FieldValueError, PathError, ValidationFailed
from forms.fill import fill, set_field
from forms.paths import get_value, parse_path, set_value
from forms.record import Address, CardData, PersonName, SessionRecord, Sex
from forms.template import parse_template

TEMPLATE = """
id: t
version: 1
title: {ja: 試験, en: Test}
legal_basis: なし
fields:
  - {id: name, type: person_name, label: {ja: 氏名, en: Name}, required: true, prefill: "person[0].name"}
  - {id: move, type: date, label: {ja: 異動日, en: Move date}, required: true, prefill: date.move}
  - {id: phone, type: phone, label: {ja: 電話, en: Phone}, prefill: answers.phone}
  - {id: zip, type: postal_code, label: {ja: 郵便番号, en: Postal code}, prefill: address.new.postal_code}
  - {id: today, type: date, label: {ja: 届出日, en: Filed on}, prefill: session.today}
groups:
  - id: kids
    label: {ja: 子, en: Children}
    max: 2
    relations: [子]
    fields:
      - {id: name, type: person_name, label: {ja: 子の氏名, en: Child}, required: true, prefill: "person[*].name"}
      - {id: note, type: text, label: {ja: 備考, en: Note}}
layout:
  pages:
    - boxes:
        - {field: name, x: 10, y: 10, w: 50, h: 8}
        - {field: "kids[1].name", x: 10, y: 20, w: 50, h: 8}
"""


def household() -> SessionRecord:
    r = SessionRecord(today=dt.date(2026, 11, 23))
    r.apply_card(
        CardData(
            kind="my_number",
            name="𠮷野\u3000髙子",
            address="東京都千代田区永田町１－７－１",
            birth_date=dt.date(1989, 1, 8),
            sex=Sex.FEMALE,
        )
    )
    r.person(1).name = PersonName(family="山﨑", given="太郎")
    r.person(1).relation = "夫"
    for n, given in ((2, "一郎"), (3, "花子")):
        r.person(n).name = PersonName(family="𠮷野", given=given)
        r.person(n).relation = "子"
    return r


@pytest.mark.parametrize(
    "text",
    [
        "person[0].name",
        "person[*].kana.given",
        "card.name",
        "address.new.city",
        "date.move",
        "answers.a.b",
        "qr.move_date",
        "session.today",
    ],
)
def test_good_paths(text: str) -> None:
    assert parse_path(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "person.name",
        "person[0].nmae",
        "card.nmae",
        "card",
        "address.new.town",
        "date",
        "date.a.b",
        "answers",
        "foo.bar",
        "session.tomorrow",
        "person[0].name.middle",
        "card[0].name",
        "person[-1].name",
        "",
    ],
)
def test_paths_that_name_nothing(text: str) -> None:
    with pytest.raises(PathError) as info:
        parse_path(text)
    assert info.value.ja and info.value.en


def test_card_paths_are_read_only() -> None:
    r = household()
    with pytest.raises(PathError):
        set_value(r, parse_path("card.name"), "x")
    assert get_value(r, parse_path("card.birth_date")) == dt.date(1989, 1, 8)


def test_fill_from_the_record_and_group_filter() -> None:
    t = parse_template(TEMPLATE)
    r = household()
    form = fill(t, r)
    assert form.values["name"].full == "𠮷野\u3000髙子"
    assert form.values["today"] == dt.date(2026, 11, 23)
    assert form.group_counts == {"kids": 2}
    assert form.values["kids[0].name"].given == "一郎"
    assert form.values["kids[1].name"].given == "花子"
    assert [e.path for e in form.errors] == ["move"]  # everything else is there or optional
    with pytest.raises(ValidationFailed) as info:
        form.raise_if_invalid()
    assert len(info.value.errors) == 1


def test_edits_write_back_into_the_record_once() -> None:
    t = parse_template(TEMPLATE)
    r = household()
    set_field(t, r, "move", "令和8年1月5日")
    set_field(t, r, "zip", "〒100-0014")
    set_field(t, r, "kids[1].note", "保育園")
    assert r.dates["move"] == dt.date(2026, 1, 5)
    assert r.addresses["new"].postal_code == "1000014"
    assert r.answers["t.note.1"] == "保育園"
    assert fill(t, r).ok


def test_a_bad_edit_leaves_the_record_untouched() -> None:
    t = parse_template(TEMPLATE)
    r = household()
    set_field(t, r, "phone", "03-1234-5678")
    before = r.model_dump()
    with pytest.raises(FieldValueError):
        set_field(t, r, "phone", "not a phone")
    assert r.model_dump() == before


def test_clearing_a_field() -> None:
    t = parse_template(TEMPLATE)
    r = household()
    set_field(t, r, "phone", "03-1234-5678")
    set_field(t, r, "phone", "")
    assert "phone" not in r.answers


def test_record_json_round_trip_keeps_rare_kanji() -> None:
    r = household()
    r.addresses["new"] = Address(postal_code="1000014", prefecture="東京都", city="千代田区")
    again = SessionRecord.from_json(r.model_dump_json())
    assert again == r
    assert "𠮷" in r.model_dump_json()


def test_record_repr_hides_personal_data() -> None:
    r = household()
    assert "𠮷" not in repr(r) and "髙" not in str(r)
    assert "𠮷" not in repr(r.card)


CONDITIONAL = """
id: c
version: 1
title: {ja: 条件, en: Conditional}
legal_basis: なし
fields:
  - id: kind
    type: select
    label: {ja: 種類, en: Kind}
    options: [{value: in, ja: 転入}, {value: out, ja: 転出}]
  - id: destination
    type: text
    label: {ja: 転出先, en: Destination}
    required_when: {field: kind, values: [out]}
layout:
  pages:
    - boxes:
        - {field: destination, x: 10, y: 10, w: 50, h: 8}
"""


def test_required_when_follows_the_other_field() -> None:
    t = parse_template(CONDITIONAL)
    r = SessionRecord()
    assert fill(t, r).ok
    set_field(t, r, "kind", "in")
    assert fill(t, r).ok
    set_field(t, r, "kind", "out")
    assert [e.path for e in fill(t, r).errors] == ["destination"]
    set_field(t, r, "destination", "札幌市")
    assert fill(t, r).ok


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("field: kind, values: [sideways]", "no such option"),
        ("field: nosuch, values: [out]", "top-level select or checkbox"),
    ],
)
def test_required_when_errors(change: str, expected: str) -> None:
    from forms.errors import TemplateError

    with pytest.raises(TemplateError) as info:
        parse_template(CONDITIONAL.replace("field: kind, values: [out]", change))
    assert any(expected in p for p in info.value.problems)


def test_shipped_idou_asks_for_the_destination_only_when_moving_out() -> None:
    from forms.catalog import Catalog
    from forms.sample_records import load_sample

    idou = Catalog.builtin().get("idou")
    record = load_sample("yoshino_household")
    assert fill(idou, record).ok
    set_field(idou, record, "kind", "moving_out")
    missing = {e.path for e in fill(idou, record).errors}
    assert {"destination", "move_out_date"} <= missing


@pytest.mark.parametrize("attr", ["relation", "nationality", "sex", "kana", "birth_date"])
def test_clearing_a_person_attribute(attr: str) -> None:
    r = household()
    set_value(r, parse_path(f"person[1].{attr}"), None)
    assert not getattr(r.persons[1], attr)
