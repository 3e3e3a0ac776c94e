"""Bilingual text: every label and message in Japanese with English beside it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ja: str
    en: str = ""

    def __str__(self) -> str:
        return f"{self.ja} / {self.en}" if self.en else self.ja
