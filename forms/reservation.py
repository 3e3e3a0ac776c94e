"""引越しワンストップ: a 転入予約 filed on マイナポータル, as the office receives it, and its match.

Plain Python, no I/O: `parse_jsonl` / `parse_csv` turn a file's text into reservations, or
raise `ReservationFileRefused` listing every bad line (by number and field, never a value);
`matches` / `choose` decide whether a reservation is the resident at the counter.

The match (docs/reservations.md): the resident's name (spaces and width folded) AND birth
date equal the reservation's applicant's, AND the office's date lies inside the reservation's
window (both ends included). Never the name alone. Two reservations that both match (same name,
same birth date, overlapping windows) are ambiguous: no match, the counter staff decide.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.errors import MadoguchiError

MAX_PROBLEMS = 50
CSV_COLUMNS = (
    "reservation_id",
    "name",
    "kana",
    "birth_date",
    "relation",
    "window_start",
    "window_end",
    "move_date",
    "old_address",
    "new_address",
)
APPLICANT_RELATION = "本人"


@dataclass(frozen=True)
class Member:
    name: str
    birth_date: dt.date
    relation: str
    kana: str = ""

    def __repr__(self) -> str:  # never personal data
        return f"Member(relation={self.relation!r})"


@dataclass(frozen=True)
class Reservation:
    """One reservation; `household[0]` is the applicant (続柄 本人)."""

    reservation_id: str
    household: tuple[Member, ...]
    window_start: dt.date
    window_end: dt.date
    move_date: dt.date
    old_address: str
    new_address: str
    line: int = field(default=0, compare=False)

    @property
    def applicant(self) -> Member:
        return self.household[0]

    def __repr__(self) -> str:  # never personal data
        return f"Reservation(id={self.reservation_id!r})"

    def as_dict(self) -> dict[str, Any]:
        """The stored (and JSON Lines) form."""
        return {
            "reservation_id": self.reservation_id,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "move_date": self.move_date.isoformat(),
            "old_address": self.old_address,
            "new_address": self.new_address,
            "household": [
                {
                    "name": m.name,
                    "kana": m.kana,
                    "birth_date": m.birth_date.isoformat(),
                    "relation": m.relation,
                }
                for m in self.household
            ],
        }


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


class ReservationFileRefused(MadoguchiError):
    """The whole file is refused; `problems` says which lines and fields (never a value)."""

    code = "reservation_file_refused"

    def __init__(self, problems: Sequence[Problem]) -> None:
        problems = list(dict.fromkeys(problems))
        shown = problems[:MAX_PROBLEMS]
        super().__init__(
            f"予約ファイルを取り込めません（{len(problems)}件の問題、何も取り込んでいません）",
            f"the reservation file is refused ({len(problems)} problem(s); nothing imported)",
        )
        self.problems = [str(p) for p in shown]


def fold_name(name: str) -> str:
    """A name as compared: NFKC (full/half width), every space removed, case folded."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(text.split()).casefold()


def matches(reservation: Reservation, name: str, birth_date: dt.date, today: dt.date) -> bool:
    """Name AND birth date AND today (the office's date) inside the window."""
    applicant = reservation.applicant
    return (
        bool(fold_name(name))
        and fold_name(applicant.name) == fold_name(name)
        and applicant.birth_date == birth_date
        and reservation.window_start <= today <= reservation.window_end
    )


def choose(
    reservations: Iterable[Reservation], name: str, birth_date: dt.date, today: dt.date
) -> Reservation | None:
    """The one reservation that matches, else None (none, or more than one: ambiguous)."""
    found = [r for r in reservations if matches(r, name, birth_date, today)]
    return found[0] if len(found) == 1 else None


# -- parsing ----------------------------------------------------------------------------------


class _Row:
    """Reads one row's fields, collecting problems instead of stopping at the first."""

    def __init__(self, data: dict[str, Any], line: int, problems: list[Problem]) -> None:
        self.data, self.line, self.problems = data, line, problems

    def text(self, key: str, *, required: bool = True, limit: int = 200) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(Problem(self.line, key, "missing"))
            return ""
        if not isinstance(value, str):
            self.problems.append(Problem(self.line, key, "not text"))
            return ""
        if len(value) > limit:
            self.problems.append(Problem(self.line, key, f"longer than {limit}"))
            return ""
        return value.strip()

    def date(self, key: str) -> dt.date:
        raw = self.text(key, limit=10)
        if not raw:
            return dt.date.min
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.problems.append(Problem(self.line, key, "not a date (YYYY-MM-DD)"))
            return dt.date.min


