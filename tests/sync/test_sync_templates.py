"""Pulling published templates into the cache, and working from the cache offline."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json

import httpx
import pytest

from forms.catalog import Catalog
from forms.template import dump_template
from sync.client import OfficeClient
from sync.templates import TemplateCache


@functools.cache
def _builtin() -> Catalog:
    return Catalog.builtin()


def _published(template_id: str, version: int, text: str | None = None) -> tuple[dict, str]:
    if text is None:
        base = _builtin().get(template_id)
        text = dump_template(base.model_copy(update={"version": version}))
    info = {
        "id": template_id,
        "version": version,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "published_at": dt.datetime(2025, 6, 1, tzinfo=dt.UTC).isoformat(),
    }
    return info, text


class FakeRegistry:
    def __init__(self, entries: list[tuple[dict, str]]) -> None:
        self.entries = entries
        self.offline = False
        self.fetches: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            raise httpx.ConnectError("down")
        if request.url.path == "/api/v1/templates":
            return httpx.Response(200, json=[info for info, _ in self.entries])
        self.fetches.append(request.url.path)
        for info, text in self.entries:
            if request.url.path == f"/api/v1/templates/{info['id']}/{info['version']}":
                return httpx.Response(
                    200, content=text.encode(), headers={"content-type": "text/yaml"}
                )
        return httpx.Response(404)


def _client(registry: FakeRegistry) -> OfficeClient:
    return OfficeClient(
        "https://office.test", "tok", transport=httpx.MockTransport(registry.handler)
    )


@pytest.fixture
def every_template() -> list[str]:
    return [t.id for t in _builtin().latest()]


def test_pulls_new_versions_of_every_shipped_template(tmp_path, every_template):
    registry = FakeRegistry([_published(t, 41) for t in every_template])
    cache = TemplateCache(tmp_path / "cache")
    report = cache.pull(_client(registry))
    assert sorted(report.fetched) == sorted(f"{t} v41" for t in every_template)
    catalog = cache.catalog()
    for t in every_template:
        assert catalog.get(t).version == 41
        assert 41 in catalog.versions(t) and len(catalog.versions(t)) >= 2  # shipped one kept
    # Second pull: nothing downloaded again.
    again = cache.pull(_client(registry))
    assert again.fetched == [] and again.unchanged == len(every_template)
    assert len(registry.fetches) == len(every_template)


def test_offline_keeps_using_the_cache(tmp_path):
    registry = FakeRegistry([_published("juminhyo", 5)])
    cache = TemplateCache(tmp_path / "cache")
    cache.pull(_client(registry))
    registry.offline = True
    report = cache.pull(_client(registry))
    assert report.offline and report.fetched == []
    assert cache.catalog().get("juminhyo").version == 5


def test_a_changed_published_file_is_fetched_again(tmp_path):
    info, text = _published("juminhyo", 5)
    registry = FakeRegistry([(info, text)])
    cache = TemplateCache(tmp_path / "cache")
    cache.pull(_client(registry))
    cache.path_of("juminhyo", 5).write_text("corrupted", encoding="utf-8")
    assert cache.pull(_client(registry)).fetched == ["juminhyo v5"]
    assert cache.path_of("juminhyo", 5).read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("make_entry", "reason"),
    [
        (
            lambda: (
                {**_published("juminhyo", 6)[0], "sha256": "0" * 64},
                _published("juminhyo", 6)[1],
            ),
            "sha256 mismatch",
        ),
        (lambda: _published("juminhyo", 6, "id: juminhyo\nversion: [broken"), "invalid template"),
        (lambda: _published("juminhyo", 6, "id: juminhyo\nversion: 6\n"), "invalid template"),
        (
            lambda: (
                _published("juminhyo", 6)[0],
                _published("juminhyo", 6)[1] + "# changed in transit\n",
            ),
            "sha256 mismatch",
        ),
        (
            lambda: _fix_sha(
                {**_published("juminhyo", 7)[0], "version": 6}, _published("juminhyo", 7)[1]
            ),
            "differs from the list",
        ),
        (lambda: ({**_published("juminhyo", 6)[0], "id": "../evil"}, "x"), "bad id"),
    ],
)
def test_bad_templates_are_refused_and_never_cached(tmp_path, make_entry, reason):
    info, text = make_entry()
    registry = FakeRegistry([(info, text)])
    cache = TemplateCache(tmp_path / "cache")
    report = cache.pull(_client(registry))
    assert report.fetched == []
    assert len(report.refused) == 1 and reason in report.refused[0]
    assert list((tmp_path / "cache").glob("*")) == []
    assert cache.catalog().get("juminhyo").version == _builtin().get("juminhyo").version


def _fix_sha(info: dict, text: str) -> tuple[dict, str]:
    return {**info, "sha256": hashlib.sha256(text.encode()).hexdigest()}, text


def test_malformed_list_is_reported_as_offline(tmp_path):
    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps([{"id": "x"}]).encode())

    client = OfficeClient("https://office.test", "tok", transport=httpx.MockTransport(handler))
    report = TemplateCache(tmp_path / "c").pull(client)
    assert report.offline and report.fetched == []
