"""The kiosk flow without a display: every transition, wipe, error and the measurement."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from kioskkit import SAMPLE_STRINGS, TINY_PNG, FakeClock

from devices.card.errors import (
    LastTryUnconfirmedError,
    NoCardError,
    NoReaderError,
    PinBlockedError,
    WrongPinError,
)
from forms.catalog import Catalog
from forms.fill import fill
from forms.payload.errors import PayloadExpired
from forms.record import CardData, SessionRecord
from forms.sample_records import load_sample as sample_record
from forms.sample_records import sample_names
from kiosk.demo import answer_from, demo_profile
from kiosk.flow import (
    MODE_KEY,
    KioskFlow,
    Method,
    NothingChosenError,
    ReviewIncompleteError,
    SignatureMissingError,
    Step,
    WipeReason,
    WrongStepError,
)
from kiosk.measurement import MetricsLog
from kiosk.ports import Confirmation, QrResult
from kiosk.staff_mode import StaffPinLockedError, StaffPinWrongError, hash_staff_pin
from printing.errors import PrinterStopped
from sync.protocol import Mode

BUNDLE = "bundle:moving_in"
SAMPLES = sample_names()


def card_of_profile(name: str | None = None) -> CardData:
    p = demo_profile()
    return CardData(
        kind="my_number",
        name=name or p.name,
        address=p.address,
        birth_date=p.birth_date,
        sex=p.sex,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def flow(catalog: Catalog, clock: FakeClock) -> KioskFlow:
    return KioskFlow(catalog, clock=clock, staff_pin_hash=hash_staff_pin("246813"))


def to_review_by_card(flow: KioskFlow, card: CardData | None = None, ids=(BUNDLE,)) -> None:
    flow.start()
    flow.choose(list(ids))
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_read(card or card_of_profile())


def to_done(flow: KioskFlow) -> None:
    answer_from(flow, sample_record("mihon_showa_last_day"))
    flow.review_done()
    flow.signed(TINY_PNG)
    flow.confirmed(Confirmation("R-1", b"%PDF"))
    flow.printed()


def test_flow_module_imports_no_qt():
    code = "import sys, kiosk.flow, kiosk.demo; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_procedures_offer_every_shipped_template_and_bundle_with_fees(flow, catalog):
    procedures = {p.key: p for p in flow.procedures()}
    for template in catalog.latest():
        assert procedures[template.id].fee_yen == (template.fee_yen or 0)
        assert procedures[template.id].template_ids == (template.id,)
    for bundle in catalog.bundles():
        p = procedures[f"bundle:{bundle.id}"]
        assert p.is_bundle and list(p.template_ids) == bundle.template_ids()
    assert next(iter(procedures)).startswith("bundle:")  # life events come first


def test_card_path_fills_every_form_of_the_moving_in_bundle(flow, catalog):
    to_review_by_card(flow)
    assert flow.step is Step.REVIEW
    assert set(flow.forms) == set(catalog.bundle("moving_in").templates)
    name = next(q for q in flow.questions() if q.path == "person[0].name")
    assert flow.display(name) == demo_profile().name
    # shared items are asked once however many forms print them
    paths = [q.path for q in flow.questions()]
    assert len(paths) == len(set(paths))
    assert any(len(q.uses) > 1 for q in flow.questions())
    assert flow.error_count() > 0  # the card cannot know the move date or the new address
    with pytest.raises(ReviewIncompleteError):
        flow.review_done()
    to_done(flow)
    assert flow.step is Step.DONE


@pytest.mark.parametrize("procedure", ["juminhyo", "idou", "inkan", "kokuho", "jidou_teate"])
def test_named_forms_are_shipped(catalog, procedure):
    assert catalog.get(procedure).id == procedure
    assert procedure in {t.id for t in catalog.latest()}


def _procedures(catalog: Catalog) -> list[str]:
    return [p.key for p in KioskFlow(catalog).procedures()]


def test_every_procedure_can_be_typed_to_a_valid_application(catalog, clock):
    """For each shipped template and bundle, typing a sample resident's data validates."""
    checked = 0
    for procedure in _procedures(catalog):
        flow = KioskFlow(catalog, clock=clock)
        flow.start()
        flow.choose([procedure])
        for name in SAMPLES:
            sample = sample_record(name)
            if any(fill(t, sample).errors for t in flow.templates):
                continue
            typed = KioskFlow(catalog, clock=clock)
            typed.start()
            typed.choose([procedure])
            typed.identify_with(Method.TYPING)
            if typed.step is Step.DOMICILE:  # 本籍 offered from the licence: typed instead
                assert any(t.uses_licence_domicile for t in typed.templates)
                typed.domicile_choose(read=False)
            assert typed.record is not None
            typed.record.today = sample.today  # ages (後期, 出生…) are counted on the visit's day
            assert typed.step is Step.REVIEW and typed.error_count() > 0
            for person in sample.persons:
                typed.add_person(person.relation)
            for n, person in enumerate(sample.persons):  # the family says who died (おくやみ)
                typed.record.persons[n].died_on = person.died_on
            assert answer_from(typed, sample) > 0
            assert typed.error_count() == 0, (procedure, name)
            typed.review_done()
            assert typed.step is Step.SIGN
            checked += 1
    assert checked >= len(_procedures(catalog))