def _check(reservation: Reservation, problems: list[Problem]) -> None:
    line = reservation.line
    if reservation.window_start > reservation.window_end:
        problems.append(Problem(line, "window_end", "before window_start"))
    if reservation.applicant.relation != APPLICANT_RELATION:
        problems.append(Problem(line, "relation", f"the first person must be {APPLICANT_RELATION}"))


def _duplicates(reservations: list[Reservation], problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for r in reservations:
        if r.reservation_id in seen:
            problems.append(
                Problem(
                    r.line, "reservation_id", f"repeated (first on line {seen[r.reservation_id]})"
                )
            )
        else:
            seen[r.reservation_id] = r.line


def _member(row: _Row) -> Member:
    return Member(
        name=row.text("name"),
        kana=row.text("kana", required=False),
        birth_date=row.date("birth_date"),
        relation=row.text("relation", limit=20),
    )


def parse_jsonl(text: str) -> list[Reservation]:
    """JSON Lines: one reservation object per line (blank lines skipped)."""
    problems: list[Problem] = []
    out: list[Reservation] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            problems.append(Problem(number, "-", "not JSON"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(number, "-", "not an object"))
            continue
        row = _Row(data, number, problems)
        members_raw = data.get("household")
        members: list[Member] = []
        if not isinstance(members_raw, list) or not members_raw:
            problems.append(Problem(number, "household", "missing or empty"))
        else:
            for index, item in enumerate(members_raw):
                if not isinstance(item, dict):
                    problems.append(Problem(number, f"household[{index}]", "not an object"))
                    continue
                members.append(_member(_Row(item, number, problems)))
        before = len(problems)
        reservation = Reservation(
            reservation_id=row.text("reservation_id", limit=64),
            household=tuple(members),
            window_start=row.date("window_start"),
            window_end=row.date("window_end"),
            move_date=row.date("move_date"),
            old_address=row.text("old_address"),
            new_address=row.text("new_address"),
            line=number,
        )
        if members and len(problems) == before:
            _check(reservation, problems)
        out.append(reservation)
    _duplicates(out, problems)
    if problems:
        raise ReservationFileRefused(problems)
    return out


def parse_csv(text: str) -> list[Reservation]:
    """CSV with the header `CSV_COLUMNS`: one row per person; a reservation's rows are
    consecutive, the first (続柄 本人) carries the window, move date and addresses; a 本人 row
    always starts a reservation (so a repeated one is a duplicate)."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ReservationFileRefused([Problem(1, c, "column missing") for c in missing])
    groups: list[tuple[int, _Row, list[Member]]] = []
    for data in reader:
        line = reader.line_num
        if None in data or any(v is None for v in data.values()):
            problems.append(Problem(line, "-", "wrong number of columns"))
            continue
        row = _Row(dict(data), line, problems)
        rid = row.text("reservation_id", limit=64)
        member = _member(row)
        same = groups and rid == groups[-1][1].data.get("reservation_id", "").strip()
        if same and rid and member.relation != APPLICANT_RELATION:
            groups[-1][2].append(member)
        else:
            groups.append((line, row, [member]))
    out: list[Reservation] = []
    for line, row, members in groups:
        before = len(problems)
        reservation = Reservation(
            reservation_id=row.text("reservation_id", limit=64),
            household=tuple(members),
            window_start=row.date("window_start"),
            window_end=row.date("window_end"),
            move_date=row.date("move_date"),
            old_address=row.text("old_address"),
            new_address=row.text("new_address"),
            line=line,
        )
        if len(problems) == before:
            _check(reservation, problems)
        out.append(reservation)
    _duplicates(out, problems)
    if problems:
        raise ReservationFileRefused(sorted(problems, key=lambda p: p.line))
    return out


def parse(text: str, file_format: str) -> list[Reservation]:
    if file_format == "csv":
        return parse_csv(text)
    if file_format in ("json", "jsonl"):
        return parse_jsonl(text)
    raise ValueError(f"unknown reservation file format {file_format!r}")


def from_dict(data: dict[str, Any]) -> Reservation:
    """A stored reservation (`as_dict`) back."""
    return parse_jsonl(json.dumps(data, ensure_ascii=False))[0]
