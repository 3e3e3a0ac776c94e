"""Characters that may be the card's stand-ins for a character it could not hold.

A My Number Card holds names and addresses in JIS level 1/2 kanji plus a supplementary set;
anything else is written as a substitute, so the resident must confirm (or correct) such
characters on the review screen. The decision, documented in docs/kiosk.md:

- 〓 (U+3013 GETA MARK) is the conventional substitute of Japanese registers: always flagged;
- ＊ / * and U+FFFD (REPLACEMENT CHARACTER) are other substitutes seen in exports: flagged;
- any character outside both JIS X 0213 (the superset of JIS X 0208) and Windows-31J (whose
  NEC/IBM extensions hold 髙 and 﨑, common in municipal systems) is flagged too: it cannot
  have come from the card as such (e.g. 𠮷), so its real shape is for the resident to check.

Only the kind of problem is reported, never the text around it.
"""

from __future__ import annotations

import codecs

SUBSTITUTES = frozenset("\u3013\uff0a*\ufffd")
_CHARSETS = (codecs.lookup("euc_jis_2004"), codecs.lookup("cp932"))


def _in_card_charsets(char: str) -> bool:
    for codec in _CHARSETS:
        try:
            codec.encode(char)
        except UnicodeEncodeError:
            continue
        return True
    return False


def suspicious_characters(text: str) -> list[str]:
    """The characters of `text` the resident must confirm, each once, in order of appearance."""
    found: dict[str, None] = {}
    for char in text:
        if char in SUBSTITUTES or (ord(char) > 0x7F and not _in_card_charsets(char)):
            found.setdefault(char, None)
    return list(found)
