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
    """One problem with one field, addressed by its path (e.g. `movers[1].kana`).

    `label_ja`/`label_en` are the template's label of the field, where it has one, so that a
    message read away from the screen (the command line, a log) still says which item it is.
    `code` tells a screen what kind of problem it is; `sex_for_forms` asks a question
    (see `forms.sex_question`) rather than reporting a wrong value.
    """

    path: str
    ja: str
    en: str
    label_ja: str = ""
    label_en: str = ""
    code: str = "invalid"

    @property
    def where(self) -> str:
        """The path, with the label beside it when there is one."""
        return f"{self.path}（{self.label_ja}）" if self.label_ja else self.path

    @property
    def where_en(self) -> str:
        return f"{self.path} ({self.label_en})" if self.label_en else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.ja} / {self.en}"


class FieldValueError(ValueError):
    """Raised by a field type's normalizer; the caller adds the path."""

    def __init__(self, ja: str, en: str, code: str = "invalid") -> None:
        super().__init__(f"{ja} / {en}")
        self.ja = ja
        self.en = en
        self.code = code


class ValidationFailed(MadoguchiError):
    """A filled form has errors; all of them are in `errors`, not just the first."""

    code = "validation_failed"

    NAMED = 5  # fields named in the one-line message; `errors` holds every one

    def __init__(self, errors: list[FieldError]) -> None:
        named_ja = [e.where for e in errors[: self.NAMED]]
        named_en = [e.where_en for e in errors[: self.NAMED]]
        more_ja = f" ほか{len(errors) - self.NAMED}件" if len(errors) > self.NAMED else ""
        more_en = f" and {len(errors) - self.NAMED} more" if len(errors) > self.NAMED else ""
        super().__init__(
            f"入力内容に{len(errors)}件の誤りがあります: {'、'.join(named_ja)}{more_ja}",
            f"{len(errors)} field(s) need attention: {'; '.join(named_en)}{more_en}",
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
