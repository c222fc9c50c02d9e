"""fidelity: the session's own fidelity record and the supervisor's review

Revision ID: 23b2c0ffee06
Revises: 23a1c0ffee05
Create Date: 2026-12-06 04:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '23b2c0ffee06'
down_revision = '23a1c0ffee05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'fidelity_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('competence', sa.JSON(), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=True),
        sa.Column('comments', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['facilitators.id']),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id']),
        sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id', 'kind'),
    )
    with op.batch_alter_table('fidelity_ratings') as batch:
        batch.create_index('ix_fidelity_ratings_session_id', ['session_id'])
        batch.create_index('ix_fidelity_ratings_group_id', ['group_id'])


def downgrade():
    op.drop_table('fidelity_ratings')
