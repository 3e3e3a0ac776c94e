"""Screen texts, from the kiosk's gettext catalogues (`kiosk/locale`, domain `kiosk`).

Every text is shown in two languages (the project standard: Japanese first, another beside):
the *lead* language (bigger, first) and the *second* language (a smaller line under it, or
after " / " on compact controls). The language toggle chooses which one leads.

The messages live in `kiosk/locale/<language>/LC_MESSAGES/kiosk.po` (Japanese is the source;
see `forms.i18n`); `MESSAGES[language]` reads the compiled catalogue of any of the ten
languages of `forms.i18n.LANGUAGES`. A language's second language is Japanese unless
`SECOND_LANGUAGE` says otherwise. Template labels come from the `templates` catalogue
(looked up by their Japanese); error messages carry their own `ja`/`en`, and the languages
other than Japanese show the English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.errors import MadoguchiError
from forms.i18n import CODES, LANGUAGES, Domain
from forms.i18n.domains import templates_domain
from forms.i18n.template_texts import TemplateTexts
from forms.text import Text

DEFAULT_LANGUAGE = "ja"
KIOSK_DOMAIN = Domain("kiosk", Path(__file__).resolve().parent / "locale")
_TEMPLATE_TEXTS = TemplateTexts(templates_domain())


class _Messages(Mapping[str, Mapping[str, str]]):
    """language → (message id → text), each language's catalogue read when first asked for."""

    def __getitem__(self, language: str) -> Mapping[str, str]:
        if language not in CODES:
            raise KeyError(language)
        return KIOSK_DOMAIN.messages(language)

    def __iter__(self) -> Iterator[str]:
        return iter(CODES)

    def __len__(self) -> int:
        return len(CODES)


MESSAGES: Mapping[str, Mapping[str, str]] = _Messages()
JA: Mapping[str, str] = MESSAGES["ja"]
EN: Mapping[str, str] = MESSAGES["en"]
LANGUAGE_NAMES = {language.code: language.native_name for language in LANGUAGES}
# The language shown beside each lead language; a lead not listed here has Japanese beside it
# ("" for none: やさしい日本語 is Japanese already).
SECOND_LANGUAGE: dict[str, str] = {"ja": "en", "ja-easy": ""}
# The languages today's toggle button switches between (the language chooser comes later).
TOGGLE_LANGUAGES: tuple[str, ...] = ("ja", "en")
RUBY_LANGUAGES = frozenset({"ja", "ja-easy"})  # furigana go over a Japanese lead only
SEPARATOR = " / "  # between the two languages on one line ("日本語 / English")


@dataclass(frozen=True)
class Pair:
    """One text in the lead language and in the second language ("" when it has none, or
    when it reads the same in both, like a digit or a kana key)."""

    lead: str
    second: str = ""
    # Furigana over the lead's kanji (a `Translator` with furigana on, Japanese leading). Texts
    # of the kiosk only: a pair built from the resident's data never asks for them.
    ruby: bool = field(default=False, compare=False)

    def joined(self, separator: str = SEPARATOR) -> str:
        """Both on one line, lead first: for compact controls and accessible names."""
        return f"{self.lead}{separator}{self.second}" if self.second else self.lead

    def __str__(self) -> str:
        return self.joined()


def second_language_for(lead: str) -> str:
    return SECOND_LANGUAGE.get(lead, DEFAULT_LANGUAGE)


class Translator:
    """The languages of one kiosk window (not global: each window has its own).

    `tr(id)` is the lead-language text; `tr.pair(id)` is both (a `Pair`). `tr.pair_of(fn)`
    builds a pair from a function of a one-language translator, for texts put together from
    several messages (a title, its fee and the currency in the same language).

    `furigana` (the window's furigana setting; やさしい日本語 turns it on): the pairs it makes
    with Japanese leading ask for ruby over their kanji (`Pair.ruby`), which the kiosk's
    buttons and labels draw (`kiosk.gui.widgets.ruby.RubyText`).
    """

    def __init__(
        self, language: str = DEFAULT_LANGUAGE, second: str | None = None, *, furigana: bool = False
    ) -> None:
        self.language = language if language in MESSAGES else DEFAULT_LANGUAGE
        second = second if second in MESSAGES else second_language_for(self.language)
        self.second_language = second if second != self.language else ""
        self.furigana = furigana

    def __call__(self, message_id: str, **values: Any) -> str:
        text = MESSAGES[self.language].get(message_id) or JA.get(message_id, message_id)
        return text.format(**values) if values else text

    def has(self, message_id: str) -> bool:
        return message_id in MESSAGES[self.language] or message_id in JA

    # ---- both languages ------------------------------------------------------------------

    def only(self, language: str) -> Translator:
        """A translator for one language alone (its `pair` has no second text)."""
        single = Translator(language)
        single.second_language = ""
        return single

    @property
    def ruby(self) -> bool:
        """Whether the lead texts get furigana: furigana on, Japanese leading."""
        return self.furigana and self.language in RUBY_LANGUAGES

    def pair_of(self, text_in: Callable[[Translator], str]) -> Pair:
        lead = text_in(self.only(self.language))
        if not self.second_language:
            return Pair(lead, ruby=self.ruby)
        second = text_in(self.only(self.second_language))
        return Pair(lead, "" if second == lead else second, ruby=self.ruby)

    def pair(self, message_id: str, **values: Any) -> Pair:
        return self.pair_of(lambda t: t(message_id, **values))

    def both(self, message_id: str, **values: Any) -> str:
        """ "日本語 / English" on one line (compact controls, accessible names)."""
        return self.pair(message_id, **values).joined()

    def text_pair(self, text: Text | None) -> Pair:
        return self.pair_of(lambda t: t.text(text))

    def error_pair(self, error: MadoguchiError) -> Pair:
        return self.pair_of(lambda t: t.error(error))

    def field_error_pair(self, ja: str, en: str) -> Pair:
        return self.pair_of(lambda t: t.field_error(ja, en))

    # ---- the lead language ---------------------------------------------------------------

    def text(self, text: Text | None) -> str:
        """A template's bilingual label in the current language."""
        if text is None:
            return ""
        if self.language == "en" and text.en:
            return text.en
        return _TEMPLATE_TEXTS.of_text(self.language, text)

    def error(self, error: MadoguchiError) -> str:
        return error.en if self._uses_english_errors() and error.en else error.ja

    def field_error(self, ja: str, en: str) -> str:
        return en if self._uses_english_errors() and en else ja

    def _uses_english_errors(self) -> bool:
        """Errors carry Japanese and English only: English for every non-Japanese reader."""
        return self.language not in {"ja", "ja-easy"}

    def yen(self, amount: int) -> str:
        return self("common.yen", amount=amount) if amount else self("common.free")

    def toggled(self) -> str:
        """The language the toggle button makes the lead."""
        order = TOGGLE_LANGUAGES
        if self.language not in order:
            return DEFAULT_LANGUAGE
        return order[(order.index(self.language) + 1) % len(order)]
