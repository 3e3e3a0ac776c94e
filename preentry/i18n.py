"""The site's texts in the ten languages of `forms.i18n.LANGUAGES`, from gettext catalogues.

Three catalogues, all read through `forms.i18n` (this package imports only `forms`):

- `preentry` (`preentry/locale`): the site's own sentences, by key (`Msg`);
- `templates` (`forms/locale`): the templates' labels, help texts and options (`Text`);
- `kiosk` (the kiosk's catalogue, read as data by path): the exact words of the kiosk button
  the QR page tells the resident to press.

The legal form stays Japanese: what the QR carries is Japanese, so a label or an option is
shown in the page's language with its Japanese beside it (`Page.bi`). Every element whose
language is not the page's carries its own `lang` (a template text the catalogue does not
have yet falls back to English or Japanese and is marked so). やさしい日本語 is drawn with
furigana (`<ruby>`) on every kanji.

The chosen language travels with the request like everything else on this stateless site:
`?lang=` on links and GET forms, a hidden `lang` field in posted forms.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from forms.i18n import CODES, LANGUAGES, SOURCE, Domain, Language, language
from forms.i18n.domains import domain_named, templates_domain
from forms.i18n.template_texts import TemplateTexts
from forms.text import Text

DEFAULT_LANGUAGE = SOURCE
PREENTRY = Domain("preentry", Path(__file__).resolve().parent / "locale")
TEMPLATE_TEXTS = TemplateTexts(templates_domain())
KIOSK_QR_BUTTON = "identify.qr"  # kiosk/gui/screens/identify.py: "use a pre-entry QR code"


class Msg:
    """One of the site's own sentences: a `preentry` key and its values (a `Text` value is
    put in the same language first, e.g. a group's label in a section title)."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values

    def __repr__(self) -> str:
        return f"Msg({self.key!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)


Label = Text | Msg


def chosen(code: str | None) -> str:
    """The language asked for, or Japanese for anything not offered (never an error)."""
    return code if code in CODES else DEFAULT_LANGUAGE


@functools.cache
def kiosk_domain() -> Domain | None:
    """The kiosk's catalogue, located and read once per process (each page quotes it)."""
    return domain_named("kiosk")


@functools.lru_cache(maxsize=4096)
def _ruby_html(text: str) -> str:
    from forms.furigana import ruby, to_html

    try:
        return to_html(ruby(text))
    except Exception:  # no dictionary installed: the text without furigana
        return str(escape(text))


