"""The template editor against a real back office: sign-in and roles, editing with a live
preview, every problem shown where it belongs, publishing, and the way to the kiosks."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import httpx
import pdfplumber
import pytest
from PySide6.QtCore import Qt
from reportlab.lib.units import mm

from forms.catalog import Catalog
from forms.fill import fill
from forms.payload.keys import generate_signing_keypair, save_private_key
from forms.sample_records import load_sample
from forms.signed_bundle import load_signed_bundle
from forms.template import parse_template
from printing.render import render_application
from staff.editor.admin_api import AdminApi
from staff.editor.preview import INVALID_TEXT
from staff.editor.table_model import PROBLEM_BRUSH
from sync.client import OfficeClient
from sync.errors import Forbidden
from sync.templates import TemplateCache
from tests.backoffice.backoffice_factory import personal_strings
from tests.staff.editor.editorkit import (
    ADMIN,
    PASSWORD,
    STAFF,
    WAIT_MS,
    open_template,
    wait_idle,
    wait_preview,
)

BUILTIN = Catalog.builtin()
SHIPPED = [t.id for t in BUILTIN.latest()]


def chars(pdf: bytes) -> set[tuple[str, float, float]]:
    """(character, left mm, top mm) of everything printed on the first page."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return {
            (c["text"], round(c["x0"] / mm, 2), round(c["top"] / mm, 2)) for c in doc.pages[0].chars
        }


def edit_cell(model, row: int, key: str, value) -> None:
    assert model.setData(model.index(row, model.column_of(key)), value, Qt.ItemDataRole.EditRole)


# -- signing in and roles ----------------------------------------------------------------------


def test_admin_signs_in_and_sees_every_template_with_its_versions(qtbot, editor) -> None:
    assert editor.signed_in
    listed = {e.id: e for e in editor.template_list.entries}
    assert set(SHIPPED) <= set(listed)
    for template_id in SHIPPED:
        assert BUILTIN.get(template_id).version in [i.version for i in listed[template_id].versions]
    assert editor.template_list.topLevelItemCount() == len(listed)
    assert ADMIN in editor.who.text()


def test_staff_account_cannot_open_the_editor(qtbot, make_editor) -> None:
    window = make_editor()
    page = window.sign_in_page
    page.username.setText(STAFF)
    page.password.setText(PASSWORD)
    page.button.click()
    qtbot.waitUntil(lambda: "admin" in page.message.text(), timeout=WAIT_MS)
    assert "管理者" in page.message.text()
    assert not window.signed_in
    assert window.stack.currentIndex() == 0
    assert window.api is None
    assert page.password.text() == ""  # the password is not kept in the widget


def test_wrong_password_is_refused_with_the_back_offices_message(qtbot, make_editor) -> None:
    window = make_editor()
    page = window.sign_in_page
    page.username.setText(ADMIN)
    page.password.setText("not the password")
    page.button.click()
    qtbot.waitUntil(lambda: "credentials" in page.message.text(), timeout=WAIT_MS)
    assert not window.signed_in
    assert page.button.isEnabled()


def test_unreachable_back_office_is_a_clear_message(qtbot, make_editor) -> None:
    window = make_editor()
    page = window.sign_in_page
    page.server.setText("http://127.0.0.1:9")  # discard port: nothing listens
    page.username.setText(ADMIN)
    page.password.setText(PASSWORD)
    page.button.click()
    qtbot.waitUntil(lambda: "unavailable" in page.message.text(), timeout=WAIT_MS)
    assert not window.signed_in


@pytest.mark.parametrize("address", ["", "not a url", "ftp://office", "http://[::1"])
def test_a_bad_server_address_is_refused_before_any_call(qtbot, make_editor, address) -> None:
    window = make_editor()
    page = window.sign_in_page
    page.server.setText(address)
    page.username.setText(ADMIN)
    page.password.setText(PASSWORD)
    page.button.click()
    assert "http:// or https://" in page.message.text()
    assert page.button.isEnabled() and not window.calling


