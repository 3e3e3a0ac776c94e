"""Helpers of the pre-entry tests: fill a form from a sample resident, read the QR back."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import numpy as np
import zxingcpp
from PIL import Image

from forms.era import to_japanese
from forms.paths import get_value, parse_path
from forms.record import Address, PersonName, SessionRecord

SAMPLES = Path(__file__).resolve().parents[2] / "forms" / "samples"
FORM = "application/x-www-form-urlencoded"


def samples() -> dict[str, SessionRecord]:
    return {
        p.stem: SessionRecord.from_json(p.read_text("utf-8"))
        for p in sorted(SAMPLES.glob("*.json"))
    }


def fitting_samples(procedure: Any) -> dict[str, SessionRecord]:
    """The samples whose life event fills every required form of `procedure` (samples/index),
    within the household sizes it offers."""
    from forms.sample_records import sample_info

    low, high = procedure.people_range()
    return {
        name: record
        for name, record in samples().items()
        if set(procedure.template_ids) <= set(sample_info(name).forms)
        and (not procedure.has_groups or low <= len(record.persons) <= high)
    }


def on_sample_day(clock: Any, record: SessionRecord) -> None:
    """Set the site's clock to the sample's own date (its ages are counted on that day)."""
    clock.now = dt.datetime.combine(record.today, dt.time(3), tzinfo=dt.UTC)


def personal_strings(record: SessionRecord) -> set[str]:
    """Names, kana, birth dates and address details of a record: what must never leak."""
    out: set[str] = set()
    for person in record.persons:
        for name in (person.name, person.kana):
            if name is not None:
                out.update(p for p in (name.family, name.given) if len(p) >= 2)
        if person.birth_date is not None:
            out.add(person.birth_date.isoformat())
            out.add(to_japanese(person.birth_date))
    for address in record.addresses.values():
        out.update(p for p in (address.rest, address.postal_code) if len(p) >= 4)
    return out


def shown_questions(page: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r'name="_q" value="([^"]+)"', page)]


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def hidden(page: str, name: str) -> list[str]:
    return re.findall(rf'type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)


def as_inputs(path: str, value: Any, *, western: bool = False) -> list[tuple[str, str]]:
    """How a resident would type `value` into the control(s) of `path`."""
    if value is None:
        return []
    if isinstance(value, dict):  # `answers` hold names and addresses as plain JSON objects
        name = "family" in value or "given" in value
        parts = ("family", "given") if name else ("postal_code", "prefecture", "city", "rest")
        return [(f"{path}:{part}", str(value.get(part, ""))) for part in parts]
    if isinstance(value, PersonName):
        return [(f"{path}:family", value.family), (f"{path}:given", value.given)]
    if isinstance(value, Address):
        return [
            (f"{path}:{part}", getattr(value, part))
            for part in ("postal_code", "prefecture", "city", "rest")
        ]
    if isinstance(value, dt.date):
        return [(path, value.isoformat() if western else to_japanese(value))]
    if isinstance(value, bool):
        return [(path, "on")] if value else []
    if isinstance(value, list):
        return [(path, str(v)) for v in value]
    return [(path, str(getattr(value, "value", value)))]


def form_pairs(page: str, record: SessionRecord, *, western: bool = False) -> list[tuple[str, str]]:
    """Everything a form page sends back when filled in from `record`."""
    pairs = [("csrf_token", csrf_token(page))]
    pairs += [("lang", v) for v in hidden(page, "lang")]
    pairs += [("_state", v) for v in hidden(page, "_state")]
    for path in shown_questions(page):
        pairs.append(("_q", path))
        pairs += as_inputs(path, get_value(record, parse_path(path)), western=western)
    return pairs


def post(client: Any, url: str, pairs: list[tuple[str, str]], **kwargs: Any) -> Any:
    body = urllib.parse.urlencode(pairs)
    headers = {"content-type": FORM, **kwargs.pop("headers", {})}
    return client.post(url, content=body, headers=headers, **kwargs)


def svg_matrix(page: str) -> np.ndarray:
    """The modules of the inline QR SVG (`qrcode`'s path of unit squares) as a bool matrix."""
    match = re.search(r'<svg[^>]*viewBox="0 0 (\d+) (\d+)"[^>]*>(.*?)</svg>', page, re.S)
    assert match, "the result page has an inline SVG QR code"
    width, height = int(match.group(1)), int(match.group(2))
    matrix = np.zeros((height, width), dtype=bool)
    for x, y in re.findall(r"M(\d+),(\d+)H", match.group(3)):
        matrix[int(y), int(x)] = True
    return matrix


def qr_text_from_page(page: str, scale: int = 4) -> str:
    """Rasterise the page's SVG QR code and read it with zxing-cpp."""
    matrix = svg_matrix(page)
    pixels = np.where(matrix, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels).resize(
        (matrix.shape[1] * scale, matrix.shape[0] * scale), Image.Resampling.NEAREST
    )
    results = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(results) == 1, "exactly one QR code on the page"
    return results[0].text


def record_json(record: SessionRecord) -> dict[str, Any]:
    return json.loads(record.model_dump_json())


def is_summary(page: str) -> bool:
    return 'value="edit:' in page


def is_result(page: str) -> bool:
    return 'id="qr"' in page


def is_navigator(page: str) -> bool:
    return 'action="/b/' in page and '/navigator"' in page


def navigator_questions(page: str) -> list[str]:
    """The question ids the navigator page asks (its はい/いいえ radios)."""
    return list(dict.fromkeys(re.findall(r'name="nq\.([a-z0-9_]+)"', page)))


def navigator_pairs(page: str, record: SessionRecord) -> list[tuple[str, str]]:
    """The navigator page's fields, each question answered as `record` does (いいえ when the
    record does not say)."""
    bundle = re.search(r'action="/b/([a-z0-9_]+)/navigator"', page)
    assert bundle, "a navigator page"
    pairs = [("csrf_token", csrf_token(page))]
    pairs += [("lang", v) for v in hidden(page, "lang")]
    pairs += [("_state", v) for v in hidden(page, "_state")]
    for question in navigator_questions(page):
        pairs.append(("_nq", question))
        given = record.answers.get(f"navigator.{bundle.group(1)}.{question}")
        pairs.append((f"nq.{question}", "yes" if given is True else "no"))
    return pairs


def navigator_changes(page: str, record: SessionRecord) -> list[str]:
    """The record's additions and removals still to be made on the page (`add:inkan`, …)."""
    bundle = re.search(r'action="/b/([a-z0-9_]+)/navigator"', page)
    assert bundle
    changes = record.answers.get(f"navigator.{bundle.group(1)}.changes") or {}
    wanted = [f"{'add' if c['include'] else 'remove'}:{t}" for t, c in changes.items()]
    return [w for w in wanted if f'value="{w}"' in page]


def navigated_forms(catalog: Any, procedure: Any, record: SessionRecord) -> list[str]:
    """The forms the navigator chooses for `record` on its own day (what a walk answered from
    `record` ends with), among the procedure's own."""
    from forms import navigator
    from forms.clock import OfficeClock

    if not procedure.is_bundle:
        return list(procedure.template_ids)
    noon = dt.datetime.combine(record.today, dt.time(3), tzinfo=dt.UTC)
    bundle = catalog.bundle(procedure.id)
    if not (bundle.questions or bundle.rules):
        return list(procedure.template_ids)
    clock = OfficeClock(source=lambda: noon)
    record = record.model_copy(deep=True)
    ids = navigator.navigate(bundle, record, catalog, clock)
    while ids.to_ask:  # the walk answers いいえ where the sample does not say
        for question in ids.to_ask:
            navigator.answer(record, bundle, question.id, False)
        ids = navigator.navigate(bundle, record, catalog, clock)
    offered = {t.id for t in (*procedure.templates, *procedure.optional)}
    return [t for t in ids.template_ids() if t in offered]


def walk_navigator(client: Any, url: str, page: Any, record: SessionRecord) -> Any:
    """Answer the navigator page as `record` does, make its changes, then 次へ."""
    for _ in range(20):
        pending = navigator_changes(page.text, record)
        action = pending[0] if pending else "next"
        page = post(
            client, f"{url}/navigator", [*navigator_pairs(page.text, record), ("_action", action)]
        )
        assert page.status_code == 200, page.text[:2000]
        if action == "next" and not is_navigator(page.text):
            return page
    raise AssertionError("the navigator page never moved on")


def complete_pairs(
    client: Any,
    url: str,
    query: str,
    record: SessionRecord,
    *,
    western: bool = False,
    pages: list[str] | None = None,
    start: Any = None,
) -> tuple[list[tuple[str, str]], Any, list[str]]:
    """Walk the guided pages filled in from `record` (次へ on each), then make the QR code
    on "check your answers". Returns the last pairs sent, the QR page and every question
    path that was shown; `pages` collects each page's HTML on the way."""
    page = start if start is not None else client.get(f"{url}?{query}")
    assert page.status_code == 200, page.text
    asked: list[str] = []
    pairs: list[tuple[str, str]] = []
    for _ in range(60):
        if pages is not None:
            pages.append(page.text)
        if is_result(page.text):
            return pairs, page, asked
        if is_navigator(page.text):
            page = walk_navigator(client, url, page, record)
            continue
        asked = sorted({*asked, *shown_questions(page.text)})
        pairs = form_pairs(page.text, record, western=western)
        pairs.append(("_action", "qr" if is_summary(page.text) else "next"))
        response = post(client, url, pairs)
        if response.status_code == 422:
            # a later answer made an earlier item required (the kind of 異動 chosen on the
            # form's own page): "check your answers" sends the resident back to it once
            assert response.text != page.text, "the same page refused twice"
            assert shown_questions(response.text) != shown_questions(page.text) or (
                is_summary(page.text)
            ), "a page filled from a valid sample is refused"
        else:
            assert response.status_code == 200, response.text[:2000]
        page = response
    raise AssertionError("the guided pages never ended in a QR code")
