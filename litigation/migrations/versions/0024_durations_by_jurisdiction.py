"""the bottleneck histogram is kept per jurisdiction, so that the dashboard filtered by
jurisdiction reads it instead of every finished stay

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

COUNTED = """
INSERT INTO stay_durations ({key}, stays)
SELECT {chosen}, count(*) FROM stage_stays
JOIN cases ON cases.id = stage_stays.case_id
WHERE stage_stays.days IS NOT NULL
GROUP BY {chosen}
"""


def _create(*key):
    op.drop_table("stay_durations")
    columns = {
        "jurisdiction": sa.Column("jurisdiction", sa.String(length=8), nullable=False),
        "route": sa.Column("route", sa.String(length=40), nullable=False),
        "stage": sa.Column("stage", sa.String(length=60), nullable=False),
        "days": sa.Column("days", sa.Integer(), nullable=False),
    }
    op.create_table(
        "stay_durations",
        *(columns[name] for name in key),
        sa.Column("stays", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_stay_durations")),
    )
    # Counted from the stays, which the operations keep in line with the history.
    chosen = ", ".join(
        f"cases.{name}" if name == "jurisdiction" else f"stage_stays.{name}" for name in key
    )
    op.execute(COUNTED.format(key=", ".join(key), chosen=chosen))


def upgrade():
    _create("jurisdiction", "route", "stage", "days")


def downgrade():
    _create("route", "stage", "days")
