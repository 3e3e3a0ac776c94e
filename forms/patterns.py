"""Template `pattern`s: refused when they can backtrack catastrophically, and run with a time bound.

A template is data an admin writes; a pattern such as `(a+)+$` or `(a|aa)+$` takes time
exponential in the input's length on a backtracking engine, so one resident's typing could
hang a kiosk, the pre-entry site or the back office. Two guards:

1. When a template is checked (`forms.template.check_template`), `pattern_problem` refuses a
   pattern with a repetition inside a repetition that can match one text in many ways (a
   variable repeat inside a repeat, or alternatives inside a repeat that can start alike).
   This is a conservative reading of the pattern's syntax tree: it may refuse a pattern that
   would have been fast, never the other way round for these shapes.
2. Every match runs on the `regex` engine with `timeout=` (`PATTERN_TIMEOUT_S`), so a shape
   the check does not know (or a template loaded without the check) still cannot hang:
   `PatternTimeout` is raised and the value is refused.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # typeshed has these modules under their pre-3.11 names only
    import sre_constants as sre
    import sre_parse
else:
    import re._constants as sre
    import re._parser as sre_parse

import regex

PATTERN_TIMEOUT_S = 0.1  # a template pattern over a form value takes microseconds


class PatternTimeout(Exception):
    """A pattern did not finish within PATTERN_TIMEOUT_S."""


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


def full_match(pattern: str, text: str) -> bool:
    """Does `pattern` match the whole of `text`? PatternTimeout if it takes too long."""
    try:
        return _compiled(pattern).fullmatch(text, timeout=PATTERN_TIMEOUT_S) is not None
    except TimeoutError:
        raise PatternTimeout() from None


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """(ja, en) of what is wrong with `pattern`, or None if it is usable."""
    try:
        _compiled(pattern)
    except (regex.error, TypeError):
        return "pattern が正規表現ではありません", "invalid pattern"
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError):  # `regex`-only syntax: the time bound still holds
        return None
    if _ambiguous_repetition(tree, inside_repeat=False):
        return (
            "pattern は入力によって極端に遅くなります（繰り返しの中の可変の繰り返し・重なる選択肢）",
            "pattern can backtrack catastrophically (a variable repeat or overlapping "
            "alternatives inside a repeat)",
        )
    return None


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _repeats_many(low: int, high: int) -> bool:
    return high is sre.MAXREPEAT or high > 1


def _ambiguous_repetition(items: Any, *, inside_repeat: bool) -> bool:
    """Is there, inside a repeat, something that can match the same text in several ways?"""
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            many = _repeats_many(low, high)
            if inside_repeat and many and low != high:
                return True  # (a+)+, (\d{1,3})+, (.*a){20}
            if _ambiguous_repetition(body, inside_repeat=inside_repeat or many):
                return True
        elif op is sre.BRANCH:
            alternatives = av[1]
            if inside_repeat and not _distinct_starts(alternatives):
                return True  # (a|aa)+, (a|a)*
            if any(_ambiguous_repetition(a, inside_repeat=inside_repeat) for a in alternatives):
                return True
        elif op is sre.SUBPATTERN:
            if _ambiguous_repetition(av[-1], inside_repeat=inside_repeat):
                return True
        elif op is sre.ATOMIC_GROUP:
            continue  # an atomic group never backtracks into itself
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _ambiguous_repetition(av[1], inside_repeat=inside_repeat):
                return True
        elif op is sre.GROUPREF_EXISTS:
            for branch in av[1:]:
                if branch is not None and _ambiguous_repetition(
                    branch, inside_repeat=inside_repeat
                ):
                    return True
    return False


def _distinct_starts(alternatives: list[Any]) -> bool:
    """Does every alternative start with its own literal character (so at most one can go on)?"""
    firsts = []
    for alternative in alternatives:
        if not alternative or alternative[0][0] is not sre.LITERAL:
            return False
        firsts.append(alternative[0][1])
    return len(set(firsts)) == len(firsts)
