"""The reception terminal's texts: Japanese first, English beside (staff desktops show both).

One table keyed by message id; `tr(id, **values)` gives "日本語 / English". Kept apart from
the resident kiosk's `kiosk.i18n`, whose screens switch language instead of showing both.
"""

from __future__ import annotations

from forms.errors import MadoguchiError

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("受付端末", "Reception"),
    "login.title": ("職員ログイン", "Staff sign-in"),
    "login.server": ("窓口サーバー: {url}", "back office: {url}"),
    "login.user": ("利用者名", "Username"),
    "login.password": ("パスワード", "Password"),
    "login.ok": ("ログイン", "Sign in"),
    "login.busy": ("確認しています…", "Signing in…"),
    "login.not_staff": (
        "受付端末は職員（staff）のアカウントで使います",
        "the reception terminal needs a staff account",
    ),
    "login.empty": ("利用者名とパスワードを入れてください", "enter a username and a password"),
    "tab.queue": ("受付一覧", "Queue"),
    "tab.totals": ("計測の集計", "Measurement totals"),
    "queue.status": ("状態", "Status"),
    "queue.procedure": ("手続き", "Procedure"),
    "queue.all": ("すべて", "all"),
    "queue.count": ("{count}件（{time} 更新）", "{count} item(s), updated {time}"),
    "queue.offline": (
        "窓口サーバーに接続できません。再試行しています",
        "back office unreachable; retrying",
    ),
    "col.receipt": ("受付番号", "Receipt"),
    "col.reception": ("窓口番号", "Number"),
    "col.procedure": ("手続き", "Procedure"),
    "col.status": ("状態", "Status"),
    "col.wait": ("待ち時間", "Waiting"),
    "col.received": ("受付時刻", "Received"),
    "col.source": ("経路", "Source"),
    "source.kiosk": ("端末", "kiosk"),
    "source.paper": ("紙", "paper"),
    "record.none": ("一覧から申請を選んでください", "choose an application in the queue"),
    "record.loading": ("読み込んでいます…", "Loading…"),
    "record.header": ("{receipt}　{title}（第{version}版）", "v{version}"),
    "record.state": ("状態: {status}　待ち時間: {wait}", "status: {status}, waiting {wait}"),
    "record.paper": (
        "紙から取り込み（{who}）。端末の PDF はまだ届いていません",
        "imported from paper ({who}); the kiosk's PDF has not arrived",
    ),
    "record.rebuilt": (
        "記録から作成した控え（署名なし）",
        "rebuilt from the record (no signature)",
    ),
    "record.fields": ("申請内容", "Form data"),
    "record.field": ("項目", "Field"),
    "record.value": ("内容", "Value"),
    "identity.title": ("本人確認", "Identity check"),
    "identity.document": ("確認した書類", "Document seen"),
    "identity.note": ("書類名（その他のとき）", "Which document (for other)"),
    "identity.record": ("本人確認を記録", "Record the check"),
    "identity.none": ("まだ本人確認をしていません", "no identity check yet"),
    "identity.entry": ("{document}{note}（{who}、{at}）", "{document}{note} ({who}, {at})"),
    "identity.note_needed": (
        "「その他」のときは書類名を入れてください",
        "name the document when choosing other",
    ),
    "doc.my_number_card": ("マイナンバーカード", "My Number Card"),
    "doc.drivers_licence": ("運転免許証", "driver's licence"),
    "doc.passport": ("旅券", "passport"),
    "doc.residence_card": ("在留カード", "residence card"),
    "doc.health_insurance_card": ("健康保険証", "health insurance card"),
    "doc.other": ("その他", "other"),
    "status.title": ("状態の変更", "Status"),
    "status.in_review": ("審査中にする", "Start review"),
    "status.done": ("完了にする", "Mark done"),
    "status.returned": ("差戻し", "Return"),
    "status.reason": ("差戻しの理由", "Reason for returning"),
    "status.reason_needed": ("差戻しには理由が必要です", "returning needs a reason"),
    "status.changed": ("{receipt} を「{status}」にしました", "{receipt} is now {status}"),
    "call.button": ("窓口へ呼出し", "Call to counter"),
    "call.done": ("{number} を呼び出しました", "called {number}"),
    "reprint.button": ("再印刷", "Reprint"),
    "reprint.done": ("印刷しました（{where}）", "printed ({where})"),
    "reprint.none": ("印刷する PDF がありません", "there is no PDF to print"),
    "history.title": ("経過", "History"),
    "export.button": ("CSV出力", "Export CSV"),
    "export.pick": ("手続きを一つ選んでから出力してください", "choose one procedure to export"),
    "export.done": ("{path} に保存しました", "saved to {path}"),
    "export.save": ("基幹システム用 CSV の保存先", "Save the CSV for the core systems"),
    "scan.placeholder": (
        "紙の申請書のQRコードをスキャン",
        "scan the QR code of a printed form",
    ),
    "scan.image": ("画像から読む…", "From an image…"),
    "scan.image_title": ("QRコードの画像", "QR code image"),
    "scan.no_code": ("画像にQRコードが見つかりません", "no QR code found in the image"),
    "scan.busy": ("取り込んでいます…", "Importing…"),
    "scan.imported": ("{receipt} として取り込みました", "imported as {receipt}"),
    "scan.existing": ("{receipt} は既にあります。開きました", "{receipt} is already here; opened"),
    "board.button": ("呼出し表示", "Call board"),
    "board.title": ("呼出し表示", "Call board"),
    "board.called": ("お呼び出し", "Please come to the counter"),
    "board.waiting": ("受付中", "Waiting"),
    "board.done": ("完了", "Done"),
    "totals.from": ("開始日", "From"),
    "totals.to": ("終了日", "To"),
    "totals.show": ("集計する", "Show"),
    "totals.day": ("日付", "Day"),
    "totals.procedure": ("手続き", "Procedure"),
    "totals.applications": ("件数", "Applications"),
    "totals.measured": ("計測あり", "Measured"),
    "totals.typed": ("入力した文字", "Typed"),
    "totals.prefilled": ("自動入力の文字", "Prefilled"),
    "totals.share": ("自動入力の割合", "Prefilled share"),
    "totals.steps": ("1件あたりの時間（秒）", "Seconds per step (mean)"),
    "totals.sum": (
        "合計 {applications}件、入力 {typed}字、自動入力 {prefilled}字",
        "total {applications}, typed {typed}, prefilled {prefilled}",
    ),
    "tab.kiosks": ("端末", "Kiosks"),
    "kiosks.name": ("端末", "Kiosk"),
    "kiosks.mark": ("状態", "State"),
    "kiosks.seen": ("最終応答", "Last heard"),
    "kiosks.printer": ("プリンター", "Printer"),
    "kiosks.reader": ("カード読取機", "Card reader"),
    "kiosks.outbox": ("送信待ち", "Outbox"),
    "kiosks.version": ("版", "Version"),
    "kiosks.ok": ("正常", "OK"),
    "kiosks.silent": ("応答なし（2分以上）", "silent for 2 minutes or more"),
    "kiosks.reader_yes": ("あり", "present"),
    "kiosks.reader_no": ("なし", "absent"),
    "kiosks.summary": (
        "端末 {count} 台（要対応 {red}、応答なし {grey}）",
        "{count} kiosk(s): {red} need a person, {grey} silent",
    ),
    "attention.printer.media-empty": ("用紙切れ", "out of paper"),
    "attention.printer.media-jam": ("紙づまり", "paper jam"),
    "attention.printer.toner-empty": ("トナー切れ", "out of toner"),
    "attention.printer.toner-low": ("トナー残りわずか", "toner low"),
    "attention.printer.door-open": ("カバーが開いています", "cover open"),
    "attention.printer.offline": ("プリンター接続なし", "printer offline"),
    "attention.printer.stopped": ("プリンター停止", "printer stopped"),
    "attention.reader.absent": ("カード読取機なし", "card reader unplugged"),
    "attention.outbox.stuck": ("送信が進みません", "outbox not draining"),
    "attention.outbox.backlog": ("送信待ちが多い", "outbox backlog"),
    "attention.alert.call_staff": ("職員呼出し", "staff called"),
    "attention.alert.printer": ("プリンターの異常", "printer fault"),
    "attention.alert.card_reader": ("読取機の異常", "card reader fault"),
    "attention.alert.network": ("通信の異常", "network fault"),
    "attention.alert.other": ("その他の通知", "other notice"),
    "alert.title": ("職員呼出し", "Staff needed"),
    "alert.body": ("{kiosk}：{what}（{at}）", "{kiosk}: {what} ({at})"),
    "alert.kind.call_staff": ("職員を呼ぶが押されました", "a resident pressed Call staff"),
    "alert.kind.printer": ("プリンターが止まりました", "the printer stopped"),
    "alert.kind.card_reader": ("カード読取機の異常", "the card reader failed"),
    "alert.kind.network": ("窓口サーバーにつながりません", "the back office is unreachable"),
    "alert.kind.other": ("お知らせ", "notice"),
    "alert.ack": ("対応します", "I'll take it"),
    "alert.taken": ("{kiosk} の呼出しに対応します", "you took the alert from {kiosk}"),
    "callnext.button": ("次の番号を呼出し（F9）", "Call next (F9)"),
    "callnext.none": ("待っている番号はありません", "nobody is waiting"),
    "callnext.done": ("{number} を呼び出しました", "called {number}"),
    "totals.export": ("集計をCSV出力", "Export totals (CSV)"),
    "totals.per_hour": ("時間帯ごとの来庁（端末の利用開始）", "Visits per hour (kiosk start)"),
    "totals.visits": ("来庁", "Visits"),
    "totals.hour": ("時", "Hour"),
    "totals.durations": (
        "端末の開始から完了まで（完了 {count} 件）: 中央値 {median} 分、90% 点 {p90} 分",
        "kiosk start to done ({count} done): median {median} min, 90th percentile {p90} min",
    ),
    "signout.button": ("ログアウト", "Sign out"),
    "signed_in": ("ログイン中: {user}", "signed in: {user}"),
    "error": ("{ja}", "{en}"),
}


def ja(key: str, **values: object) -> str:
    return MESSAGES[key][0].format(**values)


def en(key: str, **values: object) -> str:
    return MESSAGES[key][1].format(**values)


def tr(key: str, **values: object) -> str:
    """Japanese with English beside: "日本語 / English"."""
    return f"{ja(key, **values)} / {en(key, **values)}"


def error_text(error: MadoguchiError) -> str:
    return f"{error.ja} / {error.en}"


def status_text(status: str) -> str:
    from sync.protocol.vocabulary import Status

    value = Status(status)
    return f"{value.ja} / {value.value.replace('_', ' ')}"


# Visits and the keyboard (kept in their own table, merged here).
from staff.reception.visit_messages import VISIT_MESSAGES  # noqa: E402

MESSAGES.update(VISIT_MESSAGES)
