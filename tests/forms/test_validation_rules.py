"""Validation refuses what cannot be printed or is outside a closed set, naming the field.

Dates before the era table, characters no shipped font has, values outside 続柄 / 国籍・地域 /
在留資格 / sex, template patterns that backtrack catastrophically, a card's sex 9 or 0 on a form
that prints only 男/女 (asked, never guessed), and 印鑑登録 under 15. Each is refused in `fill`
(so in every path: `qr encode`, the kiosk, print, submit, a QR payload, the back office).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pycountry
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from forms.catalog import Catalog
from forms.closed_sets import CLOSED_SET_NAMES, UnknownClosedSet, closed_set
from forms.errors import FieldError, FieldValueError, TemplateError, ValidationFailed
from forms.fields import coerce
from forms.fill import fill, set_field
from forms.fill import sex_questions as questions
from forms.patterns import PATTERN_TIMEOUT_S, PatternTimeout, full_match, pattern_problem
from forms.payload import decode_payload, encode_payload
from forms.payload.errors import PayloadInvalidData
from forms.printable import first_unprintable, has_glyph
from forms.record import CardData, Person, PersonName, SessionRecord, Sex
from forms.sample_records import load_sample
from forms.sex_question import QUESTION_CODE
from forms.template import FieldSpec, dump_template, parse_template
from forms.text import Text

CATALOG = Catalog.builtin()


def _idou_record(**person0: Any) -> SessionRecord:
    record = load_sample("yoshino_household")
    for key, value in person0.items():
        setattr(record.persons[0], key, value)
    return record


def _errors(template_id: str, record: SessionRecord) -> dict[str, FieldError]:
    return {e.path: e for e in fill(CATALOG.get(template_id), record).errors}


# --- dates before the era table ----------------------------------------------------------


@pytest.mark.parametrize("day", [dt.date(1872, 12, 31), dt.date(1868, 1, 25), dt.date(1, 1, 1)])
def test_a_birth_date_before_meiji_6_is_refused_naming_the_field(day: dt.date) -> None:
    errors = _errors("idou", _idou_record(birth_date=day))
    error = errors["movers[0].birth_date"]
    assert "明治6年" in error.ja and "1873" in error.en
    assert error.label_ja == "異動する人の生年月日"
    assert "movers[0].birth_date（異動する人の生年月日）" in str(error)


def test_the_first_day_of_the_era_table_passes() -> None:
    form = fill(CATALOG.get("idou"), _idou_record(birth_date=dt.date(1873, 1, 1)))
    assert "movers[0].birth_date" not in {e.path for e in form.errors}
    assert form.text("movers[0].birth_date") == "明治6年（1873年）1月1日"  # prints, no crash


# --- characters no font has --------------------------------------------------------------


@pytest.mark.parametrize("family", ["𠮷野", "髙橋", "山﨑", "渡邉", "齋藤", "ヴァン"])
def test_rare_kanji_of_the_family_register_pass(family: str) -> None:
    record = _idou_record(name=PersonName(family=family, given="太郎"))
    assert "movers[0].name" not in _errors("idou", record)


@pytest.mark.parametrize(
    ("given", "position"),
    [("太\U000f0000", 2), ("あ\U0001fae0", 2), ("A\x07B", 2), ("花\U0010fffd子", 2)],
)
def test_a_character_no_shipped_font_has_is_refused_by_position(given: str, position: int) -> None:
    record = _idou_record(name=PersonName(family="山田", given=given))
    error = _errors("idou", record)["movers[0].name"]
    assert f"{position}文字目" in error.ja and f"character {position}" in error.en
    assert given not in str(error) and "山田" not in str(error)  # never the value


def test_an_unprintable_character_in_an_address_is_refused() -> None:
    record = _idou_record()
    record.addresses["new"] = record.addresses["new"].model_copy(update={"rest": "一丁目😀"})
    assert "new_address" in _errors("idou", record)


def test_line_breaks_tabs_and_variation_selectors_print() -> None:
    assert first_unprintable("一行目\n二行目\tと\r") is None
    assert first_unprintable("辻\U000e0100") is None  # an IVS: printed as its base character
    assert first_unprintable("abc\x00") == 4
    assert all(has_glyph(ch) for ch in "𠮷髙﨑 ~ｱ")


# --- closed sets -------------------------------------------------------------------------


def test_the_closed_sets_are_the_lists_of_people_md() -> None:
    relation = closed_set("relation").values()
    assert relation[:3] == ["世帯主", "妻", "夫"] and len(relation) == 29
    assert "長男" not in relation and "子" in relation and "同居人" in relation
    statuses = closed_set("residence_status").values()
    assert len(statuses) == 39 and "特別永住者" in statuses and "技能実習2号ロ" in statuses
    registered = closed_set("residence_status_registered").values()
    assert set(statuses) - set(registered) == {"外交", "公用", "短期滞在"}
    assert closed_set("sex").values() == ["male", "female"]
    with pytest.raises(UnknownClosedSet):
        closed_set("blood_type")


def test_nationality_is_iso_3166_1_with_the_residence_card_names() -> None:
    nationality = closed_set("nationality")
    iso = {c.alpha_2 for c in pycountry.countries}
    assert set(nationality.values()) == (iso - {"JP"}) | {"XXA"}
    names = {c.value: c.ja for c in nationality.choices}
    assert names["CN"] == "中国" and names["KR"] == "韓国" and names["US"] == "米国"
    assert names["KP"] == "朝鮮" and names["TW"] == "台湾" and names["XXA"] == "無国籍"
    assert len(set(names.values())) == len(names)  # no two print alike
    for text, code in [("アメリカ合衆国", "US"), ("usa", "US"), ("Viet Nam", "VN"),
                       ("ベトナム", "VN"), ("ﾍﾞﾄﾅﾑ", "VN"), ("Korea, Republic of", "KR")]:  # fmt: skip
        assert nationality.canonical(text) == code, text
    assert nationality.canonical("アトランティス") is None


@pytest.mark.parametrize("name", CLOSED_SET_NAMES)
def test_every_choice_finds_itself_and_has_both_languages(name: str) -> None:
    closed = closed_set(name)
    for choice in closed.choices:
        assert choice.ja and choice.en, choice.value
        assert first_unprintable(choice.ja) is None, choice.value  # what the form prints
        assert closed.canonical(choice.value) == choice.value
        assert closed.canonical(choice.ja) == choice.value


@pytest.mark.parametrize(
    ("attr", "bad", "ref"),
    [
        ("relation", "長男", "movers[0].relation"),
        ("relation", "ルームメイト", "movers[0].relation"),
        ("nationality", "アトランティス", "movers[0].nationality"),
        ("nationality", "JP", "movers[0].nationality"),
    ],
)
def test_a_value_outside_a_closed_set_is_refused(attr: str, bad: str, ref: str) -> None:
    error = _errors("idou", _idou_record(**{attr: bad}))[ref]
    assert "選択肢" in error.ja and bad not in str(error)


def test_other_spellings_are_stored_and_printed_as_the_choice() -> None:
    record = _idou_record(nationality="アメリカ合衆国", relation="妻(未届)")
    record.answers["idou.residence_status.0"] = "技能実習（1号イ）"
    form = fill(CATALOG.get("idou"), record)
    assert form.ok, form.errors
    assert form.values["movers[0].nationality"] == "US"
    assert form.text("movers[0].nationality") == "米国"
    assert form.values["movers[0].relation"] == "妻（未届）"
    assert form.values["movers[0].residence_status"] == "技能実習1号イ"


def test_a_status_no_resident_can_have_is_refused_on_the_residence_form() -> None:
    record = _idou_record()
    record.answers["idou.residence_status.0"] = "短期滞在"
    assert "movers[0].residence_status" in _errors("idou", record)


def test_templates_take_choices_from_a_closed_set_and_never_write_them_out() -> None:
    idou = CATALOG.get("idou")
    relation = idou.group("movers").fields[4]
    assert relation.options_from == "relation"
    assert [o.value for o in relation.options] == closed_set("relation").values()
    assert "おじ" not in dump_template(idou)  # the list lives in forms/data only
    data = yaml.safe_load(dump_template(idou))
    assert data["groups"][0]["fields"][4] == {
        "id": "relation",
        "type": "select",
        "label": {"ja": "異動する人の世帯主との続柄", "en": "Relationship to the householder"},
        "required": True,
        "prefill": "person[*].relation",
        "options_from": "relation",
    }


def test_a_template_naming_an_unknown_closed_set_or_both_kinds_of_options_is_refused() -> None:
    text = dump_template(CATALOG.get("idou"))
    unknown = text.replace("options_from: relation", "options_from: relations", 1)
    with pytest.raises(TemplateError) as err:
        parse_template(unknown)
    assert "no closed set" in "\n".join(err.value.problems)
    data = yaml.safe_load(text)
    data["groups"][0]["fields"][4]["options"] = [{"value": "x", "ja": "x"}]
    with pytest.raises(TemplateError) as err:
        parse_template(yaml.safe_dump(data, allow_unicode=True))
    assert "options_from" in "\n".join(err.value.problems)
    data = yaml.safe_load(text)
    data["groups"][0]["relations"] = ["長男"]
    with pytest.raises(TemplateError) as err:
        parse_template(yaml.safe_dump(data, allow_unicode=True))
    assert "groups.movers.relations" in "\n".join(err.value.problems)


def test_a_qr_payload_carrying_a_value_outside_a_closed_set_is_refused() -> None:
    """A pre-entry site that skipped validation (or a forged one) cannot get past decoding."""
    signing = Ed25519PrivateKey.generate()
    counter = X25519PrivateKey.generate()
    record = _idou_record(relation="長男", birth_date=dt.date(1850, 1, 1))
    now = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)
    digits = encode_payload(
        record, [("idou", 1)], signing_key=signing, counter_public_key=counter.public_key(),
        issued_at=now,
    )  # fmt: skip
    with pytest.raises(PayloadInvalidData) as err:
        decode_payload(
            digits, counter_private_key=counter, signer_public_keys=[signing.public_key()],
            catalog=CATALOG, now=now,
        )  # fmt: skip
    assert {e.path for e in err.value.errors} >= {"movers[0].relation", "movers[0].birth_date"}


# --- patterns ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(a*)*b", r"(\d{1,3})+", r"(.*a){20}", r"(a|aa)+$", r"(x|x)*y"]
)
def test_a_catastrophically_backtracking_pattern_is_refused_when_the_template_loads(
    pattern: str,
) -> None:
    assert pattern_problem(pattern) is not None
    text = dump_template(CATALOG.get("jidou_teate")).replace(
        r"pattern: \d{7}", f"pattern: '{pattern}'"
    )
    with pytest.raises(TemplateError) as err:
        parse_template(text)
    assert any("account_number" in p and "backtrack" in p for p in err.value.problems)


@pytest.mark.parametrize(
    "pattern", [r"\d{11}", r"[A-Z]{2}\d{8}[A-Z]{2}", r"\d{1,10}", r"(\d{3})+", r"(ab|cd)+"]
)
def test_the_shipped_kind_of_pattern_is_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None


def test_an_invalid_pattern_is_refused() -> None:
    assert pattern_problem("(unclosed") == ("pattern が正規表現ではありません", "invalid pattern")


def test_a_slow_pattern_that_slipped_through_is_cut_off_in_time() -> None:
    """A spec built without the template check (the check is the first guard, not the only)."""
    spec = FieldSpec(id="code", type="text", label=Text(ja="コード"), pattern=r"(a|aa)+$")
    started = time.monotonic()
    with pytest.raises(FieldValueError) as err:
        coerce(spec, "a" * 60 + "!")
    assert time.monotonic() - started < PATTERN_TIMEOUT_S * 20
    assert "pattern" in err.value.en
    with pytest.raises(PatternTimeout):
        full_match(r"(a|aa)+$", "a" * 60 + "!")
    assert full_match(r"(a|aa)+$", "aaaa")  # the pattern itself still works


# --- sex 9 / 0 ---------------------------------------------------------------------------


def _card_record(code: str) -> SessionRecord:
    record = load_sample("yoshino_household")
    card = CardData(
        kind="my_number", name="𠮷野　髙子", address="東京都新宿区西新宿二丁目８番１号",
        birth_date=dt.date(1980, 4, 1), sex=Sex.from_code(code),
    )  # fmt: skip
    record.apply_card(card)
    return record


@pytest.mark.parametrize("code", ["9", "0"])
def test_a_card_saying_9_or_0_makes_the_form_ask_never_guess(code: str) -> None:
    record = _card_record(code)
    for template_id, ref in (("idou", "movers[0].sex"), ("kokuho", "insured[0].sex")):
        error = _errors(template_id, record)[ref]
        assert error.code == QUESTION_CODE
        assert "男" in error.ja and "女" in error.ja and "ask the person" in error.en
    asked = questions([CATALOG.get("idou"), CATALOG.get("kokuho")], record)
    assert [(q.person_index, q.path, q.choices) for q in asked] == [
        (0, "person[0].sex_for_forms", ("male", "female"))
    ]
    assert questions([CATALOG.get("juminhyo")], record) == []  # prints no sex: not asked


@pytest.mark.parametrize("code", ["9", "0"])
def test_the_answer_is_printed_and_the_card_value_is_kept(code: str) -> None:
    record = _card_record(code)
    record.persons[0].sex_for_forms = Sex.FEMALE
    for template_id, ref in (("idou", "movers[0].sex"), ("kokuho", "insured[0].sex")):
        form = fill(CATALOG.get(template_id), record)
        assert ref not in {e.path for e in form.errors}
        assert form.values[ref] == "female" and form.text(ref) == "女"
    assert record.persons[0].sex == Sex.from_code(code)  # what the card said
    assert questions([CATALOG.get("idou")], record) == []


def test_editing_the_forms_sex_writes_the_answer_not_over_the_card() -> None:
    record = _card_record("9")
    set_field(CATALOG.get("idou"), record, "movers[0].sex", "male")
    assert record.persons[0].sex == Sex.NOT_APPLICABLE
    assert record.persons[0].sex_for_forms == Sex.MALE
    assert fill(CATALOG.get("idou"), record).values["movers[0].sex"] == "male"
    # a person whose card says 男 or 女 is never asked, and an edit is their sex as before
    plain = load_sample("yoshino_household")
    set_field(CATALOG.get("idou"), plain, "movers[1].sex", "female")
    assert plain.persons[1].sex == Sex.FEMALE and plain.persons[1].sex_for_forms is None


def test_the_answer_is_male_or_female_only() -> None:
    with pytest.raises(ValueError, match="sex_for_forms"):
        Person(sex=Sex.UNKNOWN, sex_for_forms=Sex.NOT_APPLICABLE)


def test_the_answer_travels_in_the_record_json() -> None:
    record = _card_record("0")
    record.persons[0].sex_for_forms = Sex.MALE
    again = SessionRecord.from_json(record.model_dump_json())
    assert again.persons[0].sex == Sex.UNKNOWN and again.persons[0].sex_for_forms == Sex.MALE


# --- 印鑑登録: 15 and over, on the office's date ------------------------------------------


@pytest.mark.parametrize(
    ("birth", "today", "refused"),
    [
        (dt.date(2012, 1, 1), dt.date(2026, 12, 31), True),  # 14 on New Year's Eve
        (dt.date(2012, 1, 1), dt.date(2027, 1, 1), False),  # 15 on the birthday
        (dt.date(2012, 2, 29), dt.date(2027, 2, 28), True),
        (dt.date(2012, 2, 29), dt.date(2027, 3, 1), False),  # a leap-day birth, next year
    ],
)
def test_seal_registration_needs_15_on_the_sessions_date(
    birth: dt.date, today: dt.date, refused: bool
) -> None:
    record = load_sample("yoshino_household").model_copy(update={"today": today})
    record.persons[0].birth_date = birth
    errors = _errors("inkan", record)
    assert ("registrant_birth_date" in errors) is refused
    if refused:
        error = errors["registrant_birth_date"]
        assert "15歳以上" in error.ja and "15 or over" in error.en
        assert error.label_ja == "印鑑を登録する方の生年月日"
        with pytest.raises(FieldValueError):
            set_field(CATALOG.get("inkan"), record, "registrant_birth_date", birth)


def test_min_age_is_only_for_date_fields() -> None:
    data = yaml.safe_load(dump_template(CATALOG.get("inkan")))
    data["fields"][2]["min_age"] = 15  # registrant_name
    with pytest.raises(TemplateError) as err:
        parse_template(yaml.safe_dump(data, allow_unicode=True))
    assert "min_age" in "\n".join(err.value.problems)


# --- errors name the fields --------------------------------------------------------------


def test_validation_failed_names_the_fields_with_their_labels() -> None:
    form = fill(CATALOG.get("idou"), SessionRecord(today=dt.date(2027, 1, 1)))
    assert len(form.errors) > 5
    exc = ValidationFailed(form.errors)
    first = form.errors[0]
    assert f"{first.path}（{first.label_ja}）" in exc.ja
    assert f"{first.path} ({first.label_en})" in exc.en
    assert re.search(rf"and {len(form.errors) - 5} more$", exc.en)
    assert exc.errors == form.errors
