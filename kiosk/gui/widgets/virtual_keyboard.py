"""The on-screen keyboard for every typed item: Qt Virtual Keyboard, embedded in the window.

Qt Virtual Keyboard ships with PySide6: Japanese with kana-to-kanji conversion (OpenWNN),
Latin letters, digits. It is QML, so it lives in a `QQuickWidget` docked under the screens,
drawn by Qt Quick's software renderer (no GPU needed, offscreen too). It types into the
focused field through the platform input context, which only exists when the application
was started with `QT_IM_MODULE=qtvirtualkeyboard` and `QT_QUICK_BACKEND=software`
(`environment()`; `kiosk.gui.launch` sets them before the QApplication is made).

Loading QML costs time, so nothing of Qt Quick is imported or loaded until the first field
asks for the keyboard (`ensure_loaded`): the welcome screen never waits for it
(`madoguchi bench startup`). The 50音 keyboard stays for フリガナ (`kana_keyboard`).

`type_text`, `candidates` and `pick` drive the keyboard the way taps on its keys and its
candidate list do, for tests and the scripted resident.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from PySide6.QtCore import QEvent, QMetaObject, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.gui.widgets.bilingual import BiButton
from kiosk.i18n import Translator

log = logging.getLogger(__name__)

IM_MODULE = "qtvirtualkeyboard"
READY_TIMEOUT_S = 5.0
KEYBOARD_WIDTH = 900  # px: keys of about 80 px, the whole some 280 px tall
LOCALES = {"ja": "ja_JP", "en": "en_US", "vi": "vi_VN", "ko": "ko_KR", "zh-Hans": "zh_CN"}
QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property alias panelHeight: panel.height
    InputPanel {
        id: panel
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }
    function setLocale(name) { VirtualKeyboardSettings.locale = name; return InputContext.locale }
    function locale() { return InputContext.locale }
    function clickKey(key, text) { return InputContext.inputEngine.virtualKeyClick(key, text, 0) }
    function preedit() { return InputContext.preeditText }
    function candidates() {
        var model = InputContext.inputEngine.wordCandidateListModel
        var out = []
        if (!model) return ""
        for (var i = 0; i < model.count; i++) out.push(model.dataAt(i, 0))
        return out.join("\n")
    }
    function pick(index) { InputContext.inputEngine.wordCandidateListModel.selectItem(index) }
}
"""


ENVIRONMENT = {
    "QT_IM_MODULE": IM_MODULE,
    "QT_QUICK_BACKEND": "software",
    "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE": "1",  # our panel only, never its own window
}


def prepare_environment() -> None:
    """Before the QApplication exists: the keyboard's input context and Qt Quick's software
    renderer (the scene graph picks its backend once, when the input context loads)."""
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def enabled() -> bool:
    """Whether this application was started with the virtual keyboard's input context."""
    return all(os.environ.get(k) == v for k, v in ENVIRONMENT.items())


class KeyboardUnavailable(RuntimeError):
    """Qt Virtual Keyboard could not be loaded (no input context, or its QML failed)."""


