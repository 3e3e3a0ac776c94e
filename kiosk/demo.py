"""Embedded defaults for `madoguchi demo` and `madoguchi kiosk --demo`, and the scripted run.

The demo kiosk is the real kiosk on fictional parts: a virtual My Number Card (a bundled
sample resident, in-process, behind the real card thread), QR keys made for this run, the real
confirm step writing a SQLite outbox sealed to the embedded back office's key, with the kiosk's
data QR (signed by a kiosk key made into `<out>/keys`) on every printed page, and a folder
"printer". `DemoKit.office` is the embedded back office and sync worker (`kiosk.embedded_office`),
started by the commands (`start_office`), not by `build_demo`, so tests that do not need it do
not pay for it. Nothing here is personal data: the residents are the project's fictional samples.

`run_scripted` drives the Qt window the way a resident would (start, moving-in bundle, card +
PIN, answering what the card cannot know from the matching sample record, signing, confirming)
and saves screenshots; `madoguchi demo --headless` runs it offscreen.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.card import CardService
from devices.card.virtual import (
    ResidentProfile,
    VirtualBackend,
    VirtualMyNumberCard,
    bundled_profiles,
    load_profiles,
)
from devices.card.virtual.inprocess import DEFAULT_READER
from forms.catalog import Catalog
from forms.errors import MadoguchiError
from forms.fields import is_empty
from forms.paths import get_value
from forms.payload import KeyRing, encode_payload
from forms.payload import keys as key_files
from forms.record import SessionRecord
from forms.template import Template
from kiosk.data_qr import DataQrStamper
from kiosk.embedded_office import DemoOffice
from kiosk.flow import KioskFlow
from kiosk.measurement import MetricsLog
from kiosk.services import (
    CardServiceReader,
    OutboxConfirmer,
    OutboxOpener,
    PayloadQrDecoder,
    SpoolerPrinter,
)
from kiosk.staff import hash_staff_pin
from printing.spool import FolderSpooler

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from kiosk.app import KioskServices, KioskWindow
    from sync.outbox import Outbox

log = logging.getLogger(__name__)

DEMO_PROFILE_FILE = "era_boundaries"
DEMO_PROFILE = "showa-last-day"  # 見本 昭子, fictional
DEMO_SAMPLE = "mihon_showa_last_day"  # the same resident's sample session record
DEMO_STAFF_PIN = "2468"
DEMO_BUNDLE = "bundle:moving_in"
DEMO_KIOSK_ID = "demo-kiosk"
KIOSK_KEY_NAME = "kiosk"  # <out>/keys/kiosk-signing.key|.pub, as `madoguchi keys` names them


class DemoStepTimeout(MadoguchiError):
    code = "demo_timeout"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"デモの手順が時間内に終わりませんでした（{what}）", f"demo step timed out ({what})"
        )


def samples_dir() -> Path:
    """forms/samples/, found beside a module of the package (robust to namespace shadows)."""
    import forms.catalog

    return Path(forms.catalog.__file__).parent / "samples"


def sample_names() -> list[str]:
    return sorted(p.stem for p in samples_dir().glob("*.json"))


def sample_record(name: str) -> SessionRecord:
    """One of the fictional sample session records shipped in forms/samples/."""
    return SessionRecord.from_json((samples_dir() / f"{name}.json").read_text("utf-8"))


def demo_profile(label: str = DEMO_PROFILE) -> ResidentProfile:
    profiles = load_profiles(bundled_profiles()[DEMO_PROFILE_FILE])
    return next(p for p in profiles if p.label == label)


@dataclass
class DemoKit:
    """Everything the demo kiosk runs on; `close()` stops the card thread and the outbox."""

    out_dir: Path
    catalog: Catalog
    backend: VirtualBackend
    card_service: CardService
    profile: ResidentProfile
    keys: KeyRing
    signing_key: Any = field(repr=False)
    outbox_opener: OutboxOpener = field(repr=False)
    printer: SpoolerPrinter = field(repr=False)
    services: KioskServices = field(repr=False)
    metrics: MetricsLog = field(repr=False)
    office: DemoOffice = field(repr=False)
    kiosk_signing_key: Ed25519PrivateKey = field(repr=False)
    staff_pin_hash: str = ""

    @property
    def outbox(self) -> Outbox:
        return self.outbox_opener.get()

    @property
    def kiosk_public_key(self) -> Ed25519PublicKey:
        return self.kiosk_signing_key.public_key()

    def start_office(self, *, background: bool = False) -> DemoOffice:
        """Start the embedded back office and the sync worker (see kiosk.embedded_office)."""
        if background:
            self.office.start_in_background()
        else:
            self.office.start()
        return self.office

    def insert_card(self, tries: int = 3) -> VirtualMyNumberCard:
        card = VirtualMyNumberCard(self.profile, tries=tries)
        self.backend.insert(card, DEFAULT_READER)
        return card

    def remove_card(self) -> None:
        self.backend.remove(DEFAULT_READER)

    def payload_for(self, record: SessionRecord, templates: list[Template]) -> str:
        """A pre-entry QR payload (digits) as the smartphone site would make it."""
        return encode_payload(
            record,
            [(t.id, t.version) for t in templates],
            signing_key=self.signing_key,
            counter_public_key=self.keys.counter_private.public_key(),
        )

    def make_flow(self, **kwargs: Any) -> KioskFlow:
        return KioskFlow(
            self.catalog, staff_pin_hash=self.staff_pin_hash, metrics_log=self.metrics, **kwargs
        )

    def close(self) -> None:
        self.office.close()
        self.card_service.close(timeout=5.0)
        self.outbox_opener.close()


def build_demo(
    out_dir: str | Path,
    *,
    insert_card: bool = True,
    catalog: Catalog | None = None,
    profile: ResidentProfile | None = None,
) -> DemoKit:
    from kiosk.app import KioskServices

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    catalog = catalog if catalog is not None else Catalog.builtin()
    backend = VirtualBackend({DEFAULT_READER: None})
    service = CardService(backend, poll_interval=0.1).start()
    counter_private, _ = key_files.generate_counter_keypair()
    signing_private, signing_public = key_files.generate_signing_keypair()
    keys = KeyRing(counter_private, signing_public)
    outbox_path = out / "outbox.sqlite3"
    outbox = OutboxOpener(outbox_path)
    kiosk_key = kiosk_signing_key(out / "keys")
    kiosk_pub = (out / "keys" / key_files.signing_public_name(KIOSK_KEY_NAME)).read_text("ascii")
    office = DemoOffice(out / "backoffice", outbox_path, signing_key_pem=kiosk_pub)
    office_public = office.office_public_key
    printer = SpoolerPrinter(FolderSpooler(out / "printed"))
    services = KioskServices(
        card=CardServiceReader(service),
        qr=PayloadQrDecoder(keys, catalog),
        confirmer=OutboxConfirmer(
            outbox,
            office_public_key=office_public,
            kiosk_id=DEMO_KIOSK_ID,
            data_qr=DataQrStamper(kiosk_key, office_public),
        ),
        printer=printer,
    )
    kit = DemoKit(
        out_dir=out,
        catalog=catalog,
        backend=backend,
        card_service=service,
        profile=profile if profile is not None else demo_profile(),
        keys=keys,
        signing_key=signing_private,
        outbox_opener=outbox,
        printer=printer,
        services=services,
        metrics=MetricsLog(out / "metrics.jsonl"),
        office=office,
        kiosk_signing_key=kiosk_key,
        staff_pin_hash=hash_staff_pin(DEMO_STAFF_PIN),
    )
    if insert_card:
        kit.insert_card()
    return kit


def kiosk_signing_key(folder: Path) -> Ed25519PrivateKey:
    """The kiosk's data-QR signing key in `folder` (made there, 0600, if it is not there yet)."""
    private_path = folder / key_files.signing_private_name(KIOSK_KEY_NAME)
    if private_path.exists():
        return key_files.load_signing_private_key(private_path)
    private, public = key_files.generate_signing_keypair()
    key_files.save_private_key(private, private_path)
    key_files.save_public_key(public, folder / key_files.signing_public_name(KIOSK_KEY_NAME))
    return private


