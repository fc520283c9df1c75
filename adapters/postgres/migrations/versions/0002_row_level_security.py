"""row-level security on todos and idempotency_keys

Every statement the service sends sets `app.user_id` for its own transaction
(set_config(..., true)); these policies admit only that user's rows, so a query that forgot its
user filter still sees nothing of anyone else. FORCE applies them to the table owner too, which
is the role the service connects as (Neon's default role owns the tables and is no superuser;
superusers and BYPASSRLS roles are never subject to policies). No setting, no rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid"
TABLES = ("todos", "idempotency_keys")


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {table}_of_current_user ON {table} "
            f"USING (user_id = {CURRENT_USER}) WITH CHECK (user_id = {CURRENT_USER})"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP POLICY {table}_of_current_user ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
