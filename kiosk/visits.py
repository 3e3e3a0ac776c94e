"""Scripted residents at the kiosk, for `madoguchi bench visit` and the tests: what a visit
costs the resident in screens, taps and characters typed, against a paper visit.

Each resident walks the real flow (`KioskFlow`) on the demo kit's real parts (the virtual
card behind the card thread, the QR codec, the confirm step) and answers the guided review
page by page, as the screens take answers: a choice is one tap; a text is one tap on the field
and its characters on the keyboard; an address is its postal code (the town fills itself) and
the rest; a date is the era (a tap) and its digits. Nothing the card or the QR holds is typed
again (`Figures.typed_over_prefill`: the flow's own count of characters typed over prefilled
answers, which the tests hold at 0).

- `moving_in_card_4`: a household of four moving in; the card holder taps her My Number Card,
  the three others are typed;
- `moving_in_qr_4`: the same household with a pre-entry QR code made at home;
- `juminhyo_typed_1`: one 住民票の写し by typing everything;
- `okuyami_card_78`: おくやみ for a 78-year-old on 後期高齢者医療 with 介護保険 (the sample
  `takasaki_okuyami`): the notifier, the deceased's child, taps her own card; the navigator asks
  about the deceased (insurance, the head of the household and who remains, the certificates
  for the survivors' pension) and she answers as the sample says; the deceased's data is typed
  on review;
- `birth_card_jidou`: a birth in a household with 児童手当 (the sample `mihon_birth`): the
  mother taps her card; the newborn and the rest are typed, but the child's address is one
  tap on 「(the mother)さんの住所」と同じ (`KioskFlow.address_offers`) and the postal code her
  card does not hold;
- `moving_in_reservation_4`: the household of four with a 転入予約 (引越しワンストップ) at the
  back office: the card read finds it, the resident confirms it (はい), and the household, both
  addresses and the move date are not typed.

Paper: the characters the same forms ask for, written form by form (`forms.paper`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devices.card.virtual.profile import ResidentProfile
from forms.address import lookup_postal_code
from forms.clock import DEFAULT_ZONE, OfficeClock, zone_named
from forms.fields import is_empty
from forms.fill import fill
from forms.navigator import navigate
from forms.paper import paper_characters
from forms.paths import get_value, parse_path, set_value
from forms.provenance import HELD, Source
from forms.record import Address, Person, PersonName, SessionRecord
from forms.sample_records import load_sample
from kiosk.demo import DEMO_NAVIGATOR_YES, DemoKit, demo_signature_png
from kiosk.flow import KioskFlow, Method, Step
from sync.protocol import Mode

RESIDENTS = (
    "moving_in_card_4",
    "moving_in_qr_4",
    "juminhyo_typed_1",
    "okuyami_card_78",
    "birth_card_jidou",
    "moving_in_reservation_4",
)
# visits that need a back office holding their 転入予約 (`reservation_file`): the kit must have
# been built with one (`build_demo(office=…)`, as `madoguchi bench visit` does)
NEEDS_OFFICE = frozenset({"moving_in_reservation_4"})
BUNDLE = "bundle:moving_in"


@dataclass
class Figures:
    resident: str
    screens: int = 0  # screens (and review pages) shown
    taps: int = 0  # taps on buttons, choices and fields (keys of the keyboards not counted)
    typed: int = 0  # characters typed on the keyboards
    prefilled: int = 0  # characters the card or the QR filled in
    paper: int = 0  # characters a paper visit writes for the same forms
    typed_over_prefill: int = 0  # characters typed over what the card or QR held
    navigator_taps: int = 0  # of `taps`: the household's size, はい/いいえ, 次へ on the navigator
    forms: list[str] = field(default_factory=list)
    call_number: str = ""
    reservation: bool = False  # a 転入予約 prefilled the record and the resident confirmed it
    # record paths the card or the QR filled: still theirs at the end, or typed again
    kept_prefilled: list[str] = field(default_factory=list)
    retyped_prefilled: list[str] = field(default_factory=list)

    def lines(self) -> list[tuple[str, float, str]]:
        name = self.resident
        return [
            (f"visit_{name}_screens", self.screens, "screens"),
            (f"visit_{name}_taps", self.taps, "taps"),
            (f"visit_{name}_navigator_taps", self.navigator_taps, "taps"),
            (f"visit_{name}_typed", self.typed, "chars"),
            (f"visit_{name}_prefilled", self.prefilled, "chars"),
            (f"visit_{name}_paper", self.paper, "chars"),
            (f"visit_{name}_typed_vs_paper", self.typed / self.paper if self.paper else 0, "x"),
        ]


def household_sample() -> SessionRecord:
    """The card holder's own sample (見本 昭子, fictional) with three household members."""
    record = load_sample("mihon_showa_last_day")
    members = load_sample("yoshino_household").persons[1:4]
    record.persons = [record.persons[0], *(Person.model_validate(m.model_dump()) for m in members)]
    # The navigator chooses 子ども医療費助成 for the two children (under 15): its two choices,
    # as this household answers them (in 国民健康保険 after the move).
    for path, value in (
        ("answers.kodomo_iryo.kind", "new"),
        ("answers.kodomo_iryo.insurance", "national"),
    ):
        if is_empty(get_value(record, parse_path(path))):
            set_value(record, parse_path(path), value)
    return record


