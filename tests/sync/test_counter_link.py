"""The kiosk's side of call numbers, routing and alerts (sync.counter_link), against a stand-in
back office on an httpx MockTransport: online numbers, the kiosk's own letter offline (unique
per office day across two kiosks), routing cached for offline use, alerts kept while the back
office is down and sent when it is back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from support.fake_counter import FakeCounterOffice

from forms.clock import OfficeClock
from sync.client import OfficeClient
from sync.counter_link import DEFAULT_COUNTER, CounterLink
from sync.outbox import CallNumbersExhausted, OfflineCallCounter, Outbox
from sync.protocol.counter import CALL_NUMBER_PATTERN, AlertKind

# 23:59 and 00:01 in Tokyo, on either side of 15:00 UTC
BEFORE_MIDNIGHT = dt.datetime(2026, 12, 2, 14, 59, tzinfo=dt.UTC)
AFTER_MIDNIGHT = dt.datetime(2026, 12, 2, 15, 1, tzinfo=dt.UTC)


def link(outbox: Outbox, office: FakeCounterOffice | None, letter: str, moment=BEFORE_MIDNIGHT):
    client = (
        OfficeClient("https://office.example", "token", transport=office.transport())
        if office is not None
        else None
    )
    return CounterLink(
        outbox, lambda: client, offline_letter=letter, clock=OfficeClock.fixed(moment)
    )


def test_online_the_back_office_issues_the_number_and_the_routing_is_cached(
    tmp_path: Path,
) -> None:
    office = FakeCounterOffice()
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        counter = link(outbox, office, "K")
        issued = counter.issue("kiosk-1202-0001", ["idou", "kokuho", "idou"])
        assert issued.number == "A-001" and not issued.offline
        assert [e.counter for e in issued.routing] == ["3", "7", "3"]
        assert [e.counter for e in issued.counters()] == ["3", "7"]
        office.down = True
        offline = counter.issue("kiosk-1202-0002", ["kokuho", "juminhyo"])
        assert offline.offline and offline.number == "K-001"
        assert [e.counter for e in offline.routing] == ["7", DEFAULT_COUNTER[0]]


def test_offline_numbers_are_unique_per_day_across_two_kiosks(tmp_path: Path) -> None:
    with Outbox(tmp_path / "a.sqlite3") as a, Outbox(tmp_path / "b.sqlite3") as b:
        first, second = link(a, None, "K"), link(b, None, "L")
        numbers = [first.issue(f"v{n}", ["juminhyo"]).number for n in range(3)]
        numbers += [second.issue(f"w{n}", ["juminhyo"]).number for n in range(3)]
        assert numbers == ["K-001", "K-002", "K-003", "L-001", "L-002", "L-003"]
        assert len(set(numbers)) == 6
        assert all(re.match(CALL_NUMBER_PATTERN, n) for n in numbers)
        # the office day turns at midnight in Tokyo (15:00 UTC): the count starts again
        assert link(a, None, "K", AFTER_MIDNIGHT).issue("v9", ["juminhyo"]).number == "K-001"
        assert link(a, None, "K").issue("v10", ["juminhyo"]).number == "K-004"


def test_a_letter_that_issued_999_numbers_today_refuses_the_next(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        assert outbox.next_offline_call_number("K", dt.date(2026, 12, 2)) == 1
        with Session(outbox._engine) as session, session.begin():  # 998 more, at once
            session.get(OfflineCallCounter, ("2026-12-02", "K")).last = 999
        with pytest.raises(CallNumbersExhausted) as caught:
            link(outbox, None, "K").issue("v", ["juminhyo"])
        assert caught.value.en and caught.value.ja


def test_the_letter_is_the_one_the_back_office_reserved_and_kept_for_offline(
    tmp_path: Path,
) -> None:
    office = FakeCounterOffice()
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        counter = link(outbox, office, None)
        office.down = True
        assert counter.issue("v1", ["juminhyo"]) is None  # offline, no letter known: none
        office.down = False
        assert counter.learn_offline_letter() == "Z"
        office.down = True
        assert link(outbox, office, None).issue("v2", ["juminhyo"]).number == "Z-001"
        # the reserved letter wins over a configured one
        assert link(outbox, office, "K").issue("v3", ["juminhyo"]).number == "Z-002"


def test_the_letter_is_one_capital(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3") as outbox, pytest.raises(ValueError, match="A-Z"):
        link(outbox, None, "k")


def test_routing_pull_replaces_the_cache(tmp_path: Path) -> None:
    office = FakeCounterOffice()
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        counter = link(outbox, office, "K")
        assert counter.pull_routing() == 5
        office.down = True
        assert counter.pull_routing() == -1
        assert [e.section_en for e in counter.cached_routing(["juminhyo"])] == ["Certificates"]


def test_alerts_are_kept_while_the_office_is_down_and_sent_once_when_it_is_back(
    tmp_path: Path,
) -> None:
    office = FakeCounterOffice(down=True)
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        counter = link(outbox, office, "K")
        key = counter.queue_alert(AlertKind.CALL_STAFF, step="review")
        counter.queue_alert(
            AlertKind.PRINTER, step="print", detail="printer_stopped\x07 media-empty"
        )
        assert counter.send_alerts() == 0 and counter.pending_alerts() == 2
        office.down = False
        assert counter.send_alerts() == 2 and counter.pending_alerts() == 0
        assert next(iter(office.alerts)) == str(key)
        assert office.alerts[str(key)]["kind"] == "call_staff"
        printer = list(office.alerts.values())[1]
        assert printer["detail"] == "printer_stopped  media-empty"  # no control character
        assert counter.send_alerts() == 0  # nothing sent twice


def test_without_a_back_office_alerts_wait(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        counter = link(outbox, None, "K")
        counter.queue_alert(AlertKind.CALL_STAFF)
        assert counter.send_alerts() == 0 and counter.pending_alerts() == 1


def test_the_sync_worker_sends_kept_alerts_and_pulls_the_routing(tmp_path: Path) -> None:
    from sync.worker import SyncWorker

    office = FakeCounterOffice()
    client = OfficeClient("https://office.example", "token", transport=office.transport())
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        counter = CounterLink(outbox, lambda: client, offline_letter="K")
        counter.queue_alert(AlertKind.CALL_STAFF, step="review")
        report = SyncWorker(outbox, client, counter=counter).run_once()
        assert report.alerts_sent == 1 and report.routing_entries == 5
        assert counter.pending_alerts() == 0 and len(office.alerts) == 1
        assert report.as_dict()["alerts_sent"] == 1
