"""The review step of the kiosk flow: the items the chosen forms ask, one record behind them,
each edit validated and written once for every form, the characters to confirm, the
household's size, and the guided review's pages (nothing red before 次へ).

The life events' defaults (write once) and the "same as …" address offers are in
`kiosk.flow.life_event_defaults`, which this step builds on: they fill the record when the
review opens and each time the resident leaves a page (`_release`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from forms.bundle import Question, fixed_answers
from forms.errors import FieldError, FieldValueError
from forms.fields import is_empty
from forms.fill import fill, group_person_indexes, set_field
from forms.guide import SUMMARY, Guide, GuideGroup, apply_fixed
from forms.guide_walk import GuideWalk
from forms.kana import has_latin, latin_to_katakana
from forms.provenance import Provenance, Source
from forms.record import Person, SessionRecord
from kiosk.flow.errors import (
    PageIncompleteError,
    PageNotShownError,
    PageWaitingError,
    ReviewIncompleteError,
    WrongStepError,
)
from kiosk.flow.life_event_defaults import LifeEventDefaults
from kiosk.flow.steps import METHOD_KEY, MODE_KEY, TYPED_TYPES, Method, Step
from kiosk.substitute import suspicious_characters


class ReviewSteps(LifeEventDefaults):
    """The review's events and questions, on top of the life events' defaults."""

    def _start_review(
        self, record: SessionRecord, *, prefilled: bool, typed: Collection[str] = ()
    ) -> None:
        """Open the review on `record`; `typed`: paths in it the resident already typed (kept
        from a declined 転入予約's record), theirs and not the card's."""
        self.record = record
        record.answers[MODE_KEY] = self.mode.value
        record.answers[METHOD_KEY] = self.method.value if self.method else ""
        self.fixed = fixed_answers(self._chosen_bundles())
        apply_fixed(record, self.templates, self.fixed)
        self.held.clear()
        self.held_page = ""
        self.defaulted = {}
        self.provenance = Provenance()
        self.walk = GuideWalk()
        defaulted = self._apply_defaults(keep=typed)
        self._refill()
        self.provenance.fixed(self.fixed)
        if prefilled:
            source = Source.CARD if self.method is Method.CARD else Source.QR
            filled = [
                q.path
                for q in self.questions()
                if q.path not in typed
                and q.path not in defaulted
                and not is_empty(self.guide_value_raw(q))
            ]
            self.provenance.prefilled(filled, source)
        self.provenance.prefilled(defaulted, Source.AUTO)
        for path in typed:
            self.provenance.sources[path] = Source.TYPED
        self.flags = {}
        self.confirmed_flags = set()
        for q in self.questions():
            if q.slot.spec.type not in TYPED_TYPES:
                continue  # a choice's label or a ☐ is the kiosk's own text, not the card's
            chars = suspicious_characters(self.display(q))
            if chars:
                self.flags[q.path] = chars
                if q.path in typed:  # what they typed is what they meant (as in `edit`)
                    self.confirmed_flags.add(q.path)
        if prefilled and self.metrics is not None:
            self.metrics.prefilled_chars = sum(
                len(self.display(q)) for q in self.questions() if q.path not in typed
            )
        elif self.metrics is not None:
            self.metrics.prefilled_chars += self._chars_at(defaulted)
        assert self.guide is not None
        self.walk = GuideWalk()
        self.walk.start(self.guide)
        self._go(Step.REVIEW)

    def _refill(self) -> None:
        """Fill the forms again and rebuild the guide on them (the guide reads `self.forms`
        itself: the same mapping, so `value`/`display` are the guide's)."""
        assert self.record is not None
        held = self.held or None
        self.forms = {t.id: fill(t, self.record, held) for t in self.templates}
        self.guide = Guide(
            self.templates, self.record, fixed=self.fixed, forms=self.forms, held=held
        )
        deferred = self._deferred_defaults()
        if deferred:
            self.guide.defer(deferred)

    # ---- a page stays as it is while the resident types on it ------------------------------

    def _hold(self, path: str) -> None:
        """The resident edits an item of the page on screen: its person stays in every person
        group that lists them now, whatever their new answers say (a parent's birth date takes
        them out of the children's groups), until they leave the page. Without this their
        page would vanish under their fingers before 性別 and 続柄."""
        assert self.record is not None
        page = self.review_page()
        if page is None or page.person_index is None or path not in page.paths:
            return
        if self.held_page != page.id:
            if self.held:  # another page's hold, never released: the record's own groups
                self.held = {}
                self._refill()
            self.held_page = page.id
        person = page.person_index
        for template in self.templates:
            for group in template.groups:
                key = (template.id, group.id)
                if person in group_person_indexes(group, self.record, self.held.get(key, ())):
                    self.held.setdefault(key, set()).add(person)

    def _release(self) -> None:
        """The resident leaves the page: its person is listed by what their answers say, and
        the life events' defaults take what they typed there (`_follow_defaults`)."""
        if self.held or self.held_page:
            self.held = {}
            self.held_page = ""
            self._refill()
        self._settle_defaults()

    def guide_value_raw(self, q: Question) -> Any:
        assert self.guide is not None
        return self.guide.raw(q)

    def questions(self) -> list[Question]:
        """The items the resident is asked or shown, each once (merged by record path), in
        the order of the guided review's groups: only those that apply (`forms.guide`)."""
        if self.guide is None:
            return []
        return self.guide.asked()

    def all_questions(self) -> list[Question]:
        """Every item of every chosen form, applicable or not (signatures excepted)."""
        return [] if self.guide is None else list(self.guide.questions)

    def question(self, path: str) -> Question:
        q = next((q for q in self.all_questions() if q.path == path), None)
        if q is None:
            raise KeyError(path)
        return q

    def value(self, q: Question) -> Any:
        assert self.guide is not None
        return self.guide.value(q)

    def display(self, q: Question) -> str:
        assert self.guide is not None
        return self.guide.display(q)

    def is_read_only(self, q: Question) -> bool:
        return q.slot.path.read_only

    def errors_for(self, q: Question) -> list[FieldError]:
        """The problems with one question, each distinct message once: forms of a bundle that
        share the item each report it, and the resident should read it only once."""
        if q.path in self.pending_errors:
            return [self.pending_errors[q.path]]
        return [] if self.guide is None else self.guide.errors_for(q)

    def shows_problems(self, q: Question) -> bool:
        """Whether the review may show this item's problems yet: only once the resident has
        pressed 次へ on its page (or reached the summary). Nothing is red before."""
        assert self.guide is not None
        group = self.guide.group_of(q.path)
        return group is not None and self.walk.shows_problems(group)

    def edit(self, path: str, raw: Any, *, typed_chars: int | None = None) -> FieldError | None:
        """The resident changed one item: validate it, write it into the record, refill.

        Returns the error (shown inline, the record untouched) or None. `typed_chars` is what
        the resident typed for the measurement; by default the length of the new text.
        """
        self._expect("edit", Step.REVIEW)
        assert self.record is not None
        q = self.question(path)
        if self.is_read_only(q):
            raise WrongStepError("edit read-only", self.step)
        self._hold(path)
        q = self.question(path)  # as the held guide has it
        template_id, ref = q.uses[0]
        template = next(t for t in self.templates if t.id == template_id)
        before = self.display(q)
        try:
            set_field(template, self.record, ref, raw, self.held or None)
        except FieldValueError as exc:
            error = FieldError(ref, exc.ja, exc.en)
            self.pending_errors[path] = error
            self._changed()
            return error
        self.pending_errors.pop(path, None)
        self.proposed_readings.discard(path)
        self._refill()
        q = next((x for x in self.all_questions() if x.path == path), q)
        after = self.display(q)
        if after != before:
            typed = len(after) if typed_chars is None else typed_chars
            self.provenance.typed(path, typed)
            if self.metrics is not None:
                self.metrics.typed_chars += typed
        self._propose_reading(q)
        if path in self.flags:
            remaining = suspicious_characters(after)
            if remaining:
                self.flags[path] = remaining
                if after != before:  # typed by the resident: what they typed is what they meant
                    self.confirmed_flags.add(path)
            else:
                self.flags.pop(path)
                self.confirmed_flags.discard(path)
        self._changed()
        return None

    def _propose_reading(self, q: Question) -> None:
        """A name typed in Latin letters gets a first katakana reading where the person's
        フリガナ is still empty (`forms.kana.latin_to_katakana`); the resident corrects it.
        It is the kiosk's proposal, not typing (source: automatic)."""
        path = q.slot.path
        if path.root != "person" or path.index is None or path.parts != ("name",):
            return
        assert self.record is not None
        person = self.record.persons[path.index] if path.index < len(self.record.persons) else None
        if person is None or person.name is None:
            return
        name = person.name
        if not has_latin(name.full) or (person.kana and person.kana.full):
            return
        kana_path = f"person[{path.index}].kana"
        kana_q = next((k for k in self.all_questions() if k.path == kana_path), None)
        if kana_q is None:
            return
        template_id, ref = kana_q.uses[0]
        template = next(t for t in self.templates if t.id == template_id)
        family = latin_to_katakana(name.family) if name.family else ""
        given = latin_to_katakana(name.given) if name.given else ""
        try:
            set_field(
                template, self.record, ref, {"family": family, "given": given}, self.held or None
            )
        except FieldValueError:
            return  # nothing sensible to propose: the resident types it
        self._refill()
        self.provenance.sources[kana_path] = Source.AUTO
        self.proposed_readings.add(kana_path)

    def confirm_flag(self, path: str) -> None:
        """The resident checked the flagged characters of one item and they are right."""
        self._expect("confirm_flag", Step.REVIEW)
        if path in self.flags:
            self.confirmed_flags.add(path)
            self._changed()

    def unconfirmed_flags(self) -> list[str]:
        return [p for p in self.flags if p not in self.confirmed_flags]

    def add_person(self, relation: str = "") -> int:
        """Add a household member (for forms with a group per person); returns their index."""
        self._expect("add_person", Step.REVIEW)
        assert self.record is not None
        self.record.persons.append(Person(relation=relation))
        self._refill()
        self._changed()
        return len(self.record.persons) - 1

    def household_size(self) -> int:
        assert self.record is not None
        return max(1, len(self.record.persons))

    def set_household_size(self, size: int) -> None:
        """How many persons the application lists (the resident first). Fewer drops the last
        ones with what was entered for them; the screen asks before that."""
        self._expect("set_household_size", Step.REVIEW)
        assert self.record is not None and self.guide is not None
        top = max(1, self.guide.household_max())
        size = min(max(1, size), top)
        persons = self.record.persons
        while len(persons) < size:
            persons.append(Person())
        for kept in self.held.values():
            kept.difference_update(range(size, len(persons)))
        if len(persons) > size:
            for gone in range(size, len(persons)):
                for path in [p for p in self.pending_errors if p.startswith(f"person[{gone}].")]:
                    self.pending_errors.pop(path)
            del persons[size:]
        self._refill()
        self._changed()

    def error_count(self) -> int:
        return len(self.pending_errors) + sum(len(f.errors) for f in self.forms.values())

    # ---- the guided review's pages ---------------------------------------------------------

    def review_page(self) -> GuideGroup | None:
        """The group on screen, or None on the "check your answers" page."""
        assert self.guide is not None
        return self.walk.current(self.guide)

    @property
    def on_summary(self) -> bool:
        return self.step is Step.REVIEW and self.review_page() is None

    def review_position(self) -> tuple[int, int]:
        """ "3 / 7": this page and how many there are, the summary included."""
        assert self.guide is not None
        return self.walk.position(self.guide)

    def page_problems(self, group: GuideGroup) -> tuple[int, int]:
        """(items with errors, flagged items not confirmed) on one page."""
        errors = sum(1 for q in group.questions if self.errors_for(q))
        unconfirmed = sum(1 for q in group.questions if q.path in self.unconfirmed_flags())
        return errors, unconfirmed

    def review_next(self) -> None:
        """次へ: on a page, the next one (or the summary), once the page has no problems;
        else its problems show and PageIncompleteError says how many. On the summary: sign."""
        self._expect("review_next", Step.REVIEW)
        assert self.guide is not None
        group = self.walk.current(self.guide)
        if group is None:
            self.review_done()
            return
        self._release()  # the page as it stands once left: what no longer applies goes
        assert self.guide is not None
        if self.guide.group(group.id) is None:
            # its person is asked nothing any more (an adult no child's form lists): on to
            # the page after it, or back to the summary after 修正
            if self.walk.back_to_summary:
                self.walk.page, self.walk.back_to_summary = SUMMARY, False
            self.walk.current(self.guide)
            self._changed()
            return
        moved = self.walk.next(self.guide, lambda g: sum(self.page_problems(g)))
        if not moved:
            self._changed()
            raise PageIncompleteError(*self.page_problems(group))
        self._walked()
        self._changed()

    def _walked(self) -> None:
        """The walk moved (a page passed, the summary reached): the deferred defaults again."""
        self._settle_defaults()
        assert self.guide is not None
        self.walk.current(self.guide)

    def review_settle(self) -> None:
        """Let the page on screen become what the answers make it, as if the resident left
        and came back (its held person released; if it went, the page after it). For bulk
        answering across pages (`kiosk.demo.answer_from`), never the resident's typing."""
        self._expect("review_settle", Step.REVIEW)
        self._release()
        assert self.guide is not None
        self.walk.current(self.guide)
        self._changed()

    def review_back(self) -> bool:
        """戻る within the review; False on its first page (the review has no way back: its
        data would be lost, and cancel starts over)."""
        self._expect("review_back", Step.REVIEW)
        self._release()
        assert self.guide is not None
        moved = self.walk.back(self.guide)
        self._walked()
        self._changed()
        return moved

    def review_show(self, group_id: str) -> None:
        """Show one page directly (staff going to an item, tests); 次へ goes on from it."""
        self._expect("review_show", Step.REVIEW)
        self._release()
        assert self.guide is not None
        if group_id != SUMMARY and self.guide.group(group_id) is None:
            waiting = self._waiting_for(group_id)
            if waiting:
                raise PageWaitingError(group_id, waiting)
            raise PageNotShownError(group_id)
        self.walk.page = group_id
        self.walk.back_to_summary = False
        self._walked()
        self._changed()

    def review_edit(self, group_id: str) -> None:
        """修正 on the summary: that page; its 次へ comes back to the summary."""
        self._expect("review_edit", Step.REVIEW)
        self._release()
        self.walk.goto(group_id)
        self._walked()
        self._changed()

    def _pending_answers(self) -> int:
        """Answers the review still waits for besides its flags (the 転入予約's, in
        `kiosk.flow.reservation`); the resident cannot sign before giving them."""
        return 0

    def review_done(self) -> None:
        """Leave the review for signing; with problems left, the review shows every page's
        and goes to the first such page (ReviewIncompleteError)."""
        self._expect("review_done", Step.REVIEW)
        self._release()
        assert self.guide is not None
        errors, unconfirmed = self.error_count(), len(self.unconfirmed_flags())
        unconfirmed += self._pending_answers()
        if errors or unconfirmed:
            guide = self.guide

            def has_problems(group_id: str) -> bool:
                group = guide.group(group_id)
                return group is not None and sum(self.page_problems(group)) > 0

            self.walk.to_summary_with_problems(guide, has_problems)
            self._walked()
            self._changed()
            raise ReviewIncompleteError(errors, unconfirmed)
        self._go(Step.SIGN)
