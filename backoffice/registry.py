"""The template registry: the shipped templates plus every version an admin publishes.

Versions are immutable once stored, so a parsed `Template` is cached per (id, version) for the
life of the app; a miss reads the database, so a version published by another worker process
is found too.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from importlib import resources
from typing import cast

from sqlalchemy import String, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.errors import TemplateNotFound, TemplatePublishRefused
from backoffice.models import PublishedTemplate, utcnow
from forms.errors import TemplateError
from forms.template import Template, parse_template
from sync.protocol import INT32_MAX, TemplateInfo

BUILTIN_PUBLISHER = "builtin"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def builtin_templates() -> tuple[tuple[Template, str], ...]:
    """The shipped templates with their YAML text, parsed once per process (they are package
    data and do not change while it runs)."""
    folder = resources.files("forms") / "templates"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text("utf-8")
            out.append((parse_template(text, f"templates/{entry.name}"), text))
    return tuple(out)


class TemplateRegistry:
    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], Template] = {}
        self._lock = threading.Lock()

    def seed_builtin(
        self, session: Session, shipped: tuple[tuple[Template, str], ...] | None = None
    ) -> int:
        """Store every shipped template version the database does not hold yet.

        A stored version is never replaced: published versions are immutable.
        """
        added = 0
        for template, text in builtin_templates() if shipped is None else shipped:
            stored = session.scalar(
                select(PublishedTemplate.sha256).where(
                    PublishedTemplate.template_id == template.id,
                    PublishedTemplate.version == template.version,
                )
            )
            if stored is None:
                session.add(_row(template.id, template.version, text, BUILTIN_PUBLISHER))
                added += 1
            if stored is None or stored == sha256_text(text):
                with self._lock:
                    self._cache[(template.id, template.version)] = template
        return added

    def cached(self, template_id: str, version: int) -> Template | None:
        """The parsed template if this process has it already (no database access)."""
        with self._lock:
            return self._cache.get((template_id, version))

    def get(self, session: Session, template_id: str, version: int) -> Template:
        if not _storable(template_id, version):  # a signed QR may name any number
            raise TemplateNotFound(template_id, version)
        key = (template_id, version)
        cached = self.cached(template_id, version)
        if cached is not None:
            return cached
        text = self.yaml_text(session, template_id, version)
        template = parse_template(text, f"{template_id}@{version}")
        with self._lock:
            self._cache[key] = template
        return template

    def yaml_text(self, session: Session, template_id: str, version: int) -> str:
        if not _storable(template_id, version):
            raise TemplateNotFound(template_id, version)
        text = session.scalar(
            select(PublishedTemplate.yaml_text).where(
                PublishedTemplate.template_id == template_id,
                PublishedTemplate.version == version,
            )
        )
        if text is None:
            raise TemplateNotFound(template_id, version)
        return text

    def versions(self, session: Session, template_id: str) -> list[int]:
        return list(
            session.scalars(
                select(PublishedTemplate.version)
                .where(PublishedTemplate.template_id == template_id)
                .order_by(PublishedTemplate.version)
            )
        )

    def infos(self, session: Session) -> list[TemplateInfo]:
        rows = session.execute(
            select(
                PublishedTemplate.template_id,
                PublishedTemplate.version,
                PublishedTemplate.sha256,
                PublishedTemplate.published_at,
            ).order_by(PublishedTemplate.template_id, PublishedTemplate.version)
        )
        return [TemplateInfo(id=r[0], version=r[1], sha256=r[2], published_at=r[3]) for r in rows]

    def publish(self, session: Session, text: str, actor: str) -> TemplateInfo:
        """Validate and store a new version; every problem is reported at once."""
        try:
            template = parse_template(text, "upload")
        except TemplateError as exc:
            raise TemplatePublishRefused(exc.problems) from None
        if not _storable(template.id, template.version):
            raise TemplatePublishRefused(
                [
                    f"id/version: id は{_ID_LENGTH}字まで、版は {INT32_MAX} まで / "
                    f"the id takes at most {_ID_LENGTH} characters and the version at most "
                    f"{INT32_MAX}"
                ]
            )
        newest = session.scalar(
            select(func.max(PublishedTemplate.version)).where(
                PublishedTemplate.template_id == template.id
            )
        )
        if newest is not None and template.version <= newest:
            raise TemplatePublishRefused(
                [
                    f"version: 版 {template.version} は公開済みの最新版 {newest} 以下です / "
                    f"version {template.version} is not newer than the published {newest}"
                ]
            )
        row = _row(template.id, template.version, text, actor)
        session.add(row)
        try:
            session.flush()
        except IntegrityError:
            raise TemplatePublishRefused(
                [f"version: 版 {template.version} は公開済みです / already published"]
            ) from None
        return TemplateInfo(
            id=row.template_id,
            version=row.version,
            sha256=row.sha256,
            published_at=row.published_at,
        )


# The column is a String(n) (SQLAlchemy types a column's type as any TypeEngine).
_ID_LENGTH = cast(String, PublishedTemplate.__table__.c.template_id.type).length or 0


def _storable(template_id: str, version: int) -> bool:
    """Whether the columns can hold this id and version (else the database would refuse)."""
    return len(template_id) <= _ID_LENGTH and 1 <= version <= INT32_MAX


def _row(template_id: str, version: int, text: str, actor: str) -> PublishedTemplate:
    return PublishedTemplate(
        template_id=template_id,
        version=version,
        yaml_text=text,
        sha256=sha256_text(text),
        published_at=utcnow(),
        published_by=actor,
    )
