"""CSRF, rate limits, headers, oversize and malformed posts: each refused with a clear page."""

from __future__ import annotations

import datetime as dt
import html
import urllib.parse
from typing import Any

import pytest
from fastapi.testclient import TestClient
from preentry_support import FORM, complete_pairs, fitting_samples, on_sample_day, post, samples

from forms.catalog import Catalog
from preentry import csrf
from preentry.i18n import Msg, Page
from preentry.ratelimit import TokenBucketLimiter
from preentry.settings import PreentrySettings, RateLimit
from preentry.webform import Procedure, procedure_url, procedures

SAMPLES = samples()


@pytest.fixture
def bundle(catalog: Catalog, clock: Any) -> Procedure:
    procedure = next(p for p in procedures(catalog) if p.key == "bundle:moving_in")
    on_sample_day(clock, max(fitting_samples(procedure).values(), key=lambda r: len(r.persons)))
    return procedure


def filled(client: TestClient, procedure: Procedure) -> list[tuple[str, str]]:
    record = max(fitting_samples(procedure).values(), key=lambda r: len(r.persons))
    pairs, _, _ = complete_pairs(
        client, procedure_url(procedure), f"people={len(record.persons)}", record
    )
    return pairs


def replace(pairs: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in pairs if k != name]
    return out if value is None else [(name, value), *out]


# -- CSRF ------------------------------------------------------------------------------------


def test_a_correct_post_passes_csrf(client: TestClient, bundle: Procedure) -> None:
    assert post(client, procedure_url(bundle), filled(client, bundle)).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    ["no token", "no cookie", "other cookie", "bad signature", "junk token", "two tokens"],
)
def test_csrf_refusals(client: TestClient, bundle: Procedure, tamper: str) -> None:
    pairs = filled(client, bundle)
    token = csrf_token_of(pairs)
    if tamper == "no token":
        pairs = replace(pairs, "csrf_token", None)
    elif tamper == "no cookie":
        client.cookies.clear()
    elif tamper == "other cookie":
        client.cookies.set(csrf.COOKIE_NAME, "x" * 32)
    elif tamper == "bad signature":
        nonce, issued, _ = token.split(".")
        pairs = replace(pairs, "csrf_token", f"{nonce}.{issued}.AAAA")
    elif tamper == "junk token":
        pairs = replace(pairs, "csrf_token", "not-a-token")
    else:
        pairs = [("csrf_token", token), *pairs]
    response = post(client, procedure_url(bundle), pairs)
    assert response.status_code == 403
    assert "送信を確認できませんでした" in response.text
    assert "QR" not in response.text.split("<main")[1].split("</main>")[0].replace("QR コード", "")


def csrf_token_of(pairs: list[tuple[str, str]]) -> str:
    return next(v for k, v in pairs if k == "csrf_token")


def test_csrf_token_from_another_site_secret_is_refused(
    make_client: Any, bundle: Procedure
) -> None:
    one = make_client(csrf_secret=b"A" * 32)
    other = make_client(csrf_secret=b"B" * 32)
    pairs = filled(one, bundle)
    other.cookies.set(csrf.COOKIE_NAME, one.cookies.get(csrf.COOKIE_NAME))
    assert post(other, procedure_url(bundle), pairs).status_code == 403


def test_an_old_csrf_token_is_refused(client: TestClient, bundle: Procedure, clock: Any) -> None:
    pairs = filled(client, bundle)
    clock.now += dt.timedelta(hours=3)
    response = post(client, procedure_url(bundle), pairs)
    assert response.status_code == 403


