"""The demo's embedded back office: the real service and the real sync worker, in-process.

`madoguchi kiosk --demo` and `madoguchi demo` run the whole path on one machine (DESIGN.md):
the kiosk confirms into its outbox as always; `EmbeddedBackoffice` serves the real back office
(`backoffice.app.create_app` on a SQLite data dir) with uvicorn on a thread, on a free loopback
port, with the kiosk's data-QR signing key registered on its terminal (paper copies scan back
in); `OutboxPusher` runs `sync.worker.SyncWorker.run_forever` on another thread with a stop
event, pushing the outbox with a kiosk terminal token provisioned for the run
(`backoffice.services.accounts.add_terminal`). `DemoOffice` starts and stops both; every wait
has a timeout, and `close` stops the worker first, then the server.

The office key pair lives in the back office's data dir, as in production; the kiosk seals its
records and encrypts its data QR to the public half (`office_public_key`), and only the back
office holds the private half.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.errors import MadoguchiError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    from backoffice.context import BackofficeContext
    from backoffice.settings import BackofficeSettings
    from forms.clock import OfficeClock

log = logging.getLogger(__name__)

TERMINAL_NAME = "demo-kiosk"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
PUSH_INTERVAL_S = 0.5


class EmbeddedOfficeUnavailable(MadoguchiError):
    code = "demo_office_unavailable"

    def __init__(self, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"組み込みの窓口サーバーを起動できません（{reason_ja}）",
            f"the embedded back office did not start ({reason_en})",
        )


class NotDelivered(MadoguchiError):
    code = "demo_not_delivered"

    def __init__(self, delivered: int, expected: int, seconds: float) -> None:
        super().__init__(
            f"{seconds:.0f}秒以内に窓口サーバーへ届きませんでした（{delivered}/{expected}件）",
            f"not delivered to the back office within {seconds:.0f} s ({delivered}/{expected})",
        )
        self.delivered = delivered
        self.expected = expected


def _free_loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class EmbeddedBackoffice:
    """The back office on a thread: `start()`, then `url` and `token`; `close()`."""

    def __init__(
        self,
        data_dir: str | Path,
        *,
        terminal: str = TERMINAL_NAME,
        signing_key_pem: str | None = None,
        clock: OfficeClock | None = None,
    ) -> None:
        from backoffice.settings import BackofficeSettings

        # clock: the office's (a scripted run fixes it, as for the kiosk); None: the system's
        self.settings: BackofficeSettings = BackofficeSettings(data_dir=Path(data_dir), clock=clock)
        self.terminal = terminal
        self.signing_key_pem = signing_key_pem  # the kiosk's data-QR key, registered with it
        self.url = ""
        self.token = ""
        self._context: BackofficeContext | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:  # never the token
        return f"EmbeddedBackoffice(url={self.url or None!r})"

    @property
    def office_public_key(self) -> X25519PublicKey:
        """The office's public key, made (with its private half, 0600) on first use."""
        from forms.payload import keys

        settings = self.settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return keys.load_or_create_counter_key(
            settings.private_key_path, settings.public_key_path
        ).public_key()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = START_TIMEOUT_S) -> None:
        import uvicorn

        from backoffice.app import create_app
        from backoffice.context import open_context
        from backoffice.services.accounts import add_terminal
        from sync.protocol.vocabulary import Role

        _ = self.office_public_key  # the key files exist before the service reads them
        context = open_context(self.settings)  # migrates and seeds the shipped templates
        self._context = context
        with context.sessions() as session, session.begin():
            self.token = add_terminal(
                session, self.terminal, Role.KIOSK, signing_key_pem=self.signing_key_pem
            )
        sock = _free_loopback_socket()
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.settings, context),
            log_config=None,  # leave the process's logging alone
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="embedded-backoffice",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                sock.close()
                raise EmbeddedOfficeUnavailable("サーバーが終了しました", "the server thread ended")
            if time.monotonic() > deadline:
                raise EmbeddedOfficeUnavailable("時間切れ", f"not serving after {timeout:.0f} s")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{port}"
        log.info("embedded back office serving on port %d", port)

    def import_reservations(self, text: str, file_format: str = "jsonl") -> int:
        """Import a 転入予約 file (docs/reservations.md) as `madoguchi backoffice reservations
        import` does, audited; how many were new. The service must be started."""
        from backoffice.services import audit, reservations

        if self._context is None:
            raise EmbeddedOfficeUnavailable("未起動", "not started")
        actor = "demo"
        with self._context.sessions() as session, session.begin():
            report = reservations.store(
                session,
                reservations.FileImport(text, file_format),
                actor=actor,
                now=self.settings.office_clock.now(),
            )
            audit.record(
                session, actor, audit.Action.IMPORT_RESERVATIONS, f"reservations:{report.imported}"
            )
        return report.imported

    def applications(self) -> int:
        """How many applications the back office holds (a count: nothing personal)."""
        from sqlalchemy import func, select

        from backoffice.models import Application

        if self._context is None:
            return 0
        with self._context.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Application)) or 0)

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("embedded back office still stopping after %.0f s", timeout)
            self._thread = None
        if self._context is not None:
            self._context.close()
            self._context = None


