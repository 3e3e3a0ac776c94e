"""The three QR sources: camera frames, a serial scanner on a pty, keyboard-wedge bursts."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from PIL import Image

from devices.qr import (
    CameraSource,
    CodeRead,
    Deduplicator,
    FrameReader,
    SerialScanner,
    WedgeDetector,
)
from devices.qr.frames import STEPS, contrast_stretch, invert, rescale, to_gray
from devices.qr.serial_source import ScannerUnavailable
from devices.qr.synthetic import degraded_set, frame_with_code, qr_modules
from forms.payload import decode_payload, errors, keys

# --- camera frames ---------------------------------------------------------------------------


def test_clean_frame_reads_the_payload(idou_payload):
    frame = frame_with_code(qr_modules(idou_payload), 5.0)
    with_reader = FrameReader()
    found = with_reader.read(frame)
    with_reader.close()
    assert [c.text for c in found] == [idou_payload]


@pytest.mark.parametrize("step", STEPS)
def test_every_cascade_step_reads_a_clean_frame(step, idou_payload):
    reader = FrameReader([step])
    # the region step enlarges small codes only: give it one at 2.5 pixels per module
    module_px = 2.5 if step.endswith("_roi_up2") else 6.0
    frame = np.asarray(frame_with_code(qr_modules(idou_payload), module_px))
    if step.endswith("_invert"):  # the dark-mode step expects light-on-dark
        frame = invert(frame)
    try:
        found = reader.read(frame)
    finally:
        reader.close()
    assert [c.text for c in found] == [idou_payload]


def test_dark_mode_and_colour_frames(idou_payload):
    gray = np.asarray(frame_with_code(qr_modules(idou_payload), 5.0))
    reader = FrameReader()
    try:
        assert [c.text for c in reader.read(invert(gray))] == [idou_payload]
        rgb = np.stack([gray, gray, gray], axis=2)
        assert [c.text for c in reader.read(rgb)] == [idou_payload]
        assert reader.read(np.full((720, 1280), 200, np.uint8)) == []
    finally:
        reader.close()


def test_preprocessing_helpers():
    gray = np.array([[100, 110], [120, 130]], np.uint8)
    dim = np.random.default_rng(0).integers(100, 131, (64, 64)).astype(np.uint8)
    stretched = contrast_stretch(dim)
    assert stretched.min() == 0 and stretched.max() == 255
    assert invert(gray)[0, 0] == 155
    assert rescale(gray, 2.0).shape == (4, 4)
    assert to_gray(Image.new("RGB", (3, 2), (255, 0, 0))).shape == (2, 3)
    with pytest.raises(ValueError):
        to_gray(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError):
        FrameReader(["no_such_step"])


def test_shipped_cascade_reads_at_least_as_much_as_each_decoder(idou_payload):
    frames = degraded_set([idou_payload], per_kind=2, seed=7)
    rates = {}
    for name in (("zxing",), ("zbar",), None):
        reader = FrameReader(name)
        try:
            rates[name] = sum(
                any(c.text == expected for c in reader.read(frame)) for _, expected, frame in frames
            )
        finally:
            reader.close()
    assert rates[None] >= max(rates[("zxing",)], rates[("zbar",)])
    assert rates[None] >= len(frames) * 0.6


def test_camera_source_deduplicates(idou_payload):
    source = CameraSource(dedupe_window=2.0)
    frame = frame_with_code(qr_modules(idou_payload), 5.0)
    try:
        assert source.feed(frame, timestamp=10.0) == [idou_payload]
        assert source.feed(frame, timestamp=10.5) == []  # same code, next frame
        event = source.read(timeout=1.0)
        assert isinstance(event, CodeRead) and event.source == "camera"
        assert event.text == idou_payload and idou_payload not in repr(event)
        assert source.read(timeout=0.05) is None
        source.reset()
        assert source.feed(frame, timestamp=11.0) == [idou_payload]  # next resident
    finally:
        source.close()
    queued = source.read(timeout=1.0)  # read before close is still handed out
    assert queued is not None and queued.timestamp == 11.0
    started = time.monotonic()
    assert source.read(timeout=5.0) is None  # closed: returns at once, no 5 s wait
    assert time.monotonic() - started < 1.0


def test_deduplicator_window_restarts_on_repeats():
    dedupe = Deduplicator(window=1.0)
    assert dedupe.accept("a", 0.0)
    assert not dedupe.accept("a", 0.9)
    assert not dedupe.accept("a", 1.8)  # held in view: still the same read
    assert dedupe.accept("b", 1.9)
    assert dedupe.accept("a", 3.0)


# --- keyboard wedge ----------------------------------------------------------------------------


def _type(detector: WedgeDetector, text: str, start: float, gap: float):
    """Feed keys `gap` seconds apart; returns (what reached the widget, codes read, t)."""
    widget, codes, t = [], [], start
    for char in text:
        result = detector.feed(char, t)
        widget.append(result.release)
        if not result.consume:
            widget.append(char)
        if result.code is not None:
            codes.append(result.code)
        t += gap
        widget.append(detector.poll(t))
    widget.append(detector.poll(t + 1.0))
    return "".join(widget), codes, t


def test_wedge_burst_becomes_one_code(idou_payload):
    detector = WedgeDetector()
    widget, codes, _ = _type(detector, idou_payload + "\r", 0.0, 0.004)
    assert widget == ""
    assert [c.text for c in codes] == [idou_payload]
    event = detector.read(timeout=1.0)
    assert event is not None and event.source == "wedge" and event.text == idou_payload


@pytest.mark.parametrize("gap", [0.09, 0.15, 0.3])
def test_human_typing_reaches_the_widget_unchanged(gap):
    detector = WedgeDetector()
    typed = "0312345678\r"
    widget, codes, _ = _type(detector, typed, 0.0, gap)
    assert codes == []
    assert widget == typed


def test_human_typing_with_a_fast_pair_is_still_typing():
    detector = WedgeDetector()
    widget, codes = [], []
    events = [("1", 0.0), ("2", 0.02), ("3", 0.2), ("4", 0.21), ("\r", 0.4)]
    for char, t in events:
        result = detector.feed(char, t)
        widget += [result.release, "" if result.consume else char]
        widget.append(detector.poll(t + 0.06))
    assert codes == [] and "".join(widget) == "1234\r"


def test_wedge_burst_with_dropped_keys_is_kept_out_and_refused(idou_payload, key_dir, qr_catalog):
    dropped = idou_payload[:300] + idou_payload[302:700] + idou_payload[701:]
    detector = WedgeDetector()
    widget, codes, _ = _type(detector, dropped + "\r", 0.0, 0.003)
    assert widget == ""  # never typed into a form field
    assert len(codes) == 1
    with pytest.raises(errors.PayloadError) as caught:
        decode_payload(
            codes[0].text,
            counter_private_key=keys.load_counter_private_key(key_dir / "counter.key"),
            signer_public_keys=[keys.load_signing_public_key(key_dir / "preentry-signing.pub")],
            catalog=qr_catalog,
        )
    assert isinstance(caught.value, errors.TruncatedPayload | errors.BadChunking)


def test_wedge_burst_with_a_slow_gap_splits_but_never_leaks_a_code():
    detector = WedgeDetector(min_length=8)
    widget, codes, t = _type(detector, "12345678", 0.0, 0.004)
    # a hiccup of the scanner, then the rest of the burst
    more, codes2, _ = _type(detector, "9012345678\r", t + 0.2, 0.004)
    assert [c.text for c in codes + codes2] == ["9012345678"]
    assert widget + more == "12345678"  # the stalled part reaches the field: it looks typed


# --- serial scanner ----------------------------------------------------------------------------


@pytest.fixture
def pty_pair():
    controller, device = os.openpty()
    yield controller, os.ttyname(device)
    os.close(controller)
    os.close(device)


def test_serial_scanner_reads_lines(pty_pair, idou_payload):
    controller, port = pty_pair
    scanner = SerialScanner(port, baudrate=115200, poll_interval=0.05)
    try:
        os.write(controller, idou_payload[:500].encode())
        time.sleep(0.05)
        os.write(controller, idou_payload[500:].encode() + b"\r\n")
        os.write(controller, "ヤマダ 髙橋".encode("cp932") + b"\r")
        os.write(controller, idou_payload.encode() + b"\n")  # a repeat: dropped
        first = scanner.read(timeout=5.0)
        second = scanner.read(timeout=5.0)
        assert first is not None and first.source == "serial" and first.text == idou_payload
        assert second is not None and second.text == "ヤマダ 髙橋"
        assert scanner.read(timeout=0.3) is None
    finally:
        scanner.close()
    assert scanner.read(timeout=5.0) is None


def test_serial_scanner_missing_port(tmp_path):
    with pytest.raises(ScannerUnavailable) as caught:
        SerialScanner(str(tmp_path / "ttyNOPE"))
    assert caught.value.ja and caught.value.en