class Page:
    """The texts of one page in one language (made per request: nothing global)."""

    def __init__(self, code: str | None) -> None:
        self.code = chosen(code)
        self.language: Language = language(self.code)
        self.lang = self.language.html_lang
        self.languages = LANGUAGES

    # -- plain strings (titles, attributes, <option>) -------------------------------------

    def plain(self, item: Label | None, code: str | None = None) -> str:
        return self._text(item, code or self.code)[0]

    def japanese(self, item: Label | None) -> str:
        return self._text(item, SOURCE)[0]

    def _text(self, item: Label | None, code: str) -> tuple[str, str]:
        """(text, language code it came out in)."""
        if item is None:
            return "", code
        if isinstance(item, Text):
            return TEMPLATE_TEXTS.in_language(code, item)
        values = {
            k: (TEMPLATE_TEXTS.of_text(code, v) if isinstance(v, Text) else v)
            for k, v in item.values.items()
        }
        return PREENTRY.text(code, item.key, **values), code

    def text_lang_attr(self, item: Label | None) -> Markup:
        """The `lang` attribute an element holding `plain(item)` needs (for `<option>`)."""
        return self.lang_attr(self._text(item, self.code)[1])

    def lang_of(self, code: str) -> str:
        return language(code).html_lang

    def lang_attr(self, code: str) -> Markup:
        """` lang="…"` when `code` is not the page's language, else nothing."""
        html_lang = self.lang_of(code)
        if html_lang == self.lang:
            return Markup("")
        return Markup(' lang="{}"').format(html_lang)

    # -- markup ---------------------------------------------------------------------------

    def _html(self, text: str, code: str) -> Markup:
        if language(code).ruby:
            return Markup(_ruby_html(text))
        return escape(text)

    def t(self, key: str, **values: Any) -> Markup:
        """One of the site's sentences in the page's language (furigana in やさしい日本語)."""
        return self.one(Msg(key, **values))

    def one(self, item: Label | None) -> Markup:
        """A text in the page's language alone (help texts, descriptions)."""
        if item is None:
            return Markup("")
        text, code = self._text(item, self.code)
        if self.lang_of(code) == self.lang:
            return self._html(text, code)
        return Markup("<span{}>{}</span>").format(self.lang_attr(code), self._html(text, code))

    def bi(self, item: Label | None) -> Markup:
        """A text where the legal term matters (a label, an option, a title): the page's
        language with the Japanese beside it, unless they read the same."""
        if item is None:
            return Markup("")
        text, code = self._text(item, self.code)
        ja = self.japanese(item)
        lead = Markup("<span{}>{}</span>").format(self.lang_attr(code), self._html(text, code))
        if self.code == SOURCE or text == ja:
            return lead
        return lead + Markup(' <span lang="ja" class="beside">{}</span>').format(ja)

    def error(self, text: Text | None) -> Markup:
        """A validation message: they come in Japanese and English only (as on the kiosk),
        so the languages other than Japanese read the English, with the Japanese beside."""
        if text is None:
            return Markup("")
        if self.lang == "ja" or not text.en:
            return self._html(text.ja, self.code if self.lang == "ja" else SOURCE)
        lead = Markup("<span{}>{}</span>").format(self.lang_attr("en"), text.en)
        return lead + Markup(' <span lang="ja" class="beside">{}</span>').format(text.ja)

    def plain_error(self, text: Text) -> str:
        return text.ja if self.lang == "ja" or not text.en else text.en

    # -- the kiosk's words -----------------------------------------------------------------

    def _kiosk(self, key: str, fallback: Text, values: dict[str, Any]) -> tuple[str, str]:
        """(text, language code it came out in)."""
        kiosk = kiosk_domain()
        if kiosk is not None and kiosk.has(SOURCE, key):
            return kiosk.text(self.code, key, **values), self.code
        if self.code == SOURCE or not fallback.en:
            return fallback.ja.format(**values), SOURCE
        return fallback.en.format(**values), "en"

    def kiosk(self, key: str, fallback: Text, **values: Any) -> Markup:
        """One of the kiosk's own texts (its guided review's titles and buttons), so the
        site's pages say what the kiosk's screens say; `fallback` (Japanese and English)
        when the kiosk's catalogue is not installed next to the site."""
        text, code = self._kiosk(key, fallback, values)
        if self.lang_of(code) == self.lang:
            return self._html(text, code)
        return Markup("<span{}>{}</span>").format(self.lang_attr(code), self._html(text, code))

    def kiosk_plain(self, key: str, fallback: Text, **values: Any) -> str:
        return self._kiosk(key, fallback, values)[0]

    def group_title(self, group: Any) -> Markup:
        """A guided page's title: a form's title (with its Japanese), else the kiosk's."""
        if not group.title_key:
            return self.bi(group.title)
        return self.kiosk(group.title_key, group.title, **group.title_values)

    def group_title_plain(self, group: Any) -> str:
        if not group.title_key:
            return self.plain(group.title)
        return self.kiosk_plain(group.title_key, group.title, **group.title_values)

    # -- the kiosk's button ---------------------------------------------------------------

    def kiosk_step(self) -> Markup:
        """The QR page's instruction naming the kiosk button, in its exact words."""
        kiosk = kiosk_domain()
        if kiosk is None:
            return self.t("result.step_kiosk_generic")
        words = kiosk.text(self.code, KIOSK_QR_BUTTON)
        button = Markup('<strong class="kiosk-button">{}</strong>').format(
            self._html(words, self.code)
        )
        sentence = self._html(PREENTRY.text(self.code, "result.step_kiosk"), self.code)
        out = Markup(str(sentence).replace("{button}", str(button)))
        japanese = kiosk.text(SOURCE, KIOSK_QR_BUTTON)
        if self.code != SOURCE and japanese != words:
            note = self._html(PREENTRY.text(self.code, "result.kiosk_in_japanese"), self.code)
            jp = Markup('<strong class="kiosk-button" lang="ja">{}</strong>').format(japanese)
            if self.lang == "ja":
                jp = Markup('<strong class="kiosk-button">{}</strong>').format(japanese)
            out += Markup(" ") + Markup(str(note).replace("{button}", str(jp)))
        return out