def reservation_file(sample: SessionRecord, reservation_id: str = "R-VISIT-1") -> str:
    """The 転入予約 of a sample household (JSON Lines, docs/reservations.md), live on the
    sample's day: the card holder first (本人), then the rest."""
    card = sample.card
    assert card is not None

    def address(key: str) -> str:
        given = sample.addresses[key]
        return given.prefecture + given.city + given.rest

    def member(person: Person, relation: str) -> dict[str, Any]:
        assert person.name is not None and person.birth_date is not None
        kana = person.kana
        return {
            "name": f"{person.name.family} {person.name.given}",
            **({"kana": f"{kana.family} {kana.given}"} if kana is not None else {}),
            "birth_date": person.birth_date.isoformat(),
            "relation": relation,
        }

    first, *rest = sample.persons
    row = {
        "reservation_id": reservation_id,
        "window_start": (sample.today - dt.timedelta(days=7)).isoformat(),
        "window_end": (sample.today + dt.timedelta(days=7)).isoformat(),
        "move_date": sample.dates.get("move", sample.today).isoformat(),
        "old_address": address("current"),
        "new_address": address("new"),
        "household": [member(first, "本人"), *(member(p, p.relation or "") for p in rest)],
    }
    return json.dumps(row, ensure_ascii=False) + "\n"


def visit_day(sample: SessionRecord) -> OfficeClock:
    """The office's clock stopped on the sample's day (10:00 at the office)."""
    return OfficeClock.fixed(
        dt.datetime.combine(sample.today, dt.time(10), tzinfo=zone_named(DEFAULT_ZONE))
    )


def card_holder(sample: SessionRecord) -> ResidentProfile:
    """The virtual card of a sample's card holder (`sample.card`, fictional), for a visit whose
    notifier is not the demo's own resident."""
    card = sample.card
    assert card is not None and card.sex is not None and card.individual_number
    holder = next(
        (p for p in sample.persons if p.birth_date == card.birth_date and p.kana is not None),
        None,
    )
    kana = f"{holder.kana.family}\u3000{holder.kana.given}" if holder and holder.kana else ""
    return ResidentProfile(
        label="visit-card-holder",
        name=card.name,
        kana=kana,
        address=card.address,
        birth_date=card.birth_date,
        sex=card.sex,
        individual_number=card.individual_number,
    )


def _tap_card_of(kit: DemoKit, sample: SessionRecord) -> None:
    """Put the sample's card holder's card on the reader (instead of the demo resident's)."""
    kit.remove_card()
    kit.profile = card_holder(sample)
    kit.insert_card()