def demo_signature_png() -> bytes:
    """A stroke on white, as the signature pad would export it (for benches and scripts)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 220), "white")
    ImageDraw.Draw(image).line([(60, 150), (200, 60), (320, 160), (520, 70)], fill="black", width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def answer_from(flow: KioskFlow, sample: SessionRecord) -> int:
    """Answer every open item the way the sample resident would; returns how many.

    Groups that choose persons by age change as birth dates are typed (a person leaves the
    後期高齢者医療 list once under 75 is known), so items can come and go: a few passes.
    """
    answered = 0
    for _ in range(3):
        before = answered
        for q in flow.questions():
            if flow.is_read_only(q):
                continue
            if not flow.errors_for(q) and not is_empty(flow.value(q)):
                continue
            raw = get_value(sample, q.slot.path)
            if is_empty(raw):
                continue
            if hasattr(raw, "model_dump"):
                raw = raw.model_dump()
            try:
                if flow.edit(q.path, raw) is None:
                    answered += 1
            except KeyError:  # no longer asked after an earlier answer
                continue
        if answered == before:
            break
    for path in flow.unconfirmed_flags():
        flow.confirm_flag(path)
    return answered


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    """Process Qt events until `condition()` holds; DemoStepTimeout after `timeout_s`."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise DemoStepTimeout(what)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def sign_programmatically(pad: Any) -> None:
    """A few strokes on the signature pad, as a finger would draw them."""
    from PySide6.QtCore import QPointF

    w, h = max(pad.width(), 600), max(pad.height(), 220)
    for stroke in range(3):
        x0 = w * (0.15 + 0.25 * stroke)
        pad.begin_stroke(QPointF(x0, h * 0.6))
        for i in range(1, 25):
            pad.extend_stroke(QPointF(x0 + i * w * 0.008, h * (0.6 - 0.3 * ((i % 8) / 8))))
        pad.end_stroke()


