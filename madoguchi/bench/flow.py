"""`madoguchi bench flow`: the kiosk's machine time, without the resident's.

- `card_to_review`: virtual card on the reader → read through the card thread (PIN verified)
  → every form of the moving-in bundle prefilled and validated (the review is ready);
- `confirm`: confirm → application PDF + slip rendered and the outbox rows written (one
  transaction), through the real `kiosk.confirm` path.

Baselines in the same run: filling the bundle's forms alone (`fill`), and rendering the PDF
alone (`render_application`). Target: ≤ 1 s each.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from pathlib import Path

from madoguchi.bench.stats import line, median, ms, percentile, sample

DEFAULT_RUNS = 20


def run(args: argparse.Namespace) -> None:
    from forms.fill import fill
    from forms.sample_records import load_sample
    from kiosk.demo import (
        DEMO_BUNDLE,
        DEMO_SAMPLE,
        answer_from,
        build_demo,
        demo_signature_png,
    )
    from kiosk.flow import KioskFlow, Method
    from kiosk.ports import CARD_TIMEOUT_S, TRIES_TIMEOUT_S
    from printing.render import render_application
    from sync.protocol import Mode

    runs = args.runs or DEFAULT_RUNS
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        kit = build_demo(Path(tmp))
        resident = load_sample(DEMO_SAMPLE)
        signature = demo_signature_png()
        reader, confirmer = kit.services.card, kit.services.confirmer
        assert reader is not None
        state: dict[str, KioskFlow] = {}

        def card_to_review() -> None:
            flow = kit.make_flow()
            flow.start()
            flow.choose([DEMO_BUNDLE])
            flow.identify_with(Method.CARD)
            flow.card_tries(reader.tries_left().result(timeout=TRIES_TIMEOUT_S))
            read = reader.read(
                bytearray(kit.profile.pin.encode()),
                confirm_last_try=False,
                individual_number=flow.needs_individual_number,
            )
            flow.card_read(read.result(timeout=CARD_TIMEOUT_S))
            assert flow.forms and all(f.template.id for f in flow.forms.values())
            state["flow"] = flow

        prefill = sample(card_to_review, runs)
        flow = state["flow"]
        answer_from(flow, resident)
        assert flow.error_count() == 0 and flow.record is not None
        answered, templates = flow.record, flow.templates

        def confirm() -> None:
            # a new application each time: the outbox refuses a record confirmed twice
            record = answered.model_copy(deep=True, update={"id": uuid.uuid4()})
            confirmer.confirm(record, templates, signature_png=signature, mode=Mode.RESIDENT)

        confirming = sample(confirm, runs)
        fill_only = sample(lambda: [fill(t, resident) for t in templates], runs)
        forms = [fill(t, answered) for t in templates]
        render_only = sample(lambda: render_application(forms, reception_number="BENCH-0001"), runs)
        kit.close()

    line("flow_templates", len(templates), "forms")
    line("card_to_review_median", ms(median(prefill)), "ms")
    line("card_to_review_p95", ms(percentile(prefill, 95)), "ms")
    line("baseline_fill_only_median", ms(median(fill_only)), "ms")
    line("card_to_review_vs_fill", median(prefill) / median(fill_only), "x")
    line("confirm_pdf_outbox_median", ms(median(confirming)), "ms")
    line("confirm_pdf_outbox_p95", ms(percentile(confirming, 95)), "ms")
    line("baseline_render_only_median", ms(median(render_only)), "ms")
    line("confirm_vs_render", median(confirming) / median(render_only), "x")
    line("flow_target", 1000.0, "ms")