def test_the_server_refuses_staff_publishing_too(office_server) -> None:
    """Roles are the back office's: a staff token gets 403 on POST /templates."""
    text = (Path("forms/templates/juminhyo.yaml")).read_text("utf-8")
    with httpx.Client(base_url=office_server.url + "/api/v1", timeout=10) as http:
        login = http.post("/auth/login", json={"username": STAFF, "password": PASSWORD})
        token = login.json()["token"]
        answer = http.post(
            "/templates",
            content=text.encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/yaml"},
        )
        assert answer.status_code == 403
        assert answer.json()["code"] == "forbidden"
        no_token = http.post(
            "/templates", content=text.encode(), headers={"Content-Type": "text/yaml"}
        )
        assert no_token.status_code == 401
    # The editor's own client, signed in without its role check, meets the same refusal.
    with AdminApi(office_server.url) as api:
        api.login(STAFF, PASSWORD)
        with pytest.raises(Forbidden) as info:
            api.publish_template(text.replace("version: 1", "version: 99", 1))
        assert info.value.status == 403


# -- editing with the live preview -------------------------------------------------------------


@pytest.mark.parametrize("template_id", SHIPPED)
def test_every_shipped_template_opens_valid_and_previews(qtbot, editor, template_id) -> None:
    open_template(qtbot, editor, template_id)
    draft = editor.draft
    assert draft is not None and draft.ok, draft.problems if draft else None
    assert draft.template_id == template_id
    assert editor.field_model.rowCount() == len(draft.field_rows()) > 0
    assert editor.box_model.rowCount() == len(draft.boxes(0)) > 0
    assert editor.pdf_view.page_count == len(draft.template.layout.pages)
    assert editor.preview.last_pdf.startswith(b"%PDF-")
    assert editor.publish_button.isEnabled()
    assert "no problems" in editor.problem_title.text()


def test_admin_edits_a_field_and_a_box_and_the_preview_follows(qtbot, editor) -> None:
    open_template(qtbot, editor, "juminhyo")
    before = editor.preview.last_pdf
    renders = editor.preview.renders

    fields = editor.field_model
    with qtbot.waitSignal(editor.preview.rendered, timeout=WAIT_MS):
        edit_cell(fields, 0, "label.ja", "請求者の氏名（編集）")
    assert editor.draft.field_value(fields.ref(0), "label.ja") == "請求者の氏名（編集）"
    assert "請求者の氏名（編集）" in editor.yaml_view.toPlainText()
    assert editor.preview.renders == renders + 1

    boxes = editor.box_model
    x = editor.draft.box_value(0, 0, "x")
    with qtbot.waitSignal(editor.preview.rendered, timeout=WAIT_MS):
        edit_cell(boxes, 0, "x", str(x + 5))
    wait_preview(qtbot, editor)
    after = editor.preview.last_pdf
    # Exactly the box's value moved, 5 mm to the right, on the same line.
    gone, new = chars(before) - chars(after), chars(after) - chars(before)
    assert gone and len(gone) == len(new)
    assert sorted((t, round(left + 5, 1), top) for t, left, top in gone) == sorted(
        (t, round(left, 1), top) for t, left, top in new
    )


def test_a_burst_of_edits_renders_at_most_twice(qtbot, editor) -> None:
    open_template(qtbot, editor, "juminhyo")
    renders = editor.preview.renders
    boxes = editor.box_model
    for n in range(10):
        edit_cell(boxes, 0, "size", str(8 + n * 0.1))
    wait_preview(qtbot, editor)
    assert 1 <= editor.preview.renders - renders <= 2
    assert editor.draft.box_value(0, 0, "size") == pytest.approx(8.9)


def test_sample_choice_changes_the_preview(qtbot, editor) -> None:
    open_template(qtbot, editor, "juminhyo")
    first = editor.preview.last_pdf
    combo = editor.sample_combo
    other = next(n for n in range(1, combo.count()) if combo.itemData(n) != "mihon_showa_last_day")
    with qtbot.waitSignal(editor.preview.rendered, timeout=WAIT_MS):
        combo.setCurrentIndex(other)
    wait_preview(qtbot, editor)
    assert editor.preview.last_pdf != first


