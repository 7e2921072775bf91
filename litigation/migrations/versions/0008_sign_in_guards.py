"""sign_in_guards: one row per account that attempts lock, so guesses are counted atomically

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_guards",
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("unreported", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email", name="pk_sign_in_guards"),
    )


def downgrade():
    op.drop_table("sign_in_guards")
