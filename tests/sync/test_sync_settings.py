"""Kiosk settings: defaults under the data dir, environment, flags, and bad values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sync.client import read_token, require_secure_url
from sync.errors import BadServerUrl, InsecureServerUrl, TokenFileError
from sync.settings import DEFAULT_SERVER_URL, KioskSettings, SettingsError


def test_defaults_live_under_the_data_dir(tmp_path):
    s = KioskSettings.from_env({"MADOGUCHI_DATA_DIR": str(tmp_path), "MADOGUCHI_KIOSK_ID": "k1"})
    assert s.server_url == DEFAULT_SERVER_URL
    assert (s.db_path, s.token_file, s.office_key, s.template_cache) == (
        tmp_path / "outbox.sqlite3",
        tmp_path / "terminal.token",
        tmp_path / "office_public.pem",
        tmp_path / "templates",
    )
    assert s.retention == dt.timedelta(days=7)


def test_xdg_default_and_flags_over_environment(tmp_path):
    env = {
        "XDG_DATA_HOME": str(tmp_path),
        "MADOGUCHI_KIOSK_ID": "from-env",
        "MADOGUCHI_SERVER_URL": "https://office.example:8443",
        "MADOGUCHI_RETENTION_DAYS": "30",
    }
    s = KioskSettings.from_env(
        env, kiosk_id="from-flag", db_path=tmp_path / "x.db", server_url=None
    )
    assert s.data_dir == tmp_path / "madoguchi"
    assert s.kiosk_id == "from-flag" and s.db_path == tmp_path / "x.db"
    assert s.server_url == "https://office.example:8443"
    assert s.retention == dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"MADOGUCHI_KIOSK_ID": "has space"}, "kiosk_id"),
        ({"MADOGUCHI_KIOSK_ID": "x" * 65}, "kiosk_id"),
        ({"MADOGUCHI_SERVER_URL": "ftp://office"}, "server_url"),
        ({"MADOGUCHI_RETENTION_DAYS": "a week"}, "retention_days"),
        ({"MADOGUCHI_RETENTION_DAYS": "-1"}, "retention_days"),
    ],
)
def test_bad_settings_are_named(tmp_path, env, name):
    with pytest.raises(SettingsError) as info:
        KioskSettings.from_env(
            {"MADOGUCHI_DATA_DIR": str(tmp_path), "MADOGUCHI_KIOSK_ID": "k", **env}
        )
    assert f"setting {name} is invalid" in info.value.en


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.1.2.3",
        "http://localhost:8000/",
        "http://LOCALHOST",
        "http://[::1]:8000",
        "https://office.example",
        "https://192.0.2.10:8443",
        "https://[2001:db8::1]",
    ],
)
def test_https_or_loopback_http_server_urls_are_taken(tmp_path, url):
    env = {"MADOGUCHI_DATA_DIR": str(tmp_path), "MADOGUCHI_KIOSK_ID": "k1"}
    assert KioskSettings.from_env(env, server_url=url).server_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://office.example",
        "http://192.0.2.10:8000",
        "http://[2001:db8::1]",
        "http://localhost.office.example",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:192.0.2.1]",
    ],
)
def test_plain_http_to_another_machine_is_refused(tmp_path, url):
    env = {"MADOGUCHI_DATA_DIR": str(tmp_path), "MADOGUCHI_KIOSK_ID": "k1"}
    with pytest.raises(InsecureServerUrl) as refused:
        KioskSettings.from_env(env, server_url=url)
    assert refused.value.code == "insecure_server_url"
    assert "https://" in refused.value.ja and "https://" in refused.value.en
    with pytest.raises(InsecureServerUrl):
        KioskSettings.from_env({**env, "MADOGUCHI_SERVER_URL": url})


@pytest.mark.parametrize("url", ["", "ftp://office", "http://", "http://[::1", "office:80"])
def test_a_server_url_that_is_not_http_is_refused(url):
    with pytest.raises(BadServerUrl):
        require_secure_url(url)


def test_token_file(tmp_path: Path):
    good = tmp_path / "t"
    good.write_text("mdt_abc123\n", encoding="utf-8")
    assert read_token(good) == "mdt_abc123"
    for content, reason in [
        ("", "malformed"),
        ("two words", "malformed"),
        (b"\xff\xfe", "unreadable"),
    ]:
        bad = tmp_path / "bad"
        bad.write_bytes(content if isinstance(content, bytes) else content.encode())
        with pytest.raises(TokenFileError, match=reason):
            read_token(bad)
    with pytest.raises(TokenFileError, match="missing"):
        read_token(tmp_path / "none")
    with pytest.raises(TokenFileError) as info:
        read_token(good.with_name("nope"))
    assert "mdt_abc123" not in str(info.value)
