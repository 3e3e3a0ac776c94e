"""`madoguchi bench qr`: payload size and QR version; frame decode latency and rate.

Figures: digits and QR version (ECC M) of the moving-in bundle and of each of its forms for
1, 2 and 4 persons of the long-address household (`forms.payload.capacity`), in the format
written today and, as the baseline measured in the same run, format 1 (`…_v1_…`, and the
ratio `…_vs_v1`); per-frame decode latency on a clean 1280×720 frame (median, p95)
for zxing-cpp, zbar (binary mode) and the shipped cascade, plus the cascade on a frame with no
code (its worst case); decode rate on generated degraded frames. The baseline of the ratios is
the best single decoder measured in the same run.

`scanner_figures`: the camera scanner's cost on 1280×720 frames with no code (sensor noise on
a flat grey, and room scenes) and with a code, for the shipped cascade (finder gate first) beside
the previous cascade (no gate) as the baseline; then the read rates per condition and the
per-frame cost on the photo set (`devices.qr.photo_set`, 20 photos per condition, or
`--count`) for zbar alone, zxing-cpp alone, the previous cascade and the shipped one.
"""

from __future__ import annotations

import argparse
import functools
import time

import numpy as np

from devices.qr.finder import find_finders
from devices.qr.frames import CASCADE, PREVIOUS_CASCADE, FrameReader
from devices.qr.photo_set import CONDITIONS, empty_frames, photo_set
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

PHOTOS_PER_CONDITION = 20


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
    per_condition = getattr(args, "count", None) or PHOTOS_PER_CONDITION
    catalog = Catalog.builtin()
    _sizes(catalog)
    payloads = _payloads(catalog)

    clean = np.asarray(frame_with_code(qr_modules(payloads[4]), 5.0))
    empty = np.asarray(frame_with_code(np.zeros((1, 1), bool), 0.0))
    decoders = {"zxing": ("zxing",), "zbar": ("zbar",), "cascade": CASCADE}
    medians = {}
    for name, steps in decoders.items():
        reader = FrameReader(steps, gated=name == "cascade")
        try:
            assert [c.text for c in reader.read(clean)] == [payloads[4]], name
            times = sample(functools.partial(reader.read, clean), runs)
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
        reader = FrameReader(steps, gated=name == "cascade")
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
    scanner_figures(runs, clean, per_condition)


# --- the camera scanner: empty frames, frames with a code, the photo set ---------------------

SCANNERS = {  # name: (cascade, finder gate); "previous" is the baseline, measured in the same run
    "zbar": (("zbar",), False),
    "zxing": (("zxing",), False),
    "previous": (PREVIOUS_CASCADE, False),
    "shipped": (CASCADE, True),
}


def _frame_costs(reader: FrameReader, frames: list[np.ndarray], runs: int) -> list[float]:
    """Seconds per frame, every frame decoded `runs` times (each time a fresh look)."""
    times: list[float] = []
    for frame in frames:
        times += sample(
            functools.partial(reader.read, frame), max(1, runs // len(frames)), warmup=1
        )
    return times


def scanner_figures(
    runs: int, code_frame: np.ndarray, per_condition: int = PHOTOS_PER_CONDITION
) -> None:
    """Empty-frame and code-frame cost (1280×720), and read rates on the photo set, for the
    shipped cascade beside the previous one (no finder gate) and each decoder alone."""
    noise = np.asarray(frame_with_code(np.zeros((1, 1), bool), 0.0))
    scenes = [np.asarray(f) for f in empty_frames(8)]
    for name in ("previous", "shipped"):
        steps, gated = SCANNERS[name]
        reader = FrameReader(steps, gated=gated)
        try:
            for label, frames in (("noise", [noise]), ("scene", scenes), ("code", [code_frame])):
                times = _frame_costs(reader, frames, runs)
                line(f"scan_{label}_{name}_median", ms(median(times)), "ms")
                line(f"scan_{label}_{name}_p95", ms(percentile(times, 95)), "ms")
            if gated:
                passed = sum(bool(find_finders(s)) for s in scenes)
                line("scan_scene_gate_passed", f"{passed}/{len(scenes)}")
        finally:
            reader.close()

    photos = photo_set(per_condition=per_condition, seed=15)
    for name, (steps, gated) in SCANNERS.items():
        reader = FrameReader(steps, gated=gated)
        hits = dict.fromkeys(CONDITIONS, 0)
        times = []
        try:
            for photo in photos:
                gray = np.asarray(photo.frame)
                start = time.perf_counter()
                found = reader.read(gray)
                times.append(time.perf_counter() - start)
                hits[photo.condition] += any(c.data == photo.expected for c in found)
        finally:
            reader.close()
        per = len(photos) // len(CONDITIONS)
        for condition in CONDITIONS:
            line(f"photos_{name}_{condition}", f"{hits[condition]}/{per}")
        line(f"photos_{name}_read", f"{sum(hits.values())}/{len(photos)}")
        line(f"photos_{name}_frame_median", ms(median(times)), "ms")
        line(f"photos_{name}_frame_p95", ms(percentile(times, 95)), "ms")
        line(f"photos_{name}_frame_max", ms(max(times)), "ms")
