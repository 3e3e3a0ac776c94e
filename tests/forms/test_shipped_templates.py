"""The shipped forms, the moving-in bundle and the sample residents, checked generically.

Every test iterates the catalogue (`Catalog.builtin()`) and the sample folder, so a form or a
sample added later is covered without editing this file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from importlib import resources

import pytest
import yaml

from forms.bundle import questions
from forms.catalog import Catalog
from forms.errors import TemplateError
from forms.fill import Slot, fill, group_person_indexes, slots
from forms.record import PersonName, SessionRecord
from forms.sample_records import UnknownSample, load_sample, sample_info, sample_names
from forms.template import A4, Template, dump_template, parse_template

CATALOG = Catalog.builtin()
TEMPLATES = CATALOG.latest()
TEMPLATE_IDS = [t.id for t in TEMPLATES]
SAMPLES = sample_names()
# Each sample fills the forms of its life event (forms/samples/index.yaml), not every form.
COVERED = [(s, t) for s in SAMPLES for t in sample_info(s).forms]
EXPECTED_FORMS = {
    "idou",
    "juminhyo",
    "inkan",
    "kokuho",
    "jidou_teate",  # the first five
    "tenshutsu",
    "tenkyo",
    "setai_henko",
    "inkan_shoumei",
    "inkan_haishi",
    "koseki",
    "nenkin",
    "kouki",
    "kaigo",
    "kodomo_iryo",
    "jidou_henkou",
    "kokuho_sousaihi",
    "kouki_sousaihi",
    "shussei",
    "tennyugaku",
    "inu",
}
EVENTS = {
    "moving_in",
    "moving_in_abroad",
    "moving_within",
    "moving_out",
    "birth",
    "okuyami",
    "household_change",
}
# A label that is only one of these words does not say whose item it is.
BARE_LABELS = {
    "氏名",
    "住所",
    "生年月日",
    "電話番号",
    "フリガナ",
    "性別",
    "続柄",
    "署名",
    "年月日",
    "番号",
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _template_files() -> list[str]:
    folder = resources.files("forms").joinpath("templates")
    return sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))


def _all_refs(t: Template) -> list[str]:
    """Every fillable place of the form, with every group instance up to the group's max."""
    refs = [f.id for f in t.fields]
    for g in t.groups:
        refs += [f"{g.id}[{i}].{f.id}" for i in range(g.max or 0) for f in g.fields]
    return refs


def _reyaml(t: Template, mutate) -> str:
    data = yaml.safe_load(dump_template(t))
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


LONG_CLOSED_SETS = ("relation", "nationality", "residence_status", "residence_status_registered")


# --- the catalogue ------------------------------------------------------------------------


def test_every_template_file_is_in_the_catalogue_and_the_real_forms_ship() -> None:
    assert len(_template_files()) == len(TEMPLATE_IDS)
    assert set(TEMPLATE_IDS) >= EXPECTED_FORMS
    assert len(TEMPLATE_IDS) >= 20
    assert {b.id for b in CATALOG.bundles()} >= EVENTS


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_has_bilingual_title_legal_basis_and_labels(template_id: str) -> None:
    t = CATALOG.get(template_id)
    assert JAPANESE.search(t.title.ja) and t.title.en
    assert t.legal_basis.strip()
    specs = [*t.fields, *(f for g in t.groups for f in g.fields)]
    for spec in specs:
        assert spec.label.en, spec.id
        assert spec.label.ja not in BARE_LABELS, f"{spec.id}: say whose {spec.label.ja}"
        for option in spec.options:
            assert option.ja and option.en, f"{spec.id}: {option.value}"
    for group in t.groups:
        assert group.max is not None and group.label.en


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_round_trips_through_dump_and_parse_unchanged(template_id: str) -> None:
    t = CATALOG.get(template_id)
    text = dump_template(t)
    again = parse_template(text, f"{template_id} (dumped)")
    assert again == t
    assert dump_template(again) == text  # stable: a second dump is byte-identical
    # and what PyYAML reads back is exactly the model's own JSON-able form
    assert yaml.safe_load(text) == t.model_dump(mode="json", exclude_defaults=True)


