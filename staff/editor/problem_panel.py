"""The list of problems under the editor's tabs: the draft's own (⚠, each with the place it is
about) and the back office's refusal (⛔). A click on a ⚠ emits `chosen(location)`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from staff.editor.draft import TemplateDraft
from staff.editor.problems import Location

LOCATION_ROLE = Qt.ItemDataRole.UserRole


class ProblemPanel(QWidget):
    chosen = Signal(object)  # the Location of the problem clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem_list = QListWidget(self)
        self.problem_list.setAccessibleName("問題 / problems")
        self.problem_list.itemActivated.connect(self._choose)
        self.problem_list.itemClicked.connect(self._choose)
        self.problem_title = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem_title)
        layout.addWidget(self.problem_list)

    def show_problems(self, draft: TemplateDraft | None, server_problems: list[str]) -> None:
        self.problem_list.clear()
        problems = list(draft.problems) if draft else []
        for problem in problems:
            item = QListWidgetItem(f"⚠ {problem.text}")
            item.setData(LOCATION_ROLE, problem.location)
            self.problem_list.addItem(item)
        for text in server_problems:
            self.problem_list.addItem(QListWidgetItem(f"⛔ サーバー / server: {text}"))
        count = len(problems) + len(server_problems)
        if draft is None:
            self.problem_title.setText("")
        elif count:
            self.problem_title.setText(
                f"問題 {count} 件（公開できません） / {count} problem(s): cannot publish"
            )
        else:
            key = f"{draft.template_id} v{draft.version}"
            self.problem_title.setText(f"問題なし（{key}） / no problems ({key})")

    def texts(self) -> list[str]:
        return [self.problem_list.item(n).text() for n in range(self.problem_list.count())]

    def _choose(self, item: QListWidgetItem) -> None:
        location = item.data(LOCATION_ROLE)
        if isinstance(location, Location):
            self.chosen.emit(location)
