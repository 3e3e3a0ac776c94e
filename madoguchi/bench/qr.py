"""`madoguchi bench qr`: payload size and QR version; frame decode latency and rate.

Figures: digits and QR version (ECC M) of a 住民異動届 for 1, 2 and 4 persons of the sample
household (long addresses); per-frame decode latency on a clean 1280×720 frame (median, p95)
for zxing-cpp, zbar (binary mode) and the shipped cascade, plus the cascade on a frame with no
code (its worst case); decode rate on generated degraded frames. The baseline of the ratios is
the best single decoder measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

from devices.qr.frames import CASCADE, FrameReader
from devices.qr.synthetic import degraded_set, frame_with_code, qr_modules
from forms.catalog import Catalog
from forms.payload import encode_payload, keys, prune_record, qr_version
from forms.sample_records import load_sample
from madoguchi.bench.stats import line, median, ms, percentile, sample


def _payloads() -> dict[int, str]:
    catalog = Catalog.builtin()
    template = catalog.get("idou")
    _, counter = keys.generate_counter_keypair()
    signing, _ = keys.generate_signing_keypair()
    household = load_sample("yoshino_household")
    out = {}
    for persons in (1, 2, 4):
        record = household.model_copy(deep=True)
        record.persons = record.persons[:persons]
        out[persons] = encode_payload(
            prune_record(record, [template]),
            [(template.id, template.version)],
            signing_key=signing,
            counter_public_key=counter,
            issued_at=dt.datetime.now(dt.UTC),
        )
    return out


def run(args: argparse.Namespace) -> None:
    runs = args.runs or 50
    payloads = _payloads()
    for persons, digits in payloads.items():
        line(f"payload_idou_{persons}p_digits", len(digits), "digits")
        line(f"payload_idou_{persons}p_qr_version", qr_version(digits), "(ECC M)")

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
