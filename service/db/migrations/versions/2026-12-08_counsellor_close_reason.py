"""why a case was closed (placed and stable, moved away, stopped contact, transferred, other)

Revision ID: counsellor_0001
Revises: partners_0001
Create Date: 2026-12-08 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "counsellor_0001"
down_revision = "partners_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survivor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survivor", schema=None) as batch_op:
        batch_op.drop_column("closed_reason")
