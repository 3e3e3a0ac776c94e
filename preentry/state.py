"""The state of a procedure between two posts, sealed into a hidden field.

Nothing is stored on the server: what was entered so far travels in the page, encrypted and
bound to the procedure's URL (`preentry.sealed`). Its stage says which page a post comes from:

    household   how many people, which optional forms
    guide       a page of the guided walk, or "check your answers"
    nav         the procedure navigator
    done        the QR page (its language switch posts the state again)

Its keys: `n` people, `w` optional forms ticked, `a` answers (path → posted values), `g` the
guided walk, `s` the stage, `v` the navigator's part (`preentry.navigator_state`).
"""

from __future__ import annotations

from typing import Any

from forms.clock import OfficeClock
from forms.procedure import Procedure
from preentry.catalogue import procedure_url
from preentry.navigator_state import NavState
from preentry.sealed import Sealer, StateRefused

STAGE_HOUSEHOLD, STAGE_GUIDE, STAGE_DONE, STAGE_NAV = "household", "guide", "done", "nav"
STAGES = (STAGE_HOUSEHOLD, STAGE_GUIDE, STAGE_DONE, STAGE_NAV)


class StateSeal:
    """Seals a state for one procedure's pages and opens (and checks) what comes back."""

    def __init__(self, sealer: Sealer, clock: OfficeClock) -> None:
        self.sealer = sealer
        self.clock = clock

    def seal(self, procedure: Procedure, state: dict[str, Any]) -> str:
        return self.sealer.seal(
            state, binding=procedure_url(procedure), now=self.clock.now().timestamp()
        )

    def open(self, procedure: Procedure, token: str | None) -> dict[str, Any]:
        """StateRefused (or StateExpired) for a token that is not a state of this procedure."""
        data = self.sealer.open(
            token, binding=procedure_url(procedure), now=self.clock.now().timestamp()
        )
        answers, walk = data.get("a"), data.get("g")
        if (
            not isinstance(answers, dict)
            or not all(
                isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
                for k, v in answers.items()
            )
            or not isinstance(walk, dict)
            or not isinstance(data.get("w"), list)
            or data.get("s") not in STAGES
        ):
            raise StateRefused()
        NavState.from_state(data)  # StateRefused for a malformed navigator part
        return data