# --- layout -------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_layout_prints_every_field_and_every_option(template_id: str) -> None:
    t = CATALOG.get(template_id)
    boxes = [b for page in t.layout.pages for b in page.boxes]
    printed = {b.field for b in boxes}
    missing = [ref for ref in _all_refs(t) if ref not in printed]
    assert not missing, f"no box for {missing}"
    for ref in _all_refs(t):
        spec, _, _ = t.resolve_ref(ref)
        mine = [b for b in boxes if b.field == ref]
        if spec.type == "select" and spec.options_from in LONG_CLOSED_SETS:
            # a long closed set (続柄, 国籍・地域, 在留資格): the choice is printed as text
            assert [b.option for b in mine] == [None], ref
            assert not any(b.border for b in mine) and mine[0].w >= 16, ref
        elif spec.type == "select":  # printed as a check square beside each option's label
            assert sorted(b.option for b in mine) == sorted(spec.option_values()), ref
            assert all(b.border and b.w == b.h and b.w <= 6 for b in mine), ref
        elif spec.type == "checkbox":
            assert all(b.border and b.w == b.h for b in mine), ref
        elif spec.type == "signature":
            assert all(b.border and b.w >= 60 and b.h >= 12 for b in mine), ref


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_layout_gives_long_values_room(template_id: str) -> None:
    t = CATALOG.get(template_id)
    for page in t.layout.pages:
        for b in page.boxes:
            spec, _, _ = t.resolve_ref(b.field)
            if spec.type == "address" and b.part == "rest":  # 町名・番地・建物: the long part
                assert b.w >= 100, b.field
            if spec.type == "person_name" and not spec.kana:
                assert b.w >= 45, b.field
            if spec.type == "date":
                assert b.w >= 34, b.field  # 昭和64年（1989年）1月7日 at a readable size


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_layout_is_a_drawn_form_within_the_printable_area(template_id: str) -> None:
    t = CATALOG.get(template_id)
    width, height = A4
    for page in t.layout.pages:
        assert len(page.lines) >= 20, "a ruled grid, not floating boxes"
        assert any(x.size >= 14 and x.bold for x in page.texts), "a title"
        for b in page.boxes:  # the renderer keeps y < 10 mm and y > 289 mm for its bands
            assert b.y >= 10 and b.y + b.h <= 289 and b.x >= 0 and b.x + b.w <= width
        for ln in page.lines:
            assert min(ln.y1, ln.y2) >= 0 and max(ln.y1, ln.y2) <= height


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_loader_catches_a_box_shifted_onto_another(template_id: str) -> None:
    t = CATALOG.get(template_id)

    def shift(data: dict) -> None:
        boxes = data["layout"]["pages"][0]["boxes"]
        boxes[1]["x"], boxes[1]["y"] = boxes[0]["x"] + 0.5, boxes[0]["y"] + 0.5

    with pytest.raises(TemplateError) as caught:
        parse_template(_reyaml(t, shift), "shifted")
    assert any("overlaps another box" in p for p in caught.value.problems)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_loader_catches_a_box_pushed_off_the_page(template_id: str) -> None:
    t = CATALOG.get(template_id)

    def push(data: dict) -> None:
        data["layout"]["pages"][-1]["boxes"][-1]["x"] = 200

    with pytest.raises(TemplateError) as caught:
        parse_template(_reyaml(t, push), "pushed")
    assert any("off the page" in p for p in caught.value.problems)


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_export_names_every_field_in_japanese(template_id: str) -> None:
    t = CATALOG.get(template_id)
    exported = {c.field for c in t.export}
    missing = [ref for ref in _all_refs(t) if ref not in exported]
    assert not missing, f"not exported: {missing}"
    columns = [c.column for c in t.export]
    assert len(columns) == len(set(columns)), "duplicate CSV column names"
    assert all(JAPANESE.search(c) for c in columns)


# --- individual number and fees -------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_individual_number_only_where_the_law_allows(template_id: str) -> None:
    t = CATALOG.get(template_id)
    specs = [*t.fields, *(f for g in t.groups for f in g.fields)]
    reads_number = [
        s.id
        for s in specs
        if s.type == "individual_number" or t.prefill_of(s) == "card.individual_number"
    ]
    if t.uses_individual_number:
        assert t.individual_number_article and "番号法" in t.individual_number_article
        assert reads_number
    else:
        assert not reads_number