def test_metrics_of_a_completed_session_hold_counts_only(flow, clock):
    to_review_by_card(flow)
    clock.advance(5)
    to_done(flow)
    (entry,) = flow.metrics_log.entries()
    assert entry.method == "card" and entry.mode == "resident"
    assert entry.prefilled_chars > 0 and entry.typed_chars > 0
    assert entry.step_seconds["review"] >= 5
    text = json.dumps(entry.__dict__, ensure_ascii=False)
    assert not [s for s in SAMPLE_STRINGS if s in text]
    totals = flow.metrics_log.totals()
    assert totals.sessions == 1 and 0 < totals.prefilled_share < 1


def test_measurement_snapshot_goes_with_the_record(flow, clock):
    to_review_by_card(flow)
    clock.advance(3)
    snapshot = flow.measurement_snapshot()
    assert snapshot["step_seconds"]["review"] == pytest.approx(3)
    assert not [s for s in SAMPLE_STRINGS if s in json.dumps(snapshot, ensure_ascii=False)]


def test_metrics_log_file_sums_sessions_and_skips_a_torn_line(tmp_path, catalog, clock):
    path = tmp_path / "m.jsonl"
    for _ in range(2):
        flow = KioskFlow(catalog, clock=clock, metrics_log=MetricsLog(path))
        to_review_by_card(flow)
        to_done(flow)
    with path.open("a") as out:
        out.write('{"mode": "resid')  # power cut mid-line
    totals = MetricsLog(path).totals()
    assert totals.sessions == 2 and totals.by_method == {"card": 2}


# ---- card errors -----------------------------------------------------------------------


def test_wrong_pin_stays_on_the_pad_with_the_new_count(flow):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_failed(WrongPinError(2))
    assert flow.step is Step.PIN and flow.tries_left == 2
    assert isinstance(flow.pin_error, WrongPinError)


def test_last_try_needs_explicit_confirmation(flow):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.CARD)
    flow.card_tries(1)
    assert flow.needs_last_try_confirmation
    flow.confirm_last_try()
    assert not flow.needs_last_try_confirmation
    flow.card_failed(LastTryUnconfirmedError())  # the reader refused: confirmation is spent
    assert flow.step is Step.PIN and flow.needs_last_try_confirmation


@pytest.mark.parametrize(
    "error", [PinBlockedError(), PinBlockedError(just_now=True), NoReaderError(), NoCardError()]
)
def test_card_errors_show_the_error_step_and_retry_leads_to_identify(flow, error):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.CARD)
    flow.card_failed(error)
    assert flow.step is Step.ERROR and flow.error.error is error
    flow.retry()
    assert flow.step is Step.IDENTIFY


# ---- review ----------------------------------------------------------------------------


def test_substitute_characters_are_flagged_until_confirmed_or_corrected(flow):
    to_review_by_card(flow, card_of_profile("見本\u3000〓子"), ids=["juminhyo"])
    assert flow.flags == {"person[0].name": ["〓"]}
    answer_from(flow, sample_record("mihon_showa_last_day"))
    flow.confirmed_flags.clear()
    with pytest.raises(ReviewIncompleteError) as info:
        flow.review_done()
    assert info.value.unconfirmed == 1 and info.value.errors == 0
    assert flow.edit("person[0].name", {"family": "見本", "given": "昭子"}) is None
    assert flow.flags == {}
    flow.review_done()
    assert flow.step is Step.SIGN


def test_confirming_a_flag_lets_review_finish(flow):
    to_review_by_card(flow, card_of_profile("𠮷田\u3000太郎"), ids=["juminhyo"])
    assert flow.flags["person[0].name"] == ["𠮷"]
    answer_from(flow, sample_record("mihon_showa_last_day"))
    assert flow.unconfirmed_flags() == []  # answer_from confirms, as the resident would
    flow.review_done()


