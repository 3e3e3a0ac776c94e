"""Screen texts: one dict per language, keyed by message id; Japanese is the default.

Every text is shown in two languages (the project standard: Japanese first, English beside):
the *lead* language (bigger, first) and the *second* language (a smaller line under it, or
after " / " on compact controls). The language toggle chooses which one leads.

Adding a language is adding a dict to `MESSAGES` (missing ids fall back to Japanese), its name
to `LANGUAGE_NAMES` and its `language.lead.<code>` message; its second language is Japanese
unless `SECOND_LANGUAGE` says otherwise. Template labels and error messages carry their own
`ja`/`en`; for other languages they fall back to Japanese too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forms.errors import MadoguchiError
from forms.text import Text

DEFAULT_LANGUAGE = "ja"

JA: dict[str, str] = {
    "app.title": "書かない窓口",
    "welcome.title": "書かない窓口へようこそ",
    "welcome.lead": "マイナンバーカードか事前入力のQRコードで、申請書を自動で作成します。",
    "welcome.start": "はじめる",
    "common.back": "戻る",
    "common.next": "次へ",
    "common.cancel": "中止して最初に戻る",
    "common.retry": "もう一度",
    "language.lead.ja": "日本語を先に",
    "language.lead.en": "英語を先に",
    "common.bigger": "文字を大きく",
    "common.contrast": "白黒反転",
    "common.staff": "職員モード",
    "common.staff_on": "職員モード中",
    "common.yen": "{amount:,}円",
    "common.free": "無料",
    "procedures.title": "手続きを選んでください",
    "procedures.events": "ライフイベント（まとめて手続き）",
    "procedures.forms": "個別の手続き",
    "procedures.fee": "手数料: {fee}",
    "procedures.total": "手数料の合計: {fee}",
    "procedures.optional": "{title}も申請する",
    "procedures.optional.inkan": "印鑑登録もする",
    "identify.title": "本人確認の方法を選んでください",
    "identify.card": "マイナンバーカードで読み取る",
    "identify.qr": "事前入力のQRコードを読み取る",
    "identify.typing": "画面で入力する",
    "pin.title": "カードを置いて、暗証番号（数字4桁）を入力してください",
    "pin.checking": "カードを確認しています…",
    "pin.tries": "残り{tries}回",
    "pin.clear": "消す",
    "pin.delete": "1字消す",
    "pin.ok": "読み取る",
    "pin.reading": "読み取っています…",
    "pin.last_try": "暗証番号を入力できるのはあと1回です。間違えるとカードがロックされます。入力しますか？",
    "pin.last_try_yes": "入力する",
    "pin.last_try_no": "やめる",
    "pin.digit": "数字 {digit}",
    "pin.field": "暗証番号",
    "qr.title": "QRコードをカメラかスキャナーにかざしてください",
    "qr.scanner": "スキャナー入力",
    "qr.hint": "事前入力で作ったQRコードをかざしてください（最初の画面や手続きの画面でもかざせます）。",
    "qr.decoding": "QRコードを読み取っています…",
    "qr.camera_none": "カメラはありません。スキャナーを使ってください。",
    "review.title": "内容を確認してください",
    "review.used_by": "使う様式: {forms}",
    "review.used_by_count": "{count}つの様式で使います",
    "review.flag": "「{chars}」はカードで表せない文字の代わりかもしれません。正しい字に直すか、確認してください。",
    "review.flag_ok": "この字で正しい",
    "review.readonly": "（カードの記載のとおり）",
    "review.auto": "（自動で記入）",
    "review.kana_keyboard": "50音キーボード",
    "review.postal_lookup": "郵便番号から住所を入れる",
    "review.postal_unknown": "この郵便番号は見つかりません",
    "review.add_person": "世帯員を追加",
    "review.family": "氏",
    "review.given": "名",
    "review.postal": "郵便番号",
    "review.prefecture": "都道府県",
    "review.city": "市区町村",
    "review.rest": "町名・番地",
    "review.next": "署名へ進む",
    "review.fix_first": "赤い項目を直してください",
    "review.fix_first_because": "赤い項目を直してください（{reason}）",
    "review.date_hint": "例: 昭和55年1月2日・1980-01-02",
    "review.yes": "はい",
    "review.none": "（未選択）",
    "sign.title": "枠の中に署名してください",
    "sign.clear": "書き直す",
    "sign.ok": "署名を確定",
    "sign.pad": "署名欄",
    "confirm.title": "この内容で申請します",
    "confirm.forms": "申請する様式",
    "confirm.ok": "申請する",
    "confirm.working": "申請書を作成しています…",
    "print.title": "印刷しています…",
    "print.wait": "用紙が出るまでお待ちください",
    "done.title": "受付が完了しました",
    "done.number": "受付番号",
    "done.lead": "受付票と申請書をお取りになり、窓口でお待ちください。",
    "done.finish": "おわる",
    "error.title": "問題が発生しました",
    "error.card_no_reader": "カードリーダーの接続を確認して、職員にお知らせください。",
    "error.card_absent": "カードをリーダーの上に置いてください。",
    "error.card_pin_blocked": "カードはロックされています。窓口で暗証番号の再設定ができます。QRコードか画面入力でも手続きできます。",
    "error.card_removed": "カードを置いたまま、もう一度お試しください。",
    "error.printer": "プリンターの用紙・電源を確認して、職員にお知らせください。申請は受け付け済みです。",
    "error.qr_scanner": "QRコードスキャナーの接続を確認して、職員にお知らせください。カードか画面入力で手続きできます。",
    "error.qr": "QRコードをもう一度作り直すか、別の方法で手続きしてください。",
    "error.generic": "もう一度お試しいただくか、職員にお知らせください。",
    "countdown": "操作がないため、あと{seconds}秒で最初の画面に戻ります。画面に触れると続けられます。",
    "staff.title": "職員用暗証番号",
    "staff.unlock": "解除",
    "staff.lock": "職員モードを終える",
    "staff.totals": "計測（完了{sessions}件）: 入力{typed}字 / 自動入力{prefilled}字（自動{share:.0%}）",
    "kana.title": "50音キーボード",
    "kana.space": "空白",
    "kana.delete": "1字消す",
    "kana.small": "小文字",
    "kana.dakuten": "゛",
    "kana.handakuten": "゜",
    "kana.done": "閉じる",
}

EN: dict[str, str] = {
    "app.title": "Madoguchi",
    "welcome.title": "Welcome to Madoguchi",
    "welcome.lead": "Your application forms are filled in from your My Number Card or a pre-entry QR code.",
    "welcome.start": "Start",
    "common.back": "Back",
    "common.next": "Next",
    "common.cancel": "Cancel and start over",
    "common.retry": "Try again",
    "language.lead.ja": "Japanese first",
    "language.lead.en": "English first",
    "common.bigger": "Bigger text",
    "common.contrast": "High contrast",
    "common.staff": "Staff mode",
    "common.staff_on": "Staff mode on",
    "common.yen": "¥{amount:,}",
    "common.free": "free",
    "procedures.title": "Choose your procedure",
    "procedures.events": "Life events (several forms at once)",
    "procedures.forms": "Single procedures",
    "procedures.fee": "Fee: {fee}",
    "procedures.total": "Total fee: {fee}",
    "procedures.optional": "Also: {title}",
    "procedures.optional.inkan": "Also register a seal",
    "identify.title": "How would you like to identify yourself?",
    "identify.card": "Read my My Number Card",
    "identify.qr": "Scan my pre-entry QR code",
    "identify.typing": "Type on the screen",
    "pin.title": "Place your card and enter its 4-digit PIN",
    "pin.checking": "Checking the card…",
    "pin.tries": "Tries left: {tries}",
    "pin.clear": "Clear",
    "pin.delete": "Delete",
    "pin.ok": "Read card",
    "pin.reading": "Reading the card…",
    "pin.last_try": "Only one PIN try is left. A wrong PIN will lock the card. Enter it now?",
    "pin.last_try_yes": "Enter PIN",
    "pin.last_try_no": "Not now",
    "pin.digit": "Digit {digit}",
    "pin.field": "PIN",
    "qr.title": "Hold your QR code to the camera or the scanner",
    "qr.scanner": "Scanner input",
    "qr.hint": "Show the QR code you made when pre-entering (you can also scan it on the first screens).",
    "qr.decoding": "Reading the QR code…",
    "qr.camera_none": "No camera here. Please use the scanner.",
    "review.title": "Please check the details",
    "review.used_by": "Used on: {forms}",
    "review.used_by_count": "Used on {count} forms",
    "review.flag": "“{chars}” may stand in for a character the card cannot hold. Correct it, or confirm it.",
    "review.flag_ok": "This character is right",
    "review.readonly": "(as on the card)",
    "review.auto": "(filled in automatically)",
    "review.kana_keyboard": "Kana keyboard",
    "review.postal_lookup": "Fill the address from the postal code",
    "review.postal_unknown": "This postal code was not found",
    "review.add_person": "Add a household member",
    "review.family": "Family name",
    "review.given": "Given name",
    "review.postal": "Postal code",
    "review.prefecture": "Prefecture",
    "review.city": "City",
    "review.rest": "Street and number",
    "review.next": "Go on to sign",
    "review.fix_first": "Please correct the items in red",
    "review.fix_first_because": "Please correct the items in red ({reason})",
    "review.date_hint": "e.g. 1980-01-02",
    "review.yes": "Yes",
    "review.none": "(not chosen)",
    "sign.title": "Please sign inside the frame",
    "sign.clear": "Clear",
    "sign.ok": "Accept signature",
    "sign.pad": "Signature pad",
    "confirm.title": "Submit this application",
    "confirm.forms": "Forms",
    "confirm.ok": "Submit",
    "confirm.working": "Preparing your application…",
    "print.title": "Printing…",
    "print.wait": "Please wait for the paper",
    "done.title": "Your application was received",
    "done.number": "Reception number",
    "done.lead": "Please take the slip and the forms and wait at the counter.",
    "done.finish": "Finish",
    "error.title": "Something went wrong",
    "error.card_no_reader": "Check the card reader's cable and tell a member of staff.",
    "error.card_absent": "Place the card on the reader.",
    "error.card_pin_blocked": "The card is locked; the PIN can be reset at the counter. You can still use a QR code or type.",
    "error.card_removed": "Keep the card on the reader and try again.",
    "error.printer": "Check the printer's paper and power and tell a member of staff. Your application is already received.",
    "error.qr_scanner": "Check the QR scanner's cable and tell a member of staff. You can still use the card or type.",
    "error.qr": "Make a new QR code, or use another way.",
    "error.generic": "Try again, or tell a member of staff.",
    "countdown": "No activity: back to the start in {seconds} s. Touch the screen to continue.",
    "staff.title": "Staff PIN",
    "staff.unlock": "Unlock",
    "staff.lock": "Leave staff mode",
    "staff.totals": "Measured ({sessions} done): typed {typed} / prefilled {prefilled} characters ({share:.0%} prefilled)",
    "kana.title": "Kana keyboard",
    "kana.space": "Space",
    "kana.delete": "Delete",
    "kana.small": "Small",
    "kana.dakuten": "゛",
    "kana.handakuten": "゜",
    "kana.done": "Close",
}

MESSAGES: dict[str, dict[str, str]] = {"ja": JA, "en": EN}
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}
# The language shown beside each lead language; a lead not listed here has Japanese beside it.
SECOND_LANGUAGE: dict[str, str] = {"ja": "en"}
SEPARATOR = " / "  # between the two languages on one line ("日本語 / English")


@dataclass(frozen=True)
class Pair:
    """One text in the lead language and in the second language ("" when it has none, or
    when it reads the same in both, like a digit or a kana key)."""

    lead: str
    second: str = ""

    def joined(self, separator: str = SEPARATOR) -> str:
        """Both on one line, lead first: for compact controls and accessible names."""
        return f"{self.lead}{separator}{self.second}" if self.second else self.lead

    def __str__(self) -> str:
        return self.joined()


def second_language_for(lead: str) -> str:
    return SECOND_LANGUAGE.get(lead, DEFAULT_LANGUAGE)


class Translator:
    """The languages of one kiosk window (not global: each window has its own).

    `tr(id)` is the lead-language text; `tr.pair(id)` is both (a `Pair`). `tr.pair_of(fn)`
    builds a pair from a function of a one-language translator, for texts put together from
    several messages (a title, its fee and the currency in the same language).
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE, second: str | None = None) -> None:
        self.language = language if language in MESSAGES else DEFAULT_LANGUAGE
        second = second if second in MESSAGES else second_language_for(self.language)
        self.second_language = second if second != self.language else ""

    def __call__(self, message_id: str, **values: Any) -> str:
        text = MESSAGES[self.language].get(message_id) or JA.get(message_id, message_id)
        return text.format(**values) if values else text

    def has(self, message_id: str) -> bool:
        return message_id in MESSAGES[self.language] or message_id in JA

    # ---- both languages ------------------------------------------------------------------

    def only(self, language: str) -> Translator:
        """A translator for one language alone (its `pair` has no second text)."""
        single = Translator(language)
        single.second_language = ""
        return single

    def pair_of(self, text_in: Callable[[Translator], str]) -> Pair:
        lead = text_in(self.only(self.language))
        if not self.second_language:
            return Pair(lead)
        second = text_in(self.only(self.second_language))
        return Pair(lead, "" if second == lead else second)

    def pair(self, message_id: str, **values: Any) -> Pair:
        return self.pair_of(lambda t: t(message_id, **values))

    def both(self, message_id: str, **values: Any) -> str:
        """ "日本語 / English" on one line (compact controls, accessible names)."""
        return self.pair(message_id, **values).joined()

    def text_pair(self, text: Text | None) -> Pair:
        return self.pair_of(lambda t: t.text(text))

    def error_pair(self, error: MadoguchiError) -> Pair:
        return self.pair_of(lambda t: t.error(error))

    def field_error_pair(self, ja: str, en: str) -> Pair:
        return self.pair_of(lambda t: t.field_error(ja, en))

    # ---- the lead language ---------------------------------------------------------------

    def text(self, text: Text | None) -> str:
        """A template's bilingual label in the current language."""
        if text is None:
            return ""
        if self.language == "en" and text.en:
            return text.en
        return text.ja

    def error(self, error: MadoguchiError) -> str:
        return error.en if self.language == "en" and error.en else error.ja

    def field_error(self, ja: str, en: str) -> str:
        return en if self.language == "en" and en else ja

    def yen(self, amount: int) -> str:
        return self("common.yen", amount=amount) if amount else self("common.free")

    def toggled(self) -> str:
        """The language the toggle button makes the lead."""
        order = list(MESSAGES)
        return order[(order.index(self.language) + 1) % len(order)]
