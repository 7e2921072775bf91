"""hearings remember when they last changed (the calendar feeds' LAST-MODIFIED)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    # Edits made before this column are not dated anywhere but the audit trail: the latest
    # date the row itself knows stands for them.
    op.execute("UPDATE hearings SET updated_at = COALESCE(cancelled_at, created_at)")
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
