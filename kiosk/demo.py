"""The demo kiosk's parts, for `madoguchi kiosk --demo`, `madoguchi demo` and the tests.

The demo kiosk is the real kiosk on fictional parts: a virtual My Number Card (a bundled
sample resident, in-process, behind the real card thread), QR keys made for this run, the real
confirm step writing a SQLite outbox sealed to the back office's key, with the kiosk's data QR
(signed by a kiosk key made into `<out>/keys`) on every printed page, and a folder "printer".
Nothing here is personal data: the residents are the project's fictional samples.

The back office is not the kiosk's to start: `build_demo(office=…)` takes a factory for one
(`madoguchi` injects its embedded back office and sync worker, `madoguchi.demo`). Without one
the kiosk runs offline, as a real kiosk does when its network is down: the outbox keeps every
record sealed to an office key made for the run (`OfflineOffice`).

`kiosk.gui.scripted` drives the Qt window the way a resident would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

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
from forms.fields import is_empty
from forms.paths import get_value
from forms.payload import keys as key_files
from forms.payload.keys import KeyRing
from forms.private_files import make_dirs
from forms.record import SessionRecord
from forms.template import Template
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
from kiosk.staff_mode import DEMO_STAFF_PIN, DEMO_STAFF_PIN_HASH
from printing.data_qr import DataQrStamper
from printing.spool import FolderSpooler
from sync.counter_link import CounterLink

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    from sync.client import OfficeClient
    from sync.outbox import Outbox

log = logging.getLogger(__name__)


class DemoOfficeLink(Protocol):
    """The back office a demo kiosk reports to: its public key, a life to start and end, and
    (once started) a client speaking for the kiosk, for call numbers and alerts."""

    @property
    def office_public_key(self) -> X25519PublicKey: ...

    def kiosk_client(self) -> OfficeClient | None: ...

    def start(self) -> None: ...

    def start_in_background(self) -> None: ...

    def close(self) -> None: ...


# (folder for the office's data, the kiosk's outbox file, the kiosk's signing public key PEM)
OfficeFactory = Callable[[Path, Path, str], DemoOfficeLink]


class OfflineOffice:
    """No back office: an office key pair made for the run, so records are sealed as always
    and wait in the outbox. The private half is kept 0600 beside the public one."""

    def __init__(self, folder: Path, _outbox_path: Path, _kiosk_public_pem: str) -> None:
        private_path = folder / key_files.COUNTER_PRIVATE
        if private_path.exists():
            private = key_files.load_counter_private_key(private_path)
        else:
            private, public = key_files.generate_counter_keypair()
            key_files.save_private_key(private, private_path)
            key_files.save_public_key(public, folder / key_files.COUNTER_PUBLIC)
        self._public = private.public_key()

    @property
    def office_public_key(self) -> X25519PublicKey:
        return self._public

    def start(self) -> None:
        log.info("demo kiosk: no back office; records wait in the outbox")

    def start_in_background(self) -> None:
        self.start()

    def kiosk_client(self) -> OfficeClient | None:
        return None  # offline: the kiosk issues call numbers from its own letter

    def close(self) -> None:
        pass


DEMO_PROFILE_FILE = "era_boundaries"
DEMO_PROFILE = "showa-last-day"  # 見本 昭子, fictional
DEMO_SAMPLE = "mihon_showa_last_day"  # the same resident's sample session record

DEMO_BUNDLE = "bundle:moving_in"
# What the demo's scripted residents answer はい on the procedure navigator (いいえ to the rest):
# nobody in an employer's health insurance, so 国民健康保険 stays among the forms.
DEMO_NAVIGATOR_YES = frozenset({"no_employee_insurance"})
DEMO_KIOSK_ID = "demo-kiosk"
__all__ = ["DEMO_STAFF_PIN", "DEMO_STAFF_PIN_HASH", "DemoKit", "build_demo"]
DEMO_OFFLINE_LETTER = "K"  # the demo kiosk's reserved letter for call numbers issued offline
KIOSK_KEY_NAME = "kiosk"  # <out>/keys/kiosk-signing.key|.pub, as `madoguchi keys` names them


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
    office: DemoOfficeLink = field(repr=False)
    kiosk_signing_key: Ed25519PrivateKey = field(repr=False)
    staff_pin_hash: str = ""
    desk: KioskDesk | None = field(default=None, repr=False)

    @property
    def outbox(self) -> Outbox:
        return self.outbox_opener.get()

    @property
    def kiosk_public_key(self) -> Ed25519PublicKey:
        return self.kiosk_signing_key.public_key()

    def start_office(self, *, background: bool = False) -> DemoOfficeLink:
        """Start the back office the kit was given (and its sync worker), if any, and the
        kiosk's desk (alerts, routing)."""
        if self.desk is not None:
            self.desk.start()
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
        from forms.payload import encode_payload

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
        if self.desk is not None:
            self.desk.close()
        self.office.close()
        self.card_service.close(timeout=5.0)
        self.outbox_opener.close()


