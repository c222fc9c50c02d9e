"""role-play of a member's own conversation, and its debriefs

Revision ID: 22c3c0ffee03
Revises: 22b2c0ffee02
Create Date: 2026-12-06 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '22c3c0ffee03'
down_revision = '22b2c0ffee02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('other_person', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('inventory_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('wants_to_say', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('member_plays', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('safety_checked', sa.Boolean(), nullable=True))
        batch_op.create_index(batch_op.f('ix_prompts_participant_id'), ['participant_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_prompts_participant_id_participants'),
                                    'participants', ['participant_id'], ['id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_prompts_inventory_person_id_inventory_people'),
            'inventory_people', ['inventory_person_id'], ['id'])

    op.create_table('roleplay_debriefs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=False),
    sa.Column('worked', sa.Text(), nullable=False),
    sa.Column('next_time', sa.Text(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['facilitators.id'], name=op.f('fk_roleplay_debriefs_facilitator_id_facilitators')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_roleplay_debriefs_participant_id_participants')),
    sa.ForeignKeyConstraint(['prompt_id'], ['prompts.id'], name=op.f('fk_roleplay_debriefs_prompt_id_prompts')),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_roleplay_debriefs_session_id_group_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roleplay_debriefs')),
    sa.UniqueConstraint('prompt_id', name=op.f('uq_roleplay_debriefs_prompt_id'))
    )
    with op.batch_alter_table('roleplay_debriefs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roleplay_debriefs_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roleplay_debriefs_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('roleplay_debriefs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roleplay_debriefs_session_id'))
        batch_op.drop_index(batch_op.f('ix_roleplay_debriefs_participant_id'))

    op.drop_table('roleplay_debriefs')
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_prompts_inventory_person_id_inventory_people'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_prompts_participant_id_participants'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_prompts_participant_id'))
        batch_op.drop_column('safety_checked')
        batch_op.drop_column('member_plays')
        batch_op.drop_column('wants_to_say')
        batch_op.drop_column('inventory_person_id')
        batch_op.drop_column('other_person')
        batch_op.drop_column('participant_id')
