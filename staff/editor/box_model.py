"""The layout table of one page: where each value prints (mm from the page's top-left on A4).

Like the fields table, a value that does not parse is kept as typed and its problem is shown
on the row (tinted, with a count and a tooltip).
"""

from __future__ import annotations

from typing import Any

from staff.editor.draft import TemplateDraft
from staff.editor.field_model import parse_number
from staff.editor.problems import Location
from staff.editor.table_model import Column, DraftTableModel

BOX_COLUMNS = (
    Column("problems", "⚠", "readonly"),
    Column("field", "項目\nfield"),
    Column("part", "部分\npart"),
    Column("option", "選択肢\noption"),
    Column("x", "x (mm)", "float"),
    Column("y", "y (mm)", "float"),
    Column("w", "幅\nw (mm)", "float"),
    Column("h", "高さ\nh (mm)", "float"),
    Column("size", "文字\nsize (pt)", "float"),
    Column("align", "揃え\nalign"),
    Column("fit", "収め方\nfit"),
    Column("border", "枠\nborder", "bool"),
)
ALIGNS = ("left", "center", "right")
FITS = ("shrink", "wrap", "shrink_wrap")


class BoxTableModel(DraftTableModel):
    COLUMNS = BOX_COLUMNS

    def __init__(self, draft: TemplateDraft, parent: Any = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self._page = 0

    @property
    def page(self) -> int:
        return self._page

    def set_draft(self, draft: TemplateDraft, page: int = 0) -> None:
        self.beginResetModel()
        self._draft = draft
        self._page = page
        self.endResetModel()

    def set_page(self, page: int) -> None:
        self.set_draft(self._draft, page)

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    # -- the table's cells ---------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._draft.boxes(self._page))

    def _problems(self, row: int) -> list[str]:
        where = Location("box", row, page=self._page)
        return [p.text for p in self._draft.problems_at(where)]

    def _checked(self, row: int, column: Column) -> bool:
        return self._draft.box_value(self._page, row, column.key) is not False

    def _text(self, row: int, column: Column) -> str:
        value = self._draft.box_value(self._page, row, column.key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    def _parse(self, column: Column, text: str) -> Any:
        if column.kind == "float":
            return parse_number(text, integer=False)
        return text.strip()

    def _store(self, row: int, column: Column, value: Any) -> None:
        self._draft.set_box_value(self._page, row, column.key, value)