class _Resident:
    """One resident in front of the flow: counts what they do."""

    def __init__(self, kit: DemoKit, name: str, sample: SessionRecord) -> None:
        self.kit = kit
        self.sample = sample
        # the visit happens on the sample's day (its ages and dates hold), the same every run
        self.flow: KioskFlow = kit.make_flow(navigator=True, office_clock=visit_day(sample))
        self.figures = Figures(name)
        self._last_screen: tuple[Any, ...] | None = None
        self.flow.subscribe(lambda _flow: self._seen())
        self._seen()

    def _seen(self) -> None:
        flow = self.flow
        page = None
        if flow.step is Step.REVIEW and flow.guide is not None:
            group = flow.review_page()
            page = group.id if group is not None else "summary"
        key = (flow.step, page)
        if key != self._last_screen:
            self._last_screen = key
            self.figures.screens += 1

    def tap(self, action: Callable[[], Any], taps: int = 1) -> Any:
        self.figures.taps += taps
        return action()

    # ---- the steps before the review ---------------------------------------------------------

    def choose(self, procedure: str) -> None:
        self.tap(self.flow.start)
        self.tap(lambda: self.flow.choose([procedure]), taps=2)  # the procedure, then 次へ

    def by_card(self) -> None:
        reader = self.kit.services.card
        assert reader is not None
        self.tap(lambda: self.flow.identify_with(Method.CARD))
        self.flow.card_tries(reader.tries_left().result(timeout=10))
        pin = self.kit.profile.pin
        self.figures.taps += len(pin) + 1  # the digits, then 読み取る
        card = reader.read(
            bytearray(pin.encode()),
            confirm_last_try=False,
            individual_number=self.flow.needs_individual_number,
        ).result(timeout=30)
        found = None
        lookup = self.kit.services.reservations
        if self.flow.wants_reservation and lookup is not None:
            # what the kiosk asks the back office after the read (`OfficeReservations`)
            found = lookup.find(card.name, card.birth_date)
        self.flow.card_read(card, found)
        self.navigator()
        self.past_domicile()

    def navigator(self) -> None:
        """The procedure navigator: the household's size if asked, then each question answered
        as this household's facts say (ages from the sample's birth dates; the rest as the demo
        resident answers), then 次へ."""
        flow = self.flow
        if flow.step is not Step.NAVIGATOR:
            return
        before = self.figures.taps
        if flow.nav_asks_size:
            self.tap(lambda: flow.nav_set_size(len(self.sample.persons)))
        truth = {
            q.id: q.answer
            for bundle in flow.nav_bundles()
            for q in navigate(bundle, self.sample, flow.catalog).questions
        }
        while (open_ := flow.nav_question()) is not None:
            qid = open_.question.id
            known = truth.get(qid)
            yes = known if known is not None else qid in DEMO_NAVIGATOR_YES
            self.tap(functools.partial(flow.nav_answer, yes))
        self.tap(flow.nav_next)
        self.figures.navigator_taps = self.figures.taps - before

    def past_domicile(self) -> None:
        """The 本籍 offer (a form that needs it was chosen): this visitor types it on review."""
        if self.flow.step is Step.DOMICILE:
            self.tap(lambda: self.flow.domicile_choose(read=False))

    def by_qr(self, templates: list[str]) -> None:
        qr = self.kit.services.qr
        assert qr is not None
        payload = self.kit.payload_for(self.sample, [self.kit.catalog.get(t) for t in templates])
        self.tap(lambda: self.flow.identify_with(Method.QR))
        self.flow.qr_read(qr.decode_digits(payload))  # shown to the scanner: no tap
        self.navigator()
        self.past_domicile()

    def by_typing(self) -> None:
        self.tap(lambda: self.flow.identify_with(Method.TYPING))
        self.navigator()
        self.past_domicile()

    # ---- the review, page by page --------------------------------------------------------------

    def review(self) -> None:
        flow = self.flow
        if flow.reservation_pending:  # the reservation's page: はい, this is my household
            self.figures.screens += 1
            self.tap(functools.partial(flow.reservation_answer, True))
            self.figures.reservation = True
        size = max(1, len(self.sample.persons))
        if flow.household_size() < size and flow.guide and flow.guide.household_max() > 1:
            self.tap(lambda: flow.set_household_size(size), taps=size - flow.household_size())
        answered: set[str] = set()
        for _ in range(60):
            page = flow.review_page()
            if page is None:
                break
            # in the page's order, as a resident reads it: the page stays as it is while they
            # type on it (a birth date that takes a parent out of the children's forms drops
            # their page only once they leave it: `kiosk.flow.review`)
            for q in page.questions:
                if q.path in answered:
                    continue
                if q.path not in _paths_on(flow.review_page()):
                    raise RuntimeError("the review page changed under the resident")
                self.answer(q)
                answered.add(q.path)
                if q.path in flow.unconfirmed_flags():
                    self.tap(functools.partial(flow.confirm_flag, q.path))  # この字で正しい
            self.tap(flow.review_next)
        else:
            raise RuntimeError("the review did not end")
        for path in flow.unconfirmed_flags():
            self.tap(functools.partial(flow.confirm_flag, path))
        self.tap(flow.review_next)  # the summary's 署名へ進む

    def answer(self, q: Any) -> None:
        flow = self.flow
        if flow.is_read_only(q):
            return
        if not flow.errors_for(q) and not is_empty(flow.value(q)):
            self._complete_postal_code(q)
            return
        raw = get_value(self.sample, q.slot.path)
        if is_empty(raw):
            return
        kind = q.slot.spec.type
        if isinstance(raw, dict):  # answers.* keep names and addresses as plain mappings
            raw = (PersonName if kind == "person_name" else Address).model_validate(raw)
        typed, taps = _cost(kind, raw)
        if kind == "address":
            offer = next((o for o in flow.address_offers(q) if _same_place(o.address, raw)), None)
            if offer is not None:  # 「住所」と同じ / 「見本 花子さんの住所」と同じ: one tap
                typed, taps = 0, 1
                if raw.postal_code and not offer.address.postal_code:
                    # a card's address has no postal code: the resident adds it (the same
                    # forms as on paper), one tap on the field and its digits
                    typed, taps = len(raw.postal_code), 2
                raw = offer.address.model_copy(update={"postal_code": raw.postal_code})
        if hasattr(raw, "model_dump"):
            raw = raw.model_dump()
        self.figures.taps += taps
        flow.edit(q.path, raw, typed_chars=typed)

    def _complete_postal_code(self, q: Any) -> None:
        """An address a life event's default copied from the card (the child's address is
        the mother's) has no postal code, as the card has none: the resident adds it (the
        same forms as on paper), one tap on the field and its digits."""
        flow = self.flow
        if q.slot.spec.type != "address" or flow.provenance.source(q.path) is not Source.AUTO:
            return
        given, wanted = flow.guide_value_raw(q), get_value(self.sample, q.slot.path)
        if isinstance(wanted, dict):
            wanted = Address.model_validate(wanted)
        if not isinstance(given, Address) or not isinstance(wanted, Address):
            return
        if given.postal_code or not wanted.postal_code or not _same_place(given, wanted):
            return
        self.figures.taps += 2
        raw = given.model_copy(update={"postal_code": wanted.postal_code}).model_dump()
        flow.edit(q.path, raw, typed_chars=len(wanted.postal_code))

    # ---- the end -------------------------------------------------------------------------------

    def finish(self) -> Figures:
        flow, kit = self.flow, self.kit
        assert flow.step is Step.SIGN, flow.step
        self.tap(lambda: flow.signed(demo_signature_png()), taps=2)  # a signature, then 署名した
        assert flow.record is not None and flow.signature is not None
        confirmation = kit.services.confirmer.confirm(
            flow.record.model_copy(deep=True),
            list(flow.templates),
            signature_png=flow.signature,
            mode=Mode.RESIDENT,
            measurement=flow.measurement_snapshot(),
        )
        self.tap(lambda: flow.confirmed(confirmation))  # 申請する
        forms = [fill(t, flow.record) for t in flow.templates]
        figures = self.figures
        assert flow.metrics is not None
        figures.typed = flow.metrics.typed_chars
        figures.prefilled = flow.metrics.prefilled_chars
        provenance = flow.provenance
        figures.typed_over_prefill = sum(provenance.typed_over_prefill.values())
        for path, source in sorted(provenance.prefilled_from.items()):
            if source not in HELD:
                continue  # a life event's default: the kiosk's, not the card's or the QR's
            kept = provenance.source(path) is source
            (figures.kept_prefilled if kept else figures.retyped_prefilled).append(path)
        figures.paper = paper_characters(forms)
        figures.forms = [t.id for t in flow.templates]
        figures.call_number = confirmation.call_number
        flow.printed()
        self.tap(flow.finish)  # おわる
        return figures


