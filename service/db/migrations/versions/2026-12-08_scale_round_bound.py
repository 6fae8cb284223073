"""allocation rounds keep the bound they were solved against and the gap to it

Revision ID: scale_0001
Revises: labels_0001
Create Date: 2026-12-08 01:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'scale_0001'
down_revision = 'labels_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('allocation_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bound', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('gap', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('allocation_round', schema=None) as batch_op:
        batch_op.drop_column('gap')
        batch_op.drop_column('bound')
