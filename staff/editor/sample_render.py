"""The preview's PDF: a template filled with a shipped sample resident and rendered (no Qt).

Runs on a background lane; the sample records are fictional, so the preview never shows a
real resident's data.
"""

from __future__ import annotations

import datetime as dt
import functools

from forms.fill import fill
from forms.record import SessionRecord
from forms.sample_records import load_sample, sample_names
from forms.template import Template
from printing.render import render_application

PREVIEW_NUMBER = "見本"
# fixed, so equal drafts give equal PDFs (09:00 in Tokyo)
PREVIEW_TIME = dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC)


@functools.cache
def _sample(name: str) -> SessionRecord:
    return load_sample(name)


def sample_for(template: Template) -> str:
    """The first sample that fills the template without errors (else the first sample)."""
    names = sample_names()
    for name in names:
        if fill(template, _sample(name).model_copy(deep=True)).ok:
            return name
    return names[0]


def render_sample(template: Template, sample: str | None = None) -> bytes:
    """The template filled with sample `sample` (default: `sample_for`), as PDF bytes."""
    record = _sample(sample or sample_for(template)).model_copy(deep=True)
    form = fill(template, record)
    return render_application([form], reception_number=PREVIEW_NUMBER, issued_at=PREVIEW_TIME)
