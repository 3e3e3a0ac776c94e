"""Sign-in: username and password, checked by the back office on the office lane.

Only staff accounts may use the reception terminal; the back office enforces the role on every
call anyway, so an admin who signs in here would only meet refusals (we say so up front).
The password field is cleared whatever the answer and the password is never kept.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.errors import MadoguchiError
from staff.background import OFFICE
from staff.reception.messages import error_text, tr
from sync.client import OfficeClient, SignedIn

STAFF_ROLE = "staff"


class LoginDialog(QDialog):
    def __init__(
        self,
        api: OfficeClient,
        ops: Lanes,
        *,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{tr('app.title')} — {tr('login.title')}")
        self._api = api
        self._ops = ops
        self.signed_in: SignedIn | None = None
        self.username = QLineEdit(username, self)
        self.username.setAccessibleName(tr("login.user"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(tr("login.password"))
        self.password.returnPressed.connect(self.submit)
        self.button = QPushButton(tr("login.ok"), self)
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.error = QLabel("", self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("login.user"), self.username)
        form.addRow(tr("login.password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("login.server", url=api.base_url), self))
        layout.addLayout(form)
        layout.addWidget(self.button)
        layout.addWidget(self.error)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        user, password = self.username.text().strip(), self.password.text()
        self.password.clear()
        if not user or not password:
            self.error.setText(tr("login.empty"))
            return
        self.button.setEnabled(False)
        self.error.setText(tr("login.busy"))
        self._ops.run(
            OFFICE,
            lambda: self._api.login(user, password),
            on_success=self._signed_in,
            on_failure=self._failed,
        )

    def _signed_in(self, who: SignedIn) -> None:
        if who.role != STAFF_ROLE:
            self._ops.run(
                OFFICE, self._api.logout, on_success=lambda _: None, on_failure=lambda _: None
            )
            self._failed_text(tr("login.not_staff"))
            return
        self.signed_in = who
        self.error.setText("")
        self.accept()

    def _failed(self, error: MadoguchiError) -> None:
        self._failed_text(error_text(error))

    def _failed_text(self, text: str) -> None:
        self.button.setEnabled(True)
        self.error.setText(text)
        self.password.setFocus()
