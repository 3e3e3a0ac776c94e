"""Facts about a WAV file (duration, loudness) with the standard library and numpy: how the
tests tell real speech from silence, and how an operator's health check can."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class WavStats:
    duration_s: float
    sample_rate: int
    rms: float  # root mean square of the samples, 0.0 (silence) … 1.0 (full scale)
    peak: float


def wav_stats(source: Path | bytes) -> WavStats:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with wave.open(io.BytesIO(data), "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        frames = w.readframes(w.getnframes())
    if width != 2:
        raise ValueError(f"16-bit PCM expected, got {8 * width}-bit")
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    return WavStats(samples.size / rate if rate else 0.0, rate, rms, peak)
