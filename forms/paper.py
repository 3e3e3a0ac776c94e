"""What the same forms would have made a resident write on paper: the characters of every
value each form asks for, form by form (paper repeats the name and the address on every form;
the kiosk asks them once). Choices are circled and boxes ticked on paper: they count 0.
Dates count as written on the forms (令和8年12月2日), addresses with their postal code.

`madoguchi bench visit` sets this beside the characters the resident typed at the kiosk.
"""

from __future__ import annotations

from collections.abc import Iterable

from forms.fields import display, is_empty
from forms.fill import FilledForm

WRITTEN = frozenset(
    {
        "text",
        "kana",
        "free_text",
        "person_name",
        "address",
        "date",
        "phone",
        "postal_code",
        "number",
        "individual_number",
    }
)


def _characters(text: str) -> int:
    """Written characters: spaces between name parts and digit groups are not written."""
    return sum(1 for c in text if not c.isspace())


def paper_characters(forms: Iterable[FilledForm]) -> int:
    """Characters a resident writes to fill these forms by hand, each form on its own."""
    total = 0
    for form in forms:
        for ref, value in form.values.items():
            spec, _, _ = form.template.resolve_ref(ref)
            if spec.type not in WRITTEN or is_empty(value):
                continue
            if spec.type == "date":
                text = display(spec, value).split("（")[0]  # the era date, as forms print it
            else:
                text = display(spec, value)
            total += _characters(text)
    return total
