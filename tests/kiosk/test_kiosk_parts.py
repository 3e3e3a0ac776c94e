"""The kiosk's smaller parts: substitute characters, staff PIN, messages, background operations,
PIN pad, signature pad, and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import QPointF

from devices.card.errors import WrongPinError
from devices.lanes import UnexpectedOperationError
from forms.catalog import Catalog
from forms.errors import MadoguchiError
from forms.text import Text
from kiosk.gui.operations import LANES, gui_lanes
from kiosk.i18n import LANGUAGE_NAMES, MESSAGES, Pair, Translator
from kiosk.staff_mode import (
    StaffPinFormatError,
    StaffPinHashError,
    StaffPinWrongError,
    hash_staff_pin,
    needs_rehash,
    verify_staff_pin,
)
from kiosk.substitute import suspicious_characters

# ---- substitute characters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("山田\u3000太郎", []),
        ("髙橋\u3000﨑子", []),  # Windows-31J / JIS X 0213 hold these
        ("〓田\u3000太郎", ["〓"]),
        ("山田\u3000＊郎", ["＊"]),
        ("𠮷野\u3000花子", ["𠮷"]),  # outside both charsets: cannot be from the card as is
        ("〓〓\u3000\ufffd", ["〓", "\ufffd"]),
        ("Smith John", []),
    ],
)
def test_suspicious_characters(text, flagged):
    assert suspicious_characters(text) == flagged


# ---- staff PIN -------------------------------------------------------------------------


def test_staff_pin_hash_round_trip_and_refusals():
    stored = hash_staff_pin("246813")
    assert "246813" not in stored and stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    verify_staff_pin("246813", stored)
    assert hash_staff_pin("246813") != stored  # salted
    assert not needs_rehash(stored)
    for wrong in ("246814", "", "2468131", "abcdef", "2468"):
        with pytest.raises(StaffPinWrongError):
            verify_staff_pin(wrong, stored)
    for bad in ("12", "2468", "24681", "abcdef", "123456789"):  # 6 to 8 digits now
        with pytest.raises(StaffPinFormatError):
            hash_staff_pin(bad)
    for broken in ("plain", "scrypt$zz$zz", "md5$00$00", "$argon2id$v=19$broken"):
        with pytest.raises(StaffPinHashError):
            verify_staff_pin("246813", broken)


def _legacy(pin: str) -> str:
    """A hash of the first version: scrypt N=2^14, 4 digits allowed."""
    import hashlib

    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def test_a_first_version_pin_hash_still_unlocks_and_moves_on():
    from kiosk.flow import KioskFlow
    from kiosk.staff_mode import upgraded_hash

    short = _legacy("2468")
    verify_staff_pin("2468", short)  # nobody is locked out by the update
    assert needs_rehash(short)
    assert upgraded_hash("2468", short) is None  # too short to keep: set a new PIN
    long = _legacy("135792")
    stored: list[str] = []
    flow = KioskFlow(Catalog.builtin(), staff_pin_hash=long, staff_pin_store=stored.append)
    flow.enter_staff_mode("135792")
    assert len(stored) == 1 and stored[0].startswith("$argon2id$")
    verify_staff_pin("135792", stored[0])
    assert flow.staff_pin_hash == stored[0]


# ---- messages --------------------------------------------------------------------------


def test_every_language_has_every_message_and_the_same_placeholders():
    import string

    ja = MESSAGES["ja"]
    for language, messages in MESSAGES.items():
        assert language in LANGUAGE_NAMES
        assert set(messages) == set(ja), language
        for key, text in messages.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            expected = {f for _, f, _, _ in string.Formatter().parse(ja[key]) if f}
            assert fields == expected, (language, key)


def test_translator_falls_back_and_picks_bilingual_texts():
    tr = Translator("fr")  # not offered: Japanese
    assert tr.language == "ja" and tr("welcome.start") == "はじめる"
    en = Translator("en")
    assert en("pin.tries", tries=2) == "Tries left: 2"
    error = WrongPinError(2)
    assert en.error(error) == error.en and tr.error(error) == error.ja
    assert en.yen(0) == "free" and tr.yen(300) == "300円"
    assert tr.toggled() == "en" and en.toggled() == "ja"


def test_translator_pairs_the_lead_language_with_the_second_one():
    ja, en = Translator("ja"), Translator("en")
    assert (ja.language, ja.second_language) == ("ja", "en")
    assert (en.language, en.second_language) == ("en", "ja")
    assert ja.pair("welcome.start") == Pair("はじめる", "Start")
    assert en.pair("welcome.start") == Pair("Start", "はじめる")
    assert ja.both("welcome.start") == "はじめる / Start"
    # a text put together from several messages is put together in each language
    fee = ja.pair_of(lambda t: t("procedures.total", fee=t.yen(0)))
    assert fee == Pair("手数料の合計: 無料", "Total fee: free")
    # what reads the same in both has no second text (a kana key mark)
    assert ja.pair("kana.dakuten") == Pair("゛") and ja.both("kana.dakuten") == "゛"
    error = WrongPinError(2)
    assert en.error_pair(error) == Pair(error.en, error.ja)
    assert ja.field_error_pair("入力してください", "") == Pair("入力してください")
    assert ja.text_pair(Text(ja="氏名", en="Name")).joined() == "氏名 / Name"
    # a language with no second one chosen has Japanese beside it; never itself
    assert Translator("ja", second="ja").second_language == ""
    assert Translator("ja", second="ja").pair("welcome.start") == Pair("はじめる")


def test_the_language_toggle_names_the_language_it_makes_lead():
    for language in MESSAGES:
        assert f"language.lead.{language}" in MESSAGES["ja"], language
    ja = Translator("ja")
    assert ja.pair(f"language.lead.{ja.toggled()}") == Pair("英語を先に", "English first")


# ---- background operations -------------------------------------------------------------


def test_operations_deliver_on_the_gui_thread_and_wrap_unexpected_errors(qtbot):
    ops = gui_lanes()
    results: list[object] = []
    gui = threading.current_thread()

    def on_success(value):
        results.append((value, threading.current_thread() is gui))

    ops.run(
        "card",
        lambda: threading.current_thread().name,
        on_success=on_success,
        on_failure=results.append,
    )
    ops.run("print", lambda: 1 / 0, on_success=results.append, on_failure=results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    worker_name, on_gui = next(r for r in results if isinstance(r, tuple))
    assert on_gui and worker_name != gui.name
    failure = next(r for r in results if isinstance(r, MadoguchiError))
    assert isinstance(failure, UnexpectedOperationError)
    assert "ZeroDivisionError" in failure.en
    ops.shutdown(timeout_ms=2000)


def test_operations_take_extra_lanes_by_name_each_on_its_own_thread(qtbot):
    ops = gui_lanes(lanes=(*LANES, "office"))
    try:
        ops.add_lane("poll")
        assert ops.lanes == (*LANES, "office", "poll")
        with pytest.raises(ValueError, match="office"):
            ops.add_lane("office")  # a lane is added once
        with pytest.raises(KeyError, match="nowhere"):
            ops.run("nowhere", lambda: 1, on_success=print, on_failure=print)
        assert not ops.busy()  # the refused run left nothing pending
        threads: dict[str, set[str]] = {"office": set(), "poll": set()}
        done: list[str] = []
        for _ in range(3):
            for lane, names in threads.items():
                ops.run(
                    lane,
                    lambda: threading.current_thread().name,
                    on_success=lambda name, lane=lane, names=names: (
                        names.add(name),
                        done.append(lane),
                    ),
                    on_failure=done.append,
                )
        qtbot.waitUntil(lambda: len(done) == 6, timeout=5000)
        assert all(len(names) == 1 for names in threads.values())  # one thread per lane
        assert threads["office"] != threads["poll"]
    finally:
        ops.shutdown(timeout_ms=2000)


def test_the_staff_desktop_names_its_lanes_through_the_public_api(qtbot):
    import inspect

    from staff import background

    ops = background.staff_lanes(background.RECEPTION_LANES)
    try:
        assert set(ops.lanes) == set(background.RECEPTION_LANES)
    finally:
        ops.shutdown(timeout_ms=2000)
    assert "_executors" not in inspect.getsource(background)


def test_invalidated_operations_are_dropped(qtbot):
    ops = gui_lanes()
    release = threading.Event()
    results: list[object] = []
    ops.run("card", lambda: release.wait(5), on_success=results.append, on_failure=results.append)
    assert ops.busy("card")
    ops.invalidate()  # the session was wiped while the card was being read
    release.set()
    assert ops.wait_idle(5000)
    qtbot.wait(50)
    assert results == [] and not ops.busy("card")
    ops.shutdown(timeout_ms=2000)


def test_a_typed_failure_is_passed_through(qtbot):
    ops = gui_lanes()
    failures: list[MadoguchiError] = []

    def fail():
        raise WrongPinError(1)

    ops.run("card", fail, on_success=failures.append, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], WrongPinError) and failures[0].tries_left == 1
    ops.shutdown(timeout_ms=2000)


# ---- widgets ---------------------------------------------------------------------------


def test_pin_pad_takes_four_digits_only_and_keeps_no_copy(qtbot):
    from kiosk.gui.widgets.pin_pad import PinPad

    pad = PinPad(Translator())
    qtbot.addWidget(pad)
    submitted = []
    pad.submitted.connect(lambda: submitted.append(True))
    qtbot.keyClicks(pad.entry, "12a3456")
    assert pad.entry.text() == "1234" and pad.is_full()
    pad.press("9")
    assert pad.entry.text() == "1234"
    pad.entry.returnPressed.emit()
    assert submitted == [True]
    assert pad.take_pin() == bytearray(b"1234")
    assert pad.entry.text() == ""
    assert all(b.accessibleName() for b in pad.digit_buttons)


def test_signature_pad_exports_a_png_only_when_drawn(qtbot):
    from PIL import Image

    from kiosk.gui.widgets.signature_pad import SignaturePad

    pad = SignaturePad("署名欄")
    qtbot.addWidget(pad)
    pad.resize(600, 220)
    assert pad.is_empty() and pad.to_png() == b""
    pad.begin_stroke(QPointF(10, 10))
    pad.extend_stroke(QPointF(300, 150))
    pad.end_stroke()
    png = pad.to_png()
    import io

    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (600, 220)
        assert image.convert("L").getextrema()[0] < 64  # ink on white
    pad.clear()
    assert pad.is_empty()


def test_camera_view_is_offered_only_when_asked_and_present(qtbot, make_window, kit):
    window = make_window()
    assert window.make_camera_view() is None  # the demo has no camera switched on


# ---- command line ----------------------------------------------------------------------


def test_kiosk_command_refuses_a_bad_inactivity_setting():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MADOGUCHI_INACTIVITY_S="soon")
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", "kiosk", "--demo"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "madoguchi: MADOGUCHI_INACTIVITY_S は秒数です / MADOGUCHI_INACTIVITY_S must be seconds"
    )


def test_kiosk_command_refuses_to_start_without_a_printer(tmp_path):
    """Outside the demo, no PDF folder fallback: it would keep applications in plain text."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MADOGUCHI_DATA_DIR=str(tmp_path))
    code = (
        "import sys\n"
        "from madoguchi.cli import main\n"
        "rc = main(['kiosk', '--windowed'])\n"
        "print('qt' if 'PySide6.QtWidgets' in sys.modules else 'no-qt')\n"
        "sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "madoguchi: --printer QUEUE を指定してください（デモ以外では必須） / "
        "--printer QUEUE is required (except with --demo)"
    )
    assert done.stdout.strip() == "no-qt"  # refused before any window could open
    assert list(tmp_path.iterdir()) == []


