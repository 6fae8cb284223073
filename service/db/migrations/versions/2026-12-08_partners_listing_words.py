"""listings in a partner's words: the town, and her answers about a job's conditions

Revision ID: partners_0001
Revises: b63b36dde5e9
Create Date: 2026-12-08 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'partners_0001'
down_revision = 'b63b36dde5e9'
branch_labels = None
depends_on = None

_COLUMNS = (
    ('place_name', sa.String(length=80)),
    ('rent_deducted', sa.Boolean()),
    ('travel_charged', sa.Boolean()),
    ('costs_deducted', sa.Boolean()),
    ('documents_held_by', sa.String(length=16)),
    ('wages_paid', sa.String(length=16)),
)


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        for name, type_ in _COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
