"""Sealing the kiosk session's display once the kiosk window is up (no Qt here).

Under `cage` (deploy/systemd/madoguchi-kiosk-session.service) the kiosk is cage's one
application, but cage maps, maximises and focuses *every* client's window, so a second process
of the kiosk account that reached the display could cover the kiosk. With
`MADOGUCHI_KIOSK_SEAL_DISPLAY=1` (set by the unit), once the kiosk's window is exposed:

- the Wayland socket (`$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY` and its `.lock`) is unlinked: a
  connected client keeps its connection, no new client can connect;
- for cage's Xwayland (`$DISPLAY`): the file socket is unlinked, and through one kept X
  connection the server's host access list is emptied (ChangeHosts: delete
  `SI:localuser:<this account>`), so the abstract socket refuses new X clients too (other
  accounts were refused already: Xwayland requires authorisation from them).

cage exits when its application does, and the unit starts a fresh session (Restart=always),
with fresh sockets, so the seal never outlives the kiosk. Errors are returned as words for the
log (no personal data here), never raised: a seal that fails leaves the kiosk running.
"""

from __future__ import annotations

import os
import pwd
import socket
import struct
from pathlib import Path

ENV = "MADOGUCHI_KIOSK_SEAL_DISPLAY"
X_CHANGE_HOSTS = 109
X_HOST_DELETE = 1
X_FAMILY_SERVER_INTERPRETED = 5

_kept: list[socket.socket] = []  # the X connection that keeps the emptied host list alive


def wanted() -> bool:
    return os.environ.get(ENV) == "1"


def seal_wayland() -> str:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    name = os.environ.get("WAYLAND_DISPLAY")
    if not runtime or not name:
        return "wayland:none"
    path = Path(name) if name.startswith("/") else Path(runtime) / name
    try:
        path.unlink()
    except FileNotFoundError:
        return "wayland:gone"
    except OSError as exc:
        return f"wayland:error:{type(exc).__name__}"
    Path(f"{path}.lock").unlink(missing_ok=True)
    return "wayland:sealed"


def _pad(n: int) -> int:
    return (4 - n % 4) % 4


def _x_connect(display: int) -> socket.socket:
    last: OSError | None = None
    for address in (f"\0/tmp/.X11-unix/X{display}", f"/tmp/.X11-unix/X{display}"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(10)
        try:
            sock.connect(address)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.sendall(struct.pack("<cxHHHHxx", b"l", 11, 0, 0, 0))
        head = sock.recv(8)
        if head[:1] != b"\x01":
            sock.close()
            raise ConnectionRefusedError("x setup refused")
        length = struct.unpack("<H", head[6:8])[0] * 4
        while length > 0:  # the rest of the setup reply (read, not needed)
            chunk = sock.recv(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)
        return sock
    raise last or ConnectionRefusedError("no x socket")


def seal_x() -> str:
    display = os.environ.get("DISPLAY", "")
    if not display.startswith(":"):
        return "x:none"
    number = int(display[1:].split(".", 1)[0])
    try:
        sock = _x_connect(number)
    except (OSError, ValueError) as exc:
        return f"x:error:{type(exc).__name__}"
    user = pwd.getpwuid(os.getuid()).pw_name.encode()
    # Xwayland lists the entry as "localuser\0<name>\0"; both spellings are removed.
    for address in (b"localuser\0" + user + b"\0", b"localuser\0" + user):
        body = struct.pack("<BxH", X_FAMILY_SERVER_INTERPRETED, len(address)) + address
        body += b"\0" * _pad(len(address))
        request = struct.pack("<BBH", X_CHANGE_HOSTS, X_HOST_DELETE, 1 + len(body) // 4)
        sock.sendall(request + body)
    _kept.append(sock)
    Path(f"/tmp/.X11-unix/X{number}").unlink(missing_ok=True)
    return "x:sealed"


def seal() -> list[str]:
    """Both seals; words for the log."""
    return [seal_wayland(), seal_x()]