BAD_INPUTS = {
    "date": ["2025-13-45", "昨日", "明治5年1月1日"],
    "postal_code": ["12", "abcdefg"],
    "phone": ["abc", "12"],
    "number": ["many", "1.5"],
    "kana": ["yamada", "山田"],
    "email": ["not-an-email"],
    "select": ["no-such-option"],
    "individual_number": ["123456789012"],
}


def test_every_bad_input_is_refused_inline_and_leaves_the_record_untouched(flow):
    to_review_by_card(flow)
    tried = 0
    for q in flow.questions():
        if flow.is_read_only(q):
            continue
        for bad in BAD_INPUTS.get(q.slot.spec.type, []):
            before = flow.record.model_dump_json()
            error = flow.edit(q.path, bad)
            assert error is not None, (q.path, bad)
            assert error.ja and error.en and bad not in error.ja + error.en
            assert flow.record.model_dump_json() == before
            assert flow.errors_for(q) == [error]
            tried += 1
    assert tried >= 10
    with pytest.raises(ReviewIncompleteError):
        flow.review_done()


def test_a_corrected_value_clears_the_inline_error(flow):
    to_review_by_card(flow, ids=["juminhyo"])
    copies = next(q for q in flow.questions() if q.slot.spec.type == "number")
    assert flow.edit(copies.path, "many") is not None
    assert flow.edit(copies.path, "2") is None
    assert flow.errors_for(copies) == []
    assert flow.value(copies) == 2


def test_read_only_items_cannot_be_edited(flow):
    to_review_by_card(flow)
    today = next(q for q in flow.questions() if flow.is_read_only(q))
    with pytest.raises(WrongStepError):
        flow.edit(today.path, "2020-01-01")


def test_events_out_of_step_are_refused(flow):
    with pytest.raises(WrongStepError):
        flow.card_read(card_of_profile())
    with pytest.raises(WrongStepError):
        flow.signed(TINY_PNG)
    flow.start()
    with pytest.raises(NothingChosenError):
        flow.choose([])
    with pytest.raises(NothingChosenError):
        flow.choose(["no-such-procedure"])
    assert flow.step is Step.PROCEDURES


def test_an_empty_signature_is_refused(flow):
    to_review_by_card(flow, ids=["juminhyo"])
    answer_from(flow, sample_record("mihon_showa_last_day"))
    flow.review_done()
    with pytest.raises(SignatureMissingError):
        flow.signed(b"")
    assert flow.step is Step.SIGN


# ---- QR, confirm, print ----------------------------------------------------------------


def test_qr_result_fills_the_review_and_adds_its_templates(flow, catalog):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.QR)
    flow.qr_read(QrResult(sample_record("mihon_showa_last_day"), [catalog.get("inkan")]))
    assert flow.step is Step.REVIEW
    assert [t.id for t in flow.templates] == ["juminhyo", "inkan"]
    assert flow.metrics.prefilled_chars > 0


def test_expired_qr_is_an_error_with_retry_to_the_scanner(flow):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.QR)
    flow.qr_failed(PayloadExpired())
    assert flow.step is Step.ERROR and flow.error.retry_step is Step.QR
    flow.retry()
    assert flow.step is Step.QR


def test_printer_stopped_then_retry_prints_again(flow):
    to_review_by_card(flow, ids=["juminhyo"])
    answer_from(flow, sample_record("mihon_showa_last_day"))
    flow.review_done()
    flow.signed(TINY_PNG)
    flow.confirmed(Confirmation("R-1", b"%PDF"))
    flow.print_failed(PrinterStopped("PDF"))
    assert flow.step is Step.ERROR and flow.error.retry_step is Step.PRINT
    flow.retry()
    assert flow.step is Step.PRINT
    flow.printed()
    assert flow.step is Step.DONE and flow.confirmation.reception_number == "R-1"


def test_confirm_failure_returns_to_confirm(flow):
    to_review_by_card(flow, ids=["juminhyo"])
    answer_from(flow, sample_record("mihon_showa_last_day"))
    flow.review_done()
    flow.signed(TINY_PNG)
    assert flow.record.answers  # the signature went into the forms' signature fields
    flow.confirm_failed(PrinterStopped("x"))
    flow.retry()
    assert flow.step is Step.CONFIRM


