"""The editor's working copies and problem placement, without a window (no back office)."""

from __future__ import annotations

import pytest

from forms.catalog import Catalog
from forms.template import parse_template
from staff.editor.bundle_draft import OPTIONAL, REQUIRED, UNUSED, BundleDraft
from staff.editor.draft import DraftUnreadable, FieldRef, TemplateDraft
from staff.editor.field_model import options_text, parse_number, parse_options
from staff.editor.problems import TEMPLATE, Location, locate

CATALOG = Catalog.builtin()
TEMPLATES = CATALOG.latest()
KNOWN = [t.id for t in TEMPLATES]


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_every_shipped_template_is_a_valid_draft_that_round_trips(template) -> None:
    draft = TemplateDraft.from_template(template)
    assert draft.ok and draft.template == template
    assert parse_template(draft.to_yaml()) == template
    assert TemplateDraft.from_yaml(draft.to_yaml()).template == template
    assert len(draft.field_rows()) == len(template.fields) + sum(
        len(g.fields) for g in template.groups
    )


def test_a_bad_value_is_kept_and_placed_on_its_row() -> None:
    draft = TemplateDraft.from_template(CATALOG.get("idou"))
    ref = FieldRef(None, 1)
    draft.set_field_value(ref, "max_length", "12a")
    assert draft.field_value(ref, "max_length") == "12a"
    assert [p.location for p in draft.problems] == [Location("field", 1)]
    assert draft.template is None
    draft.set_field_value(ref, "max_length", None)
    assert draft.ok and "max_length" not in draft.field(ref)


def test_group_field_and_box_problems_are_placed() -> None:
    template = CATALOG.get("idou")
    assert template.groups, "idou has the movers group"
    draft = TemplateDraft.from_template(template)
    group_ref = next(r for r in draft.field_rows() if r.group is not None)
    draft.set_field_value(group_ref, "prefill", "person[*].nope")
    draft.set_box_value(0, 3, "x", 209.0)
    locations = {p.location for p in draft.problems}
    assert Location("field", group_ref.index, group_ref.group) in locations
    assert Location("box", 3, page=0) in locations
    assert len(draft.problems_at(Location("box", 3, page=0))) == 1


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("fields.2.max_length: bad", Location("field", 2)),
        ("groups.0.fields.1.type: bad", Location("field", 1, 0)),
        ("groups.0.max: bad", Location("group", 0)),
        ("layout.pages.0.boxes.4.w: bad", Location("box", 4, page=0)),
        ("layout.pages.1: bad", Location("page", page=1)),
        ("fields.b: 項目IDが重複", Location("field", 1)),
        ("fields.g[].k.prefill: bad", Location("field", 1, 0)),
        ("groups.g.fields.k: duplicate", Location("field", 1, 0)),
        ("groups.g: 最大数 max がありません", Location("group", 0)),
        ("layout.pages[2].boxes[5] (a): off the page", Location("box", 5, page=1)),
        ("layout.pages[1].texts[0]: off the page", Location("page", page=0)),
        ("fields.nothing: bad", TEMPLATE),
        ("legal_basis: Field required", TEMPLATE),
        ("export[0]: no such field", TEMPLATE),
        ("YAML の構文誤り / malformed YAML", TEMPLATE),
    ],
)
def test_locate(problem: str, expected: Location) -> None:
    data = {
        "fields": [{"id": "a"}, {"id": "b"}],
        "groups": [{"id": "g", "fields": [{"id": "j"}, {"id": "k"}]}],
    }
    assert locate(problem, data) == expected


def test_add_and_remove_fields_and_boxes() -> None:
    draft = TemplateDraft.from_template(CATALOG.get("juminhyo"))
    rows, boxes = len(draft.field_rows()), len(draft.boxes(0))
    ref = draft.add_field()
    again = draft.add_field()
    assert draft.field(ref)["id"] != draft.field(again)["id"]
    assert len(draft.field_rows()) == rows + 2
    index = draft.add_box(0)
    assert any(p.location == Location("box", index, page=0) for p in draft.problems)
    draft.remove_box(0, index)
    draft.remove_field(again)
    draft.remove_field(ref)
    assert draft.ok and len(draft.field_rows()) == rows and len(draft.boxes(0)) == boxes


