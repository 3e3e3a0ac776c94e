"""The template model: fields, repeating groups, print layout and export mapping, from YAML.

`parse_template` reports every problem at once (`TemplateError.problems`), for the admin's
editor and `madoguchi forms validate`: malformed YAML, unknown field type, duplicate field id,
a prefill path that names nothing, a layout box off the page or overlapping another, a group
without its maximum, and more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path as FilePath
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)

from forms.closed_sets import CLOSED_SET_NAMES, UnknownClosedSet, closed_set
from forms.errors import PathError, TemplateError
from forms.fields import FIELD_TYPES
from forms.paths import COMPATIBLE, parse_path
from forms.patterns import pattern_problem
from forms.person_filter import PersonFilter
from forms.text import Text
from forms.yamlio import load_yaml

A4 = (210.0, 297.0)  # mm


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class Option(_Strict):
    value: str
    ja: str
    en: str = ""


class RequiredWhen(_Strict):
    """Required only when another (top-level select or checkbox) field has one of `values`.

    E.g. 転出先 is required when 異動の種類 is 転出; for a checkbox use values ["true"].
    """

    field: str
    values: list[str] = Field(min_length=1)


class AskedWhen(_Strict):
    """When the item is asked at all (the guided review, the pre-entry pages); a condition on
    what the resident already answered. Exactly one of three shapes:

    - `{field: F, values: [...]}`: the field F (a select or checkbox; in a group, a field of
      the same group, else a top-level one) has one of the values ("true"/"false" for a
      checkbox), e.g. the agent's items when 請求者との関係 is 代理人;
    - `{field: F, filled: true}`: F has a value (false: has none), e.g. 在留資格 once a
      nationality is chosen;
    - `{group: G, min: N}`: the group G has at least N instances, e.g. the 2nd insured
      person's number.

    An item not asked and empty is left out; one that holds a value is still shown, so the
    resident can see and clear it. Without `asked_when`, a `required_when` item is asked when
    it is required.
    """

    field: str | None = None
    values: list[str] | None = Field(default=None, min_length=1)
    filled: bool | None = None
    group: str | None = None
    min: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_shape(self) -> AskedWhen:
        given = {
            k for k in ("field", "values", "filled", "group", "min") if getattr(self, k) is not None
        }
        if given not in ({"field", "values"}, {"field", "filled"}, {"group", "min"}):
            raise ValueError(
                "asked_when は {field, values}・{field, filled}・{group, min} のどれか一つ / "
                "asked_when is one of {field, values}, {field, filled}, {group, min}"
            )
        return self


class FieldSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: str
    label: Text
    help: Text | None = None
    required: bool = False
    required_when: RequiredWhen | None = None
    asked_when: AskedWhen | None = None
    prefill: str | None = None  # default: answers.<template id>.<field id>
    options: list[Option] = Field(default_factory=list)
    # The options come from a closed set of `forms.closed_sets` (続柄, 国籍・地域, 在留資格…):
    # filled in when the template loads and never written out, so the list lives in one place.
    options_from: str | None = None
    max_length: int | None = Field(default=None, gt=0)
    pattern: str | None = None
    min: int | None = None
    max: int | None = None
    min_date: dt.date | None = None
    max_date: dt.date | None = None
    # date (a birth date): the person must be at least this old on the session's date (the
    # office's date when the session began), e.g. 15 for 印鑑登録.
    min_age: int | None = Field(default=None, ge=1, le=150)
    kana: bool = False  # person_name: both parts in katakana
    # 本籍 read from the driver's licence (PIN 2) prefills this field when it is empty; only
    # in a template that declares `uses_licence_domicile` (forms.domicile).
    licence_domicile: bool = False

    @model_validator(mode="after")
    def _options_from_closed_set(self) -> FieldSpec:
        if self.options_from is None:
            return self
        if self.options:
            raise ValueError(
                "options と options_from は同時に指定できません / give options or options_from"
            )
        try:
            choices = closed_set(self.options_from).choices
        except UnknownClosedSet:
            known = ", ".join(CLOSED_SET_NAMES)
            raise ValueError(
                f"選択肢の一覧 {self.options_from!r} はありません / no closed set of that name "
                f"(known: {known})"
            ) from None
        self.options = [Option(value=c.value, ja=c.ja, en=c.en) for c in choices]
        return self

    @model_serializer(mode="wrap")
    def _without_closed_set_options(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.options_from is not None and isinstance(data, dict):
            data.pop("options", None)
        return data

    def option_values(self) -> list[str]:
        return [o.value for o in self.options]

    def option_label(self, value: str) -> str:
        return next((o.ja for o in self.options if o.value == value), value)


class GroupSpec(_Strict):
    """Repeating fields, one instance per person (household members moving, children…)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    max: int | None = Field(default=None, gt=0)  # required; None is reported as a problem
    min: int = Field(default=0, ge=0)
    # Instances follow record.persons; `relations` keeps only persons with those 続柄, and
    # `persons` only those it matches (ages on the record's day, alive or deceased, …).
    relations: list[str] | None = None
    persons: PersonFilter | None = None
    # In a record with a deceased person (おくやみ) list only the deceased: the forms of a
    # death concern them, not the family member at the counter.
    deceased_first: bool = False
    fields: list[FieldSpec]


