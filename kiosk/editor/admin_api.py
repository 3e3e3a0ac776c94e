"""The admin's calls to the back office, on top of the people's client (`kiosk.office_api`).

Signing in checks the role the back office reports: the editor opens for admins only. That is
a courtesy (a clear message early); the back office refuses a staff token on publishing
anyway (403), and the editor shows that refusal as it comes.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from forms.catalog import Catalog
from forms.errors import MadoguchiError, TemplateError
from forms.template import Template, parse_template
from kiosk.office_api import OfficeApi, SignedIn
from sync.protocol import TemplateInfo

ADMIN_ROLE = "admin"


class NotAnAdmin(MadoguchiError):
    code = "editor_not_admin"

    def __init__(self, role: str) -> None:
        super().__init__(
            f"様式エディタは管理者だけが使えます（この利用者の権限: {role}）",
            f"the template editor is for admins only (this account's role: {role})",
        )
        self.role = role


class PublishedTemplateUnreadable(MadoguchiError):
    code = "editor_published_unreadable"

    def __init__(self, key: str, problems: int) -> None:
        super().__init__(
            f"公開済みの様式 {key} を読み込めません（{problems}件の問題）",
            f"the published template {key} does not load ({problems} problem(s))",
        )


class BadServerAddress(MadoguchiError):
    code = "editor_bad_server_address"

    def __init__(self) -> None:
        super().__init__(
            "窓口サーバーのアドレスが正しくありません（http:// または https:// で始めてください）",
            "the back office address is not valid (it starts with http:// or https://)",
        )


def check_server_url(url: str) -> str:
    """The address without trailing slashes, or BadServerAddress."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError):
        raise BadServerAddress() from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadServerAddress()
    return str(parsed).rstrip("/")


@dataclass(frozen=True)
class TemplateVersions:
    """One template id and every version the back office holds, oldest first."""

    id: str
    versions: list[TemplateInfo]

    @property
    def latest(self) -> int:
        return self.versions[-1].version


class AdminApi(OfficeApi):
    def sign_in_admin(self, username: str, password: str) -> SignedIn:
        """Log in and insist on the admin role (logging out again otherwise)."""
        who = self.login(username, password)
        if who.role != ADMIN_ROLE:
            self.logout()
            raise NotAnAdmin(who.role)
        return who

    def template_versions(self) -> list[TemplateVersions]:
        by_id: dict[str, list[TemplateInfo]] = {}
        for info in self.templates():
            by_id.setdefault(info.id, []).append(info)
        return [
            TemplateVersions(template_id, sorted(infos, key=lambda i: i.version))
            for template_id, infos in sorted(by_id.items())
        ]

    def template(self, template_id: str, version: int) -> Template:
        """One published version, parsed (it stays readable however old it is)."""
        try:
            return parse_template(
                self.template_yaml(template_id, version), f"{template_id}@{version}"
            )
        except TemplateError as exc:
            raise PublishedTemplateUnreadable(
                f"{template_id}@{version}", len(exc.problems)
            ) from None

    def latest_catalog(self) -> Catalog:
        """The newest published version of every template (for a signed bundle)."""
        catalog = Catalog()
        for entry in self.template_versions():
            catalog.add(self.template(entry.id, entry.latest))
        return catalog

    def publish(self, yaml_text: str) -> TemplateInfo:
        """POST a new version. A refusal is `kiosk.office_api.Refused` with every problem in
        `.problems` (422), or `Forbidden` (403) for anyone but an admin."""
        body = self._request(
            "POST",
            "/templates",
            content=yaml_text.encode("utf-8"),
            headers={"Content-Type": "text/yaml; charset=utf-8"},
        )
        return self._parse(TemplateInfo, body, "publish")
