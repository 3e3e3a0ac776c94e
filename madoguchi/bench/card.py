"""`madoguchi bench card`: APDUs and time per complete My Number Card read.

Through pcscd + vpcd (the real PC/SC stack; pcscd is started if none runs and stopped again by
PID) and through the in-process transport (the baseline). A read is connect, the whole
sequence with the PIN, and disconnect. The virtual card is served on vpcd's second reader
(port 35964) so a test session on the first can run at the same time.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from madoguchi.bench import stats

if TYPE_CHECKING:
    from devices.card.virtual.card import Sent

PORT = 35964
PROFILE = ("rare_kanji", 0)


def _after_tries(history: Sequence[Sent]) -> int:
    """APDUs sent after the tries query (the VERIFY without data) of one read."""
    for i, sent in enumerate(history):
        if sent.ins == 0x20 and not sent.has_data:
            return len(history) - i - 1
    return len(history)


def run(args: argparse.Namespace) -> None:
    from devices.card.pcsc import PcscBackend
    from devices.card.pcscd import Pcscd
    from devices.card.virtual import (
        VirtualBackend,
        VirtualMyNumberCard,
        VpcdCard,
        bundled_profiles,
        load_profiles,
    )
    from devices.card.virtual.vpcd import reader_name_for_port
    from devices.card.worker import read_card

    runs = args.runs or 50
    profile = load_profiles(bundled_profiles()[PROFILE[0]])[PROFILE[1]]

    def pin(tries: int) -> str:
        return profile.pin

    # Baseline: in-process.
    card = VirtualMyNumberCard(profile)
    local = VirtualBackend()
    local.insert(card)
    read_card(local, pin=pin)
    apdus = card.apdu_count
    after = _after_tries(card.history)
    start = len(card.history)
    read_card(local, pin=pin, individual_number=True)
    with_number = card.history[start:]
    inprocess = stats.sample(lambda: read_card(local, pin=pin), runs)

    # Through pcscd + vpcd.
    reader = reader_name_for_port(PORT)
    daemon = Pcscd.ensure(reader=reader)
    remote = VirtualMyNumberCard(profile)
    server = VpcdCard(remote, port=PORT).start()
    backend = PcscBackend()
    try:
        if not backend.wait_for(reader, True, 10.0):
            raise SystemExit(f"bench card: no virtual card appeared in {reader}")
        before = remote.apdu_count
        read_card(backend, reader, pin=pin)
        pcsc_apdus = remote.apdu_count - before
        pcsc = stats.sample(lambda: read_card(backend, reader, pin=pin), runs)
    finally:
        backend.close()
        server.stop()
        daemon.stop()

    stats.line("card_apdus_per_read", apdus, "APDUs")
    stats.line("card_apdus_after_tries_query", after, "APDUs")
    stats.line("card_apdus_per_read_with_number", len(with_number), "APDUs")
    stats.line("card_apdus_after_tries_query_with_number", _after_tries(with_number), "APDUs")
    stats.line("card_apdus_per_read_pcscd", pcsc_apdus, "APDUs")
    stats.line("card_read_pcscd_median", stats.ms(stats.median(pcsc)), "ms")
    stats.line("card_read_pcscd_p95", stats.ms(stats.percentile(pcsc, 95)), "ms")
    stats.line("card_read_inprocess_median", stats.ms(stats.median(inprocess)), "ms")
    stats.line("card_read_inprocess_p95", stats.ms(stats.percentile(inprocess, 95)), "ms")
    stats.line(
        "card_read_pcscd_vs_inprocess",
        stats.median(pcsc) / stats.median(inprocess),
        "x",
    )
    stats.line("card_pcscd_started_by_bench", "yes" if daemon.was_started else "no")
