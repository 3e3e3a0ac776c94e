"""The kiosk's guided review as the site asks it, one page a group, and what the
"check your answers" page lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from forms.bundle import Default, Question, questions
from forms.fields import display
from forms.guide import TITLES, GroupKind, Guide, GuideGroup
from forms.navigator import default_sources, is_source
from forms.paths import get_value
from forms.record import SessionRecord
from forms.template import Template
from forms.text import Text
from preentry.controls import item_path
from preentry.i18n import Label, Msg
from preentry.questions import is_asked, relation_questions, spec_of


class SiteGuide(Guide):
    """The kiosk's guided review (`forms.guide.Guide`: its groups, in its order, with its
    rules for what applies) as the site asks it: the items the site leaves for the counter
    are not asked, the items that decide which persons a group lists
    (`relation_questions`) join the page of the person they are about, and a page asking an
    item the life event's `defaults` fill comes after the pages asking their sources
    (`after_sources`), so it opens filled in."""

    def __init__(
        self,
        templates: Sequence[Template],
        record: SessionRecord,
        *,
        fixed: Mapping[str, Any] | None = None,
        defaults: Sequence[Default] = (),
    ) -> None:
        self.defaults = tuple(defaults)
        super().__init__(list(templates), record, fixed=fixed)
        self.extra = relation_questions(templates, record, {q.path for q in self.questions})

    def _make_groups(self) -> list[GuideGroup]:
        groups = super()._make_groups()
        for q in self.extra:
            person = q.slot.path.index or 0
            group_id = "who" if person == 0 else f"member_{person + 1}"
            at = next((n for n, g in enumerate(groups) if g.id == group_id), None)
            if at is not None:
                group = groups[at]
                groups[at] = GuideGroup(
                    group.id,
                    group.kind,
                    group.title_key,
                    group.title,
                    (*group.questions, q),
                    group.person_index,
                    group.template_id,
                    group.household_max,
                )
                continue
            kind = GroupKind.WHO if person == 0 else GroupKind.MEMBER
            key = "guide.group.who" if person == 0 else "guide.group.member"
            new = GuideGroup(group_id, kind, key, TITLES[key], (q,), person)
            # after the groups of earlier kinds and of earlier members
            after = [
                n
                for n, g in enumerate(groups)
                if ORDER_OF[g.kind] < ORDER_OF[kind]
                or (g.kind is kind and (g.person_index or 0) < person)
            ]
            groups.insert(after[-1] + 1 if after else 0, new)
        return after_sources(groups, self.defaults)

    def screens(self) -> list[GuideGroup]:
        """The pages: every group with something the site asks."""
        return [g for g in self.groups() if any(is_asked(q) for q in g.questions)]

    def asked_on(self, group: GuideGroup) -> list[Question]:
        return [q for q in group.questions if is_asked(q)]


ORDER_OF = {kind: n for n, kind in enumerate(GroupKind)}


def after_sources(groups: list[GuideGroup], defaults: Sequence[Default]) -> list[GuideGroup]:
    """The pages in their order, except that a page asking a default's target comes right
    after the last page asking one of its sources (おくやみ: the dates after the household's
    pages, which give the date of death), so the target is already filled in when the
    resident reaches it. Other pages keep their order."""
    sources = default_sources(defaults)

    def feeds(target: str, path: str) -> bool:
        return any(is_source(source, path) for source in sources.get(target, ()))

    out = list(groups)
    for _ in range(len(out)):  # bounded: defaults that feed each other cannot loop
        for n, group in enumerate(out):
            mine = [p for p in group.paths if p in sources]
            later = [
                m
                for m in range(n + 1, len(out))
                if any(feeds(t, p) for t in mine for p in out[m].paths)
            ]
            if later:
                out.insert(later[-1], out.pop(n))
                break
        else:
            return out
    return out


def merge_page(
    answers: Mapping[str, list[str]], asked: Sequence[Question], posted: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """The answers with one page's posted controls in place of what they held before: only
    the names of the page's own questions are taken from a post (nothing else is kept)."""
    paths = {q.path for q in asked}

    def of_page(name: str) -> bool:
        return item_path(name) in paths

    out = {k: list(v) for k, v in answers.items() if not of_page(k)}
    for name, values in posted.items():
        if of_page(name):
            out[name] = list(values)
    return out


def answers_summary(
    guide: SiteGuide, templates: Sequence[Template], record: SessionRecord
) -> list[tuple[GuideGroup, list[tuple[Label, str]]]]:
    """ "Check your answers": per page, (label, text as the kiosk shows it) of each item."""
    by_id = {t.id: t for t in templates}
    out = []
    for group in guide.screens():
        rows: list[tuple[Label, str]] = []
        for q in guide.asked_on(group):
            spec, _, _ = spec_of(q, by_id)
            label: Label = spec.label if q.uses else Msg(f"question.{spec.id}.label")
            rows.append((label, display(q.slot.spec, get_value(record, q.slot.path))))
        out.append((group, rows))
    return out


def not_asked(templates: Sequence[Template], record: SessionRecord) -> list[Text]:
    """Labels of the items left for the counter (card data, individual number, signature)."""
    seen: dict[str, Text] = {}
    for q in questions(list(templates), record):
        if not is_asked(q):
            seen.setdefault(q.label.ja, q.label)
    return list(seen.values())
