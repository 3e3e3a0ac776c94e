"""Migrations on a fresh database of both kinds, matching the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from backoffice import migrate
from backoffice.db import make_engine
from backoffice.models import Base
from madoguchi.cli import main

TABLES = {
    "applications",
    "audit_log",
    "enrolment_failures",
    "enrolments",
    "identity_checks",
    "office_keys",
    "receipt_counters",
    "retention_settings",
    "reservations",
    "status_changes",
    "templates",
    "terminals",
    "user_sessions",
    "users",
    "alembic_version",
    "call_number_counters",
    "call_numbers",
    "routing",
    "alerts",
    "kiosk_heartbeats",
}


def test_fresh_database_migrates_to_head_and_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert set(inspect(engine).get_table_names()) == TABLES
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        migrate.upgrade(engine)  # idempotent
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_cli_migrate_and_health(db_url: str, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backoffice", "migrate", "--db", db_url, "--data-dir", str(tmp_path)]) == 0
    assert f"schema revision: {migrate.head_revision()}" in capsys.readouterr().out


def test_health_reports_the_schema(office) -> None:  # type: ignore[no-untyped-def]
    health = office.client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["database"] == "ok"
    assert health["schema_revision"] == migrate.head_revision()
    assert health["templates"] >= 1
    key = office.client.get("/api/v1/office-key").json()
    assert key["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    openapi = office.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/ingest" in openapi["paths"]
    assert "bearer" in str(openapi["components"]["securitySchemes"]).lower()


def test_a_bad_database_url_is_a_clear_cli_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backoffice", "migrate", "--db", "mysql://nope", "--data-dir", str(tmp_path)]) == 1
    assert "database" in capsys.readouterr().err
    assert (
        main(
            [
                "backoffice",
                "migrate",
                "--db",
                "postgresql+psycopg://x@127.0.0.1:1/none",
                "--data-dir",
                str(tmp_path),
            ]
        )
        == 1
    )
    assert "cannot reach the database" in capsys.readouterr().err
