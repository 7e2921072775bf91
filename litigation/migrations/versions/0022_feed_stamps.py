"""feed stamps: cases remember when what a calendar shows of them last changed, users when
their access did, so that a calendar feed answers "not modified" without building itself;
indexes for the stamp and for the feed's recently closed deadlines and hearings

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 12:00:00

"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)


def _add_stamp(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(column, STAMP, nullable=True))
    # Earlier changes are not dated anywhere cheap: the migration itself stands for them, so
    # every feed builds once more after it, then answers from its stamp.
    now = sa.bindparam("now", dt.datetime.now(dt.UTC), type_=STAMP)
    op.execute(sa.text(f"UPDATE {table} SET {column} = :now").bindparams(now))
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column(column, existing_type=STAMP, nullable=False)


def upgrade():
    _add_stamp("cases", "updated_at")
    _add_stamp("users", "access_changed_at")
    op.create_index("ix_cases_updated_at", "cases", ["updated_at"])
    op.create_index("ix_cases_jurisdiction_updated_at", "cases", ["jurisdiction", "updated_at"])
    op.create_index("ix_deadlines_closed_on", "deadlines", ["closed_on"])
    op.create_index("ix_hearings_starts_on", "hearings", ["starts_on"])


def downgrade():
    op.drop_index("ix_hearings_starts_on", table_name="hearings")
    op.drop_index("ix_deadlines_closed_on", table_name="deadlines")
    op.drop_index("ix_cases_jurisdiction_updated_at", table_name="cases")
    op.drop_index("ix_cases_updated_at", table_name="cases")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("access_changed_at")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
