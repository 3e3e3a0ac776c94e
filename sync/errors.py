"""One error hierarchy for everything said to the back office, by any role.

    OfficeError                      base: `status` (HTTP, if any) and `server_code`
    ├── ServerUnavailable            transient: no connection, timeout, 502-504, 408/425/429
    │   ├── ServerFailed             another 5xx: about this request, perhaps one record of it
    │   └── UntrustedServer          TLS: the certificate is not the office CA's, expired, or
    │                                for another name (nothing was sent)
    ├── AccessRefused                401/403: a terminal token or a person's session refused
    │   ├── NotAuthenticated         401: not signed in, wrong password, expired, revoked
    │   └── Forbidden                403: this role may not (the back office decides)
    ├── Refused                      any other 4xx; `problems` lists every reason
    │   ├── BatchTooLarge            413
    │   └── RecordsRefused           422 from ingest naming the records at fault
    ├── ProtocolViolation            a 2xx whose body is not what the API promises
    ├── InsecureServerUrl            plain http:// to another machine
    ├── TokenFileError               the terminal's token file is missing or malformed
    └── CaFileError                  the office CA file is missing or not a certificate

The sync worker tells "try again later" (ServerUnavailable) from "stop and tell someone" (the
rest); the reception terminal and the editor show the back office's own Japanese/English
message, which `Refused` and `AccessRefused` carry.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from forms.errors import MadoguchiError

if TYPE_CHECKING:
    from sync.protocol import IngestRefusal


class OfficeError(MadoguchiError):
    code = "office"

    def __init__(
        self, ja: str, en: str, *, status: int | None = None, server_code: str = ""
    ) -> None:
        super().__init__(ja, en)
        self.status = status
        self.server_code = server_code


class ServerUnavailable(OfficeError):
    code = "server_unavailable"

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(
            f"窓口サーバーに接続できません（{reason}）",
            f"the back office is unavailable ({reason})",
            status=status,
        )
        self.reason = reason


class ServerFailed(ServerUnavailable):
    """A 5xx that is not about availability (500, 501, 505…): the server failed on this
    request, perhaps on one record of it. The sync worker splits the batch to find out."""

    code = "server_failed"

    def __init__(self, status: int) -> None:
        OfficeError.__init__(
            self,
            f"窓口サーバーで処理エラーが発生しました（HTTP {status}）",
            f"the back office failed on the request (HTTP {status})",
            status=status,
        )
        self.reason = f"HTTP {status}"


class UntrustedServer(ServerUnavailable):
    """The TLS handshake failed verification: not the office's server, as far as we can tell.

    Retried like any connection failure (a certificate may be fixed), but said plainly."""

    code = "untrusted_server"

    def __init__(self, reason: str) -> None:
        OfficeError.__init__(
            self,
            f"窓口サーバーの証明書を信頼できません（{reason}）。登録時の認証局と一致しません",
            f"the back office's certificate is not trusted ({reason}): not the enrolled office CA's",
        )
        self.reason = reason


class AccessRefused(OfficeError):
    code = "access_refused"


class NotAuthenticated(AccessRefused):
    code = "not_authenticated"


class Forbidden(AccessRefused):
    code = "forbidden"


class Refused(OfficeError):
    code = "refused"

    def __init__(
        self,
        ja: str,
        en: str,
        *,
        status: int,
        server_code: str = "",
        problems: list[str] | None = None,
    ) -> None:
        super().__init__(ja, en, status=status, server_code=server_code)
        self.problems = problems or []
        self.body = b""  # the error body (codes and field names, no personal data)


class BatchTooLarge(Refused):
    code = "batch_too_large"

    def __init__(self) -> None:
        super().__init__(
            "送信単位が大きすぎます", "the batch is too large for the server", status=413
        )


class RecordsRefused(Refused):
    """A 422 from ingest naming the records at fault (`IngestRefusal`): nothing was stored;
    those records are set aside and the rest resent."""

    code = "records_refused"

    def __init__(self, refusal: IngestRefusal) -> None:
        super().__init__(
            f"窓口サーバーが一部の記録を受け付けません（HTTP 422 {refusal.code}）",
            f"the back office refused some records (HTTP 422 {refusal.code})",
            status=422,
            server_code=refusal.code,
        )
        self.refusal = refusal


class ProtocolViolation(OfficeError):
    code = "protocol_violation"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"窓口サーバーの応答が不正です（{reason}）",
            f"the back office answered something invalid ({reason})",
        )
        self.reason = reason


class InsecureServerUrl(OfficeError):
    """Plain http:// to another machine: tokens and passwords would travel unencrypted."""

    code = "insecure_server_url"

    def __init__(self, host: str) -> None:
        super().__init__(
            f"暗号化されない http:// はこの端末自身（127.0.0.1・::1・localhost）にだけ使えます。"
            f"{host} には https:// を使ってください",
            f"plain http:// is only allowed to this machine (127.0.0.1, ::1, localhost); "
            f"use https:// for {host}",
        )
        self.host = host


class BadServerUrl(OfficeError):
    code = "bad_server_url"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} は http:// か https:// で始まる URL です",
            f"{name} must be an http:// or https:// URL with a host",
        )


class TokenFileError(OfficeError):
    code = "token_file"

    def __init__(self, path: Path | str, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"端末トークン {path} を使えません（{reason_ja}）",
            f"terminal token file {path} is not usable ({reason_en})",
        )


class CaFileError(OfficeError):
    code = "ca_file"

    def __init__(self, path: Path | str, ja_reason: str, en_reason: str) -> None:
        super().__init__(
            f"認証局の証明書 {path} が{ja_reason}", f"the office CA file {path} is {en_reason}"
        )