@dataclass
class ScriptedResult:
    reception_number: str
    printed: list[str]
    screenshots: list[str]
    keys: tuple[uuid.UUID, ...] = ()  # the outbox rows the confirm step wrote


def run_scripted(
    window: KioskWindow, kit: DemoKit, *, pin: str | None = None, screenshots: bool = True
) -> ScriptedResult:
    """Drive the window through the moving-in bundle with the virtual card."""
    from kiosk.flow import Method, Step

    flow = window.flow
    shots: list[str] = []

    def shot(name: str) -> None:
        if screenshots:
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.processEvents()  # let pending layout requests settle first
            QCoreApplication.processEvents()
            path = kit.out_dir / f"{name}.png"
            window.grab().save(str(path))
            shots.append(str(path))

    shot("welcome")
    window.screens[Step.WELCOME].start_button.click()
    procedures = window.screens[Step.PROCEDURES]
    procedures.buttons[DEMO_BUNDLE].setChecked(True)
    procedures.next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
    wait_until(lambda: flow.tries_left is not None or flow.step is Step.ERROR, "card tries")
    if flow.step is Step.ERROR:
        assert flow.error is not None
        raise flow.error.error
    pin_screen = window.screens[Step.PIN]
    for digit in pin or kit.profile.pin:
        pin_screen.pad.press(digit)
    pin_screen.read_button.click()
    wait_until(lambda: flow.step in (Step.REVIEW, Step.ERROR), "card read")
    if flow.step is Step.ERROR:
        assert flow.error is not None
        raise flow.error.error
    answer_from(flow, sample_record(DEMO_SAMPLE))
    shot("review")
    window.screens[Step.REVIEW].next_button.click()
    sign = window.screens[Step.SIGN]
    sign_programmatically(sign.pad)
    sign.ok_button.click()
    window.screens[Step.CONFIRM].ok_button.click()
    wait_until(lambda: flow.step in (Step.DONE, Step.ERROR), "confirm and print", 60.0)
    if flow.step is Step.ERROR:
        assert flow.error is not None
        raise flow.error.error
    assert flow.confirmation is not None
    number = flow.confirmation.reception_number
    shot("done")
    return ScriptedResult(number, list(kit.printer.printed), shots, flow.confirmation.keys)