class VirtualKeyboard(QWidget):
    """The docked keyboard: hidden until a field needs it; Qt Quick loaded on first use."""

    closed = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.i18n = tr
        self.setAccessibleName(tr.both("keyboard.title"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        # 閉じる beside the keys (the keyboard's own key with the arrow does the same)
        self._row = QHBoxLayout()
        self._row.addStretch(1)
        self.close_button = BiButton(tr.pair("kana.done"), role="secondary")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps its focus
        self.close_button.clicked.connect(self._close)
        self._row.addStretch(1)
        self._row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._layout.addLayout(self._row)
        self.view: Any = None  # the QQuickWidget, once loaded
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.language = "ja"
        self.hide()

    def retranslate(self, tr: Translator) -> None:
        self.i18n = tr
        self.setAccessibleName(tr.both("keyboard.title"))
        self.close_button.set_pair(tr.pair("kana.done"))
        if self.view is not None:
            self.view.setAccessibleName(tr.both("keyboard.title"))

    @property
    def loaded(self) -> bool:
        return self.view is not None

    def ensure_loaded(self) -> None:
        """Load Qt Quick and the keyboard's QML (once); KeyboardUnavailable if it cannot."""
        if self.view is not None:
            return
        if not enabled():
            raise KeyboardUnavailable("QT_IM_MODULE is not qtvirtualkeyboard")
        from PySide6.QtCore import QByteArray, QUrl
        from PySide6.QtQml import QQmlComponent
        from PySide6.QtQuickWidgets import QQuickWidget

        view = QQuickWidget(self)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap on a key leaves the field focused
        view.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        component = QQmlComponent(view.engine())
        component.setData(QByteArray(QML), QUrl("kiosk-keyboard.qml"))
        root = component.create()
        if root is None:
            problems = "; ".join(e.toString() for e in component.errors())
            view.deleteLater()
            raise KeyboardUnavailable(problems or "the keyboard's QML did not load")
        view.setContent(QUrl("kiosk-keyboard.qml"), component, root)
        view.setAccessibleName(self.i18n.both("keyboard.title"))
        # Keys of a comfortable size, not the window's width: the keyboard's height follows
        # its width, and the page above needs its room.
        view.setFixedWidth(KEYBOARD_WIDTH)
        self._row.insertWidget(1, view)
        self.view = view
        self._component = component  # kept: the view does not own it
        self._root = root
        view.installEventFilter(self)
        self.set_language(self.language)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """As tall as the keyboard needs at the window's width."""
        if self.view is None:
            return
        height = int(self._root.property("panelHeight") or 0)
        if height > 0 and self.view.height() != height:
            self.view.setFixedHeight(height)

    def set_language(self, language: str) -> None:
        """Japanese (kana-kanji) by default; the resident's own layout where Qt has one."""
        self.language = language
        if self.view is not None:
            self._call("setLocale", LOCALES.get(language, "ja_JP"))

    def show_keyboard(self) -> bool:
        """Show the keyboard for the focused field; False where it cannot be loaded."""
        try:
            self.ensure_loaded()
        except KeyboardUnavailable as exc:
            log.warning("virtual keyboard unavailable: %s", exc)
            return False
        self.show()
        QGuiApplication.inputMethod().show()
        self._ensure_locale()
        self._fit()
        return True

    def _ensure_locale(self) -> None:
        """The layout of the resident's language (the input context may have fallen back to
        the system's locale, e.g. "C", when the panel first loaded)."""
        wanted = LOCALES.get(self.language, "ja_JP")
        if self.view is not None and self._call("locale") != wanted:
            self._call("setLocale", wanted)

    def _close(self) -> None:
        QGuiApplication.inputMethod().commit()
        QGuiApplication.inputMethod().hide()
        self.hide()
        self.closed.emit()

    # ---- driving it as taps would --------------------------------------------------------

    def _call(self, name: str, *args: Any) -> Any:
        from PySide6.QtCore import Q_ARG, Q_RETURN_ARG

        return QMetaObject.invokeMethod(
            self._root, name, Q_RETURN_ARG("QVariant"), *[Q_ARG("QVariant", a) for a in args]
        )

    def type_text(self, text: str) -> None:
        """Tap the keys for `text` (letters as the current layout has them: romaji in
        Japanese, which the keyboard turns into kana)."""
        import time

        from PySide6.QtCore import QCoreApplication, QEventLoop

        self.ensure_loaded()
        self._ensure_locale()
        for ch in text:
            deadline = time.monotonic() + READY_TIMEOUT_S  # a layout just loaded settles first
            while not self._call("clickKey", 0, ch):
                if time.monotonic() > deadline:
                    raise KeyboardUnavailable(f"no key for {ch!r} in this layout")
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                time.sleep(0.01)

    def preedit(self) -> str:
        return str(self._call("preedit") or "")

    def candidates(self) -> list[str]:
        """The conversion candidates shown above the keys (kanji for the kana typed)."""
        found = str(self._call("candidates") or "")
        return found.split("\n") if found else []

    def pick(self, candidate: str) -> None:
        """Tap one candidate: the field takes it."""
        found = self.candidates()
        self._call("pick", found.index(candidate))
