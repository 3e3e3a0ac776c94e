"""The fields table: one row per field (groups' fields after the top-level ones).

Columns are the settings an admin edits most: id, type, labels, required, validation
(max_length, pattern, min, max, options) and the prefill path. A value that does not parse
(say "12a" for max_length) is kept as typed, so the problem it causes is shown on its row
rather than the edit silently disappearing. Rows with problems are tinted and the first
column says how many; the tooltip lists them.
"""

from __future__ import annotations

from typing import Any

from staff.editor.draft import FieldRef, TemplateDraft
from staff.editor.problems import Location
from staff.editor.table_model import Column, DraftTableModel

FIELD_COLUMNS = (
    Column("problems", "⚠", "readonly"),
    Column("group", "グループ\ngroup", "readonly"),
    Column("id", "項目ID\nid"),
    Column("type", "型\ntype"),
    Column("label.ja", "ラベル\nlabel (ja)"),
    Column("label.en", "label (en)"),
    Column("required", "必須\nrequired", "bool"),
    Column("max_length", "最大文字数\nmax_length", "int"),
    Column("pattern", "書式\npattern"),
    Column("min", "最小\nmin", "int"),
    Column("max", "最大\nmax", "int"),
    Column("options", "選択肢\noptions (value=ja/en; …)", "options"),
    Column("prefill", "参照先\nprefill path"),
)


def parse_number(text: str, integer: bool) -> Any:
    """A number if the text is one, else the text itself (so the problem can be shown)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if integer else float(text)
    except ValueError:
        if not integer:
            return text
        try:
            as_float = float(text)
        except ValueError:
            return text
        return int(as_float) if as_float.is_integer() else text


def options_text(options: Any) -> str:
    if not isinstance(options, list):
        return ""
    parts = []
    for option in options:
        if not isinstance(option, dict):
            continue
        label = str(option.get("ja", ""))
        if option.get("en"):
            label += f"/{option['en']}"
        parts.append(f"{option.get('value', '')}={label}")
    return "; ".join(parts)


def parse_options(text: str) -> list[dict[str, str]]:
    """`juminhyo=住民票/Residence certificate; koseki=戸籍` → a list of options."""
    options = []
    for raw in text.split(";"):
        chunk = raw.strip()
        if not chunk:
            continue
        value, _, label = chunk.partition("=")
        ja, _, en = (label or value).partition("/")
        option = {"value": value.strip(), "ja": ja.strip()}
        if en.strip():
            option["en"] = en.strip()
        options.append(option)
    return options


class FieldTableModel(DraftTableModel):
    COLUMNS = FIELD_COLUMNS

    def __init__(self, draft: TemplateDraft, parent: Any = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self._rows: list[FieldRef] = draft.field_rows()

    @property
    def draft(self) -> TemplateDraft:
        return self._draft

    def set_draft(self, draft: TemplateDraft) -> None:
        self.beginResetModel()
        self._draft = draft
        self._rows = draft.field_rows()
        self.endResetModel()

    def refresh(self) -> None:
        """Rows or problems changed outside the table (added field, other edits)."""
        self.beginResetModel()
        self._rows = self._draft.field_rows()
        self.endResetModel()

    def ref(self, row: int) -> FieldRef:
        return self._rows[row]

    def row_of(self, location: Location) -> int | None:
        if location.kind != "field":
            return None
        wanted = FieldRef(location.group, location.index or 0)
        return self._rows.index(wanted) if wanted in self._rows else None

    # -- the table's cells ---------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._rows)

    def _problems(self, row: int) -> list[str]:
        ref = self._rows[row]
        return [p.text for p in self._draft.problems_at(Location("field", ref.index, ref.group))]

    def _checked(self, row: int, column: Column) -> bool:
        return self._draft.field_value(self._rows[row], column.key) is True

    def _text(self, row: int, column: Column) -> str:
        ref = self._rows[row]
        if column.key == "group":
            return self._draft.group_id(ref)
        value = self._draft.field_value(ref, column.key)
        if column.kind == "options":
            return options_text(value)
        return "" if value is None else str(value)

    def _parse(self, column: Column, text: str) -> Any:
        if column.kind == "int":
            return parse_number(text, integer=True)
        if column.kind == "options":
            return parse_options(text)
        return text.strip()

    def _bool_value(self, checked: bool) -> Any:
        return True if checked else None

    def _store(self, row: int, column: Column, value: Any) -> None:
        self._draft.set_field_value(self._rows[row], column.key, value)
