"""The call board: per counter the number being called, large; waiting and done numbers that fit
1920×1080 and 1280×720 in Japanese and English without scrolling or cutting (widget geometry);
the chime and the announcement; calling from the reception by one key, with numbers really
issued by the back office."""

from __future__ import annotations

import datetime as dt
import uuid
import wave

import pytest
from receptionkit import KIOSK, sample_for

from forms.catalog import Catalog
from staff.reception.board_model import BoardView, announcement, counter_text
from staff.reception.chime import chime_wav
from sync.application import make_ingest_records
from sync.client import OfficeClient
from sync.protocol.counter import CallNumberRequest, RoutingEntry
from sync.protocol.office import BoardState, CallBoard, CallBoardEntry
from tests.kiosk.kioskkit import process_deletes

TIMEOUT = 10_000
T0 = dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC)


def _board(waiting: int, called: int = 6, done: int = 8, letter: str = "W") -> CallBoard:
    entries = [
        CallBoardEntry(
            reception_number=f"kiosk-1f-1202-{900 + n:04d}",
            call_number=f"{letter}-{888 - n}",
            state=BoardState.WAITING,
        )
        for n in range(waiting)
    ]
    entries += [
        CallBoardEntry(
            reception_number=f"kiosk-1f-1202-{n:04d}",
            call_number=f"M-{800 + n}",
            state=BoardState.CALLED,
            called_at=T0 + dt.timedelta(minutes=n),
            counter=str(n + 10),
        )
        for n in range(called)
    ]
    entries += [
        CallBoardEntry(
            reception_number=f"kiosk-1f-1202-{500 + n:04d}",
            call_number=f"H-{700 + n}",
            state=BoardState.DONE,
        )
        for n in range(done)
    ]
    return CallBoard(day=dt.date(2026, 12, 3), entries=entries)


# -- Qt-free --------------------------------------------------------------------------------


def test_the_view_shows_one_number_per_counter_newest_call_and_numbers_in_order() -> None:
    board = CallBoard(
        day=dt.date(2026, 12, 3),
        entries=[
            CallBoardEntry(reception_number="k-1", call_number="A-010", state=BoardState.WAITING),
            CallBoardEntry(reception_number="k-2", call_number="A-002", state=BoardState.WAITING),
            CallBoardEntry(
                reception_number="k-3",
                call_number="A-001",
                state=BoardState.CALLED,
                called_at=T0,
                counter="3",
            ),
            CallBoardEntry(
                reception_number="k-4",
                call_number="A-004",
                state=BoardState.CALLED,
                called_at=T0 + dt.timedelta(minutes=1),
                counter="3",
            ),
            CallBoardEntry(reception_number="P-1", state=BoardState.WAITING),  # paper, no call no.
        ],
    )
    view = BoardView.of(board)
    assert [(c.counter, c.number) for c in view.calling] == [("3", "A-004")]
    assert view.waiting == ("A-002", "A-010", "P-1")


def test_the_announcement_in_japanese_and_english() -> None:
    assert announcement("A-023", "3", "ja") == "A の 23 番の方、3 番窓口へお越しください"
    assert announcement("A-023", "3", "en") == "Number A 23, please come to counter 3."
    assert announcement("A-023", None, "ja") == "A の 23 番の方、受付へお越しください"
    assert announcement("kiosk-1f-1202-0001", "3", "ja") is None  # not a call number
    assert counter_text("3", "ja") == "3 番窓口" and counter_text("3", "en") == "Counter 3"


