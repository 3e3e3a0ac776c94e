"""引越しワンストップ at the kiosk (Qt-free): a matched 転入予約 prefills the record.

After the card read on 転入 (the `moving_in` bundles), the window asks the back office, off the
GUI thread, for the resident's reservation (`kiosk.ports.ReservationLookup`: name AND birth date
as the card says them; the back office matches on its office date, docs/reservations.md). A
match fills the household (persons 1…), the old address (`address.current`), the new address
(`address.new`) and the move date (`date.move`); the card holder stays person 0 as the card
says. The resident then confirms on screen (`KioskFlow.reservation_answer`); declining goes
back to the card's data alone.
"""

from __future__ import annotations

from forms.address import split_address
from forms.record import Person, PersonName, SessionRecord
from sync.protocol.reservations import ReservationFound

RESERVATION_KEY = "kiosk.reservation_id"  # answers key: which reservation prefilled the record
BUNDLES = frozenset({"bundle:moving_in", "bundle:moving_in_abroad"})


def apply_reservation(record: SessionRecord, found: ReservationFound) -> None:
    """Put the reservation into the record (after `apply_card`)."""
    current = split_address(found.old_address)
    current.postal_code = record.addresses.get("current", current).postal_code
    record.addresses["current"] = current
    record.addresses["new"] = split_address(found.new_address)
    record.dates["move"] = found.move_date
    applicant = found.household[0] if found.household else None
    if record.persons and record.persons[0].kana is None and applicant and applicant.kana:
        record.persons[0].kana = PersonName.parse(applicant.kana)  # a card holds no kana
    del record.persons[1:]
    for member in found.household[1:]:
        record.persons.append(
            Person(
                name=PersonName.parse(member.name),
                kana=PersonName.parse(member.kana) if member.kana else None,
                birth_date=member.birth_date,
                relation=member.relation,
            )
        )
    record.answers[RESERVATION_KEY] = found.reservation_id
