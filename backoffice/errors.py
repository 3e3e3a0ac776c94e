"""The back office's typed errors: each carries its HTTP status and a Japanese/English message.

Messages name ids (receipt numbers, template ids, account names), never personal data. The API
turns every one into a JSON body `{code, ja, en}` (plus `problems` where there are several).
"""

from __future__ import annotations

import math

from forms.errors import MadoguchiError


class BackofficeError(MadoguchiError):
    code = "backoffice_error"
    http_status = 400
    exit_code = 1

    def body(self) -> dict[str, object]:
        return {"code": self.code, "ja": self.ja, "en": self.en}


class NotAuthenticated(BackofficeError):
    code = "not_authenticated"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "認証が必要です（Authorization: Bearer …）",
            "authentication required (Authorization: Bearer …)",
        )


class BadCredentials(BackofficeError):
    code = "bad_credentials"
    http_status = 401

    def __init__(self) -> None:
        super().__init__("認証情報が正しくありません", "the credentials are not valid")


class TerminalRevoked(BackofficeError):
    code = "terminal_revoked"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "この端末の認証情報は失効しています", "this terminal's credential has been revoked"
        )


class SessionExpired(BackofficeError):
    code = "session_expired"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "ログインの有効期限が切れました。もう一度ログインしてください",
            "the login session has expired; log in again",
        )


class CredentialPending(BackofficeError):
    code = "credential_pending"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "この認証情報は有効化待ちです（別の管理者による有効化が必要）",
            "this credential is pending: another admin must activate it",
        )


class SecondPersonRequired(BackofficeError):
    code = "second_person_required"
    http_status = 403

    def __init__(self) -> None:
        super().__init__(
            "作成した本人は有効化できません。別の管理者か、サーバーのコマンドで有効化してください",
            "the creator cannot activate it: another admin, or the server's command line, must",
        )


class Forbidden(BackofficeError):
    code = "forbidden"
    http_status = 403

    def __init__(self, role: str, allowed: list[str]) -> None:
        need = ", ".join(allowed)
        super().__init__(
            f"この操作の権限がありません（{role} 権限では不可。必要: {need}）",
            f"not allowed for role {role} (needs: {need})",
        )


class ApplicationNotFound(BackofficeError):
    code = "application_not_found"
    http_status = 404

    def __init__(self, receipt_number: str) -> None:
        super().__init__(
            f"受付番号 {receipt_number} の申請はありません",
            f"no application with receipt number {receipt_number}",
        )


class TemplateNotFound(BackofficeError):
    code = "template_not_found"
    http_status = 404

    def __init__(self, template_id: str, version: int | None = None) -> None:
        what = template_id if version is None else f"{template_id} v{version}"
        super().__init__(f"様式 {what} は公開されていません", f"template {what} is not published")


class BadTransition(BackofficeError):
    code = "bad_transition"
    http_status = 409

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(
            f"状態 {current} から {wanted} には変更できません",
            f"cannot change status from {current} to {wanted}",
        )


class ReasonRequired(BackofficeError):
    code = "reason_required"
    http_status = 422

    def __init__(self) -> None:
        super().__init__("差戻しには理由が必要です", "returning an application needs a reason")


class TemplatePublishRefused(BackofficeError):
    """A template that cannot be published; `problems` lists every reason."""

    code = "template_invalid"
    http_status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"様式を公開できません（{len(problems)}件の問題）",
            f"the template cannot be published ({len(problems)} problem(s))",
        )
        self.problems = problems

    def body(self) -> dict[str, object]:
        return {**super().body(), "problems": self.problems}


class NameTaken(BackofficeError):
    code = "name_taken"
    http_status = 409

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} {name} は既に存在します", f"{kind} {name} already exists")


class AccountNotFound(BackofficeError):
    code = "account_not_found"
    http_status = 404

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} {name} はありません", f"no {kind} named {name}")


class WeakPassword(BackofficeError):
    code = "weak_password"
    http_status = 422

    def __init__(self, minimum: int) -> None:
        super().__init__(
            f"パスワードは{minimum}文字以上にしてください",
            f"the password needs at least {minimum} characters",
        )


