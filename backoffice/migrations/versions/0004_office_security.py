"""Office security: two-person activation of credentials that read records, one-time
enrolment codes (and wrong tries per address), the office key history for key rotation, and
which office key each terminal last pulled.

Existing terminals and users stay active (activated when they were created).

Revision ID: 0003_security
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backoffice.models import UTCDateTime

revision = "0004_security"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminals") as batch:
        batch.add_column(sa.Column("created_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("activated_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("activated_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("office_key_fingerprint", sa.String(40), nullable=True))
        batch.add_column(sa.Column("office_key_since", UTCDateTime, nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("created_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("activated_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("activated_by", sa.String(80), nullable=True))
    op.execute("UPDATE terminals SET activated_at = created_at")
    op.execute("UPDATE users SET activated_at = created_at")
    op.create_table(
        "office_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(40), nullable=False, unique=True),
        sa.Column("public_pem", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("superseded_at", UTCDateTime, nullable=True),
        sa.Column("retired_at", UTCDateTime, nullable=True),
        sa.Column("retired_by", sa.String(80), nullable=True),
        sa.Column("retired_reason", sa.String(200), nullable=True),
    )
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("lookup", sa.String(8), nullable=False, index=True),
        sa.Column("code_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("proof", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime, nullable=True),
        sa.Column("used_from", sa.String(64), nullable=True),
    )
    op.create_table(
        "enrolment_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_enrolment_failures_address_at", "enrolment_failures", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_enrolment_failures_address_at", table_name="enrolment_failures")
    op.drop_table("enrolment_failures")
    op.drop_table("enrolments")
    op.drop_table("office_keys")
    with op.batch_alter_table("users") as batch:
        for column in ("activated_by", "activated_at", "created_by"):
            batch.drop_column(column)
    with op.batch_alter_table("terminals") as batch:
        for column in (
            "office_key_since",
            "office_key_fingerprint",
            "activated_by",
            "activated_at",
            "created_by",
        ):
            batch.drop_column(column)
