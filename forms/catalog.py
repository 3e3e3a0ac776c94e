"""The catalogue of templates (every version) and life-event bundles.

The shipped templates live in `forms/templates/*.yaml` and bundles in `forms/bundles/*.yaml`.
Published versions from the back office are added with `Catalog.add`; records made with an
older version keep rendering with it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from forms.bundle import Bundle, parse_bundle
from forms.errors import TemplateError, UnknownTemplate
from forms.template import Template, parse_template


class Catalog:
    def __init__(self) -> None:
        self._templates: dict[str, dict[int, Template]] = {}
        self._bundles: dict[str, Bundle] = {}
        self._pending: Callable[[Catalog], None] | None = None  # lazy: loads on first use
        self._done = True  # nothing deferred
        self._loading = False
        self._lock = threading.RLock()

    def _ready(self) -> None:
        """Load what a lazy catalogue deferred: once, by whichever thread asks first; the
        others wait for it (the loading thread's own lookups go through)."""
        if self._done:
            return
        with self._lock:
            if self._done or self._loading:
                return
            self._loading = True
            try:
                if self._pending is not None:
                    self._pending(self)
            finally:
                self._pending = None
                self._loading = False
                self._done = True

    def load(self) -> Catalog:
        """Load now (a lazy catalogue warmed off the GUI thread); returns itself."""
        self._ready()
        return self

    @classmethod
    def builtin(cls, *, lazy: bool = False) -> Catalog:
        """The templates and bundles shipped with Madoguchi. `lazy`: parsed when first used
        (the kiosk's welcome screen shows before its ~50 ms of parsing)."""
        catalog = cls()
        if lazy:
            catalog._pending = _load_builtin
            catalog._done = False
            return catalog
        _load_builtin(catalog)
        return catalog

    @classmethod
    def from_directory(cls, path: str | Path) -> Catalog:
        """Templates (`*.yaml` with a `layout:`) and bundles from one folder, e.g. a sync cache."""
        catalog = cls()
        for file in sorted(Path(path).glob("*.yaml")):
            text = file.read_text("utf-8")
            if "\nlayout:" in text or text.startswith("layout:"):
                catalog.add(parse_template(text, str(file)))
            else:
                catalog.add_bundle(parse_bundle(text, str(file)))
        return catalog

    @classmethod
    def installed(cls, cache: str | Path | None) -> Catalog:
        """The shipped templates plus every published version cached in `cache` (the sync
        worker's folder); a cached version replaces a shipped one of the same number."""
        catalog = cls.builtin()
        if cache is None or not Path(cache).is_dir():
            return catalog
        cached = cls.from_directory(cache)
        for newest in cached.latest():
            for version in cached.versions(newest.id):
                catalog.add(cached.get(newest.id, version))
        return catalog

    def add(self, template: Template) -> None:
        self._templates.setdefault(template.id, {})[template.version] = template

    def add_bundle(self, bundle: Bundle) -> None:
        missing = [t for t in (*bundle.templates, *bundle.optional) if t not in self._templates]
        if missing:
            raise TemplateError(
                f"bundle {bundle.id}",
                [f"様式 {m} がありません / unknown template {m}" for m in missing],
            )
        if bundle.fixed:
            from forms.guide import apply_fixed
            from forms.record import SessionRecord

            templates = [self.get(t) for t in (*bundle.templates, *bundle.optional)]
            try:
                apply_fixed(SessionRecord(), templates, bundle.fixed)
            except ValueError as exc:
                raise TemplateError(f"bundle {bundle.id}", [f"fixed: {exc}"]) from None
        self._bundles[bundle.id] = bundle

    def get(self, template_id: str, version: int | None = None) -> Template:
        """The given version, or the newest one."""
        self._ready()
        versions = self._templates.get(template_id)
        if not versions:
            raise UnknownTemplate(template_id, version)
        if version is None:
            return versions[max(versions)]
        if version not in versions:
            raise UnknownTemplate(template_id, version)
        return versions[version]

    def versions(self, template_id: str) -> list[int]:
        self._ready()
        return sorted(self._templates.get(template_id, {}))

    def latest(self) -> list[Template]:
        """The newest version of every template, by id."""
        self._ready()
        return [self.get(t) for t in sorted(self._templates)]

    def bundle(self, bundle_id: str) -> Bundle:
        self._ready()
        try:
            return self._bundles[bundle_id]
        except KeyError:
            raise UnknownTemplate(bundle_id) from None

    def bundles(self) -> list[Bundle]:
        self._ready()
        return [self._bundles[b] for b in sorted(self._bundles)]


def _load_builtin(catalog: Catalog) -> None:
    root = resources.files("forms")
    for entry in sorted(root.joinpath("templates").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            catalog.add(
                _parse_shipped_template(entry.read_text("utf-8"), f"templates/{entry.name}")
            )
    for entry in sorted(root.joinpath("bundles").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            catalog.add_bundle(
                _parse_shipped_bundle(entry.read_text("utf-8"), f"bundles/{entry.name}")
            )


# A process that builds several built-in catalogues (the demo's kiosk and embedded back office,
# a test run) parses each shipped file once: YAML is ~80 % of a catalogue's ~0.5 s. Keyed by the
# file's text, so an edited file is parsed again. Catalogues share the parsed templates, as the
# back office's `registry.builtin_templates()` does: a template is a value nobody changes in
# place (a caller that wants to, edits a `model_copy(deep=True)`); each catalogue has its own
# dictionaries, so `add` on one leaves the others alone.
@functools.lru_cache(maxsize=256)
def _parse_shipped_template(text: str, source: str) -> Template:
    return parse_template(text, source)


@functools.lru_cache(maxsize=64)
def _parse_shipped_bundle(text: str, source: str) -> Bundle:
    return parse_bundle(text, source)
