"""The procedure navigator step: after the resident is identified and before the 本籍 step and
the review, each chosen life event (a bundle) is run through `forms.navigator` on the record.

What the record answers (ages from the card's birth dates, a reservation's household…) is
never asked. The questions left are asked one at a time (はい/いいえ); then the list of the
forms chosen, each with its reasons, where the resident (or staff, in staff-assisted mode) adds
or takes off a form and can undo it. 次へ makes the navigation's forms the session's forms
(forms chosen alone, and forms a QR code brought, stay) and goes on as before (本籍, review).
If nothing is left to ask, the list is still shown once: the resident sees why each form is
there.

A card holds one person; the rest of the household is typed on the review, after this step.
So when the record holds at most one person (a card read or typing; a reservation's or a QR's
household is known), the step first asks how many people the application is for (one tap) and
adds that many empty persons: ages the record cannot tell yet (no birth date) are then asked
(はい/いいえ), not taken as いいえ; the card holder's own age is still answered from the card.

The answers and changes live in the record (`forms.navigator` keeps them in
`record.answers`), so they travel with the application to the reception. Until 次へ the record
waits in `_pending`, as for the 本籍 step, so a wipe clears it.

The step is on when the flow is built with `navigator=True` (the kiosk apps do so).
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.bundle import Bundle
from forms.errors import MadoguchiError
from forms.navigator import (
    Actor,
    Navigation,
    QuestionState,
    add_procedure,
    answer,
    forget_answer,
    navigate,
    remove_procedure,
    undo_change,
)
from forms.procedure import MAX_PEOPLE
from forms.record import Person, SessionRecord
from kiosk.flow.domicile import DomicileSteps
from kiosk.flow.errors import NothingChosenError
from kiosk.flow.steps import Method, Step
from sync.protocol import Mode


class QuestionsLeftError(MadoguchiError):
    code = "navigator_questions_left"

    def __init__(self) -> None:
        super().__init__("質問にお答えください", "please answer the questions first")


@dataclass(frozen=True)
class OpenQuestion:
    bundle: Bundle
    question: QuestionState


class NavigationSteps(DomicileSteps):
    # ---- the procedure navigator ------------------------------------------------------------

    def nav_bundles(self) -> list[Bundle]:
        return [self.catalog.bundle(p.id) for p in self.chosen if p.is_bundle]

    def _identified(self, record: SessionRecord, *, prefilled: bool) -> None:
        bundles = self.nav_bundles() if self.navigator_on else []
        if not bundles:
            super()._identified(record, prefilled=prefilled)
            return
        opted = {t.id for t in self.templates}
        for bundle in bundles:  # options ticked on the procedures screen: added by the resident
            chosen = set(navigate(bundle, record, self.catalog).template_ids())
            for template_id in bundle.optional:
                if template_id in opted and template_id not in chosen:
                    add_procedure(record, bundle, self.catalog, template_id, "resident")
        self._pending = (record, prefilled)
        self.nav_answered = []
        self.nav_size_asked = False
        self.nav_size_known = len(record.persons) > 1 or self.nav_max_people() <= 1
        if self.reservation is not None or self.method is Method.QR:
            self.nav_size_known = True  # the household came with the reservation or the code
        self._go(Step.NAVIGATOR)

    def nav_max_people(self) -> int:
        """The most persons the chosen life events' forms can list (1: not asked)."""
        return min(
            MAX_PEOPLE,
            max((p.people_range()[1] for p in self.chosen if p.is_bundle), default=1),
        )

    @property
    def nav_asks_size(self) -> bool:
        """The household's size is asked now (before the questions)."""
        return self.step is Step.NAVIGATOR and not self.nav_size_known

    def nav_set_size(self, size: int) -> None:
        """How many people the application is for (the resident first): that many persons."""
        self._expect("nav_set_size", Step.NAVIGATOR)
        persons = self._nav_record.persons
        size = min(max(1, size), self.nav_max_people())
        while len(persons) < size:
            persons.append(Person())
        self.nav_size_known = True
        self.nav_size_asked = True
        self._changed()

    @property
    def _nav_record(self) -> SessionRecord:
        assert self._pending is not None
        return self._pending[0]

    @property
    def _actor(self) -> Actor:
        return "staff" if self.mode is Mode.STAFF else "resident"

    def navigations(self) -> list[Navigation]:
        """Where each chosen life event's navigation stands now."""
        record = self._nav_record
        return [navigate(b, record, self.catalog) for b in self.nav_bundles()]

    def nav_question(self) -> OpenQuestion | None:
        """The next question to ask, or None: then the list of forms is shown (or, while
        `nav_asks_size`, the household's size is asked first: None too)."""
        if not self.nav_size_known:
            return None
        for bundle, navigation in zip(self.nav_bundles(), self.navigations(), strict=True):
            if navigation.to_ask:
                return OpenQuestion(bundle, navigation.to_ask[0])
        return None

    def nav_progress(self) -> tuple[int, int]:
        """(this question's number, questions asked so far plus those left) for "2 / 5"."""
        left = sum(len(n.to_ask) for n in self.navigations())
        return len(self.nav_answered) + 1, len(self.nav_answered) + left

    def nav_answer(self, yes: bool) -> None:
        """はい (True) or いいえ (False) to the question shown."""
        self._expect("nav_answer", Step.NAVIGATOR)
        open_ = self.nav_question()
        if open_ is None:
            return
        answer(self._nav_record, open_.bundle, open_.question.id, yes)
        self.nav_answered.append((open_.bundle.id, open_.question.id))
        self._changed()

    def nav_can_go_back(self) -> bool:
        return bool(self.nav_answered) or (self.nav_size_asked and self.nav_size_known)

    def nav_back(self) -> None:
        """Back to the last question answered (its answer is forgotten), or from the first
        question to the household's size (the empty persons go again)."""
        self._expect("nav_back", Step.NAVIGATOR)
        if not self.nav_answered:
            if self.nav_size_asked and self.nav_size_known:
                persons = self._nav_record.persons
                while len(persons) > 1 and persons[-1] == Person():
                    persons.pop()
                self.nav_size_known = False
                self._changed()
            return
        bundle_id, question_id = self.nav_answered.pop()
        forget_answer(self._nav_record, self.catalog.bundle(bundle_id), question_id)
        self._changed()

    def nav_add(self, bundle_id: str, template_id: str) -> None:
        self._expect("nav_add", Step.NAVIGATOR)
        bundle = self.catalog.bundle(bundle_id)
        add_procedure(self._nav_record, bundle, self.catalog, template_id, self._actor)
        self._changed()

    def nav_remove(self, bundle_id: str, template_id: str) -> None:
        """外す: a form the event or a rule chose is marked removed (and can be undone); a form
        someone added goes back to not chosen."""
        self._expect("nav_remove", Step.NAVIGATOR)
        bundle = self.catalog.bundle(bundle_id)
        navigation = navigate(bundle, self._nav_record, self.catalog)
        procedure = navigation.procedure(template_id)
        if procedure.by in ("resident", "staff"):
            undo_change(self._nav_record, bundle, template_id)
        else:
            remove_procedure(self._nav_record, bundle, self.catalog, template_id, self._actor)
        self._changed()

    def nav_undo(self, bundle_id: str, template_id: str) -> None:
        """元に戻す: back to what the answers choose."""
        self._expect("nav_undo", Step.NAVIGATOR)
        undo_change(self._nav_record, self.catalog.bundle(bundle_id), template_id)
        self._changed()

    def nav_template_ids(self) -> list[str]:
        """The forms 次へ takes: in the order chosen, each life event's navigation in its place;
        forms outside every chosen life event (a QR code's) after them."""
        navigations = {n.bundle_id: n for n in self.navigations()}
        ids: list[str] = []
        covered: set[str] = set()
        for p in self.chosen:
            if p.is_bundle:
                bundle = self.catalog.bundle(p.id)
                covered.update(bundle.template_ids(include_optional=True))
                ids.extend(navigations[p.id].template_ids())
            else:
                ids.extend(p.template_ids)
        ids.extend(t.id for t in self.templates if t.id not in covered)
        return list(dict.fromkeys(ids))

    def nav_next(self) -> None:
        """次へ on the list: the navigation's forms become the session's; on to 本籍 / review."""
        self._expect("nav_next", Step.NAVIGATOR)
        if not self.nav_size_known or self.nav_question() is not None:
            raise QuestionsLeftError()
        ids = self.nav_template_ids()
        if not ids:
            raise NothingChosenError()
        current = {t.id: t for t in self.templates}
        self.templates = [current.get(t) or self.catalog.get(t) for t in ids]
        if self.metrics is not None:
            self.metrics.templates = [t.key for t in self.templates]
        record, prefilled = self._pending  # type: ignore[misc]
        self._pending = None
        DomicileSteps._identified(self, record, prefilled=prefilled)
