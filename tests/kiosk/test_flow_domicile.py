"""The 本籍 step of the kiosk flow (Qt-free): offered only for forms that declare the need."""

from __future__ import annotations

import pytest
from kioskkit import FakeClock

from devices.card.errors import (
    LastTryUnconfirmedPin2Error,
    NotDriversLicenceError,
    Pin2BlockedError,
    WrongPin2Error,
    WrongPinError,
)
from forms.catalog import Catalog
from forms.record import CardData
from kiosk.demo import demo_profile
from kiosk.flow import DomicileStage, KioskFlow, Method, Step, WipeReason

DOMICILE = "見本県見本市見本町一丁目一番地"


def card() -> CardData:
    p = demo_profile()
    return CardData(
        kind="my_number", name=p.name, address=p.address, birth_date=p.birth_date, sex=p.sex
    )


@pytest.fixture
def flow(catalog: Catalog) -> KioskFlow:
    return KioskFlow(catalog, clock=FakeClock())


def identified(flow: KioskFlow, ids: list[str]) -> None:
    flow.start()
    flow.choose(ids)
    flow.identify_with(Method.CARD)
    flow.card_tries(3)
    flow.card_read(card())


def test_no_offer_for_forms_that_do_not_declare_the_need(flow) -> None:
    identified(flow, ["juminhyo"])
    assert flow.step is Step.REVIEW


def test_offer_then_read_fills_the_koseki_request(flow) -> None:
    identified(flow, ["koseki", "juminhyo"])
    assert flow.step is Step.DOMICILE and flow.domicile_stage is DomicileStage.OFFER
    assert flow.record is None and not flow.card_was_read  # swapping cards wipes nothing
    flow.domicile_choose(read=True)
    assert flow.domicile_pin == 1 and flow.domicile_tries is None
    flow.domicile_tries_read((3, 3))
    assert not flow.needs_domicile_confirmation
    flow.domicile_pin1_entered()
    assert flow.domicile_pin == 2
    flow.domicile_read(DOMICILE)
    assert flow.step is Step.REVIEW
    assert flow.forms["koseki"].values["domicile"] == DOMICILE
    assert flow.record is not None and flow.record.card is not None
    assert flow.record.card.domicile is None


def test_typing_it_reads_nothing(flow) -> None:
    identified(flow, ["koseki"])
    flow.domicile_choose(read=False)
    assert flow.step is Step.REVIEW
    assert "domicile" not in flow.forms["koseki"].values


def test_wrong_pin2_both_pins_again_with_the_new_count(flow) -> None:
    identified(flow, ["koseki"])
    flow.domicile_choose(read=True)
    flow.domicile_tries_read((3, 2))
    flow.domicile_pin1_entered()
    flow.domicile_failed(WrongPin2Error(1))
    assert flow.domicile_stage is DomicileStage.PIN1 and flow.domicile_tries == (3, 1)
    assert not flow.needs_domicile_confirmation  # PIN 1 still has 3
    flow.domicile_pin1_entered()
    assert flow.needs_domicile_confirmation  # PIN 2's last try: asked before the pad
    flow.confirm_domicile_last_try()
    assert not flow.needs_domicile_confirmation and flow.domicile_confirmed == {2}
    flow.domicile_failed(Pin2BlockedError(just_now=True))
    assert flow.domicile_stage is DomicileStage.OFFER
    assert isinstance(flow.domicile_error, Pin2BlockedError)
    flow.domicile_choose(read=False)  # 入力する still works
    assert flow.step is Step.REVIEW


def test_pin1_last_try_and_errors(flow) -> None:
    identified(flow, ["koseki"])
    flow.domicile_choose(read=True)
    flow.domicile_tries_read((1, 3))
    assert flow.needs_domicile_confirmation
    flow.domicile_failed(LastTryUnconfirmedPin2Error())
    assert flow.domicile_tries == (1, 1) and flow.domicile_stage is DomicileStage.PIN1
    flow.domicile_failed(WrongPinError(2))
    assert flow.domicile_tries == (2, 1)
    flow.domicile_failed(NotDriversLicenceError())
    assert flow.domicile_stage is DomicileStage.OFFER


def test_back_and_wipe(flow) -> None:
    identified(flow, ["shussei"])
    assert flow.step is Step.DOMICILE
    assert not flow.can_go_back()  # the offer: 入力する or cancel
    flow.domicile_choose(read=True)
    assert flow.can_go_back()
    flow.back()
    assert flow.step is Step.DOMICILE and flow.domicile_stage is DomicileStage.OFFER
    pending = flow._pending
    assert pending is not None
    flow.wipe(WipeReason.TIMEOUT)
    assert flow.step is Step.WELCOME and pending[0].persons == []


def test_a_qr_that_carries_the_domicile_skips_the_offer(flow, catalog) -> None:
    from forms.record import SessionRecord
    from kiosk.ports import QrResult

    record = SessionRecord()
    record.apply_card(card())
    record.answers["domicile"] = "見本県別市一番地"
    flow.start()
    flow.choose(["koseki"])
    flow.identify_with(Method.QR)
    flow.qr_read(QrResult(record=record, templates=[catalog.get("koseki")]))
    assert flow.step is Step.REVIEW
