"""Typed errors of printing: each says what happened and what to do, in Japanese and English.

Messages name fields by their ref (`movers[1].name`) and printers by their queue name; they never
carry a value from the record.
"""

from __future__ import annotations

from forms.errors import MadoguchiError


class PrintingError(MadoguchiError):
    code = "printing"


class FontNotFound(PrintingError):
    code = "font_not_found"

    def __init__(self, font: str, package: str) -> None:
        super().__init__(
            f"フォント {font} が見つかりません。{package} を導入してください",
            f"font {font} not found: install the Debian package {package}",
        )
        self.font = font


class GlyphMissing(PrintingError):
    """No font of the fallback chain has a character of a value: printing it would show a box."""

    code = "glyph_missing"

    def __init__(self, ref: str, position: int) -> None:
        super().__init__(
            f"項目 {ref} の{position}文字目を印刷できるフォントがありません。外字の登録が必要です",
            f"field {ref}: no font has character {position}; the character needs a registered "
            "glyph (gaiji)",
        )
        self.ref = ref
        self.position = position


class ValueDoesNotFit(PrintingError):
    code = "value_does_not_fit"

    def __init__(self, ref: str) -> None:
        super().__init__(
            f"項目 {ref} が枠に収まりません。様式の枠を広げるか、内容を短くしてください",
            f"field {ref} does not fit its box even at the smallest size: widen the box in "
            "the template or shorten the value",
        )
        self.ref = ref


class LayoutConflict(PrintingError):
    """A template's box lies where the page header, footer or data QR must print."""

    code = "layout_conflict"

    def __init__(self, template_key: str, problems: list[str]) -> None:
        super().__init__(
            f"様式 {template_key} の枠が予約領域（見出し・QR・ページ番号）と重なっています",
            f"template {template_key} has boxes in the reserved header/QR/footer area",
        )
        self.problems = problems


class DataQrTooLarge(PrintingError):
    code = "data_qr_too_large"

    def __init__(self, digits: int) -> None:
        super().__init__(
            f"データQRの内容が大きすぎます（{digits}桁）",
            f"the data QR payload is too large for one QR code ({digits} digits)",
        )


class DataQrNotNumeric(PrintingError):
    code = "data_qr_not_numeric"

    def __init__(self) -> None:
        super().__init__(
            "データQRの内容は数字だけでなければなりません",
            "the data QR payload must be digits only (numeric mode)",
        )


class BadSignatureImage(PrintingError):
    code = "bad_signature_image"

    def __init__(self) -> None:
        super().__init__("署名の画像を読めません", "the signature image cannot be read")


class SpoolError(PrintingError):
    """Base of printer problems; `queue` names the printer."""

    code = "spool"
    exit_code = 1  # the command line's (`madoguchi print` gives its printer code instead)


class PrinterNotFound(SpoolError):
    code = "printer_not_found"

    def __init__(self, queue: str) -> None:
        super().__init__(
            f"プリンタ {queue} が見つかりません。プリンタ名と接続を確認してください",
            f"printer {queue} does not exist: check the printer name and the CUPS server",
        )
        self.queue = queue


class PrinterStopped(SpoolError):
    code = "printer_stopped"

    def __init__(self, queue: str) -> None:
        super().__init__(
            f"プリンタ {queue} が停止しています。用紙・トナー・電源を確認し、再開してください",
            f"printer {queue} is stopped: check paper, toner and power, then resume it "
            f"(cupsenable {queue})",
        )
        self.queue = queue


class JobAborted(SpoolError):
    code = "job_aborted"

    def __init__(self, queue: str, job_id: int, state: str) -> None:
        super().__init__(
            f"プリンタ {queue} の印刷ジョブ {job_id} が中止されました（{state}）。職員に連絡してください",
            f"print job {job_id} on {queue} ended without printing ({state}): call the staff",
        )
        self.queue = queue
        self.job_id = job_id
        self.state = state


class PrintTimeout(SpoolError):
    code = "print_timeout"

    def __init__(self, queue: str, seconds: float) -> None:
        super().__init__(
            f"プリンタ {queue} が{seconds:g}秒以内に印刷を終えませんでした。ジョブは取り消しました",
            f"printer {queue} did not finish within {seconds:g} s; the job was cancelled",
        )
        self.queue = queue
        self.seconds = seconds


class SpoolerUnavailable(SpoolError):
    code = "spooler_unavailable"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"印刷システムを利用できません（{what}）。CUPS を確認してください",
            f"the print system is not available ({what}): check CUPS",
        )


class SaveFailed(SpoolError):
    code = "save_failed"

    def __init__(self, folder: str) -> None:
        super().__init__(f"PDF を {folder} に保存できません", f"cannot save the PDF in {folder}")
        self.folder = folder