Align = Literal["left", "center", "right"]
Fit = Literal["shrink", "wrap", "shrink_wrap"]


class Box(_Strict):
    """Where one value prints: mm from the page's top-left corner."""

    field: str  # field id, or group.field with an index: movers[0].name
    part: str | None = None  # family/given, postal_code/…, western
    option: str | None = None  # draw a check mark when this option is chosen
    x: float
    y: float
    w: float = Field(gt=0)
    h: float = Field(gt=0)
    size: float = Field(default=10.0, gt=0, le=72)
    min_size: float = Field(default=5.0, gt=0)
    align: Align = "left"
    fit: Fit = "shrink_wrap"
    border: bool = True


class StaticText(_Strict):
    text: str
    x: float
    y: float
    size: float = Field(default=9.0, gt=0, le=72)
    bold: bool = False
    align: Align = "left"


class Line(_Strict):
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = Field(default=0.4, gt=0)


class Page(_Strict):
    boxes: list[Box] = Field(default_factory=list)
    texts: list[StaticText] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)


class Layout(_Strict):
    size: Literal["A4"] = "A4"
    pages: list[Page] = Field(min_length=1)


class ExportColumn(_Strict):
    column: str
    field: str  # as in Box.field; part as in Box.part
    part: str | None = None


class Retention(_Strict):
    """How long the back office keeps this form's records, and why (forms.retention).

    `years`: kept this many years from the April 1 after the fiscal year the record was
    finished in; `basis`: the law, order or municipal rule that sets the period.
    `individual_number_days`: for a form that reads the individual number, the days after 完了
    it is still needed (番号法 第20条: erased then, while the rest of the record stays).
    An admin may shorten both, never lengthen them."""

    years: int = Field(ge=1, le=150)
    basis: str = Field(min_length=1)
    individual_number_days: int | None = Field(default=None, ge=0, le=3650)
    individual_number_basis: str | None = None


