"""round: a member flagged for supervision in the weekly round

Revision ID: 24a1c0ffee07
Revises: 23b2c0ffee06
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '24a1c0ffee07'
down_revision = '23b2c0ffee06'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round_entries') as batch:
        batch.add_column(sa.Column('flagged_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('round_entries') as batch:
        batch.drop_column('flagged_at')
