"""The demo's composition: the kiosk's demo kit (`kiosk.demo`) wired to the real back office.

The kiosk does not know the back office (a client never imports the server); this package
does. `embedded_office` is the factory `kiosk.demo.build_demo(office=…)` takes: the real
service on a loopback port and the real sync worker, both in-process (`embedded_office.py`).
"""

from __future__ import annotations

from pathlib import Path

from madoguchi.demo.embedded_office import DemoOffice


def embedded_office(folder: Path, outbox_path: Path, kiosk_public_pem: str) -> DemoOffice:
    return DemoOffice(folder, outbox_path, signing_key_pem=kiosk_public_pem)
