"""Typed errors of the domain, each with a Japanese and an English message.

Messages never carry the value that failed: values are personal data, and errors reach logs.
"""

from __future__ import annotations

from dataclasses import dataclass


class MadoguchiError(Exception):
    """Base of every error a user can meet. `ja` and `en` are shown side by side."""

    code: str = "error"

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(f"{ja} / {en}")
        self.ja = ja
        self.en = en


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, addressed by its path (e.g. `persons[1].kana`)."""

    path: str
    ja: str
    en: str

    def __str__(self) -> str:
        return f"{self.path}: {self.ja} / {self.en}"


class FieldValueError(ValueError):
    """Raised by a field type's normalizer; the caller adds the path."""

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(f"{ja} / {en}")
        self.ja = ja
        self.en = en


class ValidationFailed(MadoguchiError):
    """A filled form has errors; all of them are in `errors`, not just the first."""

    code = "validation_failed"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(
            f"入力内容に{len(errors)}件の誤りがあります", f"{len(errors)} field(s) need attention"
        )
        self.errors = errors


class TemplateError(MadoguchiError):
    """A template (or bundle) file is not usable; `problems` lists every reason."""

    code = "template_invalid"

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(
            f"様式定義に誤りがあります（{source}）", f"template definition is invalid ({source})"
        )
        self.source = source
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([f"{self.ja} / {self.en}", *(f"  - {p}" for p in self.problems)])


class UnknownTemplate(MadoguchiError):
    code = "unknown_template"

    def __init__(self, template_id: str, version: int | None = None) -> None:
        what = template_id if version is None else f"{template_id} v{version}"
        super().__init__(f"様式 {what} は登録されていません", f"unknown template {what}")
        self.template_id = template_id
        self.version = version


class PathError(MadoguchiError):
    """A prefill path that names nothing in the session record."""

    code = "bad_path"

    def __init__(self, path: str, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"参照先 {path} は存在しません（{reason_ja}）",
            f"path {path} names nothing ({reason_en})",
        )
        self.path = path
