"""The middle of the editor: the tabs (template settings and fields, layout boxes, bundles, the
draft's YAML) over the list of problems. A click on a problem shows the tab and row it is about.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPlainTextEdit, QSplitter, QTabWidget, QWidget

from forms.catalog import Catalog
from staff.editor.bundle_editor import BundleEditor
from staff.editor.draft import TemplateDraft
from staff.editor.fields_tab import FieldsTab
from staff.editor.layout_tab import LayoutTab
from staff.editor.problem_panel import ProblemPanel
from staff.editor.problems import Location

TAB_FIELDS, TAB_LAYOUT, TAB_BUNDLES, TAB_YAML = range(4)


class DraftTabs(QSplitter):
    edited = Signal(bool)  # the template draft was edited (structure: rows added or removed)

    def __init__(self, builtin: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.fields_tab = FieldsTab(self)
        self.fields_tab.edited.connect(self.edited)
        self.layout_tab = LayoutTab(self)
        self.layout_tab.edited.connect(self.edited)
        self.bundle_editor = BundleEditor(self)
        latest = builtin.latest()
        self.bundle_editor.set_bundles(
            builtin.bundles(), [t.id for t in latest], {t.id: t.title.ja for t in latest}
        )
        self.yaml_view = QPlainTextEdit(self)
        self.yaml_view.setReadOnly(True)
        self.yaml_view.setAccessibleName("YAML")

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.fields_tab, "様式と項目 / Template && fields")
        self.tabs.addTab(self.layout_tab, "配置 / Layout")
        self.tabs.addTab(self.bundle_editor, "セット / Bundles")
        self.tabs.addTab(self.yaml_view, "YAML")
        self.problem_panel = ProblemPanel(self)
        self.problem_panel.chosen.connect(self.go_to)
        self.addWidget(self.tabs)
        self.addWidget(self.problem_panel)
        self.setSizes([600, 180])

    def set_draft(self, draft: TemplateDraft | None) -> None:
        self.fields_tab.set_draft(draft)
        self.layout_tab.set_draft(draft)

    def show_edit(
        self, draft: TemplateDraft | None, structure: bool, server_problems: list[str]
    ) -> None:
        """After any edit of the template draft: tables, problems and the YAML view."""
        self.fields_tab.refresh(structure)
        self.layout_tab.refresh(structure)
        self.problem_panel.show_problems(draft, server_problems)
        self.yaml_view.setPlainText(draft.to_yaml() if draft is not None else "")

    def go_to(self, location: Location) -> None:
        """Show the tab, page and row a problem is about."""
        if location.kind == "field":
            if self.fields_tab.select(location):
                self.tabs.setCurrentIndex(TAB_FIELDS)
        elif location.kind in ("box", "page") and location.page is not None:
            self.tabs.setCurrentIndex(TAB_LAYOUT)
            index = location.index if location.kind == "box" else None
            self.layout_tab.show_box(location.page, index)
        else:
            self.tabs.setCurrentIndex(TAB_FIELDS)