def test_back_walks_the_steps_and_from_procedures_wipes(flow):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.CARD)
    flow.back()
    assert flow.step is Step.IDENTIFY
    flow.back()
    assert flow.step is Step.PROCEDURES
    wiped = []
    flow.on_wipe(wiped.append)
    flow.back()
    assert flow.step is Step.WELCOME and wiped == [WipeReason.CANCEL]
    with pytest.raises(WrongStepError):
        flow.back()


# ---- wipes -----------------------------------------------------------------------------


def test_inactivity_counts_down_then_wipes(flow, clock):
    wiped = []
    flow.on_wipe(wiped.append)
    assert flow.seconds_left() is None  # welcome holds nothing: no timeout
    to_review_by_card(flow)
    clock.advance(79)
    assert flow.countdown() is None
    clock.advance(2)
    assert flow.countdown() == 9
    flow.touch()  # the resident touched the screen
    assert flow.countdown() is None
    clock.advance(90)
    flow.tick()
    assert flow.step is Step.WELCOME and flow.record is None and flow.forms == {}
    assert wiped == [WipeReason.TIMEOUT]


def test_card_removed_wipes_only_after_the_card_was_read(flow):
    flow.start()
    flow.choose(["juminhyo"])
    flow.identify_with(Method.CARD)
    flow.card_removed()
    assert flow.step is Step.PIN
    flow.card_tries(3)
    flow.card_read(card_of_profile())
    record = flow.record
    flow.card_removed()
    assert flow.step is Step.WELCOME and flow.record is None
    assert record.persons == [] and record.card is None  # the old object is emptied too


@pytest.mark.parametrize("stop_at", list(Step))
def test_cancel_from_any_step_wipes(flow, stop_at):
    to_review_by_card(flow, ids=["juminhyo"])
    answer_from(flow, sample_record("mihon_showa_last_day"))
    steps = [Step.REVIEW]
    if stop_at not in steps:
        flow.review_done()
        flow.signed(TINY_PNG)
    flow.cancel()
    assert flow.step is Step.WELCOME
    assert flow.record is None and flow.signature is None and flow.templates == []
    assert "見本" not in repr(flow)


# ---- staff mode ------------------------------------------------------------------------


def test_staff_mode_needs_the_right_pin_and_is_noted_in_the_record(flow, catalog):
    with pytest.raises(StaffPinWrongError):
        flow.enter_staff_mode("1111")
    assert flow.mode is Mode.RESIDENT
    flow.enter_staff_mode("246813")
    to_review_by_card(flow, ids=["juminhyo"])
    assert flow.record.answers[MODE_KEY] == "staff"
    to_done(flow)
    assert flow.metrics_log.entries()[-1].mode == "staff"
    flow.finish()
    assert flow.mode is Mode.STAFF  # staff keep the mode between residents…
    to_review_by_card(flow, ids=["juminhyo"])
    flow.tick(flow.clock() + 1000)
    assert flow.mode is Mode.RESIDENT  # …but not when they walk away


def test_staff_mode_without_a_configured_pin_cannot_be_unlocked(catalog):
    flow = KioskFlow(catalog)
    with pytest.raises(StaffPinWrongError):
        flow.enter_staff_mode("246813")


def test_five_wrong_staff_pins_lock_the_unlock_for_five_minutes(flow, clock):
    for _ in range(4):
        with pytest.raises(StaffPinWrongError):
            flow.enter_staff_mode("1111")
    with pytest.raises(StaffPinLockedError) as locked:  # the fifth wrong PIN locks it
        flow.enter_staff_mode("1111")
    assert locked.value.code == "staff_pin_locked" and locked.value.retry_after_s == 300
    assert "5分後" in locked.value.ja and "try again in 5 min" in locked.value.en
    clock.advance(200)
    flow.cancel()  # a new resident does not unlock it
    with pytest.raises(StaffPinLockedError) as locked:  # even the right PIN is refused
        flow.enter_staff_mode("246813")
    assert "2分後" in locked.value.ja and "in 2 min" in locked.value.en
    assert flow.mode is Mode.RESIDENT
    clock.advance(100)  # five minutes on: the right PIN works again
    flow.enter_staff_mode("246813")
    assert flow.mode is Mode.STAFF
    flow.leave_staff_mode()
    for _ in range(4):  # a success starts the count again
        with pytest.raises(StaffPinWrongError):
            flow.enter_staff_mode("1111")
    flow.enter_staff_mode("246813")
    with pytest.raises(StaffPinWrongError):
        flow.enter_staff_mode("1111")


