"""The list of published templates, each with its versions (newest first under its id)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from forms.clock import office_clock
from staff.editor.admin_api import TemplateVersions

KEY_ROLE = Qt.ItemDataRole.UserRole


class TemplateList(QTreeWidget):
    chosen = Signal(str, int)  # template id, version (double click or Enter)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["様式 / template", "公開日時 / published"])
        self.setAccessibleName("様式の一覧 / templates")
        self.itemActivated.connect(self._activated)
        self.entries: list[TemplateVersions] = []

    def set_entries(self, entries: list[TemplateVersions]) -> None:
        self.entries = entries
        self.clear()
        for entry in entries:
            top = QTreeWidgetItem(self, [entry.id, f"v{entry.latest}"])
            top.setData(0, KEY_ROLE, (entry.id, entry.latest))
            for info in reversed(entry.versions):
                when = office_clock().local(info.published_at).strftime("%Y-%m-%d %H:%M")
                child = QTreeWidgetItem(top, [f"v{info.version}", when])
                child.setData(0, KEY_ROLE, (entry.id, info.version))
        self.resizeColumnToContents(0)

    def latest_version(self, template_id: str) -> int | None:
        return next((e.latest for e in self.entries if e.id == template_id), None)

    def selected_key(self) -> tuple[str, int] | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def select(self, template_id: str, version: int) -> None:
        for n in range(self.topLevelItemCount()):
            top = self.topLevelItem(n)
            if top is None:
                continue
            for m in range(top.childCount()):
                child = top.child(m)
                if child is not None and child.data(0, KEY_ROLE) == (template_id, version):
                    self.setCurrentItem(child)
                    return

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if key:
            self.chosen.emit(key[0], key[1])
