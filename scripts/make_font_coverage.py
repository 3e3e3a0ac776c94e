"""Write forms/data/font_coverage.json from the fonts printing embeds (run after a font update).

    .venv/bin/python scripts/make_font_coverage.py

tests/printing/test_print_font_coverage.py fails when the file and the fonts disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

from forms.printable import COVERAGE_FILE, encode_coverage
from printing.font_coverage import font_coverage

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    code_points, fonts = font_coverage()
    out = ROOT / "forms" / "data" / COVERAGE_FILE
    out.write_text(json.dumps(encode_coverage(code_points, fonts), indent=1) + "\n", "utf-8")
    print(f"{out}: {len(code_points)} code points")  # noqa: T201


if __name__ == "__main__":
    main()
