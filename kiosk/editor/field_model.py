"""The fields table: one row per field (groups' fields after the top-level ones).

Columns are the settings an admin edits most: id, type, labels, required, validation
(max_length, pattern, min, max, options) and the prefill path. A value that does not parse
(say "12a" for max_length) is kept as typed, so the problem it causes is shown on its row
rather than the edit silently disappearing. Rows with problems are tinted and the first
column says how many; the tooltip lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from kiosk.editor.draft import FieldRef, TemplateDraft
from kiosk.editor.problems import Location

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BRUSH = QBrush(QColor("#ffd7d7"))


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text, int, bool, options, readonly


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


class FieldTableModel(QAbstractTableModel):
    edited = Signal()  # the draft changed through this table

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

    def column_of(self, key: str) -> int:
        return next(n for n, c in enumerate(FIELD_COLUMNS) if c.key == key)

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(FIELD_COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return FIELD_COLUMNS[section].title
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        kind = FIELD_COLUMNS[index.column()].kind
        if kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if kind == "readonly":
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def _problems(self, row: int) -> list[str]:
        ref = self._rows[row]
        return [p.text for p in self._draft.problems_at(Location("field", ref.index, ref.group))]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), FIELD_COLUMNS[index.column()]
        ref = self._rows[row]
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_BRUSH if self._problems(row) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            problems = self._problems(row)
            return "\n".join(problems) if problems else None
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            on = self._draft.field_value(ref, column.key) is True
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column.key == "problems":
            count = len(self._problems(row))
            return f"⚠ {count}" if count else ""
        if column.key == "group":
            return self._draft.group_id(ref)
        if column.kind == "bool":
            return None
        value = self._draft.field_value(ref, column.key)
        if column.kind == "options":
            return options_text(value)
        return "" if value is None else str(value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        column = FIELD_COLUMNS[index.column()]
        ref = self._rows[index.row()]
        if column.kind == "bool" and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            new: Any = True if checked else None
        elif role != Qt.ItemDataRole.EditRole or column.kind in ("readonly", "bool"):
            return False
        elif column.kind == "int":
            new = parse_number(str(value), integer=True)
        elif column.kind == "options":
            new = parse_options(str(value))
        else:
            new = str(value).strip()
        self._draft.set_field_value(ref, column.key, new)
        # Problems move between rows after any edit: repaint the whole table.
        self.dataChanged.emit(
            self.index(0, 0),
            self.index(len(self._rows) - 1, len(FIELD_COLUMNS) - 1),
        )
        self.edited.emit()
        return True
