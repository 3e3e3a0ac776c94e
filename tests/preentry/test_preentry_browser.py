"""End to end in real headless Chromium on a phone-sized screen.

The pages carry no script and their CSP (`default-src 'none'`) forbids any, so the browser runs
the site exactly as one with JavaScript off would (chromedriver itself cannot click with page
scripting disabled, so the browser's switch stays on and each page is checked for scripts).

`madoguchi preentry serve` runs in its own process on a free port (started and stopped by
PID here), with keys made for the test. The browser fills the moving-in bundle from the
largest sample household, the QR page is screenshotted, and the QR code in the screenshot is
read with zxing-cpp and decoded with the counter's private key: the same data comes back.
The server's own debug log and temp dir are checked for personal data at the end.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from preentry_support import (
    as_inputs,
    fitting_samples,
    navigated_forms,
    navigator_changes,
    navigator_pairs,
    personal_strings,
    samples,
)

from forms.catalog import Catalog
from forms.fill import fill, slots
from forms.paths import get_value, parse_path
from forms.payload import decode_payload
from forms.payload.keys import (
    COUNTER_PUBLIC,
    generate_counter_keypair,
    generate_signing_keypair,
    save_private_key,
    save_public_key,
    signing_private_name,
)
from forms.record import SessionRecord
from preentry.webform import procedure_url, procedures

pytestmark = pytest.mark.chromium

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/setup.sh
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
DESKTOP = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}

# axe-core's violations on the page as it is now: (rule id, impact, targets).
AXE_RUN = r"""
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  (r) => done(r.violations.map((v) => [v.id, v.impact, v.nodes.map((n) => n.target.join(' '))])),
  (e) => done([['axe-error', String(e), []]]),
);
"""


@dataclass
class AxeLog:
    """Every page checked with axe-core (at both sizes) and what it found."""

    checked: list[str]
    violations: list[tuple[str, str, Any]]


AXE_LOG = AxeLog([], [])


def axe_check(driver: Any, what: str) -> None:
    """axe-core on the page at 390×844 and at 1280×800; violations are collected (and the
    test asserts there are none at its end, with the list)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (scripts/setup.sh)")
    for name, metrics in (("390x844", PHONE), ("1280x800", DESKTOP)):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        found = driver.execute_async_script(AXE_RUN)
        AXE_LOG.checked.append(f"{what}@{name}")
        AXE_LOG.violations.extend((f"{what}@{name}", rule, targets) for rule, _, targets in found)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    tmpdir: Path
    counter_private: Any
    signing_public: Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the pre-entry server exited while starting")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("the pre-entry server did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("preentry-server")
    keys_dir, tmpdir = base / "keys", base / "tmp"
    tmpdir.mkdir()
    counter_private, counter_public = generate_counter_keypair()
    signing_private, signing_public = generate_signing_keypair()
    save_private_key(signing_private, keys_dir / signing_private_name("preentry"))
    save_public_key(counter_public, keys_dir / COUNTER_PUBLIC)
    port = free_port()
    log = base / "server.log"
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    command = [
        sys.executable, "-m", "madoguchi.cli", "preentry", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--keys", str(keys_dir),
        "--log-level", "debug",
        # one browser walks ~300 pages in a minute: far past a resident's bucket (60, 1/s),
        # whose refusals are tested in test_preentry_security.py
        "--rate-burst", "100000", "--rate-per-second", "1000",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=base)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield Server(url, process, log, tmpdir, counter_private, signing_public)
    finally:
        stop(process)