def build_demo(
    out_dir: str | Path,
    *,
    insert_card: bool = True,
    catalog: Catalog | None = None,
    profile: ResidentProfile | None = None,
    office: OfficeFactory | None = None,
) -> DemoKit:
    out = Path(out_dir)
    make_dirs(out)  # new folders 0700: screenshots, metrics and PDFs hold a resident's data
    catalog = catalog if catalog is not None else Catalog.builtin(lazy=True)
    backend = VirtualBackend({DEFAULT_READER: None})
    service = CardService(backend, poll_interval=0.1).start()
    counter_private, _ = key_files.generate_counter_keypair()
    signing_private, signing_public = key_files.generate_signing_keypair()
    keys = KeyRing(counter_private, signing_public)
    outbox_path = out / "outbox.sqlite3"
    outbox = OutboxOpener(outbox_path)
    kiosk_key = kiosk_signing_key(out / "keys")
    kiosk_pub = (out / "keys" / key_files.signing_public_name(KIOSK_KEY_NAME)).read_text("ascii")
    make_office = office if office is not None else OfflineOffice
    link = make_office(out / "backoffice", outbox_path, kiosk_pub)
    office_public = link.office_public_key
    printer = SpoolerPrinter(FolderSpooler(out / "printed"))
    counter = CounterLink(outbox.get, link.kiosk_client, offline_letter=DEMO_OFFLINE_LETTER)
    desk = KioskDesk(counter)
    services = KioskServices(
        card=CardServiceReader(service),
        qr=PayloadQrDecoder(keys, catalog),
        confirmer=OutboxConfirmer(
            outbox,
            office_public_key=office_public,
            kiosk_id=DEMO_KIOSK_ID,
            data_qr=DataQrStamper(kiosk_key, office_public),
            counter=counter,
        ),
        printer=printer,
        desk=desk,
        speech=SpeakerSpeech(),
        # 転入予約 from the back office the demo was given (`madoguchi demo`: the embedded one,
        # as imported there); with no back office there are none to look up
        reservations=OfficeReservations(link.kiosk_client) if office is not None else None,
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
        office=link,
        kiosk_signing_key=kiosk_key,
        staff_pin_hash=DEMO_STAFF_PIN_HASH,
        desk=desk,
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

    An answer can bring more questions (転出 → 転出先), so it goes round until nothing new
    is asked."""
    answered = 0
    tried: set[str] = set()
    while True:
        progress = False
        for q in flow.questions():
            if flow.is_read_only(q) or q.path in tried:
                continue
            if not flow.errors_for(q) and not is_empty(flow.value(q)):
                continue
            tried.add(q.path)
            raw = get_value(sample, q.slot.path)
            if is_empty(raw):
                continue
            if hasattr(raw, "model_dump"):
                raw = raw.model_dump()
            try:
                if flow.edit(q.path, raw) is None:
                    answered += 1
                    progress = True
            except KeyError:  # no longer asked after an earlier answer
                continue
        flow.review_settle()  # what the answers ask on other pages once this one is left
        if not progress:
            break
    for path in flow.unconfirmed_flags():
        flow.confirm_flag(path)
    return answered
