"""The resident's place in the guided review (`forms.guide`): which page is shown, which pages
they already pressed 次へ on (only those show their problems), and whether 修正 on the summary
sent them back. Plain data (`to_dict`/`from_dict`), for the pre-entry site's sealed field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.guide import ORDER, SUMMARY, GroupKind, Guide, GuideGroup


@dataclass
class GuideWalk:
    """Which page the resident is on, and where problems may be shown.

    `page` is a group id, or `SUMMARY`. Pages are named, not numbered: a group may appear or
    disappear as answers change (the agent's page when 代理人 is chosen), and the resident
    stays where they are.
    """

    page: str = ""
    attempted: set[str] = field(default_factory=set)  # pressed 次へ there at least once
    back_to_summary: bool = False  # came from 修正: 次へ returns to the summary

    def pages(self, guide: Guide) -> list[str]:
        return [g.id for g in guide.screens()] + [SUMMARY]

    def start(self, guide: Guide) -> None:
        self.page = self.pages(guide)[0]
        self.attempted.clear()
        self.back_to_summary = False

    def current(self, guide: Guide) -> GuideGroup | None:
        """The group shown, or None on the summary. A page that stopped applying gives way
        to the next one that does."""
        pages = self.pages(guide)
        if self.page not in pages:
            self.page = pages[0] if not self.page else self._nearest(guide, pages)
        return None if self.page == SUMMARY else guide.group(self.page)

    def _nearest(self, guide: Guide, pages: list[str]) -> str:
        """The page after where the vanished one stood (kinds keep their order)."""

        def rank(page: str) -> tuple[int, int]:
            if page.startswith("form:"):
                return ORDER.index(GroupKind.FORM), 0
            if page.startswith("member_"):  # members in their order: member_3 after member_2
                number = page.removeprefix("member_")
                return ORDER.index(GroupKind.MEMBER), int(number) if number.isdigit() else 0
            kinds = [k.value for k in ORDER]
            return (kinds.index(page) if page in kinds else len(kinds)), 0

        lost = rank(self.page)
        return next((p for p in pages if p != SUMMARY and rank(p) >= lost), SUMMARY)

    def position(self, guide: Guide) -> tuple[int, int]:
        """(n, total), counting from 1, the summary included: "3 / 7"."""
        pages = self.pages(guide)
        self.current(guide)
        return pages.index(self.page) + 1, len(pages)

    def shows_problems(self, group_id: str) -> bool:
        return group_id in self.attempted or SUMMARY in self.attempted

    def next(self, guide: Guide, problems: Callable[[GuideGroup], int]) -> bool:
        """次へ: mark the page attempted; move on when it has no problems. Returns whether it
        moved (False: stay, and the page now shows its problems)."""
        group = self.current(guide)
        if group is None:
            return False
        self.attempted.add(group.id)
        if problems(group):
            return False
        pages = self.pages(guide)
        if self.back_to_summary:
            self.page = SUMMARY
            self.back_to_summary = False
        else:
            self.page = pages[pages.index(group.id) + 1]
        return True

    def back(self, guide: Guide) -> bool:
        """戻る: the previous page; False on the first one (nothing before it here)."""
        pages = self.pages(guide)
        self.current(guide)
        index = pages.index(self.page)
        if index == 0:
            return False
        self.back_to_summary = False
        self.page = pages[index - 1]
        return True

    def goto(self, group_id: str) -> None:
        """修正 on the summary: show that group; its 次へ comes back to the summary."""
        self.page = group_id
        self.back_to_summary = True

    def to_summary_with_problems(self, guide: Guide, has_problems: Callable[[str], bool]) -> None:
        """The summary's 次へ found problems: show every page's, and go to the first."""
        self.attempted.add(SUMMARY)
        first = next((g.id for g in guide.screens() if has_problems(g.id)), None)
        if first is not None:
            self.goto(first)

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "attempted": sorted(self.attempted),
            "back_to_summary": self.back_to_summary,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GuideWalk:
        attempted = data.get("attempted", [])
        if not isinstance(attempted, list) or not all(isinstance(a, str) for a in attempted):
            raise ValueError("attempted must be a list of group ids")
        return cls(
            page=str(data.get("page", "")),
            attempted=set(attempted),
            back_to_summary=bool(data.get("back_to_summary", False)),
        )
