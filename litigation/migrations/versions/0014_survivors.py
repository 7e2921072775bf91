"""survivors as people: one record per person, linked to each of their cases

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:30:00

Each case's survivor name, contact and reprisal risk move to a survivor row of its own (one
per case: whether two cases concern one person is for a lawyer to say, never a guess from a
name). The columns then leave `cases`, so the name is kept in one place only.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MOVED = ("survivor_name", "survivor_contact", "reprisal_risk")


def _fold(name):
    # As litigation.cases.survivors.fold_name on the day of this migration.
    return " ".join(name.casefold().replace("ё", "е").split())[:200]


def upgrade():
    op.create_table(
        "survivors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("age_group", sa.String(length=10), nullable=True),
        sa.Column("contact", sa.String(length=300), nullable=True),
        sa.Column("reprisal_risk", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_survivors_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survivors")),
    )
    op.create_index("ix_survivors_name_folded", "survivors", ["name_folded"])
    op.add_column("cases", sa.Column("survivor_id", sa.Integer(), nullable=True))
    _move_survivors()
    # On SQLite this rebuilds `cases` (env.py turns foreign keys off while migrating, so the
    # rebuild does not cascade into proceedings); on PostgreSQL it alters it in place.
    with op.batch_alter_table("cases") as batch_op:
        batch_op.alter_column("survivor_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_cases_survivor_id_survivors", "survivors", ["survivor_id"], ["id"]
        )
        batch_op.create_index("ix_cases_survivor_id", ["survivor_id"])
        for column in MOVED:
            batch_op.drop_column(column)


def _move_survivors():
    bind = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("survivor_id", sa.Integer),
        *(sa.column(name, sa.String) for name in MOVED),
    )
    survivors = sa.table(
        "survivors",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_folded", sa.String),
        sa.column("sex", sa.String),
        sa.column("contact", sa.String),
        sa.column("reprisal_risk", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    now = dt.datetime.now(dt.UTC)
    rows = bind.execute(sa.select(cases).order_by(cases.c.id)).all()
    for row in rows:
        survivor_id = bind.execute(
            survivors.insert()
            .values(
                name=row.survivor_name,
                name_folded=_fold(row.survivor_name),
                sex="unknown",
                contact=row.survivor_contact,
                reprisal_risk=row.reprisal_risk or "unknown",
                created_at=now,
                version=1,
            )
            .returning(survivors.c.id)
        ).scalar_one()
        bind.execute(cases.update().where(cases.c.id == row.id).values(survivor_id=survivor_id))


def downgrade():
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("survivor_name", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("survivor_contact", sa.String(300), nullable=True))
        batch_op.add_column(sa.Column("reprisal_risk", sa.String(10), nullable=True))
    op.execute(
        "UPDATE cases SET survivor_name = (SELECT name FROM survivors WHERE id = survivor_id),"
        " survivor_contact = (SELECT contact FROM survivors WHERE id = survivor_id),"
        " reprisal_risk = (SELECT reprisal_risk FROM survivors WHERE id = survivor_id)"
    )
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_survivor_id")
        batch_op.drop_constraint("fk_cases_survivor_id_survivors", type_="foreignkey")
        batch_op.drop_column("survivor_id")
    op.drop_index("ix_survivors_name_folded", table_name="survivors")
    op.drop_table("survivors")
