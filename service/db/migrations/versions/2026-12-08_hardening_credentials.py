"""hardening: API tokens remember the session they were made in (logout revokes them)

Revision ID: hardening_0001
Revises: b63b36dde5e9
Create Date: 2026-12-08 01:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

sa.GUID = GUID

revision = 'hardening_0001'
down_revision = 'b63b36dde5e9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_token_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_api_token_session_id_user_session'), 'user_session', ['session_id'], ['id'], ondelete='SET NULL'
        )


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_session_id_user_session'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_token_session_id'))
        batch_op.drop_column('session_id')