class Template(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: Text
    legal_basis: str
    uses_individual_number: bool = False
    individual_number_article: str | None = None
    # The form asks for 本籍, which only the driver's licence holds (behind its PIN 2): the
    # kiosk reads it only when a chosen form declares this, and fills the fields marked
    # `licence_domicile: true`.
    uses_licence_domicile: bool = False
    # How long its records are kept (every shipped template declares it; a template without
    # one is never deleted by the retention run).
    retention: Retention | None = None
    fee_yen: int | None = Field(default=None, ge=0)
    fee_per_field: str | None = None  # the number field that multiplies the fee (通数)
    fields: list[FieldSpec] = Field(default_factory=list)
    groups: list[GroupSpec] = Field(default_factory=list)
    layout: Layout
    export: list[ExportColumn] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def field(self, field_id: str) -> FieldSpec:
        return next(f for f in self.fields if f.id == field_id)

    def group(self, group_id: str) -> GroupSpec:
        return next(g for g in self.groups if g.id == group_id)

    def prefill_of(self, spec: FieldSpec) -> str:
        return spec.prefill or f"answers.{self.id}.{spec.id}"

    def resolve_ref(self, ref: str) -> tuple[FieldSpec, GroupSpec | None, int | None]:
        """`name` → (field, None, None); `movers[2].kana` → (field, group, 2). KeyError if none."""
        if "[" not in ref:
            return next(f for f in self.fields if f.id == ref), None, None
        head, _, field_id = ref.partition("].")
        group_id, _, index = head.partition("[")
        group = next(g for g in self.groups if g.id == group_id)
        spec = next(f for f in group.fields if f.id == field_id)
        return spec, group, int(index)

    def fee_for(self, values: dict[str, Any]) -> int:
        if self.fee_yen is None:
            return 0
        count = values.get(self.fee_per_field, 1) if self.fee_per_field else 1
        return self.fee_yen * (count if isinstance(count, int) else 1)


def parse_template(text: str, source: str = "<template>") -> Template:
    problems: list[str] = []
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise TemplateError(source, [f"YAML の構文誤り / malformed YAML{where}"]) from None
    if not isinstance(data, dict):
        raise TemplateError(source, ["最上位は対応表です / the top level must be a mapping"])
    try:
        template = Template.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_input=False, include_url=False):
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: {err['msg']}")
        raise TemplateError(source, problems) from None
    problems.extend(check_template(template))
    if problems:
        raise TemplateError(source, problems)
    return template


def load_template(path: str | FilePath) -> Template:
    path = FilePath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(
            str(path), [f"読めません / cannot read: {type(exc).__name__}"]
        ) from None
    return parse_template(text, str(path))


def dump_template(template: Template) -> str:
    data = template.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def check_template(t: Template) -> list[str]:
    """Semantic checks pydantic cannot express; every problem, in a stable order."""
    problems: list[str] = []
    top_ids = Counter([f.id for f in t.fields] + [g.id for g in t.groups])
    problems.extend(
        f"fields.{i}: 項目IDが重複 / duplicate field id {i!r}" for i, n in top_ids.items() if n > 1
    )
    for spec in t.fields:
        problems.extend(_check_field(t, spec.id, spec, None))
    for group in t.groups:
        if group.max is None:
            problems.append(
                f"groups.{group.id}: 最大数 max がありません / group maximum (max) is missing"
            )
        elif group.min > group.max:
            problems.append(f"groups.{group.id}: min > max")
        relations = closed_set("relation")
        problems.extend(
            f"groups.{group.id}.relations: 続柄 {r!r} は住民票の続柄ではありません / "
            "not a relation written on 住民票"
            for r in group.relations or []
            if r not in relations.values()
        )
        inner = Counter(f.id for f in group.fields)
        problems.extend(
            f"groups.{group.id}.fields.{i}: 項目IDが重複 / duplicate field id {i!r}"
            for i, n in inner.items()
            if n > 1
        )
        for spec in group.fields:
            problems.extend(_check_field(t, f"{group.id}[].{spec.id}", spec, group))

    if t.uses_individual_number and not t.individual_number_article:
        problems.append(
            "individual_number_article: 個人番号を扱う根拠条文が必要です / "
            "uses_individual_number needs the article of law"
        )
    if t.retention is not None:
        need = t.retention.individual_number_days
        if t.uses_individual_number and need is None:
            problems.append(
                "retention.individual_number_days: 個人番号を扱う様式は利用の必要な期間（日数）が"
                "必要です / a form that reads the individual number declares its need period"
            )
        if not t.uses_individual_number and need is not None:
            problems.append(
                "retention.individual_number_days: 個人番号を扱わない様式です / "
                "this form does not read the individual number"
            )
    marked = [s.id for s in t.fields if s.licence_domicile]
    if t.uses_licence_domicile and not marked:
        problems.append(
            "uses_licence_domicile: 本籍を受ける項目（licence_domicile: true）がありません / "
            "no field takes the licence's domicile (licence_domicile: true)"
        )
    if t.fee_per_field and not any(s.id == t.fee_per_field for s in t.fields):
        problems.append(f"fee_per_field: 項目 {t.fee_per_field!r} がありません / no such field")

    problems.extend(_check_layout(t))
    for n, col in enumerate(t.export):
        try:
            t.resolve_ref(col.field)
        except (StopIteration, ValueError):
            problems.append(f"export[{n}]: 項目 {col.field!r} がありません / no such field")
    return problems


