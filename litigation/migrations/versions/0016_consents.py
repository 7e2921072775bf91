"""consent records (scope, date, form, evidence, withdrawal) replace the two consent checkboxes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CARRIED_OVER = (
    "Перенесено из прежней отметки в карточке дела; дата — дата открытия дела, а не дата "
    "согласия. / Carried over from the former checkbox on the case form; the date is the "
    "case's opening date, not the date consent was given."
)
COLUMNS = {"litigation": "consent_to_litigation", "publication": "consent_to_publication"}


def upgrade():
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("form", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evidence_document_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_consent_records_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name="fk_consent_records_recorded_by_id_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
            name="fk_consent_records_withdrawn_by_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consent_records"),
    )
    op.create_index("ix_consent_records_case_id", "consent_records", ["case_id"])
    for scope, column in COLUMNS.items():
        op.execute(
            sa.text(
                "INSERT INTO consent_records (case_id, scope, given_on, note, recorded_at, version)"
                f" SELECT id, :scope, opened_on, :note, CURRENT_TIMESTAMP, 1 FROM cases"
                f" WHERE {column}"
            ).bindparams(scope=scope, note=CARRIED_OVER)
        )
    # In place, never by copying the table: SQLite would drop `cases` with its foreign keys
    # on, and that implicit DELETE cascades to every proceeding. SQLite >= 3.35 drops a plain
    # column itself.
    with op.batch_alter_table("cases", recreate="never") as batch_op:
        for column in COLUMNS.values():
            batch_op.drop_column(column)


def downgrade():
    with op.batch_alter_table("cases", recreate="never") as batch_op:
        for column in COLUMNS.values():
            batch_op.add_column(
                sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false())
            )
    # A checkbox again: ticked where the newest consent of the scope is not withdrawn.
    for scope, column in COLUMNS.items():
        op.execute(
            sa.text(
                f"UPDATE cases SET {column} = :yes WHERE id IN ("
                " SELECT newest.case_id FROM consent_records AS newest"
                " WHERE newest.scope = :scope AND newest.withdrawn_on IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM consent_records AS later"
                "  WHERE later.case_id = newest.case_id AND later.scope = newest.scope"
                "  AND (later.given_on > newest.given_on"
                "   OR (later.given_on = newest.given_on AND later.id > newest.id))))"
            ).bindparams(sa.bindparam("yes", True, sa.Boolean()), scope=scope)
        )
    op.drop_index("ix_consent_records_case_id", table_name="consent_records")
    op.drop_table("consent_records")
