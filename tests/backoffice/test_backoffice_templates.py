"""Template list and download for kiosks, and publishing by admins with every error shown."""

from __future__ import annotations

import hashlib

import yaml
from backoffice_factory import catalog, sample_for, sealed_record, template_keys

from forms.template import dump_template, parse_template

API = "/api/v1"


def publish(office, text: str, who: str = "admin", media: str = "text/yaml"):  # type: ignore[no-untyped-def]
    return office.client.post(
        f"{API}/templates",
        content=text.encode("utf-8"),
        headers={**office.auth(who), "Content-Type": media},
    )


def next_version(template_id: str = "juminhyo") -> tuple[str, dict]:
    data = yaml.safe_load(dump_template(catalog().get(template_id)))
    data["version"] += 1
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), data


def test_kiosk_lists_every_shipped_template_and_downloads_it(office) -> None:
    infos = office.client.get(f"{API}/templates", headers=office.auth("kiosk")).json()
    assert {(i["id"], i["version"]) for i in infos} == set(template_keys())
    for info in infos:
        answer = office.client.get(
            f"{API}/templates/{info['id']}/{info['version']}", headers=office.auth("kiosk")
        )
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/yaml")
        assert hashlib.sha256(answer.content).hexdigest() == info["sha256"]
        assert parse_template(answer.text) == catalog().get(info["id"], info["version"])
    missing = office.client.get(f"{API}/templates/juminhyo/99", headers=office.auth("kiosk"))
    assert missing.status_code == 404 and missing.json()["code"] == "template_not_found"


def test_publish_a_new_version_and_ingest_with_it(office) -> None:
    text, data = next_version()
    answer = publish(office, text)
    assert answer.status_code == 201, answer.text
    info = answer.json()
    assert (info["id"], info["version"]) == ("juminhyo", data["version"])
    assert info["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    listed = office.client.get(f"{API}/templates", headers=office.auth("kiosk")).json()
    assert any(i["version"] == data["version"] and i["id"] == "juminhyo" for i in listed)
    record = sealed_record(
        office.public_key, "juminhyo", data["version"], sample_for("juminhyo", 1)
    )
    assert office.ingest([record]).json()["results"][0]["status"] == "accepted"
    again = publish(office, text)
    assert again.status_code == 422
    assert "version" in again.json()["problems"][0]


def test_publish_reports_every_problem(office) -> None:
    _, data = next_version()
    data["fields"][0]["type"] = "hologram"
    data["fields"].append(dict(data["fields"][1]))  # duplicate field id
    data["layout"]["pages"][0]["boxes"][0]["x"] = 500  # off the page
    data["export"].append({"column": "x", "field": "nothing_here"})
    answer = publish(office, yaml.safe_dump(data, allow_unicode=True))
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "template_invalid" and body["ja"] and body["en"]
    problems = "\n".join(body["problems"])
    assert len(body["problems"]) >= 4, problems
    for needle in ("hologram", "duplicate field id", "off the page", "nothing_here"):
        assert needle in problems, needle


def test_publish_refusals(office) -> None:
    text, data = next_version()
    assert publish(office, "id: [unclosed").json()["problems"][0].startswith("YAML")
    assert publish(office, "- a list").status_code == 422
    stale = dict(data, version=1)
    old = publish(office, yaml.safe_dump(stale, allow_unicode=True))
    assert old.status_code == 422 and "version" in old.json()["problems"][0]
    wrong_type = publish(office, text, media="application/json")
    assert wrong_type.status_code == 415 and wrong_type.json()["code"] == "unsupported_media_type"
    not_utf8 = office.client.post(
        f"{API}/templates",
        content="id: 様式".encode("shift_jis"),
        headers={**office.auth("admin"), "Content-Type": "text/yaml"},
    )
    assert not_utf8.status_code == 415
    listed = office.client.get(f"{API}/templates", headers=office.auth("admin")).json()
    assert {(i["id"], i["version"]) for i in listed} == set(template_keys())  # nothing published