def test_settings_edits_and_bilingual_texts() -> None:
    draft = TemplateDraft.from_template(CATALOG.get("juminhyo"))
    draft.set_setting("title.en", "Certificate")
    assert draft.template is not None and draft.template.title.en == "Certificate"
    draft.set_setting("version", 0)
    assert [p.location for p in draft.problems] == [TEMPLATE]
    draft.set_setting("id", "Bad Id")
    assert len(draft.problems) == 2


@pytest.mark.parametrize(
    "text", ["id: [unclosed", "- a\n- b\n", "just text", ""], ids=["yaml", "list", "str", "empty"]
)
def test_unreadable_yaml_is_refused(text: str) -> None:
    with pytest.raises(DraftUnreadable) as info:
        TemplateDraft.from_yaml(text)
    assert info.value.problems


def test_numbers_and_options_parse_or_stay_as_typed() -> None:
    assert parse_number("12", integer=True) == 12
    assert parse_number("12.0", integer=True) == 12
    assert parse_number("12.5", integer=True) == "12.5"
    assert parse_number("x", integer=False) == "x"
    assert parse_number(" ", integer=False) is None
    options = parse_options("a=あ/A; b=い ;; c")
    assert options == [
        {"value": "a", "ja": "あ", "en": "A"},
        {"value": "b", "ja": "い"},
        {"value": "c", "ja": "c"},
    ]
    assert parse_options(options_text(options)) == options


def test_bundle_drafts() -> None:
    bundle = CATALOG.bundles()[0]
    draft = BundleDraft.from_bundle(bundle, KNOWN)
    assert draft.ok and draft.bundle == bundle
    first = bundle.templates[0]
    draft.set_role(first, OPTIONAL)
    assert draft.role_of(first) == OPTIONAL and draft.ok
    draft.set_role(first, UNUSED)
    assert draft.role_of(first) == UNUSED
    draft.set_role(first, REQUIRED)
    assert draft.role_of(first) == REQUIRED
    draft.data["optional"] = [*draft.data.get("optional", []), first]  # both, by hand
    assert len(draft.validate()) == 1
    unknown = BundleDraft.from_yaml("id: x\ntitle: {ja: x}\ntemplates: [nope]\n", KNOWN)
    assert unknown.problems == ["templates: 様式 nope がありません / unknown template nope"]
    assert "nope" in unknown.listed_templates()
    empty = BundleDraft.new(KNOWN)
    assert not empty.ok  # a bundle needs at least one template
    empty.set_role(KNOWN[0], REQUIRED)
    assert empty.ok


def test_a_broken_template_says_what_is_wrong_by_the_fields_label_in_both_languages() -> None:
    from forms.catalog import Catalog
    from staff.editor.draft import TemplateDraft

    template = next(t for t in Catalog.builtin().latest() if t.id == "juminhyo")
    draft = TemplateDraft.from_template(template)
    draft.data["fields"][1]["max_length"] = "twelve"
    draft.data["fields"][1].pop("label")
    draft.data["fields"][2]["extra_setting"] = 1
    texts = [p.text for p in draft.validate()]
    raw = [p.raw for p in draft.problems]
    assert any(r.startswith("fields.1.max_length: Input should be a valid integer") for r in raw)
    ident, third = draft.data["fields"][1]["id"], draft.data["fields"][2]
    assert f"項目 2（{ident}）の最大文字数: 整数を入れてください" in " ".join(texts)
    assert f"field 2 ({ident}) maximum length: enter a whole number" in " ".join(texts)
    assert f"項目 2（{ident}）の項目名: 入力が必要です" in " ".join(texts)
    label = third["label"]["ja"]
    assert any(
        f"「{label}」" in t and "この設定はありません" in t and "is not a setting" in t
        for t in texts
    )
    assert not [t for t in texts if "Input should" in t or "fields." in t]
