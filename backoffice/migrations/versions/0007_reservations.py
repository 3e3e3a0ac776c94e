"""引越しワンストップ: imported 転入予約 reservations (`backoffice.services.reservations`).

Revision ID: 0007_reservations
Revises: 0006_retention
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backoffice.models import UTCDateTime

revision = "0007_reservations"
down_revision = "0006_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reservations",
        sa.Column("reservation_id", sa.String(64), primary_key=True),
        sa.Column("match_name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("window_start", sa.Date, nullable=False),
        sa.Column("window_end", sa.Date, nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", UTCDateTime, nullable=False),
        sa.Column("imported_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_reservations_birth_window", "reservations", ["birth_date", "window_start"])


def downgrade() -> None:
    op.drop_index("ix_reservations_birth_window", table_name="reservations")
    op.drop_table("reservations")
