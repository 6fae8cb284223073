"""referrals proposed together as one bundle share a proposal id

Revision ID: labels_0001
Revises: b63b36dde5e9
Create Date: 2026-12-08 01:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision = 'labels_0001'
down_revision = 'b63b36dde5e9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_referral_proposal_id'), ['proposal_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_proposal_id'))
        batch_op.drop_column('proposal_id')
