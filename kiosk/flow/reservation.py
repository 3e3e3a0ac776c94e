"""The 転入予約 (引越しワンストップ): on 転入, a card read may bring the resident's reservation
from the back office (`kiosk.reservation`). It prefills the household, both addresses and the
move date; the resident then confirms it on the review, or declines it and goes on with the
card's items and their own answers (the navigator's, and what they typed on the review).
Until they answer, the review does not let them sign."""

from __future__ import annotations

import copy

from forms.domicile import domicile_paths
from forms.fields import is_empty
from forms.paths import get_value, parse_path, set_value
from forms.provenance import Source
from forms.record import CardData, SessionRecord
from kiosk.flow.navigation import NavigationSteps
from kiosk.flow.steps import Step
from kiosk.reservation import BUNDLES as RESERVATION_BUNDLES
from kiosk.reservation import RESERVATION_KEY, apply_reservation
from sync.protocol.reservations import ReservationFound


class ReservationSteps(NavigationSteps):
    # ---- 転入予約 ----------------------------------------------------------------------------

    @property
    def wants_reservation(self) -> bool:
        """Whether a card read should ask for a 転入予約 (a moving-in life event is chosen)."""
        return any(p.key in RESERVATION_BUNDLES for p in self.chosen)

    def _take_reservation(
        self, record: SessionRecord, card: CardData, reservation: ReservationFound | None
    ) -> None:
        """A new card read: forget any earlier reservation; with a matched one (and a moving-in
        life event chosen), prefill `record` from it and keep the card's items for a decline."""
        self.reservation = None
        self.reservation_confirmed = False
        self._card = None
        if reservation is not None and self.wants_reservation:
            apply_reservation(record, reservation)
            self.reservation = reservation
            self._card = card

    @property
    def reservation_pending(self) -> bool:
        """A reservation prefilled the record and the resident has not answered yet."""
        return self.reservation is not None and not self.reservation_confirmed

    def _pending_answers(self) -> int:
        return 1 if self.reservation_pending else 0  # the 転入予約 awaits its answer

    def reservation_answer(self, accepted: bool) -> None:
        """The resident confirms the reservation's data, or declines it: the record goes back
        to the card's items alone. A 本籍 read from the licence before (the 本籍 step comes
        first) is kept, and that step is not offered again: the resident answered it already."""
        self._expect("reservation_answer", Step.REVIEW)
        if self.reservation is None:
            return
        self.touch()
        if accepted:
            self.reservation_confirmed = True
            self._changed()
            return
        card, previous = self._card, self.record
        self.reservation = None
        self._card = None
        record = self._new_record()
        if card is not None:
            record.apply_card(card)
        typed: list[str] = []
        if previous is not None:
            for raw in domicile_paths(self.templates):
                path = parse_path(raw)
                value = get_value(previous, path)
                if not is_empty(value):
                    set_value(record, path, value)
            typed = self._keep_on_decline(previous, record)
        self._start_review(record, prefilled=True, typed=typed)

    def _keep_on_decline(self, previous: SessionRecord, record: SessionRecord) -> list[str]:
        """What the resident gave besides the reservation goes into the card's new record: the
        navigator's answers and changes (the forms they chose stay chosen) and every other
        answer, and what they typed on the review, except about the reservation's household
        members (they go with it). Returns the typed paths kept."""
        for key, value in previous.answers.items():
            if key != RESERVATION_KEY and key not in record.answers:
                record.answers[key] = copy.deepcopy(value)
        kept = []
        for raw, source in self.provenance.sources.items():
            path = parse_path(raw)
            if source is not Source.TYPED or path.root == "answers":
                continue
            if path.root == "person" and (path.index is None or path.index > 0):
                continue  # a member the reservation brought
            value = get_value(previous, path)
            if is_empty(value):
                continue
            set_value(record, path, copy.deepcopy(value))
            kept.append(raw)
        return kept
