"""Render the reception terminal and the call board to docs/screenshots/reception-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_reception.py
    xvfb-run -a .venv/bin/python scripts/screenshots_reception.py

Starts a real back office (`madoguchi backoffice serve`, SQLite in a temporary folder) on a
free port, pushes the shipped sample residents through the kiosk's sync client (fictional
people only), each visit with the call number the back office really issued (`POST
/call-numbers`, routed by procedure to a counter), signs a staff account in, and saves the queue
with a record open, the totals tab, the 端末 tab (one kiosk out of paper), and the call board
at 1920×1080 (Japanese lead) and 1280×720 (English lead) with numbers called to their counters.
The server is stopped by its PID at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshot_office import (  # noqa: E402
    PASSWORD,
    office,
    reception_window,
    save,
    staff_client,
    wait,
)

from forms.clock import office_clock  # noqa: E402


def _push_samples(url: str, token: str, office_key) -> None:
    import uuid

    from forms.catalog import Catalog
    from forms.fill import fill
    from forms.sample_records import load_sample, sample_names
    from printing.render import render_application
    from sync.application import make_ingest_records
    from sync.client import OfficeClient
    from sync.protocol.counter import CallNumberRequest, Heartbeat, PrinterState

    catalog = Catalog.builtin()
    now = dt.datetime.now(dt.UTC)
    bodies = []
    kiosk = OfficeClient(url, token)
    for minutes, (template, sample) in enumerate(
        (t, r)
        for r in (load_sample(n) for n in sample_names())
        for t in catalog.latest()
        if fill(t, r).ok
    ):
        visit = f"kiosk-1f-{now:%m%d}-{minutes + 1:04d}"  # the kiosk's own reception number
        issued = kiosk.call_number(CallNumberRequest(visit=visit, procedures=[template.id]))
        record = sample.model_copy(update={"id": uuid.uuid4()})
        pdf = render_application([fill(template, record)], reception_number=visit)
        bodies += [
            r.model_dump_json()
            for r in make_ingest_records(
                record,
                [template],
                {template.id: pdf},
                kiosk_id="kiosk-1f",
                mode="resident",
                reception_number=visit,
                office_public_key=office_key,
                call_number=issued.call_number,
                measurement={
                    "step_seconds": {"identify": 20.0 + minutes, "review": 60.0, "sign": 15.0},
                    "typed_chars": 4 + minutes,
                    "prefilled_chars": 80,
                },
                created_at=now - dt.timedelta(minutes=40 - 3 * minutes),
            )
        ]
    with kiosk:
        kiosk.ingest(bodies)
        # one kiosk out of paper, for the 端末 tab
        kiosk.heartbeat(
            Heartbeat(
                app_version="1.0",
                reader_present=True,
                printer_state=PrinterState.STOPPED,
                printer_reasons=["media-empty-error"],
                outbox_pending=0,
                sent_at=now,
            )
        )


def _route(url: str) -> None:
    from sync.client import OfficeClient
    from sync.protocol.counter import RoutingEntry

    table = [
        ("juminhyo", "1", "市民課 証明係", "Certificates"),
        ("inkan", "1", "市民課 証明係", "Certificates"),
        ("idou", "3", "市民課 住民記録係", "Residents' records"),
        ("kokuho", "7", "保険年金課", "Health insurance and pensions"),
        ("jidou_teate", "9", "子育て支援課", "Child support"),
    ]
    with OfficeClient(url) as admin:
        admin.login("admin", PASSWORD)
        published = {t.id for t in admin.templates()}
        admin.set_routing(
            [
                RoutingEntry(template_id=t, counter=c, section_ja=ja, section_en=en)
                for t, c, ja, en in table
                if t in published
            ]
        )


def _boards(window, api, ops, out: Path) -> None:
    """Three visits done, the next called (each to its counter), the boards saved."""
    from staff.reception.call_board import CallBoardWindow
    from sync.protocol.office import BoardState

    # the board: three visits done, one called to each of its counters, the rest waiting
    by_number: dict[str, list[str]] = {}
    for item in window.queue.model.items():
        by_number.setdefault(item.call_number or "", []).append(item.receipt_number)
    numbers = sorted(n for n in by_number if n)
    for done in numbers[:3]:
        for receipt in by_number[done]:
            api.identity_check(receipt, "my_number_card")
            with contextlib.suppress(Exception):  # already in review
                api.change_status(receipt, "in_review")
            api.change_status(receipt, "done")
    for called in numbers[3:9]:
        for receipt in by_number[called]:
            api.call(receipt)

    for name, size, language in (
        ("reception-3-call-board.png", (1920, 1080), "ja"),
        ("reception-5-call-board-720p-en.png", (1280, 720), "en"),
    ):
        board = CallBoardWindow(api, ops, language=language)
        board.setFont(window.font())
        board.resize(*size)
        board.show()
        board.start()
        wait(lambda b=board: bool(b.numbers(BoardState.WAITING)))
        save(board, out / name)
        board.stop()
        board.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    with office("madoguchi-reception-shots-", signing_key=True, admin=True) as place:
        _route(place.url)
        _push_samples(place.url, place.token, place.office_key)
        api = staff_client(place)
        with reception_window(place, api) as (window, ops):
            window.tabs.setCurrentIndex(1)  # 様式別一覧: the per-form queue (visits: tab 0)
            wait(lambda: window.queue.model.rowCount() > 0)
            items = window.queue.model.items()
            first, second = items[0].receipt_number, items[1].receipt_number
            api.change_status(second, "in_review")
            api.call(second)
            window.queue.refresh()
            window.record.open(first)
            wait(lambda: window.record.pdf_view.page_count > 0)
            window.queue.select(first)
            save(window, args.out / "reception-1-queue-record.png")

            window.tabs.setCurrentWidget(window.totals)
            today = office_clock().today()
            window.totals.set_range(today - dt.timedelta(days=1), today)
            window.totals.load()
            wait(lambda: window.totals.table.rowCount() > 0)
            save(window, args.out / "reception-2-totals.png")

            window.tabs.setCurrentWidget(window.kiosks)
            wait(lambda: bool(window.kiosks.statuses))
            save(window, args.out / "reception-4-kiosks.png")

            _boards(window, api, ops, args.out)
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