def _check_field(t: Template, where: str, spec: FieldSpec, group: GroupSpec | None) -> list[str]:
    out: list[str] = []
    if spec.type not in FIELD_TYPES:
        known = ", ".join(sorted(FIELD_TYPES))
        return [f"fields.{where}: 不明な型 {spec.type!r} / unknown field type (known: {known})"]
    if spec.type in ("select", "multi_select") and not spec.options:
        out.append(f"fields.{where}: 選択肢がありません / a select needs options")
    if len(set(spec.option_values())) != len(spec.options):
        out.append(f"fields.{where}: 選択肢の値が重複 / duplicate option value")
    if spec.type == "free_text" and spec.max_length is None:
        out.append(f"fields.{where}: free_text には max_length が必要 / free_text needs max_length")
    if spec.type == "individual_number" and not t.uses_individual_number:
        out.append(
            f"fields.{where}: 個人番号欄は uses_individual_number が必要 / "
            "an individual-number field needs uses_individual_number"
        )
    if spec.licence_domicile:
        out.extend(_check_licence_domicile(t, where, spec, group))
    if spec.required_when is not None:
        out.extend(_check_required_when(t, where, spec.required_when))
    if spec.asked_when is not None:
        out.extend(_check_asked_when(t, where, spec.asked_when, group))
    if spec.pattern is not None and (problem := pattern_problem(spec.pattern)) is not None:
        out.append(f"fields.{where}: {problem[0]} / {problem[1]}")
    if spec.options_from is not None and spec.type not in ("select", "multi_select"):
        out.append(
            f"fields.{where}: options_from は select・multi_select だけ / "
            "options_from is for select and multi_select fields"
        )
    if spec.min_age is not None and spec.type != "date":
        out.append(f"fields.{where}: min_age は date だけ / min_age is for date fields")
    try:
        path = parse_path(t.prefill_of(spec))
    except PathError as exc:
        return [*out, f"fields.{where}.prefill: {exc.ja} / {exc.en}"]
    if path.starred and group is None:
        out.append(f"fields.{where}.prefill: * はグループ内だけ / [*] only inside a group")
    if path.kind != "any" and spec.type not in COMPATIBLE[path.kind]:
        out.append(
            f"fields.{where}.prefill: {path.text} は {spec.type} 型に合いません / "
            f"{path.text} holds {path.kind}, not {spec.type}"
        )
    if (
        path.root == "card"
        and path.parts[0] == "individual_number"
        and not (t.uses_individual_number)
    ):
        out.append(f"fields.{where}.prefill: 個人番号は読めません / individual number not declared")
    return out


def _check_licence_domicile(
    t: Template, where: str, spec: FieldSpec, group: GroupSpec | None
) -> list[str]:
    place = f"fields.{where}.licence_domicile"
    out: list[str] = []
    if not t.uses_licence_domicile:
        out.append(
            f"{place}: 様式に uses_licence_domicile が必要 / "
            "the template must declare uses_licence_domicile"
        )
    if group is not None or spec.type not in ("text", "free_text"):
        out.append(
            f"{place}: 本籍はグループ外の text・free_text 項目だけ / "
            "only a top-level text or free_text field takes the domicile"
        )
    try:
        path = parse_path(t.prefill_of(spec))
    except PathError:
        return out  # reported with the prefill
    if path.read_only:
        out.append(
            f"{place}: 書き込めない prefill {path.text} / the field's prefill path is read-only"
        )
    return out


