"""Commands of the devices: `madoguchi card …` (PC/SC) and `madoguchi qr …` (QR codes)."""

from __future__ import annotations

import argparse

from devices.cli import card, qr

REQUIRES = ("smartcard", "pyzbar", "zxingcpp", "PIL")


def register(subparsers: argparse._SubParsersAction) -> None:
    card.register(subparsers)
    qr.register(subparsers)
