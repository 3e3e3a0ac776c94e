"""The template editor's main window: sign in, pick a template version, edit, preview, publish.

Every back-office call and every render runs on a background lane (`staff.background`); the
outcome comes back on the GUI thread. The window owns its operations and its client (no
global objects); `shutdown()` signs out and stops them, waiting with a timeout.

Layout: the published templates with their versions on the left; the tabs (template settings
and fields, layout boxes, bundles, YAML) in the middle with every problem listed under them;
the live preview with sample data on the right.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from devices.lanes import Lanes
from forms.catalog import Catalog
from forms.errors import MadoguchiError
from forms.fields import FIELD_TYPES
from forms.payload.keys import load_signing_private_key
from forms.sample_records import sample_names
from forms.template import dump_template
from forms.yamlio import YAMLError, load_yaml
from staff.background import EDITOR_LANES, OFFICE, staff_lanes
from staff.editor import bundle_export
from staff.editor.admin_api import AdminApi, TemplateVersions
from staff.editor.box_model import ALIGNS, FITS, BoxTableModel
from staff.editor.bundle_draft import BundleDraft
from staff.editor.bundle_editor import BundleEditor
from staff.editor.choice_delegate import ChoiceDelegate
from staff.editor.draft import DraftUnreadable, TemplateDraft
from staff.editor.enrol_dialog import EnrolDialog
from staff.editor.field_model import FieldTableModel
from staff.editor.preview import PreviewController
from staff.editor.problems import Location, Problem
from staff.editor.retention_dialog import RetentionDialog
from staff.editor.settings_form import SettingsForm
from staff.editor.sign_in_page import SignInPage
from staff.editor.template_list import TemplateList
from staff.widgets.pdf_view import PdfView
from sync.client import require_secure_url
from sync.errors import Refused

log = logging.getLogger(__name__)

OFFICE_LANE = OFFICE
AUTO_SAMPLE = "自動 / auto"
LOCATION_ROLE = Qt.ItemDataRole.UserRole
TAB_FIELDS, TAB_LAYOUT, TAB_BUNDLES, TAB_YAML = range(4)
SHUTDOWN_WAIT_MS = 3000

ApiFactory = Callable[[str], AdminApi]


def _message(error: MadoguchiError) -> str:
    return f"{error.ja} / {error.en}"


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
        self._api_factory = api_factory
        self._operations = operations or staff_lanes(EDITOR_LANES, self)
        self._builtin = builtin or Catalog.builtin()
        self.api: AdminApi | None = None
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

    def _button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_editor(self) -> QWidget:
        page = QWidget(self)
        bar = self._build_toolbar()
        self.template_list = TemplateList(self)
        self.template_list.chosen.connect(self.open_version)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.template_list)
        splitter.addWidget(self._build_middle())
        splitter.addWidget(self._build_preview())
        splitter.setSizes([220, 760, 520])
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("状態 / status")
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        return page

    def _build_toolbar(self) -> QHBoxLayout:
        self.reload_button = self._button("再読込 / Reload", self.refresh_list)
        self.open_button = self._button("開く / Open", self.open_selected)
        self.new_version_button = self._button("新しい版 / New version", self.start_new_version)
        self.import_button = self._button("YAML 読込 / Import YAML", self._choose_import)
        self.export_button = self._button("YAML 書出 / Export YAML", self._choose_export)
        self.publish_button = self._button("公開 / Publish", self.publish)
        self.bundle_button = self._button(
            "署名付きパッケージ / Signed bundle", self._choose_signed_bundle
        )
        self.enrol_button = self._button("端末の登録 / Enrol a terminal", self.open_enrolment)
        self.retention_button = self._button("保存期間 / Retention", self.open_retention)
        self.sign_out_button = self._button("ログアウト / Sign out", self.sign_out)
        bar = QHBoxLayout()
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
        self.who = QLabel("", self)
        bar.addWidget(self.who)
        bar.addWidget(self.sign_out_button)
        return bar

    def _build_fields_tab(self) -> QWidget:
        """The template's settings over the fields table."""
        self.settings_form = SettingsForm(self)
        self.settings_form.edited.connect(self._after_edit)
        self.field_model = FieldTableModel(TemplateDraft({}), self)
        self.field_model.edited.connect(self._after_edit)
        self.field_table = QTableView(self)
        self.field_table.setModel(self.field_model)
        self.field_table.setItemDelegateForColumn(
            self.field_model.column_of("type"), ChoiceDelegate(sorted(FIELD_TYPES), self)
        )
        self.field_table.setAccessibleName("項目 / fields")
        self.add_field_button = self._button("項目を追加 / Add field", self.add_field)
        self.remove_field_button = self._button("項目を削除 / Remove field", self.remove_field)
        fields_tab = QWidget(self)
        fields_layout = QVBoxLayout(fields_tab)
        fields_layout.addWidget(self.settings_form)
        fields_layout.addWidget(self.field_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_field_button)
        row.addWidget(self.remove_field_button)
        row.addStretch(1)
        fields_layout.addLayout(row)
        return fields_tab

    def _build_layout_tab(self) -> QWidget:
        """One page's boxes."""
        self.box_model = BoxTableModel(TemplateDraft({}), self)
        self.box_model.edited.connect(self._after_edit)
        self.box_table = QTableView(self)
        self.box_table.setModel(self.box_model)
        self.box_table.setAccessibleName("配置 / layout boxes")
        self.box_table.setItemDelegateForColumn(
            self.box_model.column_of("align"), ChoiceDelegate(ALIGNS, self)
        )
        self.box_table.setItemDelegateForColumn(
            self.box_model.column_of("fit"), ChoiceDelegate(FITS, self)
        )
        self.page_spin = QSpinBox(self)
        self.page_spin.setMinimum(1)
        self.page_spin.setAccessibleName("ページ / page")
        self.page_spin.valueChanged.connect(lambda n: self.box_model.set_page(n - 1))
        self.add_box_button = self._button("枠を追加 / Add box", self.add_box)
        self.remove_box_button = self._button("枠を削除 / Remove box", self.remove_box)
        layout_tab = QWidget(self)
        layout_layout = QVBoxLayout(layout_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("ページ / Page", self))
        row.addWidget(self.page_spin)
        row.addStretch(1)
        row.addWidget(self.add_box_button)
        row.addWidget(self.remove_box_button)
        layout_layout.addLayout(row)
        layout_layout.addWidget(
            QLabel(
                "位置と大きさは A4 用紙の左上からの mm / positions in mm from the top-left of A4",
                self,
            )
        )
        layout_layout.addWidget(self.box_table, 1)
        return layout_tab

    def _build_middle(self) -> QWidget:
        self.bundle_editor = BundleEditor(self)
        self.bundle_editor.set_bundles(
            self._builtin.bundles(), [t.id for t in self._builtin.latest()]
        )
        self.yaml_view = QPlainTextEdit(self)
        self.yaml_view.setReadOnly(True)
        self.yaml_view.setAccessibleName("YAML")

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_fields_tab(), "様式と項目 / Template && fields")
        self.tabs.addTab(self._build_layout_tab(), "配置 / Layout")
        self.tabs.addTab(self.bundle_editor, "セット / Bundles")
        self.tabs.addTab(self.yaml_view, "YAML")

        self.problem_list = QListWidget(self)
        self.problem_list.setAccessibleName("問題 / problems")
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.itemClicked.connect(self._go_to_problem)
        self.problem_title = QLabel("", self)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        inner = QSplitter(Qt.Orientation.Vertical, self)
        inner.addWidget(self.tabs)
        problems_box = QWidget(self)
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_layout.addWidget(self.problem_title)
        problems_layout.addWidget(self.problem_list)
        inner.addWidget(problems_box)
        inner.setSizes([600, 180])
        middle_layout.addWidget(inner)
        return middle

    def _build_preview(self) -> QWidget:
        self.sample_combo = QComboBox(self)
        self.sample_combo.setAccessibleName("見本データ / sample record")
        self.sample_combo.addItem(AUTO_SAMPLE, None)
        for name in sample_names():
            self.sample_combo.addItem(name, name)
        self.sample_combo.currentIndexChanged.connect(lambda _n: self._request_preview())
        self.pdf_view = PdfView(self, empty_text="プレビューなし / no preview")
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("見本 / Sample", self))
        row.addWidget(self.sample_combo, 1)
        right_layout.addLayout(row)
        right_layout.addWidget(self.pdf_view, 1)
        return right

    # -- background work ---------------------------------------------------------------------

    def _office(
        self,
        call: Callable[[AdminApi], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[MadoguchiError], None] | None = None,
    ) -> None:
        api = self.api
        if api is None:
            return
        self._operations.run(
            OFFICE_LANE,
            lambda: call(api),
            on_success=on_success,
            on_failure=on_failure or self._show_error,
        )

    def _show_error(self, error: MadoguchiError) -> None:
        log.info("editor: %s", error.code)
        self._set_status(_message(error))

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    @property
    def calling(self) -> bool:
        """A back-office call is under way."""
        return self._operations.busy(OFFICE_LANE)

    @property
    def busy(self) -> bool:
        return self._operations.busy() or self.preview.busy

    # -- enrolling a terminal ----------------------------------------------------------------

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

    # -- retention ---------------------------------------------------------------------------

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
        try:
            api = self._api_factory(require_secure_url(server, "server"))
        except MadoguchiError as exc:
            self.sign_in_page.show_error(_message(exc))
            return

        def done(who: Any) -> None:
            self.api = api
            self.who.setText(f"{who.username}（{who.role}）")
            self.sign_in_page.show_error("")
            self.stack.setCurrentIndex(1)
            self.refresh_list()

        def failed(error: MadoguchiError) -> None:
            api.close()
            self.sign_in_page.show_error(_message(error))

        self._operations.run(
            OFFICE_LANE,
            lambda: api.sign_in_admin(username, password),
            on_success=done,
            on_failure=failed,
        )

    def _forget_session(self) -> bool:
        """Drop the signed-in API and log it out in the background; False if there was none."""
        api, self.api = self.api, None
        if api is None:
            return False
        self._operations.run(
            OFFICE_LANE,
            lambda: _logout(api),
            on_success=lambda _r: None,
            on_failure=lambda _e: None,
        )
        return True

    def sign_out(self) -> None:
        self._forget_session()
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
        shown = draft if draft is not None else TemplateDraft({})
        self.settings_form.set_draft(draft)
        self.field_model.set_draft(shown)
        self.box_model.set_draft(shown, 0)
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(len(shown.pages()), 1))
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.field_table.resizeColumnsToContents()
        self.box_table.resizeColumnsToContents()
        for widget in (
            self.add_field_button,
            self.remove_field_button,
            self.add_box_button,
            self.remove_box_button,
            self.export_button,
            self.new_version_button,
        ):
            widget.setEnabled(draft is not None)
        self._after_edit(structure=False)

    def _after_edit(self, structure: bool = False) -> None:
        """Everything that follows any edit: problems, YAML, publish button, preview."""
        if structure:
            self.field_model.refresh()
            self.box_model.refresh()
            self.page_spin.setMaximum(max(len(self.draft.pages()), 1) if self.draft else 1)
        self.server_problems = []
        self.settings_form.show_problems()
        self._show_problems()
        self.field_table.resizeColumnToContents(0)  # the ⚠ count
        self.box_table.resizeColumnToContents(0)
        draft = self.draft
        self.yaml_view.setPlainText(draft.to_yaml() if draft is not None else "")
        self.publish_button.setEnabled(draft is not None and draft.ok and self.api is not None)
        self._request_preview()

    def _request_preview(self) -> None:
        if self.draft is None:
            self.preview.request(None)
            self.pdf_view.clear()
            return
        self.preview.request(self.draft.template, self.sample_combo.currentData())

    def _show_problems(self) -> None:
        self.problem_list.clear()
        draft = self.draft
        problems: list[Problem] = list(draft.problems) if draft else []
        for problem in problems:
            item = QListWidgetItem(f"⚠ {problem.text}")
            item.setData(LOCATION_ROLE, problem.location)
            self.problem_list.addItem(item)
        for text in self.server_problems:
            self.problem_list.addItem(QListWidgetItem(f"⛔ サーバー / server: {text}"))
        count = len(problems) + len(self.server_problems)
        if draft is None:
            self.problem_title.setText("")
        elif count:
            self.problem_title.setText(
                f"問題 {count} 件（公開できません） / {count} problem(s): cannot publish"
            )
        else:
            key = f"{draft.template_id} v{draft.version}"
            self.problem_title.setText(f"問題なし（{key}） / no problems ({key})")

    def problem_texts(self) -> list[str]:
        return [self.problem_list.item(n).text() for n in range(self.problem_list.count())]

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        location = item.data(LOCATION_ROLE)
        if not isinstance(location, Location):
            return
        if location.kind == "field":
            row = self.field_model.row_of(location)
            if row is not None:
                self.tabs.setCurrentIndex(TAB_FIELDS)
                self.field_table.selectRow(row)
        elif location.kind in ("box", "page") and location.page is not None:
            self.tabs.setCurrentIndex(TAB_LAYOUT)
            self.page_spin.setValue(location.page + 1)
            if location.kind == "box" and location.index is not None:
                self.box_table.selectRow(location.index)
        else:
            self.tabs.setCurrentIndex(TAB_FIELDS)

    # -- structural edits --------------------------------------------------------------------

    def _selected_row(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows() or table.selectionModel().selectedIndexes()
        return rows[0].row() if rows else None

    def add_field(self) -> None:
        if self.draft is None:
            return
        row = self._selected_row(self.field_table)
        group = self.field_model.ref(row).group if row is not None else None
        ref = self.draft.add_field(group)
        self._after_edit(structure=True)
        new_row = self.field_model.row_of(Location("field", ref.index, ref.group))
        if new_row is not None:
            self.field_table.selectRow(new_row)

    def remove_field(self) -> None:
        row = self._selected_row(self.field_table)
        if self.draft is None or row is None:
            return
        self.draft.remove_field(self.field_model.ref(row))
        self._after_edit(structure=True)

    def add_box(self) -> None:
        if self.draft is None or not self.draft.pages():
            return
        index = self.draft.add_box(self.box_model.page)
        self._after_edit(structure=True)
        self.box_table.selectRow(index)

    def remove_box(self) -> None:
        row = self._selected_row(self.box_table)
        if self.draft is None or row is None:
            return
        self.draft.remove_box(self.box_model.page, row)
        self._after_edit(structure=True)

    # -- YAML import and export ---------------------------------------------------------------

    def import_yaml(self, text: str, source: str = "import") -> None:
        """A template (it has a layout) becomes the draft; anything else is read as a bundle."""
        try:
            if _looks_like_template(text):
                self.load_draft(TemplateDraft.from_yaml(text, source))
                self.tabs.setCurrentIndex(TAB_FIELDS)
            else:
                known = self.bundle_editor.known
                self.bundle_editor.add_draft(BundleDraft.from_yaml(text, known, source))
                self.tabs.setCurrentIndex(TAB_BUNDLES)
        except DraftUnreadable as exc:
            self._set_status(f"{_message(exc)}: {'; '.join(exc.problems)}")
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

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "YAML 読込 / Import YAML", "", "YAML (*.yaml *.yml)"
        )
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._set_status(f"読めません / cannot read {Path(path).name}")
                return
            self.import_yaml(text, Path(path).name)

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "YAML 書出 / Export YAML", "", "YAML (*.yaml)")
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
            self._set_status(f"公開できません / not published: {_message(error)}")
            self.publish_button.setEnabled(self.draft is draft and draft.ok)

        self._office(lambda api: api.publish_template(text), done, failed)

    # -- the signed bundle for the pre-entry site ---------------------------------------------

    def export_signed_bundle(self, out: str | Path, key_path: str | Path) -> None:
        """Newest published templates + this editor's valid bundles, signed, written to `out`."""
        try:
            key = load_signing_private_key(key_path)
        except MadoguchiError as exc:
            self._show_error(exc)
            return
        bundles = self.bundle_editor.valid_bundles()

        def work(api: AdminApi) -> int:
            templates, usable = bundle_export.from_server(api, bundles)
            return bundle_export.write_signed_bundle(out, templates, usable, key)

        def done(size: Any) -> None:
            self._set_status(
                f"署名付きパッケージを書き出しました / signed bundle written ({size} bytes)"
            )

        self._office(work, done)

    def _choose_signed_bundle(self) -> None:
        key, _ = QFileDialog.getOpenFileName(self, "署名鍵 / Signing key", "", "PEM (*.key *.pem)")
        if not key:
            return
        out, _ = QFileDialog.getSaveFileName(
            self, "署名付きパッケージ / Signed bundle", "templates.mdgb", "(*.mdgb)"
        )
        if out:
            self.export_signed_bundle(out, key)

    # -- closing -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Sign out and stop background work (waits at most SHUTDOWN_WAIT_MS per lane)."""
        if self._forget_session():
            self._operations.wait_idle(SHUTDOWN_WAIT_MS)
        self._operations.shutdown(SHUTDOWN_WAIT_MS)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)


def _looks_like_template(text: str) -> bool:
    """A mapping with a `layout` is a template; anything unreadable goes the template way too,
    so its problem is reported as a template's."""
    try:
        data = load_yaml(text)
    except YAMLError:
        return True
    return not isinstance(data, dict) or "layout" in data


def _logout(api: AdminApi) -> None:
    try:
        api.logout()
    finally:
        api.close()