def descendants(pid: int) -> list[int]:
    """PIDs of every process below `pid` (from /proc), to stop Chromium if quit() did not."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--lang=ja",
    ):
        options.add_argument(flag)
    # A phone: 390×844 CSS pixels at 3 device pixels each.
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": True}},
    )
    service = Service(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver_pid = service.process.pid
    if AXE.exists():
        # axe-core for the accessibility checks, in every page before its own content: the
        # pages' CSP forbids scripts, so it comes in through the DevTools protocol (this
        # test's browser only; the site itself still has no script).
        driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": AXE.read_text("utf-8")}
        )
    try:
        yield driver
    finally:
        leftovers = descendants(driver_pid)
        driver.quit()
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def fill_in(driver: Any, record: SessionRecord, done: set[str]) -> None:
    """Type the record's values into every control of the page not filled before."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    paths = [
        e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, 'input[name="_q"]')
    ]
    assert not driver.find_elements(By.TAG_NAME, "script"), "no JavaScript on any page"
    for path in paths:
        if path in done:
            continue
        done.add(path)
        for name, value in as_inputs(path, get_value(record, parse_path(path))):
            controls = driver.find_elements(By.NAME, name)
            if not controls:
                raise AssertionError(f"no control for {name}")
            first = controls[0]
            kind = (first.get_attribute("type") or "").lower()
            if first.tag_name == "select":
                Select(first).select_by_value(value)
            elif kind in ("radio", "checkbox"):
                target = next(c for c in controls if c.get_attribute("value") == value)
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
                if not target.is_selected():
                    target.click()
            else:
                first.clear()
                driver.execute_script("arguments[0].focus()", first)
                # as an input method commits text: any character, 𠮷 included
                driver.execute_cdp_cmd("Input.insertText", {"text": value})
                assert first.get_attribute("value") == value, name


def click_to_next_page(driver: Any, element: Any) -> None:
    """Click and wait for the next page; one more click if the first one did not land (a
    busy 2-core CI machine can drop a tap while the page is still settling)."""
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def click() -> None:
        try:
            element.click()
        except WebDriverException as exc:  # the page went on while the click was landing
            if "does not belong to the document" not in str(exc):
                raise

    def gone(_: Any) -> bool:
        """The element's page was replaced (Chromium may say so in two ways mid-load)."""
        try:
            return bool(ec.staleness_of(element)(driver))
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise

    click()
    try:
        # Long enough that a slow answer is not taken for a dropped tap: a second press after
        # a late first one sends the form twice, and the second gets the expired-form page.
        WebDriverWait(driver, 45).until(gone)
    except TimeoutException:  # the tap was dropped: press it once more, from the page itself
        with contextlib.suppress(WebDriverException):
            driver.execute_script("arguments[0].click()", element)
        WebDriverWait(driver, 30).until(gone)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def on_navigator(driver: Any, record: SessionRecord) -> bool:
    """On the navigator's page: one change the record made, or its answers and 次へ. False
    on any other page."""
    from selenium.webdriver.common.by import By

    if not driver.find_elements(By.CSS_SELECTOR, 'main form[action$="/navigator"]'):
        return False
    axe_check(driver, "navigator")
    source = driver.page_source
    pending = navigator_changes(source, record)
    if pending:
        click_to_next_page(driver, main_button(driver, pending[0]))
        return True
    for name, value in navigator_pairs(source, record):
        if name.startswith("nq."):
            target = driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]')
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
            if not target.is_selected():
                target.click()
    click_to_next_page(driver, main_button(driver, "next"))
    return True


def main_button(driver: Any, value: str) -> Any:
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, f'main button[value="{value}"]')
    if not found:  # say which page it was (headings only: no resident's data)
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main h1, main h2")]
        raise AssertionError(f"no {value!r} button on the page headed {headings}")
    return found[0]


