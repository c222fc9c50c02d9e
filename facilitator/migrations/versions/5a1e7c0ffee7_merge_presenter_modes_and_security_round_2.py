"""Merge the two heads of this round: presenter modes and security round 2.

Revision ID: 5a1e7c0ffee7
Revises: d18c0ffee004, f19c0ffee006
"""

revision = "5a1e7c0ffee7"
down_revision = ("d18c0ffee004", "f19c0ffee006")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