def test_add_and_remove_a_field_and_a_box(qtbot, editor) -> None:
    open_template(qtbot, editor, "juminhyo")
    rows, boxes = editor.field_model.rowCount(), editor.box_model.rowCount()
    editor.add_field()
    assert editor.field_model.rowCount() == rows + 1
    editor.add_box()
    assert editor.box_model.rowCount() == boxes + 1
    # The new box names no field yet: that is a problem, shown on its row.
    problems = editor.problem_texts()
    assert any(f"枠 {boxes + 1}" in p and "no such field" in p for p in problems)
    editor.box_table.selectRow(boxes)
    editor.remove_box()
    editor.field_table.selectRow(rows)
    editor.remove_field()
    assert (editor.field_model.rowCount(), editor.box_model.rowCount()) == (rows, boxes)
    assert editor.draft.ok


# -- problems, shown where they belong; publishing refused ------------------------------------


def test_invalid_values_show_each_problem_on_its_row_and_block_publishing(qtbot, editor) -> None:
    open_template(qtbot, editor, "juminhyo")
    fields, boxes = editor.field_model, editor.box_model
    edit_cell(fields, 1, "max_length", "12a")
    edit_cell(boxes, 2, "w", "wide")
    problems = editor.problem_texts()
    assert len(problems) == 2
    # Named by the field's label, in Japanese and English: never pydantic's path.
    label = fields.data(fields.index(1, fields.column_of("label.ja")))
    assert any(f"「{label}」" in p and "最大文字数: 整数を入れてください" in p for p in problems)
    assert any("maximum length: enter a whole number" in p for p in problems)
    assert any("1 ページ目の枠 3の幅: 数を入れてください" in p for p in problems)
    assert not [p for p in problems if "fields.1" in p or "Input should" in p]
    # Next to what it concerns: the rows are tinted, counted and explained.
    index = fields.index(1, fields.column_of("id"))
    assert fields.data(index, Qt.ItemDataRole.BackgroundRole) == PROBLEM_BRUSH
    assert "最大文字数" in fields.data(index, Qt.ItemDataRole.ToolTipRole)
    assert fields.data(fields.index(1, 0)) == "⚠ 1"
    assert fields.data(fields.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert boxes.data(boxes.index(2, 0)) == "⚠ 1"
    assert "幅" in boxes.data(boxes.index(2, 1), Qt.ItemDataRole.ToolTipRole)
    # The raw value is kept, not lost.
    assert fields.data(fields.index(1, fields.column_of("max_length"))) == "12a"
    assert not editor.publish_button.isEnabled()
    wait_preview(qtbot, editor)
    assert editor.pdf_view.caption == INVALID_TEXT
    editor.publish()
    assert "cannot publish: 2 problem(s)" in editor.status.text()
    # Clicking a problem goes to its row.
    editor.problem_list.itemClicked.emit(editor.problem_list.item(1))
    assert editor.tabs.currentIndex() == 1
    assert editor.box_table.selectionModel().selectedRows()[0].row() == 2


def test_semantic_problems_show_at_their_field_box_and_template(qtbot, editor) -> None:
    open_template(qtbot, editor, "idou")
    draft = editor.draft
    fields, boxes = editor.field_model, editor.box_model
    original_type = fields.data(fields.index(0, fields.column_of("type")))
    original_x = boxes.data(boxes.index(0, boxes.column_of("x")))
    edit_cell(fields, 0, "type", "no_such_type")
    first_id = fields.data(fields.index(0, fields.column_of("id")))
    second_id = fields.data(fields.index(1, fields.column_of("id")))
    edit_cell(fields, 1, "id", first_id)  # duplicate id
    edit_cell(boxes, 0, "x", "205")  # off the page
    problems = editor.problem_texts()
    assert any("unknown field type" in p for p in problems)
    assert any("duplicate field id" in p for p in problems)
    assert any("off the page" in p for p in problems)
    assert fields.data(fields.index(0, 0)).startswith("⚠")
    assert boxes.data(boxes.index(0, 0)).startswith("⚠")
    assert not draft.ok and not editor.publish_button.isEnabled()
    # A template setting's problem is shown beside the settings.
    editor.settings_form.edits["legal_basis"].textEdited.emit("")
    assert "根拠法令" in editor.settings_form.problems.text()
    assert any("根拠法令" in p and "legal basis" in p for p in editor.problem_texts())
    # Undo each: the problems go, one by one.
    editor.settings_form.edits["legal_basis"].textEdited.emit("住民基本台帳法第22条")
    edit_cell(fields, 1, "id", second_id)
    edit_cell(fields, 0, "type", original_type)
    assert [p for p in editor.problem_texts() if "off the page" in p] == editor.problem_texts()
    edit_cell(boxes, 0, "x", original_x)
    assert draft.ok and editor.problem_texts() == []
    assert editor.publish_button.isEnabled()


def test_the_server_refusal_lists_its_problems(qtbot, editor) -> None:
    """A draft valid on its own but not newer than the published version: the back office
    refuses it, and the editor shows the server's problem."""
    open_template(qtbot, editor, "kokuho")
    assert editor.draft.ok
    editor.publish()
    qtbot.waitUntil(lambda: "not published" in editor.status.text(), timeout=WAIT_MS)
    problems = editor.problem_texts()
    assert any("server" in p and "not newer" in p for p in problems)
    assert "1 problem(s)" in editor.problem_title.text()


def test_the_server_refuses_an_invalid_template_with_every_problem(office_server) -> None:
    from sync.errors import Refused

    text = Path("forms/templates/juminhyo.yaml").read_text("utf-8")
    bad = text.replace("version: 1", "version: 50", 1) + "\nnot_a_key: 1\n"
    bad = bad.replace("legal_basis:", "legal_basis_typo:", 1)
    with AdminApi(office_server.url) as api:
        api.sign_in_admin(ADMIN, PASSWORD)
        with pytest.raises(Refused) as info:
            api.publish_template(bad)
    assert info.value.status == 422
    assert len(info.value.problems) >= 3  # missing legal_basis, two unknown keys


# -- publishing and the way to the kiosks -----------------------------------------------------


def test_published_version_reaches_a_kiosk_and_the_old_version_still_renders(
    qtbot, editor, office_server, tmp_path
) -> None:
    open_template(qtbot, editor, "juminhyo")
    old = editor.draft.template
    latest = editor.template_list.latest_version("juminhyo")
    editor.start_new_version()
    new_version = latest + 1
    assert editor.draft.version == new_version
    edit_cell(editor.field_model, 0, "label.en", "Applicant (edited)")
    assert editor.publish_button.isEnabled()
    with qtbot.waitSignal(editor.published, timeout=WAIT_MS) as signal:
        editor.publish()
    assert signal.args == ["juminhyo", new_version]
    qtbot.waitUntil(
        lambda: editor.template_list.latest_version("juminhyo") == new_version, timeout=WAIT_MS
    )
    wait_idle(qtbot, editor)

    # A kiosk pulls it with its own terminal token.
    cache = TemplateCache(tmp_path / "cache")
    with OfficeClient(office_server.url, office_server.kiosk_token) as client:
        report = cache.pull(client)
    assert f"juminhyo v{new_version}" in report.fetched
    assert not report.refused and not report.offline
    catalog = cache.catalog()
    assert catalog.get("juminhyo").version == new_version
    assert catalog.get("juminhyo").fields[0].label.en == "Applicant (edited)"

    # A record made with the old version still renders with the old version.
    assert old.version in catalog.versions("juminhyo")
    record = load_sample("mihon_showa_last_day")
    form = fill(catalog.get("juminhyo", old.version), record)
    assert form.ok
    pdf = render_application([form], reception_number="2026-000001")
    assert pdf.startswith(b"%PDF-")
    # And the old version stays readable from the back office.
    with AdminApi(office_server.url) as api:
        api.sign_in_admin(ADMIN, PASSWORD)
        assert api.template("juminhyo", old.version) == old


# -- YAML import and export --------------------------------------------------------------------


@pytest.mark.parametrize("template_id", SHIPPED)
def test_yaml_export_import_round_trip(qtbot, editor, tmp_path, template_id) -> None:
    open_template(qtbot, editor, template_id)
    original = editor.draft.template
    path = tmp_path / f"{template_id}.yaml"
    editor.export_yaml(path)
    assert parse_template(path.read_text("utf-8")) == original
    editor.load_draft(editor.draft.__class__({}))
    editor.import_yaml(path.read_text("utf-8"), path.name)
    assert editor.draft.template == original
    assert editor.draft.ok


def test_importing_broken_yaml_says_why(qtbot, editor) -> None:
    editor.import_yaml("id: [unclosed\nlayout: {", "broken.yaml")
    assert "malformed YAML" in editor.status.text()
    assert editor.draft is None
    editor.import_yaml("- a list\n- layout\n", "list.yaml")
    assert "mapping" in editor.status.text()


def test_importing_an_invalid_template_shows_its_problems(qtbot, editor) -> None:
    text = Path("forms/templates/juminhyo.yaml").read_text("utf-8")
    editor.import_yaml(text.replace("version: 1", "version: 0", 1), "v0.yaml")
    assert editor.draft is not None
    assert any("version" in p for p in editor.problem_texts())
    assert not editor.publish_button.isEnabled()


# -- bundles -----------------------------------------------------------------------------------


def test_bundles_are_edited_and_checked_the_same_way(qtbot, editor, tmp_path) -> None:
    bundles = editor.bundle_editor
    editor.tabs.setCurrentIndex(2)
    assert bundles.current() is not None and bundles.current().ok
    draft = bundles.current()
    draft.set_role("juminhyo", "optional")
    assert "juminhyo" in draft.data["optional"] and draft.ok
    bundles.edits["id"].textEdited.emit("Bad Id")
    assert bundles.problems.count() == 1
    bundles.edits["id"].textEdited.emit("moving_in")
    assert bundles.problems.count() == 0
    path = tmp_path / "bundle.yaml"
    editor.export_yaml(path)
    assert "juminhyo" in path.read_text("utf-8")
    editor.import_yaml("id: nope\ntitle: {ja: x}\ntemplates: [idou, no_such_form]\n", "nope.yaml")
    assert bundles.current().text("id") == "nope"
    assert [bundles.problems.item(n).text() for n in range(bundles.problems.count())] == [
        "templates: 様式 no_such_form がありません / unknown template no_such_form"
    ]


# -- the signed bundle for the pre-entry site --------------------------------------------------


def test_signed_bundle_from_the_editor_holds_the_published_templates(
    qtbot, editor, tmp_path
) -> None:
    key, public = generate_signing_keypair()
    save_private_key(key, tmp_path / "templates-signing.key")
    out = tmp_path / "templates.mdgb"
    editor.export_signed_bundle(out, tmp_path / "templates-signing.key")
    qtbot.waitUntil(lambda: "signed bundle written" in editor.status.text(), timeout=WAIT_MS)
    templates, bundles = load_signed_bundle(out.read_bytes(), [public])
    latest = {e.id: e.latest for e in editor.template_list.entries}
    assert {t.id: t.version for t in templates} == latest
    assert [b.id for b in bundles] == [b.id for b in BUILTIN.bundles()]


def test_signed_bundle_with_a_missing_key_is_a_clear_error(qtbot, editor, tmp_path) -> None:
    editor.export_signed_bundle(tmp_path / "out.mdgb", tmp_path / "no.key")
    assert "not found" in editor.status.text()
    assert not (tmp_path / "out.mdgb").exists()


# -- logs --------------------------------------------------------------------------------------


def test_no_sample_resident_in_the_logs(qtbot, editor, office_server, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    open_template(qtbot, editor, "idou")
    with qtbot.waitSignal(editor.preview.rendered, timeout=WAIT_MS):
        editor.sample_combo.setCurrentIndex(editor.sample_combo.findData("yoshino_household"))
    edit_cell(editor.box_model, 0, "w", "1")  # too narrow: a render error is logged
    wait_preview(qtbot, editor)
    logs = caplog.text + office_server.log_path.read_text(errors="replace")
    leaked = [s for s in personal_strings() if s in logs]
    assert not leaked
    assert PASSWORD not in logs
