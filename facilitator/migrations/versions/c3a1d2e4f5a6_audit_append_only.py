"""The audit trail is append-only: the database refuses to change or delete an entry.

Revision ID: c3a1d2e4f5a6
Revises: c6219a01cb91
"""

from alembic import op

revision = "c3a1d2e4f5a6"
down_revision = "c6219a01cb91"
branch_labels = None
depends_on = None

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE "
                   "ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()")
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                   "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER audit_events_no_{verb}")
