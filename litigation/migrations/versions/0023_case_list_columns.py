"""cases keep their earliest open deadline and their words folded for search, with indexes
for each order of the cases list (a trigram index for search on PostgreSQL)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

CHUNK = 2000


def _fold(text):
    # As litigation.cases.summaries.search_text folds each part on the day of this migration.
    return " ".join(text.casefold().replace("ё", "е").split())


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column("cases", sa.Column("next_due", sa.Date(), nullable=True))
    op.add_column(
        "cases", sa.Column("search_text", sa.Text(), server_default="", nullable=False)
    )
    _backfill()
    op.create_index("ix_cases_next_due", "cases", ["next_due", "reference", "id"])
    op.create_index("ix_cases_opened", "cases", ["opened_on", "id"])
    op.create_index("ix_cases_jurisdiction", "cases", ["jurisdiction", "next_due"])
    op.create_index("ix_case_assignments_user", "case_assignments", ["user_id", "case_id"])
    op.create_index(
        "ix_proceedings_open",
        "proceedings",
        ["route", "stage", "case_id"],
        sqlite_where=sa.text("closed_on IS NULL"),
        postgresql_where=sa.text("closed_on IS NULL"),
    )
    op.create_index(
        "ix_cases_search",
        "cases",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def _backfill():
    bind = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("reference", sa.String),
        sa.column("survivor_id", sa.Integer),
        sa.column("incident_place", sa.String),
        sa.column("authority", sa.String),
        sa.column("next_due", sa.Date),
        sa.column("search_text", sa.Text),
    )
    survivors = sa.table("survivors", sa.column("id", sa.Integer), sa.column("name", sa.String))
    proceedings = sa.table(
        "proceedings", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer)
    )
    deadlines = sa.table(
        "deadlines",
        sa.column("proceeding_id", sa.Integer),
        sa.column("due_date", sa.Date),
        sa.column("status", sa.String),
    )
    earliest = (
        sa.select(sa.func.min(deadlines.c.due_date))
        .join(proceedings, proceedings.c.id == deadlines.c.proceeding_id)
        .where(proceedings.c.case_id == cases.c.id, deadlines.c.status == "open")
        .scalar_subquery()
    )
    bind.execute(cases.update().values(next_due=earliest))
    rows = bind.execute(
        sa.select(
            cases.c.id,
            cases.c.reference,
            survivors.c.name,
            cases.c.incident_place,
            cases.c.authority,
        ).join(survivors, survivors.c.id == cases.c.survivor_id)
    ).all()
    update = (
        cases.update()
        .where(cases.c.id == sa.bindparam("case"))
        .values(search_text=sa.bindparam("text"))
    )
    values = [
        {"case": row[0], "text": " ".join(_fold(part) for part in row[1:] if part)}
        for row in rows
    ]
    for first in range(0, len(values), CHUNK):
        bind.execute(update, values[first : first + CHUNK])


def downgrade():
    op.drop_index("ix_cases_search", table_name="cases")
    op.drop_index("ix_case_assignments_user", table_name="case_assignments")
    op.drop_index("ix_proceedings_open", table_name="proceedings")
    op.drop_index("ix_cases_jurisdiction", table_name="cases")
    op.drop_index("ix_cases_opened", table_name="cases")
    op.drop_index("ix_cases_next_due", table_name="cases")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("next_due")