def test_the_chime_is_a_short_wav_written_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = chime_wav(tmp_path / "chime.wav")
    with wave.open(str(path)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
    assert 0.3 < seconds < 1.5
    stamp = path.stat().st_mtime_ns
    chime_wav(path)
    assert path.stat().st_mtime_ns == stamp


# -- geometry --------------------------------------------------------------------------------


class _NoApi:
    def call_board(self) -> CallBoard:  # never reached: the tests apply boards directly
        raise AssertionError


def _fits(board, labels) -> list[str]:  # type: ignore[no-untyped-def]
    """Every label with text: visible, inside the window, its text not wider or taller than
    the label's contents (QLabel clips silently; this is the check that it does not)."""
    problems = []
    window_rect = board.rect()
    for label in labels:
        if not label.text():
            continue
        rect = label.contentsRect()
        metrics = label.fontMetrics()
        top_left = label.mapTo(board, rect.topLeft())
        bottom_right = label.mapTo(board, rect.bottomRight())
        if not label.isVisible():
            problems.append(f"{label.text()}: hidden")
        if metrics.horizontalAdvance(label.text()) > rect.width():
            problems.append(
                f"{label.text()}: {metrics.horizontalAdvance(label.text())} > {rect.width()}"
            )
        if metrics.height() > rect.height():
            problems.append(f"{label.text()}: height {metrics.height()} > {rect.height()}")
        if not (window_rect.contains(top_left) and window_rect.contains(bottom_right)):
            problems.append(f"{label.text()}: outside the window")
    return problems


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_twelve_long_waiting_numbers_fit_without_scrolling(qtbot, qapp, language, size) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractScrollArea, QScrollBar

    from staff.background import RECEPTION_LANES, staff_lanes
    from staff.reception.call_board import CallBoardWindow

    ops = staff_lanes(RECEPTION_LANES)
    board = CallBoardWindow(_NoApi(), ops, language=language)  # type: ignore[arg-type]
    try:
        board.resize(*size)
        board.show()
        qtbot.waitExposed(board)
        board.model.apply(_board(12))
        qtbot.wait(50)
        board._fit()
        assert (board.width(), board.height()) == size  # nothing pushed the window larger
        shown = [c.text() for c in board.waiting_cells if c.text()]
        assert shown == list(board.model.view.waiting) and len(shown) == 12
        assert len([n for n in board.counter_numbers if n.text()]) == 6
        assert _fits(board, board.shown_labels()) == []
        assert not [s for s in board.findChildren(QScrollBar) if s.isVisible()]
        assert not board.findChildren(QAbstractScrollArea)
        number_px = board.counter_numbers[0].font().pixelSize()
        waiting_px = board.waiting_cells[0].font().pixelSize()
        assert number_px > waiting_px >= 24, (number_px, waiting_px)  # large, and readable
        # more than the cells: the last cell counts the rest, nothing is cut
        board.model.apply(_board(30))
        qtbot.wait(20)
        board._fit()
        last = board.waiting_cells[-1].text()
        assert last in ("ほか 11 件", "+11 more"), last
        assert _fits(board, board.shown_labels()) == []
        assert (board.width(), board.height()) == size
    finally:
        board.close()
        board.deleteLater()
        ops.shutdown(5000)
        process_deletes()


def test_a_new_call_rings_the_chime_once_and_queues_the_voice(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    from staff.background import RECEPTION_LANES, staff_lanes
    from staff.reception.call_board import CallBoardWindow

    ops = staff_lanes(RECEPTION_LANES)
    board = CallBoardWindow(_NoApi(), ops, voice=True)  # type: ignore[arg-type]
    try:
        first = _board(3, called=1)
        board.model.apply(first)
        assert board.sounds.played == []  # a board opened mid-morning does not ring
        board.model.apply(first)
        assert board.sounds.played == []
        later = _board(2, called=2)
        board.model.apply(later)
        assert board.sounds.played == ["chime"]
        assert board.sounds.spoken == [
            ("ja", "M の 801 番の方、11 番窓口へお越しください"),
            ("en", "Number M 801, please come to counter 11."),
        ]
    finally:
        ops.shutdown(5000)  # the voice may still be synthesising; it is dropped
        board.close()
        board.deleteLater()
        process_deletes()


# -- with the real back office ---------------------------------------------------------------


def _visit(office, procedures: list[str], visit: str) -> str:  # type: ignore[no-untyped-def]
    """What a kiosk does at confirm: ask the back office for the call number, then sync the
    visit's forms carrying it. Returns the issued number."""
    catalog = Catalog.builtin()
    with OfficeClient(office.url, office.kiosk_token) as kiosk:
        issued = kiosk.call_number(CallNumberRequest(visit=visit, procedures=procedures))
        templates = [catalog.get(p, catalog.versions(p)[-1]) for p in procedures]
        record = sample_for(procedures[0], templates[0].version).model_copy(
            update={"id": uuid.uuid4()}
        )
        records = make_ingest_records(
            record,
            templates,
            {t.id: b"%PDF-1.4\n%%EOF\n" for t in templates},
            kiosk_id=KIOSK,
            mode="resident",
            reception_number=visit,
            office_public_key=office.public_key,
            call_number=issued.call_number,
        )
        results = kiosk.ingest([r.model_dump_json() for r in records]).results
    assert all(r.status.value == "accepted" for r in results), results
    return issued.call_number


def test_one_key_calls_the_next_number_to_its_counter(
    qtbot, office, ops, no_leaked_widgets
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from staff.reception.call_board import CallBoardWindow

    admin = office.api("admin")
    try:
        admin.set_routing(
            [
                RoutingEntry(
                    template_id="juminhyo",
                    counter="3",
                    section_ja="市民課 証明係",
                    section_en="Certificates",
                )
            ]
        )
    finally:
        admin.close()
    tag = uuid.uuid4().hex[:6]
    first = _visit(office, ["juminhyo"], f"kiosk-r1-{tag}-1")
    second = _visit(office, ["juminhyo"], f"kiosk-r1-{tag}-2")
    api = office.api("staff")
    board = CallBoardWindow(api, ops, interval_ms=200)
    try:
        board.resize(1280, 720)
        board.show()
        board.start()
        qtbot.waitUntil(lambda: second in board.numbers(BoardState.WAITING), timeout=TIMEOUT)
        waiting_before = board.numbers(BoardState.WAITING)
        board.setFocus()
        qtbot.keyClick(board, Qt.Key.Key_F9)  # one key
        expected = waiting_before[0]
        qtbot.waitUntil(lambda: expected in board.numbers(BoardState.CALLED), timeout=TIMEOUT)
        assert (first, second) == tuple(sorted((first, second)))
        called = next(c for c in board.model.view.calling if c.number == expected)
        assert called.counter == "3"
        qtbot.waitUntil(lambda: "chime" in board.sounds.played, timeout=TIMEOUT)
    finally:
        board.close()
        board.deleteLater()
        api.logout()
        api.close()
