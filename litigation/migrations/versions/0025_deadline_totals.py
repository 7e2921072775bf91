"""closed deadlines are counted per party, case and rule, so that the dashboard's time per party
and the State's delays read totals instead of every closed deadline

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

OPEN = ("proceeding_id", "stage", "due_date", "party")
DAYS = {
    False: "(d.closed_on - {start})",
    True: "CAST(julianday(d.closed_on) - julianday({start}) AS INTEGER)",
}
COUNTED = """
INSERT INTO deadline_totals
    (party, jurisdiction, authority, route, stage, rule, ran, days, missed, days_late)
SELECT d.party, c.jurisdiction, coalesce(c.authority, ''), p.route, d.stage, d.rule,
    sum(CASE WHEN d.closed_on > d.anchor_date THEN 1 ELSE 0 END),
    sum(CASE WHEN d.closed_on > d.anchor_date THEN {ran} ELSE 0 END),
    sum(CASE WHEN d.status = 'missed' THEN 1 ELSE 0 END),
    sum(CASE WHEN d.status = 'missed' THEN {late} ELSE 0 END)
FROM deadlines d
JOIN proceedings p ON p.id = d.proceeding_id
JOIN cases c ON c.id = p.case_id
WHERE d.status <> 'open'
GROUP BY d.party, c.jurisdiction, coalesce(c.authority, ''), p.route, d.stage, d.rule
"""


def upgrade():
    op.create_table(
        "deadline_totals",
        sa.Column("party", sa.String(length=10), nullable=False),
        sa.Column("jurisdiction", sa.String(length=8), nullable=False),
        sa.Column("authority", sa.String(length=300), nullable=False),
        sa.Column("route", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("ran", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "party",
            "jurisdiction",
            "authority",
            "route",
            "stage",
            "rule",
            name=op.f("pk_deadline_totals"),
        ),
    )
    _open_index(*OPEN, "anchor_date", "closed_on", "status", "rule")
    # Counted from the deadlines already there, as litigation/cases/totals.py keeps them.
    sqlite = op.get_bind().dialect.name == "sqlite"
    ran = DAYS[sqlite].format(start="d.anchor_date")
    late = DAYS[sqlite].format(start="d.due_date")
    op.execute(COUNTED.format(ran=ran, late=late))


def _open_index(*columns):
    """The open deadlines' partial index; covering, the dashboard reads them without the rows."""
    with op.batch_alter_table("deadlines") as batch_op:
        batch_op.drop_index("ix_deadline_open")
        batch_op.create_index(
            "ix_deadline_open",
            list(columns),
            unique=False,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )


def downgrade():
    _open_index(*OPEN)
    op.drop_table("deadline_totals")
