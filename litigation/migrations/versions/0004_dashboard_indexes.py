"""dashboard: stage stays, the stay-duration histogram and their indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stage_stays',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('proceeding_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('route', sa.String(length=40), nullable=False),
    sa.Column('trigger', sa.String(length=60), nullable=False),
    sa.Column('stage', sa.String(length=60), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_stage_stays_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proceeding_id'], ['proceedings.id'], name=op.f('fk_stage_stays_proceeding_id_proceedings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_stage_stays_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_stage_stays'))
    )
    with op.batch_alter_table('stage_stays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_stays_proceeding_id'), ['proceeding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_stays_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_stage_stays_entered', ['entered_on', 'route', 'trigger', 'case_id', 'event_id'], unique=False)
        # Partial: the planner then knows how few stays are current, or how many are finished.
        batch_op.create_index('ix_stage_stays_current', ['route', 'stage', 'entered_on', 'case_id', 'proceeding_id'], unique=False, sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))
        batch_op.create_index('ix_stage_stays_finished', ['route', 'stage', 'days', 'case_id', 'entered_on'], unique=False, sqlite_where=sa.text('days IS NOT NULL'), postgresql_where=sa.text('days IS NOT NULL'))

    op.create_table('stay_durations',
    sa.Column('route', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=60), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('stays', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('route', 'stage', 'days', name=op.f('pk_stay_durations'))
    )

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadline_party', ['party', 'status', 'due_date', 'anchor_date', 'closed_on'], unique=False)
        batch_op.create_index('ix_deadline_open', ['proceeding_id', 'stage', 'due_date', 'party'], unique=False, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    if op.get_bind().dialect.name == 'postgresql':
        # Without it the planner guesses ~10x too many (route, stage, days) groups for the
        # filtered bottleneck table and sorts on disk instead of hashing (bench/README.md).
        op.execute('CREATE STATISTICS st_stage_stays_groups (ndistinct) ON route, stage, days FROM stage_stays')

    # The stays are derived from the event history: compute them for the cases already there.
    from litigation.cases.stays import rebuild_stays

    rebuild_stays(op.get_bind(), durations=False)  # counted per jurisdiction by 0024


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS IF EXISTS st_stage_stays_groups')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_open')
        batch_op.drop_index('ix_deadline_party')

    op.drop_table('stay_durations')
    with op.batch_alter_table('stage_stays', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_stays_finished')
        batch_op.drop_index('ix_stage_stays_current')
        batch_op.drop_index('ix_stage_stays_entered')
        batch_op.drop_index(batch_op.f('ix_stage_stays_case_id'))
        batch_op.drop_index(batch_op.f('ix_stage_stays_proceeding_id'))

    op.drop_table('stage_stays')