def test_which_forms_declare_the_individual_number() -> None:
    assert CATALOG.get("kokuho").uses_individual_number
    kokuho = CATALOG.get("kokuho")
    assert kokuho.field("individual_number").prefill == "card.individual_number"
    # asking for the number to be printed on the copy is not reading it from the card
    juminhyo = CATALOG.get("juminhyo")
    assert not juminhyo.uses_individual_number
    assert juminhyo.field("include_individual_number").type == "checkbox"


def test_fees() -> None:
    record = load_sample(SAMPLES[0])
    juminhyo = CATALOG.get("juminhyo")
    assert (juminhyo.fee_yen, juminhyo.fee_per_field) == (300, "copies")
    assert juminhyo.fee_for({"copies": 3}) == 900
    assert fill(CATALOG.get("inkan"), record).fee() == 50
    for free in ("idou", "kokuho", "jidou_teate"):
        assert fill(CATALOG.get(free), record).fee() == 0


# --- samples ------------------------------------------------------------------------------


def test_sample_names_match_the_files_and_unknown_names_are_refused() -> None:
    folder = resources.files("forms").joinpath("samples")
    files = sorted(e.name for e in folder.iterdir() if e.name.endswith(".json"))
    assert [f"{n}.json" for n in SAMPLES] == files
    assert {"yoshino_household", "smith_john", "mihon_showa_last_day"} <= set(SAMPLES)
    for bad in ("nobody", "../templates/idou", "yoshino_household.json", ""):
        with pytest.raises(UnknownSample) as caught:
            load_sample(bad)
        assert caught.value.ja and caught.value.en


@pytest.mark.parametrize(("sample", "template_id"), COVERED)
def test_each_sample_fills_each_of_its_forms_without_errors(sample: str, template_id: str) -> None:
    t = CATALOG.get(template_id)
    form = fill(t, load_sample(sample))
    assert form.errors == []
    required = [s.ref for s in slots(t, load_sample(sample)) if s.spec.required]
    assert all(ref in form.values for ref in required)


def test_every_form_is_filled_by_some_sample_and_every_event_has_one() -> None:
    assert {t for _, t in COVERED} == set(TEMPLATE_IDS)
    assert {sample_info(s).event for s in SAMPLES} >= EVENTS - {"household_change"}
    for sample in SAMPLES:
        assert sample_info(sample).event in EVENTS


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_round_trips_as_record_json(sample: str) -> None:
    record = load_sample(sample)
    assert SessionRecord.from_json(record.model_dump_json()) == record
    assert "𠮷" not in repr(record) and "SMITH" not in repr(record)


def test_the_yoshino_household() -> None:
    record = load_sample("yoshino_household")
    idou = fill(CATALOG.get("idou"), record)
    assert idou.group_counts["movers"] == 4
    assert idou.values["movers[0].name"] == PersonName(family="𠮷野", given="髙子")
    assert idou.values["movers[1].name"].family == "山﨑"  # a different family name
    assert len(idou.text("new_address", "rest")) > 30  # a long address
    teate = fill(CATALOG.get("jidou_teate"), record)
    assert teate.group_counts == {"spouse": 1, "children": 2}  # relations pick them
    # 住民票 has not numbered children (長男・長女) since 1995: both are 子
    assert [teate.values[f"children[{i}].relation"] for i in range(2)] == ["子", "子"]
    # the children are persons 2 and 3; their per-child answers follow the group instance
    assert teate.values["children[1].lives_with_claimant"] is True
    assert idou.values["movers[3].resident_code"] == "10000000004"
    kokuho = fill(CATALOG.get("kokuho"), record)
    assert kokuho.values["individual_number"] == record.card.individual_number
    assert kokuho.values["insured1_individual_number"] == record.card.individual_number


def test_the_foreign_resident() -> None:
    form = fill(CATALOG.get("idou"), load_sample("smith_john"))
    assert form.text("movers[0].name") == "SMITH\u3000John"
    assert form.text("movers[0].kana") == "スミス\u3000ジョン"
    assert form.values["movers[0].nationality"]
    assert re.fullmatch(r"[A-Z]{2}\d{8}[A-Z]{2}", form.values["movers[0].residence_card"])
    assert form.values["movers[0].residence_status"]