def _same_place(offered: Address, wanted: Address) -> bool:
    """The offered address is where the resident means (a card's address has no postal code:
    the place decides, and the offer's own postal code, if any, must agree)."""
    place = (offered.prefecture, offered.city, offered.rest)
    if place != (wanted.prefecture, wanted.city, wanted.rest):
        return False
    return not offered.postal_code or offered.postal_code == wanted.postal_code


def _paths_on(page: Any) -> set[str]:
    return set() if page is None else {q.path for q in page.questions}


def _cost(kind: str, raw: Any) -> tuple[int, int]:
    """(characters typed, taps) for one answer, as the kiosk's editors take it."""
    match kind:
        case "select" | "checkbox" | "multi_select":
            return 0, 1
        case "date":
            assert isinstance(raw, dt.date)
            return len(f"{raw.month}{raw.day}") + len(str(raw.year)), 4  # era, year, month, day
        case "address":
            assert isinstance(raw, Address)
            found = lookup_postal_code(raw.postal_code) if raw.postal_code else None
            if found is not None and (found.prefecture, found.city) == (raw.prefecture, raw.city):
                # the code fills the prefecture, the city and the town: the rest is typed
                rest = raw.rest.removeprefix(found.rest)
                return len(raw.postal_code) + len(rest), 3  # the code, 住所を入れる, the rest
            return len(raw.postal_code) + len(raw.prefecture + raw.city + raw.rest), 4
        case "person_name":
            return len(raw.family) + len(raw.given), 2
        case _:
            return len(str(raw)), 1


