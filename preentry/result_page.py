"""The QR page: the record encrypted for the counter (`forms.payload`), as an inline SVG, with
a last summary of the answers. Its language switch posts the sealed state again."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from forms.era import to_japanese
from forms.procedure import Procedure
from forms.template import Template
from preentry.errors import NothingChosen, QrTooLarge
from preentry.i18n import Msg, Page
from preentry.posts import Post
from preentry.rendering import inline_svg
from preentry.sealed import StateRefused
from preentry.submission import summary

if TYPE_CHECKING:
    from preentry.app import Site

log = logging.getLogger("preentry")


@dataclass
class ResultPage:
    """The QR page of one procedure, and its language switch."""

    site: Site

    def page(
        self,
        request: Request,
        page: Page,
        procedure: Procedure,
        templates: Sequence[Template],
        record: Any,
        *,
        state: dict[str, Any],
    ) -> HTMLResponse:
        from forms.payload import encode_payload, qr_image
        from forms.payload.errors import PayloadTooLong

        if not templates:  # every form taken off (a crafted post): no QR code of nothing
            raise NothingChosen()
        settings = self.site.settings
        issued = settings.clock.now()
        try:
            digits = encode_payload(
                record,
                [(t.id, t.version) for t in templates],
                signing_key=settings.signing_key,
                counter_public_key=settings.counter_public_key,
                issued_at=issued,
                ttl=settings.payload_ttl,
            )
        except PayloadTooLong:
            raise QrTooLarge() from None
        svg = qr_image(digits, svg=True)
        expires = settings.clock.date_of(issued + settings.payload_ttl)
        log.info(
            "QR issued: %s, %d person(s), %d digits",
            ",".join(t.key for t in templates),
            len(record.persons),
            len(digits),
        )
        japanese_date = page.lang == "ja"
        return self.site.renderer.form_page(
            request,
            "result.html",
            page,
            procedure,
            state,
            switch_form="again",
            templates=templates,
            qr=inline_svg(svg, page.plain(Msg("result.qr_label"))),
            digit_count=len(digits),
            expires=to_japanese(expires, western=True) if japanese_date else expires.isoformat(),
            expires_lang="ja" if japanese_date else page.code,
            expires_iso=expires.isoformat(),
            summary=summary(templates, record),
        )

    def again(self, request: Request, post: Post) -> Response:
        """The QR page's language switch (or a reload): the same QR page."""
        procedure, state = post.procedure, post.state
        templates, _, result, _ = self.site.entered(procedure, state)
        if not result.ok:
            raise StateRefused()
        return self.page(request, post.page, procedure, templates, result.record, state=state)
