"""medical-legal examinations with findings on the Istanbul Protocol scale

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "medical_examinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("examined_on", sa.Date(), nullable=False),
        sa.Column("examiner_name", sa.String(length=200), nullable=True),
        sa.Column("examiner_kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column("psychological_done", sa.Boolean(), nullable=False),
        sa.Column("psychological_evaluation", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name="fk_medical_examinations_case_id_cases",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name="fk_medical_examinations_recorded_by_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_medical_examinations"),
    )
    op.create_index("ix_medical_examinations_case_id", "medical_examinations", ["case_id"])
    op.create_table(
        "examination_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("examination_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("allegation", sa.String(length=500), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["examination_id"],
            ["medical_examinations.id"],
            name="fk_examination_findings_examination_id_medical_examinations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_examination_findings"),
    )
    op.create_index(
        "ix_examination_findings_examination_id", "examination_findings", ["examination_id"]
    )


def downgrade():
    op.drop_index("ix_examination_findings_examination_id", table_name="examination_findings")
    op.drop_table("examination_findings")
    op.drop_index("ix_medical_examinations_case_id", table_name="medical_examinations")
    op.drop_table("medical_examinations")
