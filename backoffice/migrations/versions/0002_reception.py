"""Reception terminal: kiosk signing keys (paper import), paper-imported applications, the
call to the counter (call board), the queue's change stamp (ETag) and identity-check notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backoffice.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminals") as batch:
        batch.add_column(sa.Column("signing_public_key", sa.Text, nullable=True))
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("source", sa.String(16), nullable=False, server_default="kiosk"))
        batch.add_column(sa.Column("has_pdf", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("paper_imported_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("paper_imported_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("called_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("updated_at", UTCDateTime, nullable=True))
    op.execute("UPDATE applications SET updated_at = status_changed_at")
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("updated_at", existing_type=UTCDateTime, nullable=False)
    with op.batch_alter_table("identity_checks") as batch:
        batch.add_column(sa.Column("note", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity_checks") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("applications") as batch:
        for column in (
            "updated_at",
            "called_at",
            "paper_imported_by",
            "paper_imported_at",
            "has_pdf",
            "source",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("terminals") as batch:
        batch.drop_column("signing_public_key")
