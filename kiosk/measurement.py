"""The built-in measurement: how long each step took and how much the resident had to type.

One `SessionMetrics` per completed session holds counts and durations only (no personal
data): seconds per step, characters typed by the resident against characters prefilled from
the card or QR, the identify method, the mode and the template ids. `MetricsLog` appends them
to a JSON-lines file and sums them for the staff screen.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from forms.private_files import make_dirs


@dataclass
class SessionMetrics:
    mode: str
    method: str
    templates: list[str]
    step_seconds: dict[str, float] = field(default_factory=dict)
    typed_chars: int = 0
    prefilled_chars: int = 0

    def add_time(self, step: str, seconds: float) -> None:
        self.step_seconds[step] = self.step_seconds.get(step, 0.0) + max(0.0, seconds)

    @property
    def total_seconds(self) -> float:
        return sum(self.step_seconds.values())


@dataclass
class MetricsTotals:
    sessions: int = 0
    typed_chars: int = 0
    prefilled_chars: int = 0
    step_seconds: dict[str, float] = field(default_factory=dict)
    by_method: dict[str, int] = field(default_factory=dict)
    by_mode: dict[str, int] = field(default_factory=dict)

    @property
    def prefilled_share(self) -> float:
        """Of every character on the forms, the share nobody had to type (0..1)."""
        total = self.typed_chars + self.prefilled_chars
        return self.prefilled_chars / total if total else 0.0


class MetricsLog:
    """Completed sessions' metrics, one JSON object a line; in memory when `path` is None."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self._memory: list[SessionMetrics] = []
        self._lock = threading.Lock()

    def append(self, metrics: SessionMetrics) -> None:
        with self._lock:
            if self._path is None:
                self._memory.append(metrics)
                return
            # Counts and timings only, but of one resident's visit: 0600 in a 0700 folder,
            # whatever the umask (forms.private_files).
            make_dirs(self._path.parent)
            line = json.dumps(asdict(metrics), ensure_ascii=False) + "\n"
            fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)

    def entries(self) -> list[SessionMetrics]:
        with self._lock:
            if self._path is None:
                return list(self._memory)
            if not self._path.exists():
                return []
            lines = self._path.read_text(encoding="utf-8").splitlines()
        out = []
        for text in lines:
            try:
                out.append(SessionMetrics(**json.loads(text)))
            except (ValueError, TypeError):
                continue  # a torn last line after a power cut: skip it, keep the rest
        return out

    def totals(self) -> MetricsTotals:
        totals = MetricsTotals()
        steps: Counter[str] = Counter()
        for m in self.entries():
            totals.sessions += 1
            totals.typed_chars += m.typed_chars
            totals.prefilled_chars += m.prefilled_chars
            steps.update(m.step_seconds)
            totals.by_method[m.method] = totals.by_method.get(m.method, 0) + 1
            totals.by_mode[m.mode] = totals.by_mode.get(m.mode, 0) + 1
        totals.step_seconds = dict(steps)
        return totals