class BodyTooLarge(BackofficeError):
    code = "body_too_large"
    http_status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"送信データが大きすぎます（上限 {limit} バイト）",
            f"the request body is too large (limit {limit} bytes)",
        )


class UnsupportedMediaType(BackofficeError):
    code = "unsupported_media_type"
    http_status = 415

    def __init__(self, expected: str) -> None:
        super().__init__(f"{expected} で送ってください", f"send the body as {expected}")


class BadExportRequest(BackofficeError):
    code = "bad_export_request"
    http_status = 422

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(ja, en)


class DatabaseUnavailable(BackofficeError):
    code = "database_unavailable"
    http_status = 503

    def __init__(self) -> None:
        super().__init__("データベースに接続できません", "the database is not reachable")


class BadRole(BackofficeError):
    code = "bad_role"
    http_status = 422

    def __init__(self, role: str, allowed: list[str]) -> None:
        need = ", ".join(allowed)
        super().__init__(
            f"役割 {role} はここでは使えません（可: {need}）",
            f"role {role} is not allowed here (allowed: {need})",
        )


class BadName(BackofficeError):
    code = "bad_name"
    http_status = 422

    def __init__(self) -> None:
        super().__init__(
            "名前は英数字と . _ - で64文字以内にしてください",
            "names are 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )


class BadSigningKey(BackofficeError):
    code = "bad_signing_key"
    http_status = 422

    def __init__(self) -> None:
        super().__init__(
            "署名用の公開鍵は Ed25519 の PEM にしてください",
            "the signing key must be an Ed25519 public key in PEM",
        )


class SigningKeyTaken(BackofficeError):
    code = "signing_key_taken"
    http_status = 409

    def __init__(self) -> None:
        super().__init__(
            "この署名鍵は別の端末に登録されています",
            "this signing key is registered to another terminal",
        )


class PaperRefused(BackofficeError):
    """A printed form's data QR that cannot be imported; the payload error says why."""

    code = "paper_refused"
    http_status = 422

    def __init__(self, ja: str, en: str, code: str) -> None:
        super().__init__(
            f"紙の申請書を取り込めません: {ja}", f"cannot import the printed form: {en}"
        )
        self.code = code


class PaperNotFromKiosk(BackofficeError):
    code = "paper_not_from_kiosk"
    http_status = 422

    def __init__(self) -> None:
        super().__init__(
            "このQRコードは窓口端末の印刷ではありません（事前入力のQRは端末で読み取ってください）",
            "this QR code was not printed by a kiosk (scan pre-entry QR codes at a kiosk)",
        )


class CannotCall(BackofficeError):
    code = "cannot_call"
    http_status = 409

    def __init__(self, status: str) -> None:
        super().__init__(
            f"状態 {status} の申請は呼び出せません",
            f"an application in status {status} cannot be called",
        )


class BadDateRange(BackofficeError):
    code = "bad_date_range"
    http_status = 422

    def __init__(self, max_days: int) -> None:
        super().__init__(
            f"期間は開始日から終了日まで{max_days}日以内にしてください",
            f"the range must run forward and span at most {max_days} days",
        )


class PdfNotAttached(BackofficeError):
    code = "pdf_not_attached"
    http_status = 404

    def __init__(self, receipt_number: str) -> None:
        super().__init__(
            f"受付番号 {receipt_number} は紙から取り込んだ申請で、端末の PDF はまだ届いていません",
            f"{receipt_number} was imported from paper; the kiosk's PDF has not arrived yet",
        )


class TooManyLogins(BackofficeError):
    code = "too_many_logins"
    http_status = 429

    def __init__(self, retry_after_s: float) -> None:
        minutes = max(1, math.ceil(retry_after_s / 60))
        super().__init__(
            f"ログインの失敗が続いたため、この利用者名はロックされています。"
            f"{minutes}分後にもう一度お試しください",
            f"too many failed logins for this username: try again in {minutes} min",
        )
        self.retry_after_s = retry_after_s


# -- the counter: call numbers, routing, alerts ------------------------------------------


class CallNumbersExhausted(BackofficeError):
    code = "call_numbers_exhausted"
    http_status = 503

    def __init__(self) -> None:
        super().__init__(
            "本日の呼出番号を使い切りました（端末の予備の文字で発行してください）",
            "today's call numbers are used up (issue from the kiosk's reserved letter)",
        )


class UnknownProcedures(BackofficeError):
    code = "unknown_procedures"
    http_status = 422

    def __init__(self, template_ids: list[str]) -> None:
        names = ", ".join(template_ids[:10])
        super().__init__(
            f"公開されていない手続きです: {names}", f"procedures not published: {names}"
        )
        self.problems = [f"{t}: not a published template" for t in template_ids]

    def body(self) -> dict[str, object]:
        return {**super().body(), "problems": self.problems}


class RoutingRepeated(BackofficeError):
    code = "routing_repeated"
    http_status = 422

    def __init__(self, template_id: str) -> None:
        super().__init__(
            f"手続き {template_id} の案内先が2回あります",
            f"procedure {template_id} is routed twice",
        )


class AlertNotFound(BackofficeError):
    code = "alert_not_found"
    http_status = 404

    def __init__(self, alert_id: str) -> None:
        super().__init__(f"呼出し {alert_id} はありません", f"no alert {alert_id}")


class AlertAlreadyAcknowledged(BackofficeError):
    """A second person acknowledging the same alert: someone is already on the way."""

    code = "alert_already_acknowledged"
    http_status = 409

    def __init__(self, by: str) -> None:
        super().__init__(
            f"この呼出しには {by} が対応済みです", f"this alert was already acknowledged by {by}"
        )


class AlertIdTaken(BackofficeError):
    code = "alert_id_taken"
    http_status = 409

    def __init__(self) -> None:
        super().__init__(
            "この呼出しの ID は別の端末が使っています",
            "this alert id belongs to another terminal",
        )


# -- visits (services.visits) --------------------------------------------------------------


class VisitNotFound(BackofficeError):
    code = "visit_not_found"
    http_status = 404

    def __init__(self, visit_id: object) -> None:
        super().__init__(f"来庁 {visit_id} はありません", f"no visit {visit_id}")


class VisitCannotComplete(BackofficeError):
    """すべて完了 refused: one form cannot make the move (named); nothing was changed."""

    code = "visit_cannot_complete"
    http_status = 409

    def __init__(self, receipt_number: str, template_id: str, why_ja: str, why_en: str) -> None:
        self.receipt_number = receipt_number
        super().__init__(
            f"{receipt_number}（{template_id}）を完了にできません: {why_ja}。どの申請も変更していません",
            f"{receipt_number} ({template_id}) cannot be done: {why_en}; nothing was changed",
        )

    def body(self) -> dict[str, object]:
        return {**super().body(), "problems": [self.receipt_number]}


class VisitNothingToDo(BackofficeError):
    code = "visit_nothing_to_do"
    http_status = 409

    def __init__(self, what_ja: str, what_en: str) -> None:
        super().__init__(
            f"この来庁には{what_ja}申請がありません", f"this visit has no form {what_en}"
        )


class RetentionLonger(BackofficeError):
    code = "retention_longer"
    http_status = 422

    def __init__(self) -> None:
        super().__init__(
            "保存期間は様式が定める期間より長くできません（短くすることだけできます）",
            "a retention period may be shortened, never lengthened past the template's declaration",
        )


class NoRetentionDeclared(BackofficeError):
    code = "no_retention_declared"
    http_status = 422

    def __init__(self, template_id: str) -> None:
        super().__init__(
            f"様式 {template_id} は保存期間を定めていません",
            f"template {template_id} declares no retention period",
        )


class ReservationFileRefused(BackofficeError):
    """A reservation file with bad rows, or a reservation id already imported with other
    content: nothing of the file is imported. `problems` names lines and fields, never values."""

    code = "reservation_file_refused"
    http_status = 422

    def __init__(self, ja: str, en: str, problems: list[str]) -> None:
        super().__init__(ja, en)
        self.problems = problems

    def body(self) -> dict[str, object]:
        return {**super().body(), "problems": self.problems}
