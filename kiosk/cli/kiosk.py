"""`madoguchi kiosk [--demo]`: the resident kiosk (full screen; `--windowed` for development).

Configuration (flags, else environment, else defaults; see sync.settings for the data dir):
`MADOGUCHI_STAFF_PIN_HASH` or `<data dir>/staff_pin.hash` (set it with
`madoguchi kiosk staff-pin`: a PIN of 6 to 8 digits, hashed with argon2id, written 0600),
`MADOGUCHI_INACTIVITY_S` (default 90), `--printer QUEUE` (CUPS; required outside `--demo`:
a PDF folder would keep every application in plain text on the kiosk's disk), `--keys DIR` (the key folder, default `forms.payload.keys.default_key_dir()`: the
kiosk's own `kiosk-signing.key` for the data QR on printouts, required, made with
`madoguchi keys signing --name kiosk`; and, when `--keys` is given, the counter key ring that
reads pre-entry QR codes).

`--demo` runs on a virtual card and a PDF folder. Run through `madoguchi`, it also starts the
embedded back office and the sync worker once the window is up (injected by the `madoguchi`
composition, `madoguchi.demo`), so the welcome screen does not wait for them; where no back
office is installed, the demo kiosk works offline and its outbox keeps the records.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from pathlib import Path

from forms.command_line import CliError
from kiosk.cli import enrol


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("kiosk", help="住民用端末 / the resident kiosk (GUI)")
    p.add_argument("--demo", action="store_true", help="virtual card, embedded defaults")
    p.add_argument("--windowed", action="store_true", help="not full screen")
    p.add_argument("--english", action="store_true", help="start in English")
    p.add_argument("--printer", metavar="QUEUE", help="CUPS queue (required unless --demo)")
    p.add_argument(
        "--keys", metavar="DIR", help="key folder: kiosk signing key, pre-entry counter key ring"
    )
    p.add_argument("--camera", action="store_true", help="camera preview on the QR screen")
    p.add_argument("--scanner", metavar="PORT", help="serial QR scanner (e.g. /dev/ttyACM0)")
    p.add_argument("--data-dir", metavar="DIR")
    p.set_defaults(handler=_kiosk)
    sub = p.add_subparsers(dest="kiosk_command", metavar="ACTION", required=False)
    enrol.register(sub)
    q = sub.add_parser(
        "staff-pin", help="職員用暗証番号を設定（6〜8桁）/ set the staff PIN (6-8 digits)"
    )
    q.add_argument("--data-dir", metavar="DIR")
    q.set_defaults(handler=_staff_pin)


STAFF_PIN_FILE = "staff_pin.hash"


def _staff_pin(args: argparse.Namespace) -> int:
    import getpass
    import sys

    from forms import locations
    from kiosk.staff_mode import hash_staff_pin
    from sync.enrolment import write_private_atomically

    if sys.stdin.isatty():
        pin = getpass.getpass("職員用暗証番号 / staff PIN: ")
        if getpass.getpass("もう一度 / again: ") != pin:
            raise CliError("暗証番号が一致しません", "the PINs do not match")
    else:
        pin = sys.stdin.readline().strip()
    stored = hash_staff_pin(pin)  # StaffPinFormatError unless 6-8 digits
    data_dir = Path(args.data_dir) if args.data_dir else locations.data_dir()
    write_private_atomically(data_dir / STAFF_PIN_FILE, stored.encode("ascii") + b"\n")
    print(f"職員用暗証番号を設定しました / staff PIN set: {data_dir / STAFF_PIN_FILE}")
    return 0


def inactivity_seconds() -> float:
    text = os.environ.get("MADOGUCHI_INACTIVITY_S", "90")
    try:
        value = float(text)
    except ValueError:
        raise CliError(
            "MADOGUCHI_INACTIVITY_S は秒数です", "MADOGUCHI_INACTIVITY_S must be seconds"
        ) from None
    if not 10 <= value <= 3600:
        raise CliError("無操作時間は10〜3600秒です", "inactivity must be 10-3600 s")
    return value


def _kiosk(args: argparse.Namespace) -> int:
    if not args.demo and not args.printer:  # before any window: never a plaintext PDF folder
        raise CliError(
            "--printer QUEUE を指定してください（デモ以外では必須）",
            "--printer QUEUE is required (except with --demo)",
            exit_code=2,
        )
    inactivity = inactivity_seconds()  # refuse a bad setting before starting anything
    from kiosk.gui.launch import run_kiosk

    if args.demo:
        return _demo(args, inactivity, run_kiosk)
    flow, services, close, start_desk = _production(args, inactivity)
    return run_kiosk(
        flow,
        services,
        english=args.english,
        windowed=args.windowed,
        when_shown=start_desk,  # alerts and routing: once the welcome screen is up
        closers=[close],
    )


def _demo(args: argparse.Namespace, inactivity: float, run_kiosk) -> int:
    """The demo kiosk: the window first (flow on a lazy catalogue), then, once the welcome
    screen is up, the kit (virtual card, keys, outbox, printer) and the back office."""
    from forms.catalog import Catalog
    from kiosk.deferred import DeferredServices
    from kiosk.flow import KioskFlow
    from kiosk.measurement import MetricsLog
    from kiosk.staff_mode import DEMO_STAFF_PIN, DEMO_STAFF_PIN_HASH

    office = getattr(args, "demo_office", None)  # injected by the `madoguchi` composition
    out = Path(args.data_dir or tempfile.mkdtemp(prefix="madoguchi-demo-"))
    catalog = Catalog.builtin(lazy=True)
    kits: list = []

    def make():
        from kiosk.demo import build_demo

        kit = build_demo(out, office=office, catalog=catalog)
        kits.append(kit)
        print(f"demo: PIN {kit.profile.pin}, staff PIN {DEMO_STAFF_PIN}, output {kit.out_dir}")
        return kit.services

    services = DeferredServices(make)
    flow = KioskFlow(
        catalog,
        navigator=True,
        inactivity_s=inactivity,
        staff_pin_hash=DEMO_STAFF_PIN_HASH,
        metrics_log=MetricsLog(out / "metrics.jsonl"),
    )

    def shown() -> None:
        services.get()
        # the back office migrates its database meanwhile
        kits[0].start_office(background=True)

    def close() -> None:
        for kit in kits:
            kit.close()

    return run_kiosk(
        flow,
        services,
        english=args.english,
        windowed=args.windowed,
        when_shown=shown,
        closers=[close],
    )


def _heartbeat(outbox, card_service, spooler):
    """What the 端末 tab sees of this kiosk: reader present, the CUPS queue's state and
    reasons, the outbox (sent by the desk's thread every 30 s)."""
    from sync.heartbeat import HeartbeatSender

    return HeartbeatSender(
        outbox,
        reader_present=lambda: bool(card_service.readers().result(timeout=5)),
        printer=spooler.printer_status,
    )


def _production(args: argparse.Namespace, inactivity: float):
    from devices.card import CardService
    from forms.payload import KeyRing, keys
    from kiosk.desk import KioskDesk
    from kiosk.flow import KioskFlow
    from kiosk.measurement import MetricsLog
    from kiosk.ports import KioskServices
    from kiosk.services import (
        CardServiceReader,
        OfficeReservations,
        OutboxConfirmer,
        OutboxOpener,
        PayloadQrDecoder,
        SpeakerSpeech,
        SpoolerPrinter,
    )
    from kiosk.staff_mode import needs_rehash
    from printing.data_qr import DataQrStamper
    from printing.spool import CupsSpooler
    from sync.counter_link import CounterLink
    from sync.enrolment import write_private_atomically
    from sync.office_key import OfficeKeyFile
    from sync.settings import KioskSettings
    from sync.templates import TemplateCache

    settings = KioskSettings.from_env(data_dir=args.data_dir)
    catalog = TemplateCache(settings.template_cache).catalog()
    staff_hash = os.environ.get("MADOGUCHI_STAFF_PIN_HASH")
    hash_file = settings.data_dir / STAFF_PIN_FILE
    store_hash = None
    if staff_hash is None and hash_file.exists():
        staff_hash = hash_file.read_text("ascii").strip()

        def store_hash(new: str) -> None:  # a legacy hash, replaced after a good unlock
            write_private_atomically(hash_file, new.encode("ascii") + b"\n")

    if staff_hash is not None and needs_rehash(staff_hash):
        logging.getLogger("kiosk").warning(
            "the staff PIN hash is of the first version (scrypt, 4 digits allowed): set a "
            "6-digit PIN with `madoguchi kiosk staff-pin`"
        )
    key_dir = Path(args.keys) if args.keys else keys.default_key_dir()
    kiosk_key = keys.load_signing_private_key(key_dir / keys.signing_private_name("kiosk"))
    office_key = OfficeKeyFile(settings.office_key)  # re-read when the sync worker rotates it
    office_public_key = office_key.current()  # refuse to start without one
    ring = KeyRing.load(args.keys) if args.keys else None
    card_service = CardService().start()
    outbox = OutboxOpener(settings.db_path)
    office = _OfficeLink(settings)
    counter = CounterLink(outbox.get, office.client, offline_letter=settings.offline_letter)
    spooler = CupsSpooler(args.printer)  # `_kiosk` refused to start without one
    desk = KioskDesk(counter, heartbeat=_heartbeat(outbox.get, card_service, spooler))
    scanner = None
    if args.scanner:
        from devices.qr import SerialScanner

        scanner = SerialScanner(args.scanner)
    services = KioskServices(
        card=CardServiceReader(card_service),
        qr=PayloadQrDecoder(ring, catalog) if ring is not None else None,
        confirmer=OutboxConfirmer(
            outbox,
            office_public_key=office_key,
            kiosk_id=settings.kiosk_id,
            data_qr=DataQrStamper(kiosk_key, office_public_key),
            counter=counter,
        ),
        printer=SpoolerPrinter(spooler),
        camera=args.camera,
        scanner=scanner,
        desk=desk,
        speech=SpeakerSpeech(),
        reservations=OfficeReservations(office.client),
    )
    flow = KioskFlow(
        catalog,
        navigator=True,
        inactivity_s=inactivity,
        staff_pin_hash=staff_hash,
        staff_pin_store=store_hash,
        metrics_log=MetricsLog(settings.data_dir / "metrics.jsonl"),
    )

    def close() -> None:
        desk.close()
        card_service.close(timeout=5.0)
        office.close()
        outbox.close()
        if scanner is not None:
            scanner.close()

    return flow, services, close, desk.start


class _OfficeLink:
    """The kiosk's office client for call numbers and alerts, made on first use (off the GUI
    thread) from the server URL and the terminal token; None while there is no token."""

    def __init__(self, settings) -> None:
        import threading

        self.settings = settings
        self._client = None
        self._lock = threading.Lock()

    def client(self):
        import logging

        import httpx

        from sync.client import OfficeClient, read_token
        from sync.errors import TokenFileError

        with self._lock:
            if self._client is None:
                try:
                    token = read_token(self.settings.token_file)
                except TokenFileError as exc:
                    logging.getLogger(__name__).warning("no terminal token: %s", exc.en)
                    return None
                self._client = OfficeClient(
                    self.settings.server_url, token, timeout=httpx.Timeout(5.0, connect=2.0)
                )
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
