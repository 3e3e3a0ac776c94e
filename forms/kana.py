"""Kana helpers: フリガナ fields hold full-width katakana; small kana stay distinct."""

from __future__ import annotations

import re
import unicodedata

import jaconv

from forms.errors import FieldValueError

# Full-width katakana (including ヴ, small kana, ー, ・) and the spaces between name parts.
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]*$")


def to_katakana(text: str) -> str:
    """Hiragana and half-width katakana → full-width katakana. Small kana are kept as they are.

    Half-width katakana are converted with jaconv (dakuten joined: ｶﾞ → ガ) rather than NFKC,
    which would also fold other characters the resident typed on purpose.
    """
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    return text.replace(" ", "\u3000").strip("\u3000")


def normalize_kana(text: str) -> str:
    text = text.strip()
    if _KATAKANA.match(text) and " " not in text:
        return text.strip("\u3000")  # already clean: the common case when a form is re-checked
    result = to_katakana(unicodedata.normalize("NFC", text))
    if not _KATAKANA.match(result):
        raise FieldValueError(
            "フリガナはカタカナで入力してください", "use katakana for the reading"
        )
    return result


# ---- a first reading for a name typed in Latin letters ------------------------------------

_LATIN = re.compile(r"[A-Za-z]")
_VOWELS = "aeiou"
_SPELLINGS = (  # English-like spellings → the romaji jaconv reads
    ("tch", "ch"),
    ("sch", "sh"),
    ("ph", "f"),
    ("th", "s"),
    ("ck", "k"),
    ("qu", "ku"),
    ("wh", "w"),
    ("gh", ""),
    ("x", "kus"),
    ("q", "k"),
)
_KANA_AFTER = (("we", "ウェ"), ("wo", "ウォ"), ("wu", "ウ"))  # jaconv has no we, wo as ウォ


def has_latin(text: str) -> bool:
    return bool(_LATIN.search(text))


def latin_to_katakana(name: str) -> str:
    """A first katakana reading for a name written in Latin letters ("John Smith" → ジョン
    スミス), for the resident to correct: names are read as their bearers say them, which no
    rule knows. Each word becomes romaji a syllable at a time (a consonant without its vowel
    takes ウ, or オ after t and d; a final n is ン), then katakana through jaconv."""
    words = [w for w in re.split(r"[\s\u3000]+", name.strip()) if w]
    return "\u3000".join(_word_to_katakana(w) for w in words)


def _word_to_katakana(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.lower())
    text = "".join(c for c in text if "a" <= c <= "z")  # accents and apostrophes dropped
    for spelled, romaji in _SPELLINGS:
        text = text.replace(spelled, romaji)
    text = re.sub(r"c(?=[eiy])", "s", text)
    text = re.sub(r"c(?!h)", "k", text)
    text = re.sub(r"y(?![aeiou])", "i", text)
    text = re.sub(r"([bdfghjkmprstvwz])\1", r"\1", text)  # tt, ss: one sound
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else "$"  # "$": the end of the word
        if ch in _VOWELS:
            out.append(ch)
        elif ch == "n" and nxt not in _VOWELS and nxt != "y":
            out.append("nn")
        elif nxt in _VOWELS or (ch in "ksctj" and nxt == "h") or nxt == "y":
            out.append(ch)
        elif ch == "h" and out and out[-1] in ("s", "c", "t", "k", "j"):
            out.append("hu")  # Bishnu → ビシュヌ
        elif ch == "h":
            pass  # a silent h after a vowel (Sarah, Anh)
        elif ch == "w":
            out.append("u")  # Dewi's w before a vowel is handled above; a lone w is a u
        elif ch == "l":
            out.append("r" if nxt in _VOWELS else "ru")  # Silva → シルヴァ
        elif ch == "r" and out and out[-1] in _VOWELS:
            out.append("-")  # Garcia → ガーシア: r after a vowel lengthens it
        elif ch in "td":
            out.append(ch + "o")
        else:
            out.append(ch + "u")
        i += 1
    romaji = "".join(out)
    for spelled, kana in _KANA_AFTER:
        romaji = romaji.replace(spelled, kana)
    return jaconv.alphabet2kata(romaji).replace("-", "ー")
