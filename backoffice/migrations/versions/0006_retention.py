"""Retention: an admin's shorter periods per template, and when an application's individual
number was erased (番号法 第20条).

Revision ID: 0006_retention
Revises: 0005_visits
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backoffice.models import UTCDateTime

revision = "0006_retention"
down_revision = "0005_visits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_settings",
        sa.Column("template_id", sa.String(64), primary_key=True),
        sa.Column("years", sa.Integer, nullable=True),
        sa.Column("individual_number_days", sa.Integer, nullable=True),
        sa.Column("set_by", sa.String(80), nullable=False),
        sa.Column("set_at", UTCDateTime, nullable=False),
    )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("individual_number_erased_at", UTCDateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("individual_number_erased_at")
    op.drop_table("retention_settings")
