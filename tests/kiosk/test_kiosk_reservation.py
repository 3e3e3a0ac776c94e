"""引越しワンストップ at the kiosk, without a display: a matched 転入予約 prefills the household,
both addresses and the move date after the card read, and the resident confirms or declines."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from kioskkit import FakeClock

from forms.catalog import Catalog
from forms.provenance import Source
from forms.record import CardData
from kiosk.flow import KioskFlow, Method, ReviewIncompleteError, Step
from kiosk.reservation import RESERVATION_KEY
from kiosk.services import OfficeReservations
from kiosk.staff_mode import hash_staff_pin
from sync.client import OfficeClient
from sync.protocol.reservations import HouseholdMember, ReservationFound

CARD = CardData(
    kind="my_number",
    name="見本\u3000花子",
    address="東京都千代田区見本町1-2-3",
    birth_date=dt.date(1990, 4, 1),
)
FOUND = ReservationFound(
    reservation_id="R-1",
    household=[
        HouseholdMember(name="見本 花子", birth_date=dt.date(1990, 4, 1), relation="本人"),
        HouseholdMember(
            name="見本 太郎", kana="ミホン タロウ", birth_date=dt.date(2020, 5, 5), relation="子"
        ),
    ],
    old_address="東京都千代田区見本町1-2-3",
    new_address="神奈川県横浜市中区見本通4-5-6",
    move_date=dt.date(2026, 12, 28),
)


@pytest.fixture
def flow(catalog: Catalog) -> KioskFlow:
    return KioskFlow(catalog, clock=FakeClock(), staff_pin_hash=hash_staff_pin("246813"))


DOMICILE = "見本県見本市見本町一丁目一番地"


def to_pin(flow: KioskFlow, procedure: str = "bundle:moving_in", *more: str) -> None:
    flow.start()
    flow.choose([procedure, *more])
    flow.identify_with(Method.CARD)
    flow.card_tries(3)


def test_a_match_prefills_the_record_and_waits_for_the_residents_answer(flow) -> None:
    to_pin(flow)
    assert flow.wants_reservation
    flow.card_read(CARD, FOUND)
    record = flow.record
    assert record is not None and flow.step is Step.REVIEW
    assert record.dates["move"] == dt.date(2026, 12, 28)
    assert record.addresses["new"].prefecture == "神奈川県"
    assert record.addresses["current"].city == "千代田区"
    assert [p.relation for p in record.persons[1:]] == ["子"]
    assert record.persons[1].birth_date == dt.date(2020, 5, 5)
    assert record.answers[RESERVATION_KEY] == "R-1"
    assert flow.reservation_pending
    with pytest.raises(ReviewIncompleteError):  # the reservation's data awaits confirmation
        flow.review_done()
    flow.reservation_answer(True)
    assert not flow.reservation_pending and flow.record.dates["move"] == dt.date(2026, 12, 28)
    assert "見本" not in repr(flow) and "見本" not in repr(FOUND)


def test_declining_goes_back_to_the_card_alone(flow) -> None:
    to_pin(flow)
    flow.card_read(CARD, FOUND)
    flow.reservation_answer(False)
    record = flow.record
    assert record is not None and flow.step is Step.REVIEW
    assert "move" not in record.dates and "new" not in record.addresses
    assert len(record.persons) == 1 and RESERVATION_KEY not in record.answers
    assert flow.reservation is None and not flow.reservation_pending


def test_no_match_and_other_procedures_take_the_card_alone(flow) -> None:
    to_pin(flow)
    flow.card_read(CARD, None)
    assert flow.record is not None and "move" not in flow.record.dates
    assert not flow.reservation_pending
    flow.cancel()
    to_pin(flow, "juminhyo")
    assert not flow.wants_reservation
    flow.card_read(CARD, FOUND)  # not 転入: a reservation is never applied
    assert flow.record is not None and "new" not in flow.record.addresses


def test_a_reservation_and_a_koseki_request_read_honseki_first_then_confirm(flow) -> None:
    to_pin(flow, "bundle:moving_in", "koseki")
    flow.card_read(CARD, FOUND)
    assert flow.step is Step.DOMICILE and flow.reservation_pending  # 本籍 before the review
    flow.domicile_choose(read=True)
    flow.domicile_tries_read((3, 3))
    flow.domicile_pin1_entered()
    flow.domicile_read(DOMICILE)
    assert flow.step is Step.REVIEW and flow.reservation_pending
    record = flow.record
    assert record is not None and record.dates["move"] == dt.date(2026, 12, 28)
    assert flow.forms["koseki"].values["domicile"] == DOMICILE
    flow.reservation_answer(True)
    assert flow.record is record and flow.forms["koseki"].values["domicile"] == DOMICILE


def test_declining_keeps_the_honseki_read_and_does_not_ask_for_it_again(flow) -> None:
    to_pin(flow, "bundle:moving_in", "koseki")
    flow.card_read(CARD, FOUND)
    flow.domicile_choose(read=True)
    flow.domicile_tries_read((3, 3))
    flow.domicile_pin1_entered()
    flow.domicile_read(DOMICILE)
    flow.reservation_answer(False)
    assert flow.step is Step.REVIEW and not flow.reservation_pending  # no second 本籍 step
    record = flow.record
    assert record is not None and "move" not in record.dates and "new" not in record.addresses
    assert len(record.persons) == 1 and RESERVATION_KEY not in record.answers
    assert record.persons[0].birth_date == CARD.birth_date
    assert flow.forms["koseki"].values["domicile"] == DOMICILE


def test_declining_after_typing_honseki_chosen_offers_no_licence_read(flow) -> None:
    to_pin(flow, "bundle:moving_in", "koseki")
    flow.card_read(CARD, FOUND)
    flow.domicile_choose(read=False)  # 自分で入力する
    flow.reservation_answer(False)
    assert flow.step is Step.REVIEW and "domicile" not in flow.forms["koseki"].values


def test_a_wipe_forgets_the_reservation(flow) -> None:
    to_pin(flow)
    flow.card_read(CARD, FOUND)
    flow.cancel()
    assert flow.reservation is None and flow.record is None


def _office(answer: dict, seen: list[dict]) -> OfficeClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.extensions["timeout"]["read"] == 4.0  # a resident waits: short
        assert request.url.path == "/api/v1/reservations/match"
        return httpx.Response(200, json=answer)

    return OfficeClient("https://office.example", "mdt_x", transport=httpx.MockTransport(handler))


def test_the_lookup_asks_the_office_with_what_the_card_said(caplog) -> None:
    seen: list[dict] = []
    client = _office({"found": FOUND.model_dump(mode="json")}, seen)
    with caplog.at_level("DEBUG"):
        found = OfficeReservations(lambda: client).find(CARD.name, CARD.birth_date)
    assert found == FOUND
    assert seen == [{"name": "見本\u3000花子", "birth_date": "1990-04-01"}]
    assert (
        OfficeReservations(lambda: _office({"found": None}, [])).find("x", CARD.birth_date) is None
    )
    assert OfficeReservations(lambda: None).find("x", CARD.birth_date) is None  # no token yet

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down")

    offline = OfficeClient("https://office.example", "mdt_x", transport=httpx.MockTransport(down))
    with caplog.at_level("DEBUG"):
        assert OfficeReservations(lambda: offline).find(CARD.name, CARD.birth_date) is None
    assert "見本" not in caplog.text and "1990" not in caplog.text


def test_declining_keeps_the_navigators_answers_and_what_was_typed(catalog) -> None:
    flow = KioskFlow(catalog, clock=FakeClock(), navigator=True)
    to_pin(flow)
    flow.card_read(CARD, FOUND)
    assert flow.step is Step.NAVIGATOR
    asked = 0
    while flow.nav_question() is not None:
        flow.nav_answer(asked % 2 == 0)  # はい, いいえ, はい…
        asked += 1
    assert asked > 0
    flow.nav_next()
    assert flow.step is Step.REVIEW and flow.reservation_pending and flow.record is not None
    navigator = {k: v for k, v in flow.record.answers.items() if k.startswith("navigator.")}
    assert navigator
    chosen = [t.id for t in flow.templates]
    phone = flow.question("answers.applicant_phone")
    assert flow.edit(phone.path, "090-0000-1111") is None
    assert flow.edit("person[0].kana", {"family": "ミホン", "given": "ハナコ"}) is None
    flow.reservation_answer(False)
    record = flow.record
    assert record is not None and flow.step is Step.REVIEW and not flow.reservation_pending
    assert {k: v for k, v in record.answers.items() if k.startswith("navigator.")} == navigator
    assert [t.id for t in flow.templates] == chosen
    assert record.answers["applicant_phone"] == "090-0000-1111"
    assert flow.display(flow.question("person[0].kana")) == "ミホン\u3000ハナコ"
    assert flow.provenance.source("person[0].kana") is Source.TYPED
    # the reservation's own data went with it
    assert RESERVATION_KEY not in record.answers and len(record.persons) == 1
    assert "move" not in record.dates and "new" not in record.addresses
