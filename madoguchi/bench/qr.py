"""`madoguchi bench qr`: payload size and QR version; frame decode latency and rate.

Figures: digits and QR version (ECC M) of the moving-in bundle and of each of its forms for
1, 2 and 4 persons of the long-address household (`forms.payload.capacity`), in the format
written today and, as the baseline measured in the same run, format 1 (`…_v1_…`, and the
ratio `…_vs_v1`); per-frame decode latency on a clean 1280×720 frame (median, p95)
for zxing-cpp, zbar (binary mode) and the shipped cascade, plus the cascade on a frame with no
code (its worst case); decode rate on generated degraded frames. The baseline of the ratios is
the best single decoder measured in the same run.
"""

from __future__ import annotations

import argparse

import numpy as np

from devices.qr.frames import CASCADE, FrameReader
from devices.qr.synthetic import degraded_set, frame_with_code, qr_modules
from forms.catalog import Catalog
from forms.clock import office_clock
from forms.payload import FORMAT_VERSION, encode_payload, keys, prune_record
from forms.payload.capacity import (
    HOUSEHOLD_SIZES,
    bundle_templates,
    long_address_household,
    payload_sizes,
)
from madoguchi.bench.stats import line, median, ms, percentile, sample


def _sizes(catalog: Catalog) -> None:
    """Digits and QR version of every case, the current format against format 1."""
    _, counter = keys.generate_counter_keypair()
    signing, _ = keys.generate_signing_keypair()
    sizes = payload_sizes(
        catalog, signing_key=signing, counter_public_key=counter, issued_at=office_clock().now()
    )
    baseline = {(s.case, s.persons): s for s in sizes if s.format_version == 1}
    for size in sizes:
        if size.format_version == 1:
            continue
        old = baseline[(size.case, size.persons)]
        name = f"payload_{size.case}_{size.persons}p"
        line(f"{name}_v1_digits", old.digits, "digits")
        line(f"{name}_v1_qr_version", old.qr_version, "(ECC M)")
        line(f"{name}_digits", size.digits, "digits")
        line(f"{name}_qr_version", size.qr_version, "(ECC M)")
        line(f"{name}_vs_v1", size.digits / old.digits, "x")


def _payloads(catalog: Catalog) -> dict[int, str]:
    """The whole moving-in bundle for each household size: the largest codes a kiosk reads."""
    templates = bundle_templates(catalog)
    _, counter = keys.generate_counter_keypair()
    signing, _ = keys.generate_signing_keypair()
    return {
        persons: encode_payload(
            prune_record(long_address_household(persons), templates),
            [(t.id, t.version) for t in templates],
            signing_key=signing,
            counter_public_key=counter,
            format_version=FORMAT_VERSION,
        )
        for persons in HOUSEHOLD_SIZES
    }


def run(args: argparse.Namespace) -> None:
    runs = args.runs or 50
    catalog = Catalog.builtin()
    _sizes(catalog)
    payloads = _payloads(catalog)

    clean = np.asarray(frame_with_code(qr_modules(payloads[4]), 5.0))
    empty = np.asarray(frame_with_code(np.zeros((1, 1), bool), 0.0))
    decoders = {"zxing": ("zxing",), "zbar": ("zbar",), "cascade": CASCADE}
    medians = {}
    for name, steps in decoders.items():
        reader = FrameReader(steps)
        try:
            assert [c.text for c in reader.read(clean)] == [payloads[4]], name
            times = sample(lambda r=reader: r.read(clean), runs)
        finally:
            reader.close()
        medians[name] = median(times)
        line(f"decode_clean_{name}_median", ms(medians[name]), "ms")
        line(f"decode_clean_{name}_p95", ms(percentile(times, 95)), "ms")
    best_single = min(medians["zxing"], medians["zbar"])
    line("decode_clean_cascade_vs_best_single", medians["cascade"] / best_single, "x")
    reader = FrameReader()
    try:
        line(
            "decode_empty_cascade_median",
            ms(median(sample(lambda: reader.read(empty), runs))),
            "ms",
        )
    finally:
        reader.close()

    frames = degraded_set(list(payloads.values()), per_kind=6, seed=11)
    kinds = sorted({kind for kind, _, _ in frames})
    rates = {}
    for name, steps in decoders.items():
        reader = FrameReader(steps)
        try:
            hits = {kind: 0 for kind in kinds}
            for kind, expected, frame in frames:
                if any(c.text == expected for c in reader.read(frame)):
                    hits[kind] += 1
        finally:
            reader.close()
        rates[name] = sum(hits.values()) / len(frames)
        line(f"degraded_{name}_rate", rates[name] * 100, "%")
        per_kind = len(frames) // len(kinds)
        for kind in kinds:
            line(f"degraded_{name}_{kind}", f"{hits[kind]}/{per_kind}")
    best_rate = max(rates["zxing"], rates["zbar"])
    line("degraded_cascade_vs_best_single", rates["cascade"] / best_rate if best_rate else 0.0, "x")