def test_resident_mode_is_noted_too(flow):
    to_review_by_card(flow, ids=["juminhyo"])
    assert flow.record.answers[MODE_KEY] == "resident"
    assert isinstance(flow.record, SessionRecord)


# ---- a bundle's optional forms, opted into inside the bundle -------------------------------


@pytest.mark.parametrize("bundle_id", [b.id for b in Catalog.builtin().bundles() if b.optional])
def test_a_bundles_optional_forms_are_added_only_when_opted_in(catalog, clock, bundle_id):
    bundle = catalog.bundle(bundle_id)
    procedure = next(p for p in KioskFlow(catalog).procedures() if p.key == f"bundle:{bundle_id}")
    assert procedure.optional_ids == tuple(bundle.optional)
    assert procedure.fee_yen == sum(catalog.get(t).fee_yen or 0 for t in bundle.templates)
    for opted, expected in (([], bundle.templates), (bundle.optional, bundle.template_ids(True))):
        flow = KioskFlow(catalog, clock=clock)
        flow.start()
        flow.choose([procedure.key], with_optional=opted)
        assert [t.id for t in flow.templates] == expected


def test_optional_forms_of_a_bundle_not_chosen_are_not_added(flow, catalog):
    flow.start()
    flow.choose(["juminhyo"], with_optional=["inkan"])
    assert [t.id for t in flow.templates] == ["juminhyo"]


# ---- a scanned code before identifying ---------------------------------------------------


def qr_result(catalog) -> QrResult:
    return QrResult(sample_record("mihon_showa_last_day"), [catalog.get("juminhyo")])


def test_a_scan_at_welcome_goes_to_the_qr_step_and_the_code_names_the_forms(flow, catalog):
    assert flow.accepts_qr
    flow.begin_qr()
    assert flow.step is Step.QR and flow.method is Method.QR and flow.templates == []
    flow.qr_read(qr_result(catalog))
    assert flow.step is Step.REVIEW
    assert [t.id for t in flow.templates] == ["juminhyo"]
    assert flow.metrics.method == "qr" and flow.metrics.templates == ["juminhyo@1"]


def test_back_from_a_scan_without_chosen_forms_leads_to_the_procedures(flow):
    flow.start()
    flow.begin_qr()
    flow.back()
    assert flow.step is Step.PROCEDURES


def test_a_scan_on_identify_keeps_the_chosen_forms(flow, catalog):
    flow.start()
    flow.choose([BUNDLE])
    flow.begin_qr()
    assert flow.step is Step.QR
    flow.qr_read(qr_result(catalog))
    ids = [t.id for t in flow.templates]
    assert (
        ids[: len(catalog.bundle("moving_in").templates)] == catalog.bundle("moving_in").templates
    )
    assert "juminhyo" in ids


def test_a_refused_code_can_be_followed_by_another_scan(flow):
    flow.begin_qr()
    flow.qr_failed(PayloadExpired())
    assert flow.step is Step.ERROR and flow.accepts_qr
    flow.begin_qr()
    assert flow.step is Step.QR and flow.error is None


def test_no_scan_is_taken_once_the_resident_is_identified(flow):
    to_review_by_card(flow)
    assert not flow.accepts_qr
    with pytest.raises(WrongStepError):
        flow.begin_qr()
    flow.fail(PrinterStopped("kiosk-printer"), Step.PRINT)  # an error not about a QR
    assert not flow.accepts_qr


def test_an_item_shared_by_several_forms_shows_each_distinct_message_once(flow, catalog):
    """Forms of one choice that share an item each report its problem; the resident reads
    it once (「入力してください」 twice under 異動年月日 before). Every shipped form at once."""
    flow.start()
    flow.choose([p.key for p in flow.procedures() if not p.is_bundle])
    assert {t.id for t in flow.templates} == {t.id for t in catalog.latest()}
    flow.identify_with(Method.TYPING)  # an empty record: every required item is missing
    flow.domicile_choose(read=False)  # 戸籍 forms are among them: 本籍 typed, not read
    collapsed = 0
    for q in flow.questions():
        uses = set(q.uses)
        raw = [
            (e.ja, e.en)
            for template_id, form in flow.forms.items()
            for e in form.errors
            if (template_id, e.path) in uses
        ]
        shown = [(e.ja, e.en) for e in flow.errors_for(q)]
        assert len(shown) == len(set(shown)), q.path  # no message twice
        assert set(shown) == set(raw), q.path  # and none lost
        collapsed += len(raw) - len(shown)
    assert collapsed > 0  # the shipped forms do share required items
