"""One QR code's text, once: from an image file, or the next code a serial scanner reads.

For commands that need a single code and then stop (e.g. `madoguchi kiosk enrol` scanning the
enrolment code from the admin's screen), without a GUI.
"""

from __future__ import annotations

import sys
from pathlib import Path

from devices.qr.images import scan_images
from devices.qr.serial_source import SerialScanner
from forms.command_line import CliError


def codes_in_image(path: str | Path) -> list[str]:
    """The text of every QR code found in the image (ImageUnreadable if it is not one)."""
    [codes] = scan_images([path])
    return [code.text for code in codes if code.encoding == "text"]


def next_scanned(port: str, *, timeout: float) -> str | None:
    """The next code a serial scanner on `port` reads, or None after `timeout` seconds."""
    scanner = SerialScanner(port)
    try:
        read = scanner.read(timeout)
    finally:
        scanner.close()
    return read.text if read is not None else None


def first_text(
    *, image: str | Path | None, scanner: str | None, prefix: str, timeout: float = 120.0
) -> str | None:
    """The first code starting with `prefix` in `image`, or read by `scanner`; None if neither
    source is given. LookupError when the source holds or reads no such code."""
    if image is not None:
        found = [t for t in codes_in_image(image) if t.startswith(prefix)]
        if not found:
            raise LookupError(f"no {prefix} QR code in {image}")
        return found[0]
    if scanner is not None:
        text = next_scanned(scanner, timeout=timeout)
        if text is None or not text.startswith(prefix):
            raise LookupError(f"no {prefix} QR code was scanned")
        return text
    return None


def enrolment_code_text(
    *, image: str | Path | None, scanner: str | None, prefix: str
) -> str | None:
    """`first_text` for the enrolment commands of the kiosk and the reception terminal: asks
    for the scan on stderr, and a missing code is a `CliError` in both languages."""
    if scanner:
        sys.stderr.write("QR コードを読み取ってください / scan the QR code\n")
    try:
        return first_text(image=image, scanner=scanner, prefix=prefix)
    except LookupError:
        raise CliError(
            "登録用の QR コードが見つかりません", "no Madoguchi enrolment QR code found"
        ) from None
