"""The card thread and its events, over the in-process backend."""

from __future__ import annotations

import queue
import threading

import pytest
from cardkit import profile

from devices.card import (
    CardInserted,
    CardRemoved,
    CardService,
    NoCardError,
    NoReaderError,
    ReaderAttached,
    ReaderDetached,
    ReaderUnpluggedError,
    wait,
)
from devices.card.errors import CardTimeoutError
from devices.card.monitor import Monitor
from devices.card.virtual import VirtualBackend, VirtualMyNumberCard
from devices.card.virtual.inprocess import DEFAULT_READER
from forms.record import SessionRecord

TIMEOUT = 5.0


@pytest.fixture()
def backend() -> VirtualBackend:
    return VirtualBackend()


@pytest.fixture()
def service(backend: VirtualBackend):
    with CardService(backend, poll_interval=0.01) as running:
        yield running


def next_event(events: queue.Queue, kind: type) -> object:
    while True:
        event = events.get(timeout=TIMEOUT)
        if isinstance(event, kind):
            return event


def test_monitor_diffs_snapshots() -> None:
    monitor = Monitor()
    assert monitor.update({"A": False}) == [ReaderAttached("A")]
    assert monitor.update({"A": True}) == [CardInserted("A")]
    assert monitor.update({"A": True}) == []
    assert monitor.update({}) == [CardRemoved("A"), ReaderDetached("A")]


def test_events_reach_subscribers_on_the_card_thread(
    backend: VirtualBackend, service: CardService
) -> None:
    events: queue.Queue = queue.Queue()
    threads: list[str] = []

    def on_event(event: object) -> None:
        threads.append(threading.current_thread().name)
        events.put(event)

    service.subscribe(on_event)
    assert next_event(events, ReaderAttached) == ReaderAttached(DEFAULT_READER)
    backend.insert(VirtualMyNumberCard(profile("smith-john")))
    assert next_event(events, CardInserted) == CardInserted(DEFAULT_READER)
    backend.remove()
    assert next_event(events, CardRemoved) == CardRemoved(DEFAULT_READER)
    backend.unplug(DEFAULT_READER)
    assert next_event(events, ReaderDetached) == ReaderDetached(DEFAULT_READER)
    assert set(threads) == {"card-worker"}


def test_unsubscribed_callbacks_hear_nothing(backend: VirtualBackend, service: CardService) -> None:
    events: queue.Queue = queue.Queue()
    unsubscribe = service.subscribe(events.put)
    next_event(events, ReaderAttached)
    unsubscribe()
    backend.insert(VirtualMyNumberCard(profile("smith-john")))
    wait(service.readers(), TIMEOUT)  # a job runs, then a poll
    wait(service.readers(), TIMEOUT)
    assert events.empty()


def test_read_through_the_service_into_the_record(
    backend: VirtualBackend, service: CardService
) -> None:
    resident = profile("yoshino-takako")
    backend.insert(VirtualMyNumberCard(resident))
    asked_on: list[str] = []

    def pin(tries: int) -> str:
        asked_on.append(threading.current_thread().name)
        return resident.pin

    record = SessionRecord()
    record.apply_card(wait(service.read(pin=pin), TIMEOUT))
    assert record.persons[0].name is not None and record.persons[0].name.full == resident.name
    assert asked_on == ["card-worker"]
    assert wait(service.tries_left(), TIMEOUT) == 3


def test_no_connection_survives_a_removal(backend: VirtualBackend, service: CardService) -> None:
    first, second = profile("smith-john"), profile("nguyen-an")
    backend.insert(VirtualMyNumberCard(first))
    assert wait(service.read(pin=lambda t: first.pin), TIMEOUT).name == first.name
    backend.remove()
    with pytest.raises(NoCardError):
        wait(service.read(pin=lambda t: first.pin), TIMEOUT)
    backend.insert(VirtualMyNumberCard(second))
    assert wait(service.read(pin=lambda t: second.pin), TIMEOUT).name == second.name


def test_no_reader(backend: VirtualBackend, service: CardService) -> None:
    backend.unplug(DEFAULT_READER)
    with pytest.raises(NoReaderError) as caught:
        wait(service.read(pin=lambda t: "1234"), TIMEOUT)
    assert caught.value.exit_code == 2
    with pytest.raises(NoReaderError):
        wait(service.read("Elsewhere", pin=lambda t: "1234"), TIMEOUT)


def test_reader_unplugged_mid_read(backend: VirtualBackend, service: CardService) -> None:
    resident = profile("smith-john")
    backend.insert(VirtualMyNumberCard(resident))

    def pull_the_plug(tries: int) -> str:
        backend.unplug(DEFAULT_READER)
        return resident.pin

    record = SessionRecord()
    with pytest.raises(ReaderUnpluggedError):
        record.apply_card(wait(service.read(pin=pull_the_plug), TIMEOUT))
    assert record.card is None


def test_a_slow_job_times_out_instead_of_hanging(service: CardService) -> None:
    release = threading.Event()
    blocked = service.submit(lambda backend: release.wait(TIMEOUT))
    with pytest.raises(CardTimeoutError):
        wait(blocked, 0.05)
    release.set()
    assert wait(blocked, TIMEOUT) is True


def test_jobs_after_close_are_cancelled(backend: VirtualBackend) -> None:
    service = CardService(backend, poll_interval=0.01).start()
    service.close()
    assert service.readers().cancelled()
