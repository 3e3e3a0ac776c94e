"""The row of commands over the editor, each button calling one of the window's actions, and
who is signed in (with the sign-out button) at its right end."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from staff.widgets.buttons import named_button


class EditorActions(Protocol):
    def refresh_list(self) -> None: ...
    def open_selected(self) -> None: ...
    def start_new_version(self) -> None: ...
    def choose_import(self) -> None: ...
    def choose_export(self) -> None: ...
    def publish(self) -> None: ...
    def choose_signed_bundle(self) -> None: ...
    def open_enrolment(self) -> Any: ...
    def open_retention(self) -> Any: ...
    def sign_out(self) -> None: ...


class EditorToolbar(QWidget):
    def __init__(self, actions: EditorActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reload_button = named_button(self, "再読込 / Reload", actions.refresh_list)
        self.open_button = named_button(self, "開く / Open", actions.open_selected)
        self.new_version_button = named_button(
            self, "新しい版 / New version", actions.start_new_version
        )
        self.import_button = named_button(self, "YAML 読込 / Import YAML", actions.choose_import)
        self.export_button = named_button(self, "YAML 書出 / Export YAML", actions.choose_export)
        self.publish_button = named_button(self, "公開 / Publish", actions.publish)
        self.bundle_button = named_button(
            self, "署名付きパッケージ / Signed bundle", actions.choose_signed_bundle
        )
        self.enrol_button = named_button(
            self, "端末の登録 / Enrol a terminal", actions.open_enrolment
        )
        self.retention_button = named_button(self, "保存期間 / Retention", actions.open_retention)
        self.sign_out_button = named_button(self, "ログアウト / Sign out", actions.sign_out)
        self.who = QLabel("", self)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.reload_button,
            self.open_button,
            self.new_version_button,
            self.import_button,
            self.export_button,
            self.publish_button,
            self.bundle_button,
            self.enrol_button,
            self.retention_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.who)
        bar.addWidget(self.sign_out_button)

    def show_draft_open(self, is_open: bool) -> None:
        """Export and New version need an open draft."""
        self.export_button.setEnabled(is_open)
        self.new_version_button.setEnabled(is_open)
