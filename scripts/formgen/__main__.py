"""Write the generated templates: `python -m formgen [--check] [ID …]` (run from scripts/).

Refuses to overwrite a template whose file differs from what it would write unless `--force`:
once an admin has edited a YAML in the template editor, that file is the source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from formgen.layout import to_yaml
from formgen.life_event_forms import CLOSED_SET_FIELDS, all_templates

from forms.template import parse_template

ROOT = Path(__file__).resolve().parents[2]
HEADER = "# Drawn with scripts/formgen (first version); edit this file from now on.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="formgen")
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--closed-sets", action="store_true", help="list closed-set fields")
    args = parser.parse_args(argv)
    templates = all_templates()
    if args.closed_sets:
        for template_id, ref, closed_set in CLOSED_SET_FIELDS:
            sys.stdout.write(f"{template_id}\t{ref}\t{closed_set}\n")
        return 0
    failed = False
    for template_id, data in templates.items():
        if args.ids and template_id not in args.ids:
            continue
        text = to_yaml(data, HEADER)
        parse_template(text, template_id)  # refuses what the loader would refuse
        path = ROOT / "forms" / "templates" / f"{template_id}.yaml"
        if path.exists() and path.read_text("utf-8") != text and not args.force:
            sys.stderr.write(f"{path.name}: differs (use --force)\n")
            failed = True
            continue
        path.write_text(text, "utf-8")
        sys.stdout.write(f"{path.name}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