# ---- start-up: what is imported before the welcome screen --------------------------------

HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "httpx", "reportlab")
HEAVY += ("zxingcpp", "numpy", "pyzbar")


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    return {m.split(".")[0] for m in json.loads(done.stdout.splitlines()[-1])}


def test_building_the_command_line_imports_no_heavy_library():
    loaded = _modules_after("from madoguchi.cli import build_parser\nbuild_parser()")
    heavy = (*HEAVY, "cryptography", "cbor2", "qrcode", "PIL", "PySide6", "serial", "smartcard")
    assert [m for m in heavy if m in loaded] == []


def test_the_welcome_screen_needs_no_database_web_pdf_or_image_decoder(tmp_path):
    code = f"""
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.gui.app import KioskWindow
from kiosk.demo import build_demo
kit = build_demo({str(tmp_path)!r})
window = KioskWindow(kit.make_flow(), kit.services)
window.show()
window.grab()
"""
    loaded = _modules_after(code)
    assert [m for m in HEAVY if m in loaded] == []


def test_the_precomputed_demo_staff_pin_hash_matches_the_demo_pin():
    from kiosk.staff_mode import (
        DEMO_STAFF_PIN,
        DEMO_STAFF_PIN_HASH,
        StaffPinWrongError,
        needs_rehash,
        verify_staff_pin,
    )

    verify_staff_pin(DEMO_STAFF_PIN, DEMO_STAFF_PIN_HASH)  # raises if they drifted apart
    assert not needs_rehash(DEMO_STAFF_PIN_HASH)
    with pytest.raises(StaffPinWrongError):
        verify_staff_pin("135791", DEMO_STAFF_PIN_HASH)
