"""feed subscriptions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('route', sa.String(length=40), nullable=True),
    sa.Column('jurisdiction', sa.String(length=8), nullable=True),
    sa.Column('lawyer_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=60), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('with_names', sa.Boolean(), nullable=False),
    sa.Column('reminder_events', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_feed_subscriptions_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_feed_subscriptions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lawyer_id'], ['users.id'], name=op.f('fk_feed_subscriptions_lawyer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_feed_subscriptions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_subscriptions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_subscriptions_token_hash'))
    )
    with op.batch_alter_table('feed_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_subscriptions_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('feed_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_subscriptions_owner_id'))

    op.drop_table('feed_subscriptions')
