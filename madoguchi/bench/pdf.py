"""`madoguchi bench pdf`: render time and size per page for every shipped template, and the
time from `lp` to job-completed through a real cupsd with the cups-pdf printer.

Each template is filled from the sample household with the rare kanji (𠮷 髙 﨑: the IPAmj
fallback is exercised) and carries a real data QR (the payload codec, with throw-away keys).
Baseline, measured in the same run: the same page drawn with reportlab's built-in CID font
HeiseiMin-W3, which embeds nothing (and cannot print 𠮷 correctly: that is the price).
Targets: ≤ 50 ms and ≤ 300 KB per page; ≤ 1 s from `lp` to completed.

The printer part starts a private cupsd (own config, spool and socket; stopped by PID), unless
MADOGUCHI_BENCH_PRINTER names a queue of the running CUPS to use instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from forms.catalog import Catalog
from forms.fill import FilledForm, fill
from forms.payload import encode_payload
from forms.sample_records import load_sample, sample_names
from madoguchi.bench.stats import line, median, ms, percentile, sample
from printing.cups_server import PrivateCups
from printing.fonts import FontChain, FontSet
from printing.render import render_application_detailed
from printing.spool import CupsSpooler

PREFERRED_SAMPLE = "yoshino_household"
BENCH_QUEUE = "MADOGUCHI_BENCH"


class _CidChain(FontChain):
    """The baseline: one non-embedded CID font for every character."""

    def __init__(self, name: str) -> None:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
        self.name = name
        self.fonts = []
        self._widths = {}

    @property
    def primary(self) -> str:
        return self.name

    def font_for(self, ch: str) -> str | None:
        return self.name

    def char_width(self, ch: str) -> float:
        return pdfmetrics.stringWidth(ch, self.name, 1.0)

    @property
    def ascent(self) -> float:
        return 0.88

    @property
    def descent(self) -> float:
        return 0.12


def _forms() -> list[FilledForm]:
    catalog = Catalog.builtin()
    names = [PREFERRED_SAMPLE, *[n for n in sample_names() if n != PREFERRED_SAMPLE]]
    out = []
    for template in catalog.latest():
        for name in names:
            form = fill(template, load_sample(name))
            if form.ok:
                out.append(form)
                break
    return out


def _data_qr() -> Callable[[FilledForm], str]:
    signing = Ed25519PrivateKey.generate()
    counter = X25519PrivateKey.generate().public_key()
    record = load_sample(PREFERRED_SAMPLE)

    def digits(form: FilledForm) -> str:
        return encode_payload(
            record,
            [(form.template.id, form.template.version)],
            signing_key=signing,
            counter_public_key=counter,
        )

    return digits


def run(args: argparse.Namespace) -> None:
    runs = args.runs or 50
    baseline_fonts = FontSet(_CidChain("HeiseiMin-W3"), _CidChain("HeiseiKakuGo-W5"))
    data_qr = _data_qr()
    worst_ms = worst_kb = 0.0
    for form in _forms():
        tid = form.template.id

        def render(fonts: FontSet | None = None, form: FilledForm = form):
            return render_application_detailed(
                [form],
                reception_number="0001",
                data_qr=data_qr,
                issued_at=dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC),
                fonts=fonts,
            )

        result = render()
        pages = result.pages
        per_page = ms(median(sample(render, runs))) / pages
        base = ms(median(sample(lambda: render(baseline_fonts), runs))) / pages
        size_kb = len(result.pdf) / 1024 / pages
        worst_ms, worst_kb = max(worst_ms, per_page), max(worst_kb, size_kb)
        line(f"pdf.{tid}.render_per_page", per_page, "ms")
        line(f"pdf.{tid}.size_per_page", size_kb, "KB")
        line(f"pdf.{tid}.baseline_render_per_page", base, "ms (HeiseiMin-W3, not embedded)")
        line(f"pdf.{tid}.render_ratio", per_page / base, "x baseline")
        line(
            f"pdf.{tid}.baseline_size_per_page",
            len(render(baseline_fonts).pdf) / 1024 / pages,
            "KB",
        )
    line("pdf.render_per_page_max", worst_ms, "ms (target <= 50)")
    line("pdf.size_per_page_max", worst_kb, "KB (target <= 300)")
    _bench_spool(_forms()[0], data_qr, min(runs, 10))


def _bench_spool(form: FilledForm, data_qr: Callable[[FilledForm], str], jobs: int) -> None:
    from printing.render import render_application

    pdf = render_application([form], reception_number="0001", data_qr=data_qr)
    queue = os.environ.get("MADOGUCHI_BENCH_PRINTER")
    server: PrivateCups | None = None
    if queue is None:
        server = PrivateCups()
        server.start()
        server.add_pdf_queue(BENCH_QUEUE)
        queue = BENCH_QUEUE
    try:
        spooler = CupsSpooler(queue, server=server.server if server else None, timeout=30)
        times = []
        for _ in range(jobs):
            start = time.perf_counter()
            spooler.print_pdf(pdf, title="bench")
            times.append(time.perf_counter() - start)
        line("pdf.lp_to_completed", median(times), "s (median, target <= 1)")
        line("pdf.lp_to_completed_p90", percentile(times, 90), "s")
    finally:
        if server is not None:
            server.remove()
            _remove_bench_output()


def _remove_bench_output() -> None:
    from printing.cups_server import cups_pdf_output_dir

    for path in cups_pdf_output_dir().glob("bench*-job_*.pdf"):
        path.unlink(missing_ok=True)
