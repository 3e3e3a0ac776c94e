"""The admin's session with the back office, on top of the one client (`sync.client`).

Signing in checks the role the back office reports: the editor opens for admins only. That is
a courtesy (a clear message early); the back office refuses a staff token on publishing
anyway (403), and the editor shows that refusal as it comes.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.catalog import Catalog
from forms.errors import MadoguchiError, TemplateError
from forms.template import Template, parse_template
from sync.client import OfficeClient, SignedIn
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


@dataclass(frozen=True)
class TemplateVersions:
    """One template id and every version the back office holds, oldest first."""

    id: str
    versions: list[TemplateInfo]

    @property
    def latest(self) -> int:
        return self.versions[-1].version


class AdminApi(OfficeClient):
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
                self.template_bytes(template_id, version).decode("utf-8"),
                f"{template_id}@{version}",
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
