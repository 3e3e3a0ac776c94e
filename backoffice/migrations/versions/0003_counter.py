"""The counter: call numbers (per office day) and each kiosk's offline letter, routing of
procedures to counters, call-staff alerts, kiosk heartbeats, and the call number an
application's visit carries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backoffice.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# sync.protocol.counter.OFFLINE_LETTERS when this revision was written (a migration must not
# change with later code).
_OFFLINE_LETTERS = "ZYXWVUTSRQPNMLKJ"


def upgrade() -> None:
    with op.batch_alter_table("terminals") as batch:
        batch.add_column(sa.Column("offline_letter", sa.String(1), nullable=True))
        batch.create_unique_constraint("uq_terminals_offline_letter", ["offline_letter"])
    bind = op.get_bind()
    kiosks = bind.execute(
        sa.text("SELECT id FROM terminals WHERE role = 'kiosk' ORDER BY id")
    ).scalars()
    for terminal_id, letter in zip(kiosks, _OFFLINE_LETTERS, strict=False):
        bind.execute(
            sa.text("UPDATE terminals SET offline_letter = :letter WHERE id = :id"),
            {"letter": letter, "id": terminal_id},
        )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("call_number", sa.String(5), nullable=True))
    op.create_table(
        "call_number_counters",
        sa.Column("day", sa.Date, primary_key=True, autoincrement=False),
        sa.Column("letter", sa.String(1), nullable=False),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "call_numbers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("call_number", sa.String(5), nullable=False),
        sa.Column("terminal", sa.String(64), nullable=False),
        sa.Column("visit", sa.String(32), nullable=False),
        sa.Column("procedures", sa.Text, nullable=False),
        sa.Column("issued_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("day", "call_number", name="uq_call_numbers_day_number"),
        sa.UniqueConstraint("day", "terminal", "visit", name="uq_call_numbers_day_visit"),
    )
    op.create_table(
        "routing",
        sa.Column("template_id", sa.String(64), primary_key=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("section_ja", sa.String(40), nullable=False),
        sa.Column("section_en", sa.String(60), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("kiosk", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("step", sa.String(32), nullable=True),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("raised_at", UTCDateTime, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("acknowledged_by", sa.String(80), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_alerts_open", "alerts", ["acknowledged_at", "received_at"])
    op.create_table(
        "kiosk_heartbeats",
        sa.Column("terminal", sa.String(64), primary_key=True),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("heartbeat_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kiosk_heartbeats")
    op.drop_index("ix_alerts_open", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("routing")
    op.drop_table("call_numbers")
    op.drop_table("call_number_counters")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("call_number")
    with op.batch_alter_table("terminals") as batch:
        batch.drop_constraint("uq_terminals_offline_letter", type_="unique")
        batch.drop_column("offline_letter")
