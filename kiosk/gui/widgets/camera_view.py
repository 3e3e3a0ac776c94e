"""Camera preview for the QR screen (Qt Multimedia); frames go out as PNG bytes, a few a second.

Frames reach `_frame` through a `QVideoSink` (`watch`): the camera's, or in the tests a
`QMediaPlayer`'s playing a video file. Decoding happens off the GUI thread (the window sends each frame to the QR lane, skipping
frames while one is being decoded). `available` is False on kiosks without a camera.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QVideoFrame, QVideoSink

FRAME_INTERVAL_S = 0.3


class CameraView(QWidget):
    frame_captured = Signal(bytes)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        inputs = QMediaDevices.videoInputs()
        self.available = bool(inputs)
        self._last = 0.0
        if not self.available:
            return
        self.camera = QCamera(inputs[0])
        self.session = QMediaCaptureSession()
        self.session.setCamera(self.camera)
        self.video = QVideoWidget()
        self.session.setVideoOutput(self.video)
        self.watch(self.video.videoSink())
        QVBoxLayout(self).addWidget(self.video)
        self.camera.start()

    def watch(self, sink: QVideoSink) -> None:
        """Take the frames of `sink`: the camera's (above), or a media player's in the test
        that plays a video file through this same path."""
        sink.videoFrameChanged.connect(self._frame)

    def _frame(self, frame: QVideoFrame) -> None:
        now = time.monotonic()
        if now - self._last < FRAME_INTERVAL_S:
            return
        self._last = now
        image = frame.toImage()
        if image.isNull():
            return
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        grey = image.convertToFormat(image.Format.Format_Grayscale8)
        grey.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide6's stub says bytes; only str works
        self.frame_captured.emit(bytes(buffer.data().data()))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        if self.available:
            self.camera.stop()
        super().hideEvent(event)