def test_the_last_day_of_showa() -> None:
    record = load_sample("mihon_showa_last_day")
    assert record.persons[0].birth_date == dt.date(1989, 1, 7)
    for template_id in ("idou", "kokuho", "juminhyo", "inkan", "jidou_teate"):
        form = fill(CATALOG.get(template_id), record)
        printed = [form.text(s.ref) for s in slots(form.template, record)]
        assert "昭和64年（1989年）1月7日" in printed, template_id


def test_postal_codes_of_the_samples_exist() -> None:
    from forms.address import lookup_postal_code

    for sample in SAMPLES:
        for key, address in load_sample(sample).addresses.items():
            if not address.prefecture:  # an address abroad: no Japanese postal code
                assert not address.postal_code and address.rest, f"{sample}: {key}"
                continue
            town = lookup_postal_code(address.postal_code)
            assert town is not None, f"{sample}: {key}"
            assert (town.prefecture, town.city) == (address.prefecture, address.city)
            assert address.rest.startswith(town.rest[:2])


# --- bad input on shipped fields --------------------------------------------------------------

BAD_INPUTS = [
    ("jidou_teate", "jidou_teate.account_number", "123456", "account_number", "format"),
    ("jidou_teate", "jidou_teate.account_number", "12345678", "account_number", "format"),
    ("jidou_teate", "jidou_teate.account_type", "savings", "account_type", "choose"),
    ("idou", "idou.residence_card.0", "ab12345678cd", "movers[0].residence_card", "format"),
    ("idou", "idou.resident_code.2", "1234567890", "movers[2].resident_code", "format"),
    ("idou", "idou.kind", "moving_sideways", "kind", "choose"),
    ("idou", "applicant_phone", "12", "notifier_phone", "phone"),
    ("juminhyo", "juminhyo.copies", 0, "copies", "at least 1"),
    ("juminhyo", "juminhyo.copies", 21, "copies", "at most 20"),
    ("juminhyo", "juminhyo.purpose", "目" * 41, "purpose", "at most 40"),
    ("inkan", "inkan.id_method", "trust_me", "id_method", "choose"),
    ("inkan", "inkan.guarantor_registration_no", "No.12", "guarantor_registration_no", "format"),
    (
        "kokuho",
        "kokuho.insured2_individual_number",
        "123456789012",
        "insured2_individual_number",
        "individual number",
    ),
]


@pytest.mark.parametrize(("template_id", "key", "bad", "ref", "says"), BAD_INPUTS)
def test_bad_answers_are_refused_by_field(
    template_id: str, key: str, bad: object, ref: str, says: str
) -> None:
    record = load_sample("yoshino_household")
    record.answers[key] = bad
    form = fill(CATALOG.get(template_id), record)
    assert [e.path for e in form.errors] == [ref]
    assert says in form.errors[0].en
    assert str(bad) not in str(form.errors[0])  # the message never echoes the value


def test_missing_required_items_are_all_reported() -> None:
    record = load_sample("yoshino_household")
    for key in ("applicant_phone", "jidou_teate.bank_name", "jidou_teate.pension"):
        del record.answers[key]
    form = fill(CATALOG.get("jidou_teate"), record)
    assert sorted(e.path for e in form.errors) == ["bank_name", "pension", "phone"]
    assert all(e.en == "this item is required" for e in form.errors)


# --- the life-event bundles ------------------------------------------------------------------

BUNDLE_IDS = [b.id for b in CATALOG.bundles()]


def _bundle_templates(
    bundle_id: str = "moving_in", include_optional: bool = True
) -> list[Template]:
    bundle = CATALOG.bundle(bundle_id)
    return [CATALOG.get(t) for t in bundle.template_ids(include_optional)]


def _sample_filling(templates: list[Template]) -> str:
    """The first sample that fills every one of `templates`."""
    return next(s for s in SAMPLES if all(t.id in sample_info(s).forms for t in templates))


def _person_of(slot: Slot, record: SessionRecord) -> int | None:
    """Which person a group slot stands for: group labels repeat once per person."""
    if slot.group is None or slot.index is None:
        return None
    indexes = group_person_indexes(slot.group, record)
    return indexes[slot.index] if slot.index < len(indexes) else len(record.persons) + slot.index