class OutboxPusher:
    """`SyncWorker.run_forever` on its own thread, with its own outbox connection."""

    def __init__(
        self, outbox_path: str | Path, url: str, token: str, *, interval: float = PUSH_INTERVAL_S
    ) -> None:
        self.outbox_path = Path(outbox_path)
        self.url = url
        self._token = token
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._closers: list[Any] = []

    def __repr__(self) -> str:
        return f"OutboxPusher(url={self.url!r})"

    def start(self) -> None:
        import httpx

        from sync.client import OfficeClient
        from sync.outbox import Outbox
        from sync.worker import RetryPolicy, SyncWorker

        outbox = Outbox(self.outbox_path)
        client = OfficeClient(self.url, self._token, timeout=httpx.Timeout(10.0, connect=2.0))
        self._closers = [client.close, outbox.close]
        worker = SyncWorker(
            outbox,
            client,
            retry=RetryPolicy(base=0.2, cap=2.0, max_attempts=3),
            poll_interval=self.interval,
        )
        self._thread = threading.Thread(
            target=worker.run_forever, args=(self._stop,), name="outbox-pusher", daemon=True
        )
        self._thread.start()

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():  # an HTTP call is bounded by the client's timeout
                log.warning("outbox pusher still stopping after %.0f s", timeout)
            self._thread = None
        for close in self._closers:
            close()
        self._closers = []


class DemoOffice:
    """The embedded back office and the pusher, started together (optionally in the
    background, so the kiosk's welcome screen does not wait for the database migration)."""

    def __init__(
        self,
        data_dir: str | Path,
        outbox_path: str | Path,
        *,
        signing_key_pem: str | None = None,
        clock: OfficeClock | None = None,
    ) -> None:
        self.backoffice = EmbeddedBackoffice(data_dir, signing_key_pem=signing_key_pem, clock=clock)
        self.outbox_path = Path(outbox_path)
        self.pusher: OutboxPusher | None = None
        self.error: MadoguchiError | None = None
        self._started = threading.Event()
        self._starter: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._client: Any = None

    def __repr__(self) -> str:
        return f"DemoOffice(url={self.backoffice.url or None!r})"

    def kiosk_client(self) -> Any:
        """An office client speaking for the demo kiosk (call numbers, alerts), once the back
        office serves; None before (the kiosk then works offline)."""
        if not self._started.is_set() or self.error is not None or not self.backoffice.url:
            return None
        with self._lock:
            if self._client is None and not self._closed:
                import httpx

                from sync.client import OfficeClient

                self._client = OfficeClient(
                    self.backoffice.url,
                    self.backoffice.token,
                    timeout=httpx.Timeout(5.0, connect=2.0),
                )
            return self._client

    @property
    def office_public_key(self) -> X25519PublicKey:
        return self.backoffice.office_public_key

    def start(self, timeout: float = START_TIMEOUT_S) -> None:
        try:
            with self._lock:
                if self._closed:
                    return
                self.backoffice.start(timeout)
                self.pusher = OutboxPusher(
                    self.outbox_path, self.backoffice.url, self.backoffice.token
                )
                self.pusher.start()
        except MadoguchiError as exc:
            self.error = exc
            raise
        finally:
            self._started.set()

    def start_in_background(self) -> None:
        def run() -> None:
            try:
                self.start()
            except MadoguchiError as exc:
                log.error("embedded back office: %s", exc.code)
            except Exception as exc:  # reported by type only
                self.error = EmbeddedOfficeUnavailable("予期しない問題", type(exc).__name__)
                log.error("embedded back office: %s", type(exc).__name__)

        self._starter = threading.Thread(target=run, name="demo-office-start", daemon=True)
        self._starter.start()

    def wait_started(self, timeout: float = START_TIMEOUT_S) -> None:
        if not self._started.wait(timeout):
            raise EmbeddedOfficeUnavailable("時間切れ", f"not started after {timeout:.0f} s")
        if self.error is not None:
            raise self.error

    def wait_delivered(self, keys: Iterable[uuid.UUID], timeout: float = 30.0) -> list[str]:
        """Poll the outbox until the back office acknowledged every record; their receipts."""
        from sync.outbox import Outbox, State

        wanted = list(keys)
        deadline = time.monotonic() + timeout
        with Outbox(self.outbox_path) as outbox:
            while True:
                found = [outbox.receipt(k) for k in wanted]
                receipts = [r[1] for r in found if r is not None and r[0] is State.SENT and r[1]]
                if len(receipts) == len(wanted):
                    return receipts
                if time.monotonic() > deadline:
                    raise NotDelivered(len(receipts), len(wanted), timeout)
                time.sleep(0.1)

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        if self._starter is not None:
            self._starter.join(timeout)  # a start under way finishes (bounded) before we stop
        with self._lock:
            self._closed = True
            if self.pusher is not None:
                self.pusher.close(timeout)
                self.pusher = None
            if self._client is not None:
                self._client.close()
                self._client = None
            self.backoffice.close(timeout)
