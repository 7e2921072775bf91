"""audit_entries, and triggers that keep it and the event history append-only

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:00:00

"""

import sqlalchemy as sa
from alembic import op

from litigation.audit.append_only import create_triggers, drop_triggers

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
    )
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])
    op.create_index("ix_audit_entries_kind", "audit_entries", ["kind"])
    op.create_index("ix_audit_entries_actor_id", "audit_entries", ["actor_id"])
    op.create_index("ix_audit_entries_case_id", "audit_entries", ["case_id"])
    # The tables of this revision: later ones add their own (0021: note_revisions).
    create_triggers(op.get_bind(), ("events", "audit_entries"))


def downgrade():
    drop_triggers(op.get_bind(), ("events", "audit_entries"))
    op.drop_table("audit_entries")
