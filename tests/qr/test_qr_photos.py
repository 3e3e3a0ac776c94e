"""The finder gate and the cascade on photographs: nothing today's cascade reads is lost.

The photo set (`devices.qr.photo_set`) is generated from a seed: phone screens at an angle,
glare, folded paper, low light, motion blur, small codes. `madoguchi bench qr` reports the
rates on a larger set of the same kind; here every frame the previous cascade reads must be
read by the shipped one, with the same bytes.
"""

from __future__ import annotations

import numpy as np
import pytest

from devices.qr import FrameReader
from devices.qr.finder import find_finders
from devices.qr.frames import CASCADE, PREVIOUS_CASCADE
from devices.qr.photo_set import (
    CONDITIONS,
    SHOOT,
    empty_frames,
    photo_set,
    preentry_subject,
)
from devices.qr.synthetic import degraded_set, frame_with_code, qr_modules
from forms.payload import decode_payload
from forms.payload import keys as payload_keys


@pytest.fixture(scope="module")
def photos():
    return photo_set(per_condition=6, seed=15)


def _reads(steps, gated, frames):
    reader = FrameReader(steps, gated=gated)
    try:
        return [reader.read(frame) for frame in frames]
    finally:
        reader.close()


def test_photo_set_is_deterministic_and_varied():
    first = photo_set(per_condition=1, seed=3)
    again = photo_set(per_condition=1, seed=3)
    assert [p.condition for p in first] == list(CONDITIONS)
    for a, b in zip(first, again, strict=True):
        assert a.frame.size == (1280, 720) and a.frame.mode == "L"
        assert np.array_equal(np.asarray(a.frame), np.asarray(b.frame))
    other = photo_set(per_condition=1, seed=4)
    assert not np.array_equal(np.asarray(first[0].frame), np.asarray(other[0].frame))


def test_cascade_reads_every_photo_the_previous_one_reads(photos):
    frames = [p.frame for p in photos]
    before = _reads(PREVIOUS_CASCADE, False, frames)
    after = _reads(CASCADE, True, frames)
    old_hits = new_hits = 0
    for photo, old, new in zip(photos, before, after, strict=True):
        old_ok = any(c.data == photo.expected for c in old)
        new_ok = any(c.data == photo.expected for c in new)
        assert new_ok or not old_ok, f"lost a {photo.condition} photo of {photo.subject}"
        for code in new:  # exact content: the bytes, and the text they are
            assert code.data == photo.expected
            assert code.encoding == "text" and code.text == photo.expected.decode("utf-8")
        old_hits += old_ok
        new_hits += new_ok
    assert new_hits >= old_hits
    assert new_hits >= len(photos) * 0.75


def test_gate_passes_every_degraded_frame_the_previous_cascade_reads(idou_payload):
    frames = degraded_set([idou_payload], per_kind=3, seed=11)
    reads = _reads(PREVIOUS_CASCADE, False, [f for _, _, f in frames])
    for (kind, expected, frame), found in zip(frames, reads, strict=True):
        if any(c.text == expected for c in found):
            assert find_finders(np.asarray(frame)), kind


def test_gate_turns_empty_frames_away():
    flat = np.full((720, 1280), 200, np.uint8)
    noisy = np.asarray(frame_with_code(np.zeros((1, 1), bool), 0.0))
    assert not find_finders(flat)
    assert not find_finders(noisy)
    assert not find_finders(np.zeros((10, 10), np.uint8))  # too small to hold a code
    scenes = [np.asarray(f) for f in empty_frames(12)]
    seen = [bool(find_finders(s)) for s in scenes]
    # the scenes carry forms with tick boxes (▣), a real finder look-alike: a few may pass
    assert sum(seen) <= 2
    reader = FrameReader()
    try:
        assert all(reader.read(s) == [] for s, hit in zip(scenes, seen, strict=True) if not hit)
    finally:
        reader.close()


def test_gate_sees_dark_mode_and_small_codes(idou_payload):
    modules = qr_modules(idou_payload)
    for module_px in (2.2, 5.0):
        gray = np.asarray(frame_with_code(modules, module_px))
        assert find_finders(gray)
        assert find_finders(255 - gray)
    hits = find_finders(np.asarray(frame_with_code(modules, 3.0)))
    box = hits.box(modules=16)
    side = modules.shape[0] * 3.0
    assert box is not None
    assert box[0] <= 640 - side / 2 and box[2] >= 640 + side / 2  # the region holds the code
    assert box[1] <= 360 - side / 2 and box[3] >= 360 + side / 2


def test_photographed_preentry_code_decodes_to_the_record(idou_payload, key_dir, qr_catalog):
    """A real payload on a phone at an angle: read by the kiosk's reader, then decoded."""
    subject = preentry_subject(idou_payload)
    frame = SHOOT["screen_angle"](subject, np.random.default_rng(8))
    reader = FrameReader()
    try:
        found = reader.read(frame)
    finally:
        reader.close()
    assert [c.text for c in found] == [idou_payload]
    decoded = decode_payload(
        found[0].text,
        counter_private_key=payload_keys.load_counter_private_key(key_dir / "counter.key"),
        signer_public_keys=[payload_keys.load_signing_public_key(key_dir / "preentry-signing.pub")],
        catalog=qr_catalog,
    )
    assert decoded.record.persons[0].name.family == "𠮷野"
