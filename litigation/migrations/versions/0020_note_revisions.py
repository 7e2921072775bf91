"""note_revisions: a note edited later is a new version; the event keeps the first

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

from litigation.audit.append_only import create_triggers, drop_table_triggers

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "note_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_note_revisions_event_id_events"
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name="fk_note_revisions_actor_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_note_revisions"),
    )
    op.create_index("ix_note_revisions_event_id", "note_revisions", ["event_id"])
    create_triggers(op.get_bind(), ("note_revisions",))


def downgrade():
    drop_table_triggers(op.get_bind(), "note_revisions")
    op.drop_table("note_revisions")
