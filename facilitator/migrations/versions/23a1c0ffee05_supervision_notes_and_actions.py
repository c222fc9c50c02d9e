"""supervision: notes on a group or session, with actions (a supervisor is a team role)

Revision ID: 23a1c0ffee05
Revises: 22d4c0ffee04
Create Date: 2026-12-06 03:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '23a1c0ffee05'
down_revision = '22d4c0ffee04'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'supervision_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['facilitators.id']),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id']),
        sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('supervision_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_notes_group_id'), ['group_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_notes_session_id'), ['session_id'],
                              unique=False)
    op.create_table(
        'supervision_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('note_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(length=300), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['closed_by_id'], ['facilitators.id']),
        sa.ForeignKeyConstraint(['note_id'], ['supervision_notes.id']),
        sa.ForeignKeyConstraint(['owner_id'], ['facilitators.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('supervision_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_actions_note_id'), ['note_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('supervision_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_actions_note_id'))
    op.drop_table('supervision_actions')
    with op.batch_alter_table('supervision_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_notes_session_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_notes_group_id'))
    op.drop_table('supervision_notes')
