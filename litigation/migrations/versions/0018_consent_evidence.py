"""a consent's evidence is a document of the case (the signed form, the recording)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 22:40:00

"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite rebuilds consent_records (env.py keeps foreign keys off while migrating); a
    # number that names no document is cleared first rather than refused.
    op.execute(
        "UPDATE consent_records SET evidence_document_id = NULL WHERE evidence_document_id "
        "IS NOT NULL AND evidence_document_id NOT IN (SELECT id FROM documents)"
    )
    with op.batch_alter_table("consent_records") as batch_op:
        batch_op.create_foreign_key(
            "fk_consent_records_evidence_document_id_documents",
            "documents",
            ["evidence_document_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("consent_records") as batch_op:
        batch_op.drop_constraint(
            "fk_consent_records_evidence_document_id_documents", type_="foreignkey"
        )
