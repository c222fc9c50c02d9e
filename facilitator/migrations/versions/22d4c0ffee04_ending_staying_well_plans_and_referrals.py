"""a real ending: staying-well plans and referrals

Revision ID: 22d4c0ffee04
Revises: 22c3c0ffee03
Create Date: 2026-12-06 03:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '22d4c0ffee04'
down_revision = '22c3c0ffee03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staying_well_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('warning_signs', sa.Text(), nullable=False),
    sa.Column('what_helps', sa.Text(), nullable=False),
    sa.Column('who_to_contact', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_staying_well_plans_group_id_groups')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_staying_well_plans_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staying_well_plans')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_staying_well_plans_participant_id'))
    )
    with op.batch_alter_table('staying_well_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staying_well_plans_group_id'), ['group_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('to_whom', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('referred_on', sa.DateTime(), nullable=False),
    sa.Column('outcome_on', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_referrals_group_id_groups')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_referrals_participant_id_participants')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['facilitators.id'], name=op.f('fk_referrals_recorded_by_id_facilitators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_participant_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_group_id'))
    op.drop_table('referrals')
    with op.batch_alter_table('staying_well_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staying_well_plans_group_id'))
    op.drop_table('staying_well_plans')