def _check_required_when(t: Template, where: str, cond: RequiredWhen) -> list[str]:
    other = next((f for f in t.fields if f.id == cond.field), None)
    if other is None or other.type not in ("select", "checkbox"):
        return [
            f"fields.{where}.required_when: {cond.field!r} は選択か チェックの項目ではありません / "
            "must name a top-level select or checkbox field"
        ]
    allowed = other.option_values() if other.type == "select" else ["true", "false"]
    return [
        f"fields.{where}.required_when: 選択肢 {v!r} がありません / no such option"
        for v in cond.values
        if v not in allowed
    ]


def _check_asked_when(
    t: Template, where: str, cond: AskedWhen, group: GroupSpec | None
) -> list[str]:
    place = f"fields.{where}.asked_when"
    if cond.group is not None:
        if not any(g.id == cond.group for g in t.groups):
            return [f"{place}: グループ {cond.group!r} がありません / no such group"]
        return []
    siblings = group.fields if group is not None else []
    other = next((f for f in siblings if f.id == cond.field), None) or next(
        (f for f in t.fields if f.id == cond.field), None
    )
    if other is None:
        return [f"{place}: 項目 {cond.field!r} がありません / no such field"]
    if cond.values is None:
        return []
    if other.type not in ("select", "checkbox"):
        return [
            f"{place}: {cond.field!r} は選択かチェックの項目ではありません / not a select or checkbox"
        ]
    allowed = other.option_values() if other.type == "select" else ["true", "false"]
    return [
        f"{place}: 選択肢 {v!r} がありません / no such option"
        for v in cond.values
        if v not in allowed
    ]


def _overlap(a: Box, b: Box) -> bool:
    eps = 0.01
    return (
        a.x + eps < b.x + b.w
        and b.x + eps < a.x + a.w
        and a.y + eps < b.y + b.h
        and b.y + eps < a.y + a.h
    )


def _check_layout(t: Template) -> list[str]:
    out: list[str] = []
    width, height = A4
    for p, page in enumerate(t.layout.pages, 1):
        for n, box in enumerate(page.boxes):
            where = f"layout.pages[{p}].boxes[{n}] ({box.field})"
            if box.x < 0 or box.y < 0 or box.x + box.w > width or box.y + box.h > height:
                out.append(f"{where}: 用紙からはみ出しています / box is off the page")
            try:
                spec, group, index = t.resolve_ref(box.field)
            except (StopIteration, ValueError):
                out.append(f"{where}: 項目 {box.field!r} がありません / no such field")
                continue
            if (
                group is not None
                and group.max is not None
                and index is not None
                and index >= group.max
            ):
                out.append(f"{where}: グループの最大数を超えています / index past the group max")
            if box.option is not None and box.option not in spec.option_values():
                out.append(f"{where}: 選択肢 {box.option!r} がありません / no such option")
            for m in range(n):
                other = page.boxes[m]
                if _overlap(box, other):
                    out.append(
                        f"{where}: boxes[{m}] ({other.field}) と重なっています / "
                        "overlaps another box"
                    )
        for n, text in enumerate(page.texts):
            if not (0 <= text.x <= width and 0 <= text.y <= height):
                out.append(f"layout.pages[{p}].texts[{n}]: 用紙の外 / off the page")
        for n, ln in enumerate(page.lines):
            if not all(0 <= v <= width for v in (ln.x1, ln.x2)) or not all(
                0 <= v <= height for v in (ln.y1, ln.y2)
            ):
                out.append(f"layout.pages[{p}].lines[{n}]: 用紙の外 / off the page")
    return out
