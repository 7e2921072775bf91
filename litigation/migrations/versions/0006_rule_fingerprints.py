"""deadlines keep the fingerprint of their rule, the latest possible date, why they are
provisional and the legal basis in English; proceedings keep their route's version

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("latest_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("provisional", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("legal_basis_en", sa.String(length=300), nullable=True))
    with op.batch_alter_table("proceedings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route_version", sa.String(length=12), nullable=True))


def downgrade():
    with op.batch_alter_table("proceedings", schema=None) as batch_op:
        batch_op.drop_column("route_version")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("legal_basis_en")
        batch_op.drop_column("provisional")
        batch_op.drop_column("latest_due")
        batch_op.drop_column("fingerprint")
