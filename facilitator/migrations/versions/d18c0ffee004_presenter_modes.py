"""Presenter mode: which facilitator shares which session's console

Revision ID: d18c0ffee004
Revises: 7fe42ad53a76
"""

import sqlalchemy as sa
from alembic import op

revision = "d18c0ffee004"
down_revision = "7fe42ad53a76"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "presenter_modes",
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitators.id"],
                                name=op.f("fk_presenter_modes_facilitator_id_facilitators")),
        sa.ForeignKeyConstraint(["session_id"], ["group_sessions.id"],
                                name=op.f("fk_presenter_modes_session_id_group_sessions")),
        sa.PrimaryKeyConstraint("facilitator_id", "session_id",
                                name=op.f("pk_presenter_modes")),
    )


def downgrade():
    op.drop_table("presenter_modes")
