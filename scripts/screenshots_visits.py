"""Render the reception terminal's visit queue and an open visit to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_visits.py
    xvfb-run -a .venv/bin/python scripts/screenshots_visits.py

Starts a real back office (`madoguchi backoffice serve`, SQLite in a temporary folder) on a
free port; each shipped sample resident (fictional people only) comes as one kiosk visit: a
call number issued by the back office (`POST /call-numbers`), then the visit's forms pushed
through the kiosk's sync client. A few visits are moved on (called, in review, one form
returned, done) so every state shows. Saves reception-4-visits.png (the queue and a moving-in
household's visit open on its first form), reception-5-visit-form.png (the seal registration
form of the same visit) and reception-6-keys.png (the ? overlay). The server is stopped by
its PID at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshot_office import office, reception_window, save, staff_client, wait  # noqa: E402

from forms.clock import office_clock  # noqa: E402

# (sample, forms, minutes ago at the kiosk): the order they arrived in
VISITS = (
    ("takasaki_okuyami", ["kouki", "kaigo", "setai_henko"], 52),
    ("smith_john", ["juminhyo", "inkan"], 41),
    ("yoshino_household", ["idou", "kokuho", "jidou_teate", "inkan", "kodomo_iryo"], 33),
    ("mihon_birth", ["shussei", "jidou_teate", "kodomo_iryo"], 21),
    ("silva_from_abroad", ["idou", "kokuho", "nenkin"], 12),
    ("mihon_showa_last_day", ["tenkyo", "juminhyo"], 6),
    ("mihon_three_generations", ["tenshutsu", "kokuho", "kouki", "kaigo"], 2),
)


def _push_visits(url: str, token: str, office_key) -> list[uuid.UUID]:
    from forms.catalog import Catalog
    from forms.fill import fill
    from forms.sample_records import load_sample
    from printing.render import render_application
    from sync.application import make_ingest_records
    from sync.client import OfficeClient
    from sync.protocol.counter import CallNumberRequest

    catalog = Catalog.builtin()
    now = office_clock().now()
    ids = []
    with OfficeClient(url, token) as client:
        for n, (sample, forms, minutes) in enumerate(VISITS, 1):
            record = load_sample(sample).model_copy(update={"id": uuid.uuid4()})
            reception = f"1F-{n:04d}"
            issued = client.call_number(CallNumberRequest(visit=reception, procedures=forms))
            templates = [catalog.get(t, catalog.versions(t)[-1]) for t in forms]
            pdfs = {
                t.id: render_application([fill(t, record)], reception_number=issued.call_number)
                for t in templates
            }
            records = make_ingest_records(
                record,
                templates,
                pdfs,
                kiosk_id="kiosk-1f",
                mode="resident",
                reception_number=reception,
                office_public_key=office_key,
                call_number=issued.call_number,
                created_at=now - dt.timedelta(minutes=minutes),
            )
            answer = client.ingest([r.model_dump_json() for r in records])
            assert all(r.status.value == "accepted" for r in answer.results), answer
            ids.append(record.id)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    with office("madoguchi-visit-shots-") as place:
        okuyami, smith, yoshino, birth, _silva, _showa, _three = _push_visits(
            place.url, place.token, place.office_key
        )
        api = staff_client(place)
        # the morning so far: one visit done, one with a form returned, the household
        # in review with its identity checked, the birth called to the counter
        for visit in (okuyami, smith, yoshino):
            api.call_visit(visit)
            api.start_visit_review(visit)
            api.visit_identity_check(visit, "my_number_card")
        api.complete_visit(okuyami)
        inkan = api.visit(smith).forms[1].receipt_number
        api.change_status(inkan, "returned", "登録する印鑑をお持ちください / bring the seal")
        api.call_visit(birth)

        with reception_window(place, api) as (window, _ops):
            window.visits.state_filter.setCurrentIndex(1)  # すべて: the done visit too
            wait(lambda: window.visits.model.rowCount() == len(VISITS))
            window.visits.select(yoshino)
            window.visit.open(yoshino)
            wait(lambda: window.visit.visit_id == yoshino and window.visit.tabs.count() == 5)
            wait(lambda: window.visit.form_tabs()[0].pdf_view.page_count > 0)
            save(window, args.out / "reception-4-visits.png", settle=3.0)

            window.visit.tabs.setCurrentIndex(3)  # 印鑑登録申請書
            wait(lambda: window.visit.form_tabs()[3].pdf_view.page_count > 0)
            save(window, args.out / "reception-5-visit-form.png", settle=3.0)

            window.overlay.open_overlay()
            save(window, args.out / "reception-6-keys.png", settle=0.5)
            window.overlay.close_overlay()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
