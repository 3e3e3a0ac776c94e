"""Plain words for the legal terms the forms use (異動, 世帯主, 続柄, 届出人, 被保険者…).

A screen or page finds the terms in a label (`terms_in`) and offers each one's one-line
explanation behind a ？ button. The explanations are texts of each application's catalogue,
keyed `glossary.<id>` (`Term.key`): plain Japanese (the reference), English, and every other
language of `forms.i18n`. Terms are matched longest first and never overlap, so 世帯主 is
explained as 世帯主, not as 世帯.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    id: str
    ja: str  # as it is written on the forms

    @property
    def key(self) -> str:
        return f"glossary.{self.id}"


TERMS: tuple[Term, ...] = (
    Term("idou", "異動"),
    Term("setainushi", "世帯主"),
    Term("setai", "世帯"),
    Term("tsudukigara", "続柄"),
    Term("todokedenin", "届出人"),
    Term("seikyusha", "請求者"),
    Term("hihokensha", "被保険者"),
    Term("zairyu_shikaku", "在留資格"),
    Term("zairyu_card", "在留カード"),
    Term("kokuseki", "国籍"),
    Term("juminhyo_code", "住民票コード"),
    Term("kojin_bango", "個人番号"),
    Term("inkan_toroku", "印鑑登録"),
    Term("hoshounin", "保証人"),
    Term("dairinin", "代理人"),
    Term("tennyu", "転入"),
    Term("tenkyo", "転居"),
    Term("tenshutsu", "転出"),
    Term("honseki", "本籍"),
    Term("hittousha", "筆頭者"),
    Term("jidou", "児童"),
    Term("haigusha", "配偶者"),
    Term("furigana", "フリガナ"),
    Term("shutoku", "取得"),
    Term("soushitsu", "喪失"),
    Term("kouza_meigi", "口座名義"),
    Term("nenkin", "年金"),
)
_LONGEST_FIRST = sorted(TERMS, key=lambda t: -len(t.ja))


def terms_in(text: str) -> list[Term]:
    """The terms `text` uses, in the order they first appear, each once; longest first where
    two overlap (世帯主 hides the 世帯 in it)."""
    taken = [False] * len(text)
    found: list[tuple[int, Term]] = []
    for term in _LONGEST_FIRST:
        start = text.find(term.ja)
        while start >= 0:
            end = start + len(term.ja)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, term))
                break
            start = text.find(term.ja, start + 1)
    return [term for _, term in sorted(found, key=lambda pair: pair[0])]