def test_moving_in_on_a_phone_ends_in_a_qr_that_decodes_to_the_same_data(
    server: Server, browser: Any
) -> None:
    """The guided pages in Chromium, axe-core on each page in each state at both sizes."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    catalog = Catalog.builtin()
    bundle = next(p for p in procedures(catalog) if p.kind == "b" and p.id == "moving_in")
    record = max(fitting_samples(bundle).values(), key=lambda r: len(r.persons))
    wait = WebDriverWait(browser, 30)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)

    browser.get(server.url + "/")
    assert not browser.find_elements(By.TAG_NAME, "script")
    axe_check(browser, "index")
    click_to_next_page(
        browser, browser.find_element(By.CSS_SELECTOR, f'a[href="{procedure_url(bundle)}"]')
    )
    wait.until(ec.presence_of_element_located((By.ID, "people")))
    axe_check(browser, "household")
    Select(browser.find_element(By.ID, "people")).select_by_value(str(len(record.persons)))
    click_to_next_page(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))

    done: set[str] = set()
    titles: list[str] = []
    for n in range(40):
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
        title = browser.find_element(By.CSS_SELECTOR, "main h1").text
        if browser.find_elements(By.CSS_SELECTOR, "svg.qr"):
            break
        if browser.find_elements(By.CSS_SELECTOR, 'main button[value^="edit:"]'):
            axe_check(browser, "summary")
            # the forms that can be added are folded (no script): shown on a tap
            for offered in browser.find_elements(By.CSS_SELECTOR, "details.offered"):
                add = offered.find_element(By.CSS_SELECTOR, 'button[value^="add:"]')
                assert not add.is_displayed(), "closed until the resident opens it"
                offered.find_element(By.TAG_NAME, "summary").click()
                wait.until(ec.visibility_of(add))
                axe_check(browser, "summary, the forms to add shown")
            click_to_next_page(browser, main_button(browser, "qr"))
            continue
        if on_navigator(browser, record):
            continue
        titles.append(title)
        axe_check(browser, f"page {n + 1} blank")
        if n == 0:
            # 次へ on the blank first page: the errors, focus on their summary
            click_to_next_page(browser, main_button(browser, "next"))
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
            active = browser.switch_to.active_element
            assert "error-summary" in (active.get_attribute("class") or ""), "focus on it"
            axe_check(browser, "page 1 errors")
        fill_in(browser, record, done)
        click_to_next_page(browser, main_button(browser, "next"))
    assert len(titles) >= 2 + len(record.persons), titles
    qr = browser.find_element(By.CSS_SELECTOR, "svg.qr")
    axe_check(browser, "result")
    assert browser.execute_script("return window.innerWidth") == 390, "a phone-sized screen"

    # Screenshot the viewport with the QR code in it, as a phone would show it at the counter.
    browser.execute_cdp_cmd(
        "Runtime.evaluate", {"expression": "document.getElementById('qr').scrollIntoView()"}
    )
    shot = Image.open(io.BytesIO(browser.get_screenshot_as_png()))
    found = zxingcpp.read_barcodes(
        shot, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(found) == 1, f"one QR code in the {shot.size} screenshot"
    digits = found[0].text
    assert digits.isdigit()
    assert qr.get_attribute("role") == "img"

    decoded = decode_payload(
        digits,
        counter_private_key=server.counter_private,
        signer_public_keys=[server.signing_public],
        catalog=catalog,
    )
    forms = [catalog.get(t) for t in navigated_forms(catalog, bundle, record)]
    assert decoded.templates == [(t.id, t.version) for t in forms]
    for template in forms:
        want, got = fill(template, record), fill(template, decoded.record)
        assert got.ok
        for slot in slots(template, decoded.record):
            if slot.path.text in done:
                a, b = got.values.get(slot.ref), want.values.get(slot.ref)
                if slot.spec.type == "checkbox":
                    a, b = bool(a), bool(b)
                assert a == b, slot.ref
    assert [p.name for p in decoded.record.persons] == [p.name for p in record.persons]

    # The server kept nothing: its debug log holds no personal data, its temp dir is empty.
    log_text = server.log.read_text("utf-8", errors="replace")
    assert "POST /b/moving_in" in log_text, "the log was captured"
    for secret in personal_strings(record):
        assert secret not in log_text
    assert not any(server.tmpdir.rglob("*"))
    assert len(AXE_LOG.checked) >= 2 * (4 + len(titles)), AXE_LOG.checked
    assert AXE_LOG.violations == [], AXE_LOG.violations
    # the check bites: an image without a name is found
    browser.execute_script("document.querySelector('svg.qr').removeAttribute('aria-label')")
    assert browser.execute_async_script(AXE_RUN), "axe-core runs and finds a nameless image"


def test_axe_on_the_other_pages_and_states(server: Server, browser: Any) -> None:
    """Every procedure's first page (blank, then with its errors), the error pages (unknown
    page, a tampered sealed state) in a few languages: axe-core finds nothing."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    start = len(AXE_LOG.violations)
    for procedure in procedures(Catalog.builtin()):
        low, _ = procedure.people_range()
        browser.get(f"{server.url}{procedure_url(procedure)}?people={low}")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
        axe_check(browser, f"{procedure.id} first page")
        click_to_next_page(browser, main_button(browser, "next"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
        if browser.find_elements(By.CSS_SELECTOR, ".error-summary"):
            axe_check(browser, f"{procedure.id} errors")
    for code in ("ja", "en", "ne", "ja-easy"):
        browser.get(f"{server.url}/nowhere?lang={code}")
        axe_check(browser, f"404 {code}")
    # a tampered sealed state, refused in the resident's language
    bundle = next(p for p in procedures(Catalog.builtin()) if p.id == "moving_in")
    browser.get(f"{server.url}{procedure_url(bundle)}?people=1&lang=vi")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
    browser.execute_script(
        "document.querySelector('input[name=_state]').value = 'v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'"
    )
    click_to_next_page(browser, main_button(browser, "next"))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
    assert browser.execute_script("return document.documentElement.lang") == "vi"
    axe_check(browser, "state refused vi")
    print(
        f"axe-core: {len(AXE_LOG.checked)} page states checked, {len(AXE_LOG.violations)} violations"
    )
    assert AXE_LOG.violations[start:] == [], AXE_LOG.violations[start:]


# -- the ten languages, in the same browser session ------------------------------------------

# Text nodes in one script only must sit in an element of that language: kana → ja (two or
# more: Chinese names of residence statuses keep a single イ/ロ of the Japanese law), Hangul →
# ko, Devanagari → ne (Latin and Han are shared by several languages: not judged). And every
# Japanese term shown beside a label is marked Japanese.
LANG_CHECK = r"""
const bad = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const text = node.textContent.trim();
  const el = node.parentElement;
  if (!text || el.closest('rt, rp, script, style')) continue;
  const lang = (el.closest('[lang]') || document.documentElement).getAttribute('lang');
  const rest = text.replace(/QR|[A-Z]\d|[\d\s\p{P}\p{S}]/gu, '');
  const kana = (rest.match(/[\u3041-\u309f\u30a1-\u30fa]/g) || []).length >= 2, hangul = /[\uac00-\ud7af]/.test(rest);
  const deva = /[\u0900-\u097f]/.test(rest), latin = /[A-Za-z\u00c0-\u024f\u1e00-\u1eff]/.test(rest);
  let want = null;
  if (kana && !hangul && !deva && !latin) want = 'ja';
  else if (hangul && !kana && !deva && !latin) want = 'ko';
  else if (deva && !kana && !hangul && !latin) want = 'ne';
  if (want && lang !== want) bad.push([text.slice(0, 40), lang, want]);
}
for (const el of document.querySelectorAll('.beside')) {
  if (el.getAttribute('lang') !== 'ja') bad.push([el.textContent.slice(0, 40), 'beside', 'ja']);
}
return bad;
"""


# The words of the kiosk buttons the QR page names, as read (furigana left out).
BUTTON_WORDS = r"""
return Array.from(document.querySelectorAll('.kiosk-step .kiosk-button')).map((b) => {
  const copy = b.cloneNode(true);
  copy.querySelectorAll('rt, rp').forEach((x) => x.remove());
  return copy.textContent;
});
"""


def check_language(driver: Any, code: str) -> None:
    from forms.i18n import language
    from preentry.i18n import PREENTRY

    assert driver.execute_script("return document.documentElement.lang") == language(code).html_lang
    assert not driver.find_elements("tag name", "script")
    text = driver.execute_script("return document.body.innerText")
    for key in PREENTRY.keys("ja"):
        assert key not in text, (code, key)
    assert driver.execute_script(LANG_CHECK) == [], code


def test_every_language_in_chromium_and_the_switch_keeps_what_was_entered(
    server: Server, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from forms.i18n import CODES
    from forms.i18n.domains import domain_named
    from preentry.i18n import KIOSK_QR_BUTTON

    catalog = Catalog.builtin()
    bundle = next(p for p in procedures(catalog) if p.kind == "b" and p.id == "moving_in")
    url = server.url + procedure_url(bundle)
    wait = WebDriverWait(browser, 30)

    # every page of the way in every language
    for code in CODES:
        for address in (f"/?lang={code}", f"{procedure_url(bundle)}?lang={code}"):
            browser.get(server.url + address)
            check_language(browser, code)
        browser.get(f"{url}?lang={code}&people=2")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, 'input[name="_q"]')))
        check_language(browser, code)

    # the switch on the form keeps what was typed (the first text field and a choice)
    browser.get(f"{url}?people=2")
    field = browser.find_element(By.CSS_SELECTOR, 'form#entry input[type="text"]')
    name = field.get_attribute("name")
    browser.execute_script("arguments[0].focus()", field)
    browser.execute_cdp_cmd("Input.insertText", {"text": "山田 𠮷"})
    radio = browser.find_element(By.CSS_SELECTOR, 'form#entry input[type="radio"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    radio.click()
    radio_id = radio.get_attribute("id")
    for code in ("vi", "ne", "ja-easy"):
        button = browser.find_element(By.CSS_SELECTOR, f'button[name="_lang"][value="{code}"]')
        click_to_next_page(browser, button)
        wait.until(ec.presence_of_element_located((By.ID, radio_id)))
        check_language(browser, code)
        assert browser.find_element(By.NAME, name).get_attribute("value") == "山田 𠮷"
        assert browser.find_element(By.ID, radio_id).is_selected()
        assert not browser.find_elements(By.CSS_SELECTOR, ".error-summary")

    # the check bites: a Korean name without its lang is found
    browser.execute_script("document.querySelector('button[value=\"ko\"]').removeAttribute('lang')")
    assert browser.execute_script(LANG_CHECK)
    # Enter in a field still sends the form (the switch is not its default button)
    from selenium.webdriver.common.keys import Keys

    # … and that default button takes no room on the page and is not reached by Tab
    hidden_default = browser.find_element(By.CSS_SELECTOR, "button.default-submit")
    box = hidden_default.rect
    assert box["width"] <= 1 and box["height"] <= 1, box
    assert hidden_default.get_attribute("tabindex") == "-1"
    field = browser.find_element(By.NAME, name)
    field.send_keys(Keys.ENTER)
    wait.until(ec.staleness_of(field))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert browser.execute_script("return document.documentElement.lang") == "ja"

    # the QR page in every language names the kiosk's button in the kiosk's words
    simple, record = next(
        (p, r)
        for p in procedures(catalog)
        if not p.has_groups and not p.optional
        for r in samples().values()
        if all(fill(t, r).ok for t in p.templates)
    )
    browser.get(f"{server.url}{procedure_url(simple)}?people=0")
    done: set[str] = set()
    for _ in range(30):
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
        if browser.find_elements(By.CSS_SELECTOR, "svg.qr"):
            break
        if browser.find_elements(By.CSS_SELECTOR, 'main button[value^="edit:"]'):
            click_to_next_page(browser, main_button(browser, "qr"))
            continue
        fill_in(browser, record, done)
        click_to_next_page(browser, main_button(browser, "next"))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.qr")))
    kiosk = domain_named("kiosk")
    assert kiosk is not None
    for code in CODES:
        button = browser.find_element(By.CSS_SELECTOR, f'button[name="_lang"][value="{code}"]')
        click_to_next_page(browser, button)
        try:
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.qr")))
        except Exception as exc:  # say which page came instead (headings only)
            heads = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "h1, h2, .notice")]
            raise AssertionError(f"{code}: no QR after the switch; page headed {heads}") from exc
        check_language(browser, code)
        words = browser.execute_script(BUTTON_WORDS)
        assert words[0] == kiosk.text(code, KIOSK_QR_BUTTON), code
        if code != "ja":
            assert words[-1] == kiosk.text("ja", KIOSK_QR_BUTTON), code
