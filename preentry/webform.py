"""The HTML form of a procedure, built from the template model, and the reading of a post.

Everything the kiosk asks is asked here from the same templates: labels, required marks, help
and option lists come from `forms.template`; every value goes through `forms.fill.set_field`
and every form through `forms.fill.fill`, so the resident sees the kiosk's messages word for
word. Items the site never asks (the card's own data, the individual number, the signature)
are left for the counter.

The parts, each in its own module (this one names them together):

- `preentry.catalogue`: the procedures that can be filled in at home, their URLs;
- `preentry.questions`: which items are asked;
- `preentry.controls`: the HTML controls of a question;
- `preentry.site_guide`: the guided pages and "check your answers";
- `preentry.submission`: reading a post into a validated record.
"""

from __future__ import annotations

from forms.procedure import Procedure
from preentry.catalogue import (
    chosen_templates,
    find_procedure,
    preenterable,
    procedure_url,
    procedures,
)
from preentry.controls import Control, QuestionView, Section, autocomplete_for, question_view
from preentry.errors import MalformedPost, TooManyPeople
from preentry.questions import asked_questions, is_asked, relation_questions
from preentry.site_guide import SiteGuide, answers_summary, merge_page, not_asked
from preentry.submission import Submission, parse_post, read_submission, summary

__all__ = [
    "Control",
    "MalformedPost",
    "Procedure",
    "QuestionView",
    "Section",
    "SiteGuide",
    "Submission",
    "TooManyPeople",
    "answers_summary",
    "asked_questions",
    "autocomplete_for",
    "chosen_templates",
    "find_procedure",
    "is_asked",
    "merge_page",
    "not_asked",
    "parse_post",
    "preenterable",
    "procedure_url",
    "procedures",
    "question_view",
    "read_submission",
    "relation_questions",
    "summary",
]