def test_cross_site_posts_are_refused(client: TestClient, bundle: Procedure) -> None:
    pairs = filled(client, bundle)
    response = post(client, procedure_url(bundle), pairs, headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403


def test_csrf_cookie_is_httponly_and_samesite_strict(make_client: Any, bundle: Procedure) -> None:
    page = make_client().get(f"{procedure_url(bundle)}?people=1")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{csrf.COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie
    secure = make_client(https=True).get(f"{procedure_url(bundle)}?people=1", headers={})
    assert "Secure" in secure.headers["set-cookie"]
    assert "strict-transport-security" in secure.headers


def test_csrf_guard_units() -> None:
    now = [1_000_000.0]
    guard = csrf.CsrfGuard(b"s" * 32, 60, clock=lambda: now[0])
    nonce = guard.new_nonce()
    token = guard.token(nonce)
    guard.verify(nonce, token)
    for cookie, candidate in [
        (None, token),
        (nonce, None),
        ("other", token),
        (nonce, token + "x"),
        (nonce, "a.b.c"),
        (nonce, "a" * 500),
    ]:
        with pytest.raises(csrf.CsrfRefused):
            guard.verify(cookie, candidate)
    now[0] += 61
    with pytest.raises(csrf.CsrfRefused):
        guard.verify(nonce, token)
    assert "s" * 8 not in repr(guard)


# -- rate limit ------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_a_page(make_client: Any) -> None:
    client = make_client(rate_limit=RateLimit(burst=3, per_second=0.01))
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "アクセスが集中しています" in refused.text and "too many requests" in refused.text
    assert refused.headers["x-content-type-options"] == "nosniff"
    # posts are counted too
    assert post(client, "/b/x", []).status_code == 429


def test_rate_limit_is_per_client(make_client: Any) -> None:
    client = make_client(rate_limit=RateLimit(burst=2, per_second=0.01), trust_forwarded_for=True)
    for _ in range(2):
        assert client.get("/", headers={"x-forwarded-for": "203.0.113.1"}).status_code == 200
    assert client.get("/", headers={"x-forwarded-for": "203.0.113.1"}).status_code == 429
    assert client.get("/", headers={"x-forwarded-for": "203.0.113.2"}).status_code == 200
    # the right-most hop (added by our proxy) counts, not what the client wrote in front
    spoofed = {"x-forwarded-for": "198.51.100.9, 203.0.113.1"}
    assert client.get("/", headers=spoofed).status_code == 429


def test_forwarded_for_is_ignored_unless_trusted(make_client: Any) -> None:
    client = make_client(rate_limit=RateLimit(burst=2, per_second=0.01))
    codes = [
        client.get("/", headers={"x-forwarded-for": f"203.0.113.{n}"}).status_code for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_token_bucket_refills_and_forgets_stale_clients() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(2, 1.0, max_clients=3, clock=lambda: now[0])
    assert limiter.take("a") == 0.0 and limiter.take("a") == 0.0
    wait = limiter.take("a")
    assert 0.9 < wait <= 1.0
    now[0] += 1.0
    assert limiter.take("a") == 0.0
    for name in "bcde":
        limiter.take(name)
    assert len(limiter._buckets) == 3  # bounded memory
    assert limiter.retry_after_header(0.2) == "1"


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        PreentrySettings(None, None, Catalog(), csrf_secret=b"short")
    with pytest.raises(ValueError):
        PreentrySettings(None, None, Catalog(), rate_limit=RateLimit(burst=0))
    assert "csrf_secret" not in repr(PreentrySettings(None, None, Catalog()))


# -- headers ---------------------------------------------------------------------------------


def test_security_headers_on_every_answer(client: TestClient, bundle: Procedure) -> None:
    pairs = filled(client, bundle)
    answers = [
        client.get("/"),
        client.get(procedure_url(bundle)),
        client.get("/no/such"),
        post(client, procedure_url(bundle), pairs),
        client.get("/static/site.css"),
    ]
    for answer in answers:
        h = answer.headers
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "'unsafe-inline'" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-frame-options"] == "DENY"
        assert "server" not in h or "uvicorn" not in h["server"]
    for page in answers[:4]:
        assert page.headers["cache-control"] == "no-store"
    assert answers[3].status_code == 200 and "<svg" in answers[3].text  # the QR page: no-store
    assert "no-store" not in answers[4].headers["cache-control"]


# -- oversize and malformed posts -------------------------------------------------------------


def test_oversize_body_is_refused_by_length(make_client: Any, bundle: Procedure) -> None:
    client = make_client(max_body_bytes=2_000)
    # walked on a site with the usual limit (the navigator's posts carry more than 2,000 bytes)
    pairs = [*filled(make_client(), bundle), ("answers.x", "あ" * 2000)]
    response = post(client, procedure_url(bundle), pairs)
    assert response.status_code == 413
    assert "大きすぎます" in response.text


def test_oversize_body_is_refused_while_streaming(make_client: Any, bundle: Procedure) -> None:
    client = make_client(max_body_bytes=2_000)

    def chunks() -> Any:
        for _ in range(20):
            yield b"a=" + b"b" * 500 + b"&"

    response = client.post(procedure_url(bundle), content=chunks(), headers={"content-type": FORM})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "case",
    [
        "multipart",
        "json",
        "two states",
        "junk name",
        "long value",
        "two actions",
        "unknown action",
        "bad utf-8",
    ],
)
def test_malformed_posts_get_400(client: TestClient, bundle: Procedure, case: str) -> None:
    pairs = filled(client, bundle)
    headers = {"content-type": FORM}
    body: bytes | str
    if case == "multipart":
        response = client.post(
            procedure_url(bundle), files={"f": ("a.txt", b"x")}, data=dict(pairs[:1])
        )
        assert response.status_code == 400
        return
    if case == "json":
        body, headers = '{"a": 1}', {"content-type": "application/json"}
    elif case == "two states":
        body = urllib.parse.urlencode([*pairs, ("_state", "v1.AAAA")])
    elif case == "junk name":
        body = urllib.parse.urlencode([*pairs, ("<script>", "x")])
    elif case == "long value":
        body = urllib.parse.urlencode([*pairs, ("answers.idou.kind", "x" * 5_000)])
    elif case == "two actions":
        body = urllib.parse.urlencode([*pairs, ("_action", "back")])
    elif case == "unknown action":
        body = urllib.parse.urlencode([*replace(pairs, "_action", "edit:nowhere")])
    else:
        body = urllib.parse.urlencode(pairs).encode() + b"&answers.x=%ff%fe"
    response = client.post(procedure_url(bundle), content=body, headers=headers)
    assert response.status_code in (400, 422), case
    if response.status_code == 400:
        assert "形式が正しくありません" in response.text
    assert "<svg" not in response.text


def test_post_to_an_unknown_form_is_404(client: TestClient, bundle: Procedure) -> None:
    pairs = filled(client, bundle)
    assert post(client, "/t/no_such_form", pairs).status_code == 404
    assert post(client, "/b/no_such_bundle", pairs).status_code == 404


def test_unexpected_failure_is_a_500_page_without_details(
    client: TestClient, bundle: Procedure, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    import preentry.app

    secret = "秘密の住所"

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(secret)

    pairs = filled(client, bundle)
    monkeypatch.setattr(preentry.app, "read_submission", explode)
    caplog.set_level("DEBUG")
    response = post(client, procedure_url(bundle), pairs)
    assert response.status_code == 500
    assert secret not in response.text and "問題が発生しました" in response.text
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert any("RuntimeError" in r.getMessage() for r in caplog.records)


def test_payload_too_large_for_a_qr_is_a_clear_page(
    client: TestClient, bundle: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forms.payload
    from forms.payload.errors import PayloadTooLong

    def too_long(*args: Any, **kwargs: Any) -> str:
        raise PayloadTooLong(9_999, 2_000)

    pairs = filled(client, bundle)
    monkeypatch.setattr(forms.payload, "encode_payload", too_long)
    response = post(client, procedure_url(bundle), pairs)
    assert response.status_code == 422
    assert "QR コードに収まりません" in response.text


def test_no_redirect_follows_the_host_header(make_client: Any, bundle: Procedure) -> None:
    """The review's finding: `Host: evil.example` on a trailing-slash URL answered
    `307 location: http://evil.example/…`. Now a foreign Host is refused outright, and no
    slash redirect exists for any Host."""
    client = make_client(https=True)
    path = f"/{bundle.kind}/{bundle.id}/"
    evil = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert evil.status_code == 400 and "location" not in evil.headers
    assert "evil.example" not in evil.text
    own = client.get(path, follow_redirects=False)  # a trusted Host: a 404 page, no redirect
    assert own.status_code == 404 and "location" not in own.headers
    assert client.get(path.rstrip("/")).status_code == 200


def test_behind_the_proxy_the_site_sees_https() -> None:
    """`--https`: whatever scheme the proxy's hop used, the app sees (and builds) https."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse

    from preentry.middleware import ProxyScheme

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        await PlainTextResponse(str(request.url))(scope, receive, send)

    behind = TestClient(ProxyScheme(echo, https=True))
    assert behind.get("/t/x").text == "https://testserver/t/x"
    direct = TestClient(ProxyScheme(echo, https=False))
    assert direct.get("/t/x").text == "http://testserver/t/x"


def test_allowed_hosts_cannot_be_a_wildcard(make_settings: Any) -> None:
    for hosts in ((), ("*",)):
        with pytest.raises(ValueError, match="allowed_hosts"):
            make_settings(allowed_hosts=hosts)


# -- the guided pages' sealed state ------------------------------------------------------------


def summary_pairs(client: TestClient, bundle: Procedure, lang: str = "ja") -> list[tuple[str, str]]:
    pairs = [(k, lang if k == "lang" else v) for k, v in filled(client, bundle)]
    assert len([v for k, v in pairs if k == "_state"]) == 1
    return pairs


@pytest.mark.parametrize("lang", ["ja", "vi"])
def test_a_tampered_state_is_refused_in_the_residents_language(
    client: TestClient, bundle: Procedure, lang: str
) -> None:
    pairs = summary_pairs(client, bundle, lang)
    state = next(v for k, v in pairs if k == "_state")
    # one character of the ciphertext changed
    middle = len(state) // 2
    flipped = state[:middle] + ("A" if state[middle] != "A" else "B") + state[middle + 1 :]
    for bad in (flipped, state[:-8], "v1.", "v2." + state[3:], "x" * 100):
        response = post(client, procedure_url(bundle), replace(pairs, "_state", bad))
        assert response.status_code == 400, bad[:10]
        assert f'<html lang="{lang}">' in response.text
        expected = Page(lang).plain(Msg("state.refused"))
        assert html.escape(expected, quote=False) in response.text or expected in response.text
        assert "<svg" not in response.text
        assert f'href="{procedure_url(bundle)}' in response.text, "a way to start again"
    # a state of one procedure is not accepted by another's page
    other = next(p for p in procedures(Catalog.builtin()) if p.id == "moving_out")
    response = post(client, procedure_url(other), pairs)
    assert response.status_code == 400 and "<svg" not in response.text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_expired_state_is_refused_with_a_clear_message(
    make_client: Any, bundle: Procedure, clock: Any, lang: str
) -> None:
    client = make_client(csrf_max_age=dt.timedelta(days=1))
    pairs = summary_pairs(client, bundle, lang)
    clock.now += dt.timedelta(hours=2, minutes=1)
    response = post(client, procedure_url(bundle), pairs)
    assert response.status_code == 400
    expected = Page(lang).plain(Msg("state.expired"))
    assert expected in response.text and f'<html lang="{lang}">' in response.text
    clock.now -= dt.timedelta(minutes=2)  # within its life it still works
    assert post(client, procedure_url(bundle), pairs).status_code == 200


def test_a_state_from_another_sites_key_is_refused(make_client: Any, bundle: Procedure) -> None:
    from forms.payload.keys import generate_signing_keypair

    pairs = summary_pairs(make_client(), bundle)
    other = make_client(signing_key=generate_signing_keypair()[0])
    other.cookies.update({"madoguchi_csrf": pairs_nonce(pairs)})
    response = post(other, procedure_url(bundle), pairs)
    assert response.status_code in (400, 403)
    assert "<svg" not in response.text


def pairs_nonce(pairs: list[tuple[str, str]]) -> str:
    return next(v for k, v in pairs if k == "csrf_token").split(".")[0]


def test_sealer_units() -> None:
    from preentry.sealed import MAX_SEALED_CHARS, Sealer, StateExpired, StateRefused

    sealer = Sealer(b"k" * 32, 60)
    token = sealer.seal({"a": {"x": ["秘密の値"]}}, binding="/b/x", now=1000)
    assert sealer.open(token, binding="/b/x", now=1010)["a"] == {"x": ["秘密の値"]}
    assert "秘密" not in token and "44KQ" not in token  # encrypted, not only signed
    with pytest.raises(StateRefused):
        sealer.open(token, binding="/b/other", now=1010)
    with pytest.raises(StateExpired):
        sealer.open(token, binding="/b/x", now=1061)
    with pytest.raises(StateRefused):
        sealer.open(token, binding="/b/x", now=800)  # issued in the future
    with pytest.raises(StateRefused):
        sealer.open("v1." + "A" * (MAX_SEALED_CHARS + 1), binding="/b/x", now=1000)
    with pytest.raises(StateRefused):
        Sealer(b"j" * 32, 60).open(token, binding="/b/x", now=1010)
