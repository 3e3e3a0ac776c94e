"""Published template versions, pulled from the back office into a cache folder.

The cache is a plain folder of `<id>-v<version>.yaml` files that
`forms.catalog.Catalog.from_directory` reads; the kiosk keeps using it when the back office is
unreachable. A downloaded file is written only after its sha256 matches the list's and it
parses as the template it claims to be, and it is written atomically (temp file, fsync,
rename), so a cut connection or a kill never leaves half a template behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from forms.catalog import Catalog
from forms.errors import TemplateError
from forms.private_files import make_dirs
from forms.template import parse_template
from sync.client import OfficeClient
from sync.errors import OfficeError
from sync.protocol import TemplateInfo

log = logging.getLogger(__name__)


@dataclass
class TemplatePullReport:
    fetched: list[str] = field(default_factory=list)  # "id v3"
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)  # "id v3: reason"
    offline: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "fetched": self.fetched,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "offline": self.offline,
        }


class TemplateCache:
    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"TemplateCache({self.folder})"

    def path_of(self, template_id: str, version: int) -> Path:
        return self.folder / f"{template_id}-v{version}.yaml"

    def pull(self, client: OfficeClient) -> TemplatePullReport:
        """Fetch every published version missing from the cache or changed; never raises."""
        report = TemplatePullReport()
        try:
            published = client.templates()
        except OfficeError as exc:
            report.offline = True
            log.info("templates: list not available, using the cache (%s)", exc.en)
            return report
        make_dirs(self.folder)  # 0700: it often creates the kiosk's data folder
        for info in published:
            what = f"{info.id} v{info.version}"
            if not _safe_id(info.id):
                report.refused.append(f"{what}: bad id")
                continue
            target = self.path_of(info.id, info.version)
            if target.exists() and _sha256(target.read_bytes()) == info.sha256:
                report.unchanged += 1
                continue
            try:
                data = client.template_bytes(info.id, info.version)
            except OfficeError as exc:
                report.offline = True
                log.info("templates: %s not fetched (%s)", what, exc.en)
                return report
            problem = _check(info, data)
            if problem:
                report.refused.append(f"{what}: {problem}")
                log.warning("templates: %s refused: %s", what, problem)
                continue
            _write_atomically(target, data)
            report.fetched.append(what)
            log.info("templates: %s cached", what)
        return report

    def catalog(self) -> Catalog:
        """The shipped templates plus every cached published version (the cache wins)."""
        return Catalog.installed(self.folder)


def _safe_id(template_id: str) -> bool:
    return (
        template_id.isascii()
        and template_id.replace("_", "").isalnum()
        and template_id[:1].isalpha()
    )


def _check(info: TemplateInfo, data: bytes) -> str:
    if _sha256(data) != info.sha256:
        return "sha256 mismatch"
    try:
        template = parse_template(data.decode("utf-8"), f"{info.id} v{info.version}")
    except UnicodeDecodeError:
        return "not UTF-8"
    except TemplateError as exc:
        return f"invalid template ({len(exc.problems)} problem(s))"
    if (template.id, template.version) != (info.id, info.version):
        return "id or version differs from the list"
    return ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
