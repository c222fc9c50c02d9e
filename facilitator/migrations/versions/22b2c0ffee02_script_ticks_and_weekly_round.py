"""script ticks, the weekly round, homework tied to a goal

Revision ID: 22b2c0ffee02
Revises: 3873a987d498
Create Date: 2026-12-06 03:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '22b2c0ffee02'
down_revision = '3873a987d498'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('script_ticks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('ticked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['facilitators.id'], name=op.f('fk_script_ticks_facilitator_id_facilitators')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_script_ticks_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_script_ticks_session_id_group_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script_ticks')),
    sa.UniqueConstraint('item_id', 'step', name=op.f('uq_script_ticks_item_id_step'))
    )
    with op.batch_alter_table('script_ticks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_script_ticks_session_id'), ['session_id'], unique=False)

    op.create_table('round_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('reached_at', sa.DateTime(), nullable=True),
    sa.Column('techniques', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_round_entries_participant_id_participants')),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_round_entries_session_id_group_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_entries')),
    sa.UniqueConstraint('session_id', 'participant_id', name=op.f('uq_round_entries_session_id_participant_id'))
    )
    with op.batch_alter_table('round_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_entries_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_entries_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goal_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assignments_goal_id_goals'), 'goals', ['goal_id'], ['id'])


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignments_goal_id_goals'), type_='foreignkey')
        batch_op.drop_column('goal_id')

    with op.batch_alter_table('round_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_entries_session_id'))
        batch_op.drop_index(batch_op.f('ix_round_entries_participant_id'))
    op.drop_table('round_entries')

    with op.batch_alter_table('script_ticks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_script_ticks_session_id'))
    op.drop_table('script_ticks')
