"""A small builder that draws a municipal form the way the shipped ones are drawn.

It wrote the first version of the templates in `forms/templates/` that
`scripts/formgen/life_event_forms/` describes (the five older forms were drawn the same way
by hand). From then on the YAML is
the source: admins edit it in the template editor, and nothing regenerates it behind them.

The page: a title with its English line, 「（宛先）区市町村長」, a date box at the top right;
sections with a bold header bar; rows with a 30 mm label cell (Japanese, English below) and a
value area; check squares beside each option's label; a table with a row per person; the
signature box; the legal basis at the foot. The bottom-right corner is kept free for the
data QR. Coordinates are mm from the top-left corner, as in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from reportlab.lib.units import mm

from printing.fonts import default_fonts

LEFT, RIGHT = 12.0, 198.0
LABEL_W = 30.0
FRAME = 0.6
THIN = 0.2
CHECK = 3.6
QR_FREE_X = 150.0  # right of this, keep the bottom free for the data QR …
QR_FREE_Y = 238.0  # … below this
BOTTOM = 281.0


def text_w(text: str, size: float) -> float:
    """Printed width of a label in mm (the label font chain, as the renderer measures it)."""
    return default_fonts().labels.shape(text, "").width(size) / mm


def r2(v: float) -> float:
    return round(v, 2)


# --- fields ---------------------------------------------------------------------------------


def label(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


@dataclass
class Field:
    spec: dict[str, Any]
    col: str  # CSV column name (Japanese)

    @property
    def id(self) -> str:
        return self.spec["id"]

    @property
    def type(self) -> str:
        return self.spec["type"]


def fld(
    id: str,
    type: str,
    ja: str,
    en: str,
    col: str,
    *,
    prefill: str | None = None,
    required: bool = False,
    **more: Any,
) -> Field:
    spec: dict[str, Any] = {"id": id, "type": type, "label": label(ja, en)}
    if more.get("help"):
        spec["help"] = label(*more.pop("help"))
    if required:
        spec["required"] = True
    if "required_when" in more:
        rw = more.pop("required_when")
        spec["required_when"] = {"field": rw[0], "values": list(rw[1])}
    if prefill:
        spec["prefill"] = prefill
    if "options" in more:
        spec["options"] = [{"value": v, "ja": j, "en": e} for v, j, e in more.pop("options")]
    spec.update({k: v for k, v in more.items() if v is not None})
    return Field(spec, col)


SEX = [("male", "男", "male"), ("female", "女", "female")]


# --- the drawing ----------------------------------------------------------------------------


@dataclass
class Page:
    boxes: list[dict[str, Any]] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    def box(self, ref: str, x: float, y: float, w: float, h: float, **more: Any) -> None:
        b: dict[str, Any] = {"field": ref}
        if "part" in more:
            b["part"] = more.pop("part")
        if "option" in more:
            b["option"] = more.pop("option")
        b.update({"x": r2(x), "y": r2(y), "w": r2(w), "h": r2(h)})
        b.update(more)
        self.boxes.append(b)

    def text(self, text: str, x: float, y: float, size: float = 8, **more: Any) -> None:
        self.texts.append({"text": text, "x": r2(x), "y": r2(y), "size": size, **more})

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.4) -> None:
        ln: dict[str, Any] = {"x1": r2(x1), "y1": r2(y1), "x2": r2(x2), "y2": r2(y2)}
        if width != 0.4:
            ln["width"] = width
        self.lines.append(ln)

    def frame(self, x1: float, y1: float, x2: float, y2: float, width: float = FRAME) -> None:
        self.line(x1, y1, x2, y1, width)
        self.line(x1, y2, x2, y2, width)
        self.line(x1, y1, x1, y2, width)
        self.line(x2, y1, x2, y2, width)

    def bilingual(self, ja: str, en: str, x: float, y: float, size: float = 8) -> None:
        """A cell label: Japanese, English below it in small type."""
        self.text(ja, x, y + 3.15, size)
        if en:
            self.text(en, x, y + 6.1, 5.5)


class Form:
    def __init__(
        self,
        id: str,
        title_ja: str,
        title_en: str,
        legal_basis: str,
        legal_line: str,
        *,
        version: int = 1,
        addressee: str = "（宛先）区市町村長 / To the mayor",
        **top: Any,
    ) -> None:
        self.meta: dict[str, Any] = {
            "id": id,
            "version": version,
            "title": label(title_ja, title_en),
            "legal_basis": legal_basis,
            **top,
        }
        self.title_ja, self.title_en = title_ja, title_en
        self.addressee = addressee
        self.legal_line = legal_line
        self.fields: list[Field] = []
        self.groups: list[dict[str, Any]] = []
        self.group_fields: dict[str, list[Field]] = {}
        self.group_cols: dict[str, str] = {}
        self.pages: list[Page] = []
        self.y = 0.0
        self._section: tuple[float, float] | None = None  # (top, right edge)
        self.new_page()

    # --- pages and sections --------------------------------------------------------------
    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self, continued: bool = False) -> None:
        page = Page()
        self.pages.append(page)
        title = self.title_ja + ("（続き）" if continued else "")
        # 17 pt, smaller for a long title so it clears 「（宛先）…」 (never under 14 pt)
        room = 92.0
        if self.addressee and not continued:  # centred at 105 mm, clear of 「（宛先）…」
            room = min(room, 2 * (105 - (LEFT + text_w(self.addressee, 7.5) + 3)))
        width = text_w(title, 17)
        size: float = 17 if width <= room else round(max(14.0, 17.0 * room / width), 1)
        page.text(title, 105, 16, size, bold=True, align="center")
        page.text(
            self.title_en + (" (continued)" if continued else ""), 105, 21, 7.5, align="center"
        )
        if not continued and self.addressee:
            page.text(self.addressee, LEFT, 12, 7.5)
        page.text(self.legal_line, LEFT, 286.5, 6)
        self.y = 26.0 if not continued else 28.0

    def date_header(self, f: Field, ja: str, en: str, fee: str | None = None) -> None:
        """The top-right date box (届出年月日 / 申請年月日 …)."""
        self.add(f)
        p = self.page
        p.frame(105, 26, RIGHT, 35)
        p.line(133, 26, 133, 35)
        p.text(ja, 106.5, 30.15, 8)
        p.text(en, 106.5, 33.1, 5.5)
        p.box(f.id, 134, 27, 63, 7, border=False)
        if fee:
            p.text(fee, LEFT, 33, 8)
        self.y = 38.0

    def section(self, ja: str, en: str, right: float = RIGHT, gap: float = 3.0) -> None:
        self.end_section()
        self.y += gap if self.y > 30 else 0
        p = self.page
        p.frame(LEFT, self.y, right, self.y + 5.5)
        p.text(ja, 13.5, self.y + 3.96, 8.5, bold=True)
        p.text(en, 13.5 + text_w(ja, 8.5) + 1.5, self.y + 3.96, 6)
        self.y += 5.5
        self._section = (self.y, right)

    def end_section(self) -> None:
        if self._section is None:
            return
        top, right = self._section
        self.page.frame(LEFT, top, right, self.y)
        self._section = None

    @property
    def right(self) -> float:
        return self._section[1] if self._section else RIGHT

    def note(self, text: str, size: float = 6.5) -> None:
        self.end_section()
        self.y += 1.0
        self.page.text(text, LEFT, self.y + 3.2, size)
        self.y += 4.5

    # --- fields ------------------------------------------------------------------------------
    def add(self, f: Field) -> Field:
        if f.id not in {x.id for x in self.fields}:
            self.fields.append(f)
        return f

    def group(
        self,
        id: str,
        ja: str,
        en: str,
        col: str,
        fields: list[Field],
        *,
        max: int,
        min: int = 0,
        **more: Any,
    ) -> None:
        g: dict[str, Any] = {"id": id, "label": label(ja, en), "max": max}
        if min:
            g["min"] = min
        g.update(more)
        self.groups.append(g)
        self.group_fields[id] = fields
        self.group_cols[id] = col

    # --- rows --------------------------------------------------------------------------------
    def row(self, h: float, cells: list[tuple[str, str, float | None, Any]]) -> None:
        """One row of cells: (label ja, label en, cell width or None for the rest, content).

        `content(x, y, w, h)` draws the value area of a cell (right of its label).
        """
        p = self.page
        x = LEFT
        widths = [w for *_, w, _ in cells]
        fixed = sum(w for w in widths if w is not None)
        rest = self.right - LEFT - fixed
        for (ja, en, width, content), n in zip(cells, range(len(cells)), strict=True):
            w = width if width is not None else rest
            label_w = LABEL_W if n == 0 else max(22.0, text_w(ja, 8) + 4)
            if ja:
                p.bilingual(ja, en, x + 1.5, self.y + (h - 7.5) / 2)
                p.line(x + label_w, self.y, x + label_w, self.y + h)
                content(x + label_w, self.y, w - label_w, h)
            else:
                content(x, self.y, w, h)
            x += w
            if n < len(cells) - 1:
                p.line(x, self.y, x, self.y + h)
        self.y += h
        p.line(LEFT, self.y, self.right, self.y)

    # value-area painters ------------------------------------------------------------------
    def v_text(self, f: Field, size: float = 10, ref: str | None = None, **more: Any):
        if ref is None:
            self.add(f)

        def paint(x: float, y: float, w: float, h: float) -> None:
            self.page.box(ref or f.id, x + 1, y + 1, w - 2, h - 2, size=size, border=False, **more)

        return paint

    def v_address(self, f: Field):
        self.add(f)

        def paint(x: float, y: float, w: float, h: float) -> None:
            p = self.page
            top = y + (h - 14.8) / 2
            p.box(f.id, x + 1.2, top, 28, 6.2, part="postal_code", size=9, border=False)
            p.box(f.id, x + 31.2, top, 22, 6.2, part="prefecture", border=False)
            p.box(f.id, x + 55.2, top, w - 56.4, 6.2, part="city", border=False)
            p.box(f.id, x + 1.2, top + 7.4, w - 2.4, 6.2, part="rest", border=False)

        return paint

    def v_name(self, name: Field | str, kana: Field | str | None, size: float = 12):
        refs = []
        for f in (name, kana):
            if isinstance(f, Field):
                self.add(f)
                refs.append(f.id)
            else:
                refs.append(f)

        def paint(x: float, y: float, w: float, h: float) -> None:
            p = self.page
            if refs[1] is None:
                p.box(refs[0], x + 1, y + 1, w - 2, h - 2, size=size, border=False)
                return
            p.text("フリガナ", x + 1, y + 3.4, 5)
            p.box(refs[1], x + 8, y + 0.6, w - 9, 4.6, size=7.5, border=False)
            p.line(x, y + 5.6, x + w, y + 5.6, THIN)
            p.box(refs[0], x + 1, y + 6.2, w - 2, h - 7.2, size=size, border=False)

        return paint

    def v_options(self, f: Field | str, options: list[tuple[str, str, str]] | None = None):
        """Check squares with their labels, wrapped onto as many lines as the row allows."""
        ref = f
        if isinstance(f, Field):
            self.add(f)
            ref = f.id
            options = [(o["value"], o["ja"], o["en"]) for o in f.spec["options"]]
        assert options is not None

        def paint(x: float, y: float, w: float, h: float) -> None:
            p = self.page
            lines = self.option_lines(options, w)
            pitch = h / len(lines)
            for n, line in enumerate(lines):
                top = y + n * pitch + (pitch - CHECK) / 2
                for cx, (value, ja, en) in line:
                    bx = x + cx
                    p.box(ref, bx, top, CHECK, CHECK, option=value, size=8, align="center")
                    p.text(ja, bx + 4.6, top + 3.06, 8)
                    if en:
                        p.text(en, bx + 4.6 + text_w(ja, 8) + 0.8, top + 3.06, 5.5)

        return paint

    @staticmethod
    def option_lines(
        options: list[tuple[str, str, str]], w: float
    ) -> list[list[tuple[float, tuple[str, str, str]]]]:
        lines: list[list[tuple[float, tuple[str, str, str]]]] = [[]]
        cx = 3.0
        for opt in options:
            _, ja, en = opt
            width = 4.6 + text_w(ja, 8) + (0.8 + text_w(en, 5.5) if en else 0)
            if cx + width > w - 4 and lines[-1]:
                lines.append([])
                cx = 3.0
            lines[-1].append((cx, opt))
            cx += width + 4.0
        return lines

    def v_check(self, f: Field, ja: str, en: str):
        self.add(f)

        def paint(x: float, y: float, w: float, h: float) -> None:
            p = self.page
            top = y + (h - CHECK) / 2
            p.box(f.id, x + 3, top, CHECK, CHECK, size=8, align="center")
            p.text(ja, x + 7.6, top + 3.06, 8)
            if en:
                p.text(en, x + 7.6 + text_w(ja, 8) + 0.8, top + 3.06, 5.5)

        return paint

    def v_checks(self, items: list[tuple[Field, str, str]]):
        """Several checkboxes on one line."""
        for f, _, _ in items:
            self.add(f)

        def paint(x: float, y: float, w: float, h: float) -> None:
            p = self.page
            top = y + (h - CHECK) / 2
            cx = x + 3
            for f, ja, en in items:
                p.box(f.id, cx, top, CHECK, CHECK, size=8, align="center")
                p.text(ja, cx + 4.6, top + 3.06, 8)
                end = cx + 4.6 + text_w(ja, 8)
                if en:
                    p.text(en, end + 0.8, top + 3.06, 5.5)
                    end += 0.8 + text_w(en, 5.5)
                cx = end + 5

        return paint

    def v_static(self, text: str, size: float = 8):
        def paint(x: float, y: float, w: float, h: float) -> None:
            self.page.text(text, x + 2, y + h / 2 + size * 0.125, size)

        return paint

    def v_copies(self, f: Field, note: str):
        """A number of copies, then 「通」 and the fee."""
        self.add(f)

        def paint(x: float, y: float, w: float, h: float) -> None:
            self.page.box(f.id, x + 1, y + 1, 18, h - 2, size=11, align="right", border=False)
            self.page.text(note, x + 20, y + h / 2 + 1.2, 7.5)

        return paint

    def options_height(self, f: Field, w: float | None = None, pitch: float = 8.0) -> float:
        options = [(o["value"], o["ja"], o["en"]) for o in f.spec["options"]]
        area = (w if w is not None else self.right - LEFT) - LABEL_W
        return pitch * len(self.option_lines(options, area))

    def signature(
        self, f: Field, ja: str = "届出人の署名", en: str = "Notifier's signature"
    ) -> None:
        self.end_section()
        self.add(f)
        p = self.page
        top = self.y + 2.5
        p.frame(LEFT, top, 150, top + 18)
        p.line(42, top, 42, top + 18)
        p.bilingual(ja, en, 13.5, top + 5.5)
        p.box(f.id, 45, top + 2, 102, 14, fit="shrink")
        self.y = top + 18

    # --- a table with a row per person ------------------------------------------------------
    def table(
        self,
        group: str,
        columns: list[tuple[str, str, str, float, str, dict[str, Any]]],
        rows: int,
        row_h: float,
        *,
        first: int = 0,
    ) -> None:
        """Rows `first`..`first+rows-1` of `group`; columns: (field id, header ja, header en,
        width or 0 for the rest, kind, options). Kinds: text, name_kana, date, sex, check,
        options, center."""
        p = self.page
        fixed = sum(c[3] for c in columns) + 7
        rest = self.right - LEFT - fixed
        widths = [c[3] or rest for c in columns]
        head = self.y
        p.text("番号", LEFT + 3.5, head + 3.6, 7, align="center")
        p.text("No.", LEFT + 3.5, head + 6.35, 5, align="center")
        x = LEFT + 7
        edges = [x]
        for (_, ja, en, _, _, _), w in zip(columns, widths, strict=True):
            p.text(ja, x + w / 2, head + 3.6, 7, align="center")
            p.text(en, x + w / 2, head + 6.35, 5, align="center")
            x += w
            edges.append(x)
        self.y += 8
        p.line(LEFT, self.y, self.right, self.y)
        for i in range(first, first + rows):
            y = self.y
            p.text(str(i + 1), LEFT + 3.5, y + row_h / 2 + 1.5, 10, align="center")
            for (fid, _, _, _, kind, opts), x0, w in zip(columns, edges[:-1], widths, strict=True):
                ref = f"{group}[{i}].{fid}"
                self._cell(ref, kind, opts, x=x0, y=y, w=w, h=row_h)
            self.y += row_h
            p.line(LEFT, self.y, self.right, self.y, 0.3 if i < first + rows - 1 else 0.4)
        for x in edges:
            p.line(x, head, x, self.y)

    def _cell(
        self, ref: str, kind: str, opts: dict[str, Any], *, x: float, y: float, w: float, h: float
    ) -> None:
        p = self.page
        if kind == "name_kana":
            kana = ref.rsplit(".", 1)[0] + "." + opts["kana"]
            p.text("フリガナ", x + 1, y + 3.2, 5)
            p.box(kana, x + 8, y + 0.6, w - 9, 4.6, size=7.5, border=False)
            p.box(ref, x + 1, y + 5.8, w - 2, h - 6.6, size=opts.get("size", 11), border=False)
        elif kind == "sex":
            for n, (value, ja) in enumerate((("male", "男"), ("female", "女"))):
                top = y + (h / 2 - CHECK) / 2 + n * h / 2
                p.box(ref, x + w / 2 - 4, top, CHECK, CHECK, option=value, size=8, align="center")
                p.text(ja, x + w / 2 + 0.4, top + 3.06, 8)
        elif kind == "options":
            choices = opts["options"]
            pitch = h / len(choices)
            for n, (value, ja) in enumerate(choices):
                top = y + n * pitch + (pitch - CHECK) / 2
                p.box(ref, x + 1.5, top, CHECK, CHECK, option=value, size=8, align="center")
                p.text(ja, x + 6, top + 3.06, opts.get("size", 6.5))
        elif kind == "check":
            p.box(
                ref,
                x + w / 2 - CHECK / 2 - (3 if opts.get("mark") else 0),
                y + (h - CHECK) / 2,
                CHECK,
                CHECK,
                size=8,
                align="center",
            )
            if opts.get("mark"):
                p.text(opts["mark"], x + w / 2 + 1.2, y + (h - CHECK) / 2 + 3.06, 8)
        else:
            size = opts.get("size", 9 if kind != "date" else 8.5)
            align = "center" if kind == "center" else "left"
            p.box(ref, x + 0.8, y + 0.8, w - 1.6, h - 1.6, size=size, align=align, border=False)

    # --- output ------------------------------------------------------------------------------
    def template(self) -> dict[str, Any]:
        self.end_section()
        data = dict(self.meta)
        data["fields"] = [f.spec for f in self.fields]
        if self.groups:
            groups = []
            for group in self.groups:
                spec = {**group, "fields": [f.spec for f in self.group_fields[group["id"]]]}
                groups.append(spec)
            data["groups"] = groups
        data["layout"] = {
            "pages": [
                {"boxes": pg.boxes, "texts": pg.texts, "lines": pg.lines} for pg in self.pages
            ]
        }
        data["export"] = self.export()
        return data

    def export(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []

        def columns(ref: str, f: Field, name: str) -> None:
            if f.type == "address":
                out.append({"column": f"{name} 郵便番号", "field": ref, "part": "postal_code"})
                out.append({"column": name, "field": ref})
            elif f.type == "date":
                out.append({"column": name, "field": ref, "part": "western"})
            else:
                out.append({"column": name, "field": ref})

        for f in self.fields:
            columns(f.id, f, f.col)
        for g in self.groups:
            for i in range(g["max"]):
                for f in self.group_fields[g["id"]]:
                    columns(
                        f"{g['id']}[{i}].{f.id}", f, f"{self.group_cols[g['id']]}{i + 1} {f.col}"
                    )
        return out


# --- YAML in the shipped files' style -------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_flat_leaf(v) for v in value.values())
    return False


def _flat_leaf(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return not isinstance(value, dict)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=_flat(data))


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(v, dict | list) for v in data) and len(data) <= 12
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def to_yaml(data: dict[str, Any], header: str = "") -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    return header + body
