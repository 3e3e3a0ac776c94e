"""The sixteen forms added for the six life events, described once and drawn by `layout.Form`,
one module per family of forms.

Closed sets: 続柄, 国籍・地域, 在留資格 and sex are plain `text` / `select` fields here; the
fields that should become closed-set choices are listed in `CLOSED_SET_FIELDS` for the lead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formgen.layout import Form
from formgen.life_event_forms.birth import shussei
from formgen.life_event_forms.children import jidou_henkou, kodomo_iryo, tennyugaku
from formgen.life_event_forms.dog import inu
from formgen.life_event_forms.funeral import kokuho_sousaihi, kouki_sousaihi
from formgen.life_event_forms.insurance import kaigo, kouki, nenkin
from formgen.life_event_forms.koseki import koseki
from formgen.life_event_forms.parts import CLOSED_SET_FIELDS
from formgen.life_event_forms.residence import setai_henko, tenkyo, tenshutsu
from formgen.life_event_forms.seal import inkan_haishi, inkan_shoumei

__all__ = ["CLOSED_SET_FIELDS", "FORMS", "all_templates"]

FORMS: list[Callable[[], Form]] = [
    tenshutsu,
    tenkyo,
    setai_henko,
    inkan_shoumei,
    inkan_haishi,
    koseki,
    nenkin,
    kouki,
    kaigo,
    kodomo_iryo,
    jidou_henkou,
    kokuho_sousaihi,
    kouki_sousaihi,
    shussei,
    tennyugaku,
    inu,
]


def all_templates() -> dict[str, dict[str, Any]]:
    out = {}
    for make in FORMS:
        form = make()
        out[form.meta["id"]] = form.template()
    return out
