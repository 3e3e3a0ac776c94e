"""The template editor's main window: sign in, pick a template version, edit, preview, publish.

Every back-office call and every render runs on a background lane (`staff.background`); the
outcome comes back on the GUI thread. The window owns its operations and its admin session
(`staff.editor.admin_session`; no global objects); `shutdown()` signs out and stops them,
waiting with a timeout.

Layout: the published templates with their versions on the left; the tabs (template settings
and fields `fields_tab`, layout boxes `layout_tab`, bundles `bundle_editor`, YAML) in the middle
with every problem listed under them (`problem_panel`); the live preview with sample data on
the right (`preview_pane`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.catalog import Catalog
from forms.errors import MadoguchiError
from forms.template import dump_template
from staff.background import EDITOR_LANES, staff_lanes
from staff.editor import bundle_export, yaml_files
from staff.editor.admin_api import AdminApi, TemplateVersions
from staff.editor.admin_session import AdminSession, ApiFactory, Call, message
from staff.editor.bundle_draft import BundleDraft
from staff.editor.draft import DraftUnreadable, TemplateDraft
from staff.editor.draft_tabs import TAB_BUNDLES, TAB_FIELDS, DraftTabs
from staff.editor.enrol_dialog import EnrolDialog
from staff.editor.preview import PreviewController
from staff.editor.preview_pane import PreviewPane
from staff.editor.retention_dialog import RetentionDialog
from staff.editor.sign_in_page import SignInPage
from staff.editor.template_list import TemplateList
from staff.editor.toolbar import EditorToolbar
from sync.errors import Refused

log = logging.getLogger(__name__)


class EditorWindow(QMainWindow):
    published = Signal(str, int)  # template id, version: the back office accepted it
    listed = Signal()  # the template list was (re)loaded
    opened = Signal(str)  # a draft was loaded (its source)

    def __init__(
        self,
        server_url: str = "http://127.0.0.1:8000",
        *,
        api_factory: ApiFactory = AdminApi,
        operations: Lanes | None = None,
        builtin: Catalog | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("様式エディタ / Template editor — Madoguchi")
        self._operations = operations or staff_lanes(EDITOR_LANES, self)
        self.session = AdminSession(api_factory, self._operations)
        self._builtin = builtin or Catalog.builtin()
        self.draft: TemplateDraft | None = None
        self.server_problems: list[str] = []

        self.stack = QStackedWidget(self)
        self.sign_in_page = SignInPage(server_url, self)
        self.sign_in_page.submitted.connect(self.sign_in)
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self._build_editor())
        self.setCentralWidget(self.stack)
        self.preview = PreviewController(self._operations, self.pdf_view, self)
        self.preview.rendered.connect(
            lambda pages: self._set_status(f"プレビュー {pages} ページ / preview: {pages} page(s)")
        )
        self._show_draft()

    # -- building ----------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        page = QWidget(self)
        bar = EditorToolbar(self, self)
        self.toolbar, self.publish_button, self.who = bar, bar.publish_button, bar.who
        self.template_list = TemplateList(self)
        self.template_list.chosen.connect(self.open_version)
        self.preview_pane = PreviewPane(self)
        self.preview_pane.sample_changed.connect(self._request_preview)
        self.sample_combo = self.preview_pane.sample_combo
        self.pdf_view = self.preview_pane.pdf_view
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.template_list)
        splitter.addWidget(self._build_middle())
        splitter.addWidget(self.preview_pane)
        splitter.setSizes([220, 760, 520])
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("状態 / status")
        layout = QVBoxLayout(page)
        layout.addWidget(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        return page

    def _build_middle(self) -> QWidget:
        self.draft_tabs = tabs = DraftTabs(self._builtin, self)
        tabs.edited.connect(self._after_edit)
        # The parts as the tests and the screenshot script reach them.
        fields, boxes, problems = tabs.fields_tab, tabs.layout_tab, tabs.problem_panel
        self.tabs, self.bundle_editor, self.yaml_view = (
            tabs.tabs,
            tabs.bundle_editor,
            tabs.yaml_view,
        )
        self.settings_form, self.field_model = fields.settings_form, fields.field_model
        self.field_table, self.box_model, self.box_table = (
            fields.field_table,
            boxes.box_model,
            boxes.box_table,
        )
        self.problem_list, self.problem_title = problems.problem_list, problems.problem_title
        return self.draft_tabs

    # -- background work ---------------------------------------------------------------------

    @property
    def api(self) -> AdminApi | None:
        return self.session.api

    def _office(
        self,
        call: Call,
        on_success: Callable[[Any], None],
        on_failure: Callable[[MadoguchiError], None] | None = None,
    ) -> None:
        self.session.call(call, on_success, on_failure or self._show_error)

    def _show_error(self, error: MadoguchiError) -> None:
        log.info("editor: %s", error.code)
        self._set_status(message(error))

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    @property
    def calling(self) -> bool:
        """A back-office call is under way."""
        return self.session.calling

    @property
    def busy(self) -> bool:
        return self._operations.busy() or self.preview.busy

    # -- enrolling a terminal, retention ------------------------------------------------------

    def open_enrolment(self) -> EnrolDialog | None:
        """The one-time code dialog for a new kiosk or reception terminal (non-modal)."""
        api = self.api
        if api is None:
            return None

        def request(name: str, role: str, done: Any, failed: Any) -> None:
            self._office(lambda a: a.create_enrolment(name, role), done, failed)

        dialog = EnrolDialog(api.base_url, request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_retention(self) -> RetentionDialog | None:
        """Each template's retention, the admin's shorter setting and the dry run's counts."""
        if self.api is None:
            return None
        dialog = RetentionDialog(self._office, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.reload()
        return dialog

    # -- signing in --------------------------------------------------------------------------

    def sign_in(self, server: str, username: str, password: str) -> None:
        def done(who: Any) -> None:
            self.who.setText(f"{who.username}（{who.role}）")
            self.sign_in_page.show_error("")
            self.stack.setCurrentIndex(1)
            self.refresh_list()

        self.session.sign_in(server, username, password, done, self.sign_in_page.show_error)

    def sign_out(self) -> None:
        self.session.forget()
        self.draft = None
        self._show_draft()
        self.template_list.set_entries([])
        self.stack.setCurrentIndex(0)

    @property
    def signed_in(self) -> bool:
        return self.api is not None and self.stack.currentIndex() == 1

    # -- the template list -------------------------------------------------------------------

    def refresh_list(self) -> None:
        def done(entries: list[TemplateVersions]) -> None:
            self.template_list.set_entries(entries)
            self.bundle_editor.set_known_templates([e.id for e in entries])
            self.listed.emit()

        self._office(lambda api: api.template_versions(), done)

    def open_selected(self) -> None:
        key = self.template_list.selected_key()
        if key is not None:
            self.open_version(*key)

    def open_version(self, template_id: str, version: int) -> None:
        self._set_status(f"{template_id} v{version} を読み込み中… / loading…")
        self._office(
            lambda api: api.template(template_id, version),
            lambda template: self.load_draft(TemplateDraft.from_template(template)),
        )

    def start_new_version(self) -> None:
        """The open draft becomes the next version after the newest published one."""
        if self.draft is None:
            return
        latest = self.template_list.latest_version(self.draft.template_id) or 0
        current = self.draft.version if isinstance(self.draft.version, int) else 0
        self.draft.set_setting("version", max(latest, current) + 1)
        self.settings_form.set_draft(self.draft)
        self._after_edit()

    # -- the draft ---------------------------------------------------------------------------

    def load_draft(self, draft: TemplateDraft) -> None:
        self.draft = draft
        self.server_problems = []
        self._show_draft()
        self.opened.emit(draft.source)

    def _show_draft(self) -> None:
        draft = self.draft
        self.draft_tabs.set_draft(draft)
        self.toolbar.show_draft_open(draft is not None)
        self._after_edit(structure=False)

    def _after_edit(self, structure: bool = False) -> None:
        """Everything that follows any edit: problems, YAML, publish button, preview."""
        self.server_problems = []
        draft = self.draft
        self.draft_tabs.show_edit(draft, structure, self.server_problems)
        self.publish_button.setEnabled(draft is not None and draft.ok and self.api is not None)
        self._request_preview()

    def _request_preview(self) -> None:
        if self.draft is None:
            self.preview.request(None)
            self.pdf_view.clear()
            return
        self.preview.request(self.draft.template, self.preview_pane.sample())

    def _show_problems(self) -> None:
        self.draft_tabs.problem_panel.show_problems(self.draft, self.server_problems)

    def problem_texts(self) -> list[str]:
        return self.draft_tabs.problem_panel.texts()

    # -- structural edits (the tabs' buttons) --------------------------------------------------

    def add_field(self) -> None:
        self.draft_tabs.fields_tab.add_field()

    def remove_field(self) -> None:
        self.draft_tabs.fields_tab.remove_field()

    def add_box(self) -> None:
        self.draft_tabs.layout_tab.add_box()

    def remove_box(self) -> None:
        self.draft_tabs.layout_tab.remove_box()

    # -- YAML import and export ---------------------------------------------------------------

    def import_yaml(self, text: str, source: str = "import") -> None:
        """A template (it has a layout) becomes the draft; anything else is read as a bundle."""
        try:
            if yaml_files.looks_like_template(text):
                self.load_draft(TemplateDraft.from_yaml(text, source))
                self.tabs.setCurrentIndex(TAB_FIELDS)
            else:
                known = self.bundle_editor.known
                self.bundle_editor.add_draft(BundleDraft.from_yaml(text, known, source))
                self.tabs.setCurrentIndex(TAB_BUNDLES)
        except DraftUnreadable as exc:
            self._set_status(f"{message(exc)}: {'; '.join(exc.problems)}")
            return
        self._set_status(f"読み込みました / imported {source}")

    def export_yaml(self, path: str | Path) -> None:
        """The draft (or, on the bundles tab, the bundle) as YAML, exactly as it would publish."""
        if self.tabs.currentIndex() == TAB_BUNDLES:
            bundle = self.bundle_editor.current()
            text = bundle.to_yaml() if bundle is not None else ""
        elif self.draft is not None:
            text = (
                dump_template(self.draft.template) if self.draft.template else self.draft.to_yaml()
            )
        else:
            return
        Path(path).write_text(text, encoding="utf-8")
        self._set_status(f"書き出しました / exported {Path(path).name}")

    def choose_import(self) -> None:
        try:
            chosen = yaml_files.choose_yaml_to_read(self)
        except yaml_files.Unreadable as exc:
            self._set_status(f"読めません / cannot read {exc}")
            return
        if chosen is not None:
            self.import_yaml(*chosen)

    def choose_export(self) -> None:
        path = yaml_files.choose_yaml_to_write(self)
        if path:
            self.export_yaml(path)

    # -- publishing --------------------------------------------------------------------------

    def publish(self) -> None:
        draft = self.draft
        if draft is None:
            return
        if not draft.ok or draft.template is None:
            self._show_problems()
            self._set_status(
                f"公開できません: 問題 {len(draft.problems)} 件 / cannot publish: "
                f"{len(draft.problems)} problem(s)"
            )
            return
        text = dump_template(draft.template)
        key = (draft.template.id, draft.template.version)
        self.publish_button.setEnabled(False)
        self._set_status(f"{key[0]} v{key[1]} を公開中… / publishing…")

        def done(_info: Any) -> None:
            self._set_status(f"公開しました / published {key[0]} v{key[1]}")
            self.published.emit(*key)
            self.refresh_list()
            self.publish_button.setEnabled(True)

        def failed(error: MadoguchiError) -> None:
            self.server_problems = list(error.problems) if isinstance(error, Refused) else []
            self._show_problems()
            self._set_status(f"公開できません / not published: {message(error)}")
            self.publish_button.setEnabled(self.draft is draft and draft.ok)

        self._office(lambda api: api.publish_template(text), done, failed)

    # -- the signed bundle for the pre-entry site ---------------------------------------------

    def export_signed_bundle(self, out: str | Path, key_path: str | Path) -> None:
        """Newest published templates + this editor's valid bundles, signed, written to `out`."""
        try:
            work = bundle_export.signed_bundle_job(
                out, key_path, self.bundle_editor.valid_bundles()
            )
        except MadoguchiError as exc:
            self._show_error(exc)
            return

        def done(size: Any) -> None:
            self._set_status(
                f"署名付きパッケージを書き出しました / signed bundle written ({size} bytes)"
            )

        self._office(work, done)

    def choose_signed_bundle(self) -> None:
        chosen = yaml_files.choose_signed_bundle(self)
        if chosen is not None:
            self.export_signed_bundle(*chosen)

    # -- closing -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Sign out and stop background work (waits at most SHUTDOWN_WAIT_MS per lane)."""
        self.session.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
