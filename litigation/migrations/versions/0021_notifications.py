"""notifications: e-mail preferences of users, a case's backup lawyer, the outbox of messages

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 01:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("email_reminders", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(
            sa.Column("digest", sa.String(length=10), server_default="off", nullable=False)
        )
        batch.add_column(
            sa.Column("digest_weekday", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("digest_hour", sa.Integer(), server_default="8", nullable=False))
        batch.add_column(
            sa.Column(
                "time_zone", sa.String(length=40), server_default="Asia/Almaty", nullable=False
            )
        )
        batch.add_column(sa.Column("quiet_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("quiet_until", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("team_digest", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(
            sa.Column("names_in_email", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("backup_lawyer_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_cases_backup_lawyer_id_users",
            "users",
            ["backup_lawyer_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_notifications_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint("key", name="uq_notifications_key"),
    )
    op.create_index("ix_notifications_user_id", "notifications", ["user_id"])
    op.create_index("ix_notification_due", "notifications", ["status", "not_before"])


def downgrade():
    op.drop_index("ix_notification_due", table_name="notifications")
    op.drop_index("ix_notifications_user_id", table_name="notifications")
    op.drop_table("notifications")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("fk_cases_backup_lawyer_id_users", type_="foreignkey")
        batch.drop_column("backup_lawyer_id")
    with op.batch_alter_table("users") as batch:
        for column in (
            "names_in_email",
            "team_digest",
            "quiet_until",
            "quiet_from",
            "time_zone",
            "digest_hour",
            "digest_weekday",
            "digest",
            "email_reminders",
        ):
            batch.drop_column(column)