def run_visit(kit: DemoKit, resident: str) -> Figures:
    """Walk one scripted resident through the kiosk; their figures."""
    if resident == "moving_in_card_4":
        person = _Resident(kit, resident, household_sample())
        person.choose(BUNDLE)
        person.by_card()
    elif resident == "moving_in_qr_4":
        person = _Resident(kit, resident, household_sample())
        person.choose(BUNDLE)
        person.by_qr(list(kit.catalog.bundle("moving_in").templates))
    elif resident == "juminhyo_typed_1":
        person = _Resident(kit, resident, load_sample("mihon_showa_last_day"))
        person.choose("juminhyo")
        person.by_typing()
    elif resident in ("okuyami_card_78", "birth_card_jidou"):
        event = "okuyami" if resident.startswith("okuyami") else "birth"
        sample = load_sample("takasaki_okuyami" if event == "okuyami" else "mihon_birth")
        _tap_card_of(kit, sample)
        person = _Resident(kit, resident, sample)
        person.choose(f"bundle:{event}")
        person.by_card()
    elif resident == "moving_in_reservation_4":
        if kit.services.reservations is None:
            raise ValueError(f"{resident} needs a back office holding its reservation")
        person = _Resident(kit, resident, household_sample())
        person.choose(BUNDLE)
        person.by_card()
        if not person.flow.reservation_pending:
            raise LookupError("the back office found no reservation for the card holder")
    else:
        raise ValueError(f"no scripted resident {resident!r} (known: {', '.join(RESIDENTS)})")
    person.review()
    return person.finish()
