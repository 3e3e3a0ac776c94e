"""Visits: each application carries its kiosk session's record id (`visit_key`), so the forms
of one visit are one row in the reception queue. Existing rows get it from their stored
session record.

Revision ID: 0005_visits
Revises: 0004_security
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005_visits"
down_revision = "0004_security"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("visit_key", sa.Uuid(), nullable=True))
    bind = op.get_bind()
    table = sa.table(
        "applications",
        sa.column("id", sa.Integer),
        sa.column("record_json", sa.Text),
        sa.column("visit_key", sa.Uuid()),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, table.c.record_json)
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        for row_id, record_json in rows:
            try:
                key = uuid.UUID(str(json.loads(record_json)["id"]))
            except (ValueError, KeyError, TypeError):
                key = uuid.uuid4()  # an unreadable record: a visit of its own
            bind.execute(sa.update(table).where(table.c.id == row_id).values(visit_key=key))
        last = rows[-1][0]
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("visit_key", existing_type=sa.Uuid(), nullable=False)
        batch.create_index("ix_applications_visit_key", ["visit_key"])


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_visit_key")
        batch.drop_column("visit_key")
