"""devices.lanes without Qt: a queue stands in for the GUI's event loop."""

from __future__ import annotations

import concurrent.futures as cf
import queue
import threading
from collections.abc import Callable
from typing import Any

import pytest

from devices.card.errors import CardTimeoutError, WrongPinError
from devices.lanes import Lanes, UnexpectedOperationError
from forms.errors import MadoguchiError

GuiQueue = queue.Queue[Callable[[], None]]


def make_lanes(*names: str) -> tuple[Lanes, GuiQueue]:
    gui: GuiQueue = queue.Queue()
    return Lanes(names or ("card", "print"), gui.put), gui


def pump(gui: GuiQueue, count: int = 1, timeout: float = 5.0) -> None:
    """Run `count` delivered callbacks on this (the 'GUI') thread."""
    for _ in range(count):
        gui.get(timeout=timeout)()


def test_run_delivers_through_the_gui_queue_and_wraps_unexpected_errors() -> None:
    lanes, gui = make_lanes()
    got: list[Any] = []
    lanes.run(
        "card",
        lambda: threading.current_thread().name,
        on_success=got.append,
        on_failure=got.append,
    )
    lanes.run("print", lambda: 1 / 0, on_success=got.append, on_failure=got.append)
    assert got == []  # nothing is called back off the GUI thread
    pump(gui, 2)
    names = [g for g in got if isinstance(g, str)]
    errors = [g for g in got if isinstance(g, MadoguchiError)]
    assert names and names[0].startswith("lane-card")
    assert isinstance(errors[0], UnexpectedOperationError) and "ZeroDivisionError" in errors[0].en
    assert not lanes.busy()
    lanes.shutdown(2000)


def test_follow_delivers_another_threads_future_without_a_lane_thread() -> None:
    lanes, gui = make_lanes()
    future: cf.Future[int] = cf.Future()
    got: list[Any] = []
    lanes.follow(
        "card",
        future,
        timeout_s=5,
        on_timeout=lambda: CardTimeoutError("read"),
        on_success=got.append,
        on_failure=got.append,
    )
    assert lanes.busy("card") and not lanes.busy("print")
    threading.Thread(target=future.set_result, args=(3,)).start()
    pump(gui)
    assert got == [3] and not lanes.busy("card")
    failing: cf.Future[int] = cf.Future()
    lanes.follow(
        "card",
        failing,
        timeout_s=5,
        on_timeout=lambda: CardTimeoutError("read"),
        on_success=got.append,
        on_failure=got.append,
    )
    failing.set_exception(WrongPinError(2))
    pump(gui)
    assert isinstance(got[-1], WrongPinError) and got[-1].tries_left == 2
    lanes.shutdown(2000)


def test_follow_times_out_once_and_ignores_a_late_result() -> None:
    lanes, gui = make_lanes()
    future: cf.Future[int] = cf.Future()
    got: list[Any] = []
    lanes.follow(
        "card",
        future,
        timeout_s=0.05,
        on_timeout=lambda: CardTimeoutError("read"),
        on_success=got.append,
        on_failure=got.append,
    )
    pump(gui)
    assert len(got) == 1 and isinstance(got[0], CardTimeoutError)
    future.set_result(7)  # the card answered after all: too late, nothing more is called
    pump(gui)
    assert len(got) == 1 and not lanes.busy()
    lanes.shutdown(2000)


def test_invalidate_drops_what_was_under_way() -> None:
    lanes, gui = make_lanes()
    release = threading.Event()
    got: list[Any] = []
    lanes.run("card", lambda: release.wait(5), on_success=got.append, on_failure=got.append)
    lanes.invalidate()  # the session was wiped while the card was being read
    release.set()
    assert lanes.wait_idle(5000)
    pump(gui)
    assert got == [] and not lanes.busy()
    lanes.shutdown(2000)


def test_unknown_lane_and_double_lane_are_refused() -> None:
    lanes, _gui = make_lanes()
    with pytest.raises(KeyError, match="nowhere"):
        lanes.run("nowhere", lambda: 1, on_success=print, on_failure=print)
    with pytest.raises(ValueError, match="card"):
        lanes.add_lane("card")
    assert not lanes.busy()
    lanes.shutdown(2000)


def test_shutdown_is_bounded_while_a_job_hangs() -> None:
    lanes, _gui = make_lanes()
    stuck = threading.Event()
    lanes.run("print", lambda: stuck.wait(10), on_success=print, on_failure=print)
    lanes.run("print", lambda: 1, on_success=print, on_failure=print)  # queued behind: cancelled
    assert not lanes.wait_idle(50)
    lanes.shutdown(100)  # returns although the first job still runs
    assert not lanes.busy()
    stuck.set()
