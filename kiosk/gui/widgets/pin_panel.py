"""The card PIN's two columns, shared by the My Number Card's PIN screen and the licence's 本籍
step: on the left what is happening (which PIN, checking or reading, tries left, the error, the
last-try confirmation), on the right the pad and its OK button, so the pad fits a landscape
screen.

The panel shows what its screen tells it (`show`); the screen keeps the flow's rules (when a
PIN is taken, where a last-try "no" goes). The pad is marked `secret`: read-aloud reads the
screen's instruction only, never a key.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.gui.widgets.bilingual import BiButton, BiLabel, InlineBiLabel
from kiosk.gui.widgets.pin_pad import PinPad
from kiosk.i18n import Pair, Translator

TextMaker = Callable[..., BiLabel | InlineBiLabel]


class PinPanel(QWidget):
    def __init__(
        self,
        tr: Translator,
        *,
        ok: Pair,
        text: TextMaker | None = None,
        which: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """`ok`: the button under the pad; `text`: how the screen makes a flagged text (its
        `Screen.text`, with ruby when furigana are on); `which`: a line naming the PIN asked
        for (PIN 1, PIN 2)."""
        super().__init__(parent)
        make = text or (lambda pair, role=None: BiLabel(pair, role=role))
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        info = QVBoxLayout()
        self.which = BiLabel()
        self.which.setVisible(which)
        self.status = BiLabel(tr.pair("pin.checking"))
        self.tries = BiLabel(role="tries")
        self.error = BiLabel(role="error")
        for label in (self.which, self.status, self.tries, self.error):
            info.addWidget(label)

        self.last_try = QWidget()
        last_try = QVBoxLayout(self.last_try)
        last_try.setContentsMargins(0, 0, 0, 0)
        self.last_try_text = make(tr.pair("pin.last_try"), role="flag")
        self.last_try_yes = BiButton(tr.pair("pin.last_try_yes"))
        self.last_try_no = BiButton(tr.pair("pin.last_try_no"), role="secondary")
        answers = QHBoxLayout()
        answers.addWidget(self.last_try_yes)
        answers.addWidget(self.last_try_no)
        last_try.addWidget(self.last_try_text)
        last_try.addLayout(answers)
        info.addWidget(self.last_try)
        info.addStretch(1)
        columns.addLayout(info, 1)

        keys = QVBoxLayout()
        self.pad = PinPad(tr)
        self.pad.setProperty("secret", True)
        self.ok_button = BiButton(ok)
        keys.addWidget(self.pad)
        keys.addWidget(self.ok_button)
        keys.addStretch(1)
        columns.addLayout(keys, 1)

    def show_state(
        self,
        *,
        status: Pair | None,
        tries: Pair | None,
        error: Pair | None,
        last_try: bool,
    ) -> None:
        """Checking or reading (`status`), the tries left, an error, the last-try question."""
        self.status.set_pair(status or Pair(""))
        self.status.setVisible(status is not None)
        self.tries.set_pair(tries or Pair(""))
        self.error.set_pair(error or Pair(""))
        self.error.setVisible(error is not None)
        self.last_try.setVisible(last_try)

    def enable(self, ready: bool) -> None:
        """The pad while a PIN may be typed; OK once it is full."""
        self.pad.setEnabled(ready)
        self.ok_button.setEnabled(ready and self.pad.is_full())

    def focus(self, *, last_try: bool, reading: bool) -> None:
        if last_try:
            self.last_try_yes.setFocus()
        elif not reading:
            self.pad.entry.setFocus()