def label_clashes(templates: list[Template], record: SessionRecord) -> dict[str, set[str]]:
    """Labels that more than one record path carries: the resident would be asked twice."""
    paths_by_label: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for t in templates:
        for slot in slots(t, record):
            paths_by_label[(slot.spec.label.ja, _person_of(slot, record))].add(slot.path.text)
    return {
        f"{label}@{person}": paths
        for (label, person), paths in paths_by_label.items()
        if len(paths) > 1
    }


def test_bundle_is_the_moving_in_set() -> None:
    bundle = CATALOG.bundle("moving_in")
    # without the navigator the event brings the first three (as before); the navigator's
    # rules decide kokuho and jidou_teate and choose among the optional forms
    assert bundle.templates == ["idou", "kokuho", "jidou_teate"]
    assert bundle.optional[0] == "inkan"
    assert set(bundle.optional) == {
        "inkan",
        "kodomo_iryo",
        "tennyugaku",
        "kaigo",
        "kouki",
        "nenkin",
        "inu",
    }
    assert bundle.ruled_forms() == set(bundle.template_ids(True)) - {"idou", "inkan"}
    assert bundle.title.ja == "引越し・転入" and bundle.title.en


@pytest.mark.parametrize("bundle_id", BUNDLE_IDS)
def test_some_sample_fills_every_form_of_the_bundle(bundle_id: str) -> None:
    templates = _bundle_templates(bundle_id)
    record = load_sample(_sample_filling(templates))
    for t in templates:
        assert fill(t, record).errors == [], t.id


@pytest.mark.parametrize("bundle_id", BUNDLE_IDS)
def test_bundle_asks_nothing_twice(bundle_id: str) -> None:
    templates = _bundle_templates(bundle_id)
    record = load_sample(_sample_filling(templates))
    asked = questions(templates, record)
    paths = [q.path for q in asked]
    assert len(paths) == len(set(paths))
    assert label_clashes(templates, record) == {}
    phone_paths = {
        s.path.text
        for t in templates
        for s in slots(t, record)
        if s.spec.type == "phone" and not s.spec.id.startswith("agent")
    }
    assert phone_paths == {"answers.applicant_phone"}
    shared = {q.path: {tid for tid, _ in q.uses} for q in asked}
    every = {t.id for t in templates}
    for path in ("session.today", "answers.applicant_phone"):
        assert shared[path] == every, path


@pytest.mark.parametrize("sample", [s for s in SAMPLES if sample_info(s).event == "moving_in"])
def test_the_first_moving_in_forms_share_their_items(sample: str) -> None:
    record = load_sample(sample)
    templates = [CATALOG.get(t) for t in ("idou", "kokuho", "jidou_teate", "inkan")]
    shared = {q.path: {tid for tid, _ in q.uses} for q in questions(templates, record)}
    every = {t.id for t in templates}
    for path in ("session.today", "address.new", "answers.applicant_phone", "person[0].name"):
        assert shared[path] == every, path
    assert shared["date.move"] == {"idou", "kokuho"}
    assert shared["answers.new_head_name"] == {"idou", "kokuho"}


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_each_form_alone_has_one_label_per_item(template_id: str) -> None:
    record = load_sample("yoshino_household")
    assert label_clashes([CATALOG.get(template_id)], record) == {}


def test_the_clash_check_catches_a_form_that_asks_again() -> None:
    """A form that keeps its own default path for the phone would ask it a second time."""
    kokuho = CATALOG.get("kokuho")

    def own_phone(data: dict) -> None:
        next(f for f in data["fields"] if f["id"] == "phone").pop("prefill")

    broken = parse_template(_reyaml(kokuho, own_phone), "kokuho (own phone path)")
    record = load_sample("yoshino_household")
    templates = [broken if t.id == "kokuho" else t for t in _bundle_templates()]
    clashes = label_clashes(templates, record)
    assert list(clashes) == ["届出人・請求者の電話番号（日中の連絡先）@None"]
    assert clashes["届出人・請求者の電話番号（日中の連絡先）@None"] == {
        "answers.applicant_phone",
        "answers.kokuho.phone",
    }
