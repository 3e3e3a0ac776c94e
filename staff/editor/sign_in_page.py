"""The editor's first page: the back office's address, an admin's name and password."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MAX_WIDTH = 720


class SignInPage(QWidget):
    submitted = Signal(str, str, str)  # server, username, password

    def __init__(self, server_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("様式エディタ — 管理者ログイン / Template editor — admin sign-in", self)
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        title.setWordWrap(True)
        self.server = QLineEdit(server_url, self)
        self.server.setAccessibleName("窓口サーバー / back office")
        self.username = QLineEdit(self)
        self.username.setAccessibleName("利用者名 / username")
        self.password = QLineEdit(self)
        self.password.setAccessibleName("パスワード / password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._submit)
        self.button = QPushButton("ログイン / Sign in", self)
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("ログインの結果 / sign-in message")

        form = QFormLayout()
        form.addRow("窓口サーバー / Back office", self.server)
        form.addRow("利用者名 / Username", self.username)
        form.addRow("パスワード / Password", self.password)
        box = QWidget(self)
        box.setMaximumWidth(MAX_WIDTH)
        column = QVBoxLayout(box)
        column.addWidget(title)
        column.addLayout(form)
        column.addWidget(self.button)
        column.addWidget(self.message)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(box, 3)
        centre.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(centre)
        layout.addStretch(2)

    def _submit(self) -> None:
        password = self.password.text()
        self.password.clear()  # not kept in the widget past the attempt
        self.set_busy(True)
        self.message.setText("ログインしています… / signing in…")
        self.submitted.emit(self.server.text().strip(), self.username.text().strip(), password)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
