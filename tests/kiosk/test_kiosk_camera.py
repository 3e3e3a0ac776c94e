"""The camera path in a test: a video file played through the same `QVideoSink` path the
kiosk's camera feeds (`CameraView.watch`), its frames decoded on the QR lane, and the flow
moved on to the review.

The video is made here with ffmpeg (H.264, as a USB camera's stream would be lossy): a
second of an empty desk, then a phone screen showing a pre-entry QR code, 1280×720.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from forms.payload import qr_image
from forms.sample_records import load_sample as sample_record
from kiosk.flow import Method, Step

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (scripts/setup.sh)"
)

FPS = 10
WAIT_MS = 30000


def make_video(folder: Path, code_png: bytes, *, empty: int = 10, showing: int = 30) -> Path:
    """`empty` frames with no code, then `showing` frames with it, as an MP4 (H.264)."""
    frames = folder / "frames"
    frames.mkdir()
    with Image.open(io.BytesIO(code_png)) as png:
        code = png.convert("L")
    side = 560
    code = code.resize((side, side), Image.Resampling.NEAREST)
    for n in range(empty + showing):
        frame = Image.new("L", (1280, 720), 150 + (n % 3))  # a desk, with sensor noise
        if n >= empty:
            # the phone's screen, a little brighter than the desk, moving slightly in the hand
            screen = Image.new("L", (side + 80, side + 80), 235)
            screen.paste(code, (40, 40))
            frame.paste(screen, (320 + (n % 4) * 3, 40 + (n % 5) * 2))
        frame.save(frames / f"f{n:04d}.png")
    video = folder / "qr.mp4"
    subprocess.run(
        [
            "ffmpeg", "-y", "-loglevel", "error", "-framerate", str(FPS),
            "-i", str(frames / "f%04d.png"),
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20", str(video),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return video


def test_a_video_file_through_the_camera_path_moves_the_flow_on(
    qtbot, make_window, kit, tmp_path: Path
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

    from kiosk.gui.widgets.camera_view import CameraView

    window = make_window()
    sample = sample_record("mihon_showa_last_day")
    digits = kit.payload_for(sample, [kit.catalog.get("juminhyo")])
    video = make_video(tmp_path, qr_image(digits, box_size=4))

    window.screens[Step.WELCOME].start_button.click()
    procedures = window.screens[Step.PROCEDURES]
    procedures.buttons["juminhyo"].setChecked(True)
    procedures.next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.QR].click()
    assert window.flow.step is Step.QR

    # the camera view as the QR screen makes it, wired as `make_camera_view` wires it; with
    # no camera on a test machine its frames come from the media player's sink instead
    view = CameraView("QR", window)
    view.frame_captured.connect(window.decode_qr_frame)
    captured: list[bytes] = []
    view.frame_captured.connect(captured.append)
    sink = QVideoSink(view)
    view.watch(sink)
    player = QMediaPlayer(view)
    player.setVideoSink(sink)
    player.setSource(QUrl.fromLocalFile(str(video)))
    player.play()
    try:
        qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    finally:
        player.stop()
    assert player.error() is QMediaPlayer.Error.NoError, player.errorString()
    # frames went out as grey PNGs, a few a second: the empty desk first, decoded to nothing
    assert len(captured) >= 2
    from devices.qr import FrameReader

    reader = FrameReader()
    try:
        with Image.open(io.BytesIO(captured[0])) as first:
            assert first.size == (1280, 720) and first.mode == "L"
            assert reader.read(first) == [], "the empty desk came first"
        with Image.open(io.BytesIO(captured[-1])) as last:
            assert [c.text for c in reader.read(last)] == [digits]
    finally:
        reader.close()
    assert window.flow.metrics.method == "qr"
    editor = window.screens[Step.REVIEW].editors["person[0].name"]
    assert editor.family.text() == "見本"
    view.deleteLater()
