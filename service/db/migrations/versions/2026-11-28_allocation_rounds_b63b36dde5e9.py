"""allocation rounds and their assignments (their own tables only)

Revision ID: b63b36dde5e9
Revises: ec65d1d864a2
Create Date: 2026-11-28 21:39:29.169552
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Text
from advanced_alchemy.types import GUID, ORA_JSONB, DateTimeUTC, JsonB
from alembic import op
from sqlalchemy.dialects import postgresql

# Encrypted columns are plain text in the database; the key never appears here.
sa.GUID = GUID
sa.DateTimeUTC = DateTimeUTC
sa.JsonB = JsonB
sa.ORA_JSONB = ORA_JSONB

revision = 'b63b36dde5e9'
down_revision = 'ec65d1d864a2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('allocation_round',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('organisation_id', sa.GUID(length=16), nullable=False),
    sa.Column('created_by_id', sa.GUID(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('kinds', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'cockroachdb').with_variant(sa.ORA_JSONB(), 'oracle').with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('prioritise_waiting', sa.Boolean(), nullable=False),
    sa.Column('survivor_count', sa.Integer(), nullable=False),
    sa.Column('candidate_count', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=60), nullable=False),
    sa.Column('objective', sa.Float(), nullable=False),
    sa.Column('placed', sa.Integer(), nullable=False),
    sa.Column('greedy_objective', sa.Float(), nullable=False),
    sa.Column('greedy_placed', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('unplaced', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'cockroachdb').with_variant(sa.ORA_JSONB(), 'oracle').with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('accepted_by_id', sa.GUID(length=16), nullable=True),
    sa.Column('accepted_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user_account.id'], name=op.f('fk_allocation_round_accepted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_allocation_round_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_allocation_round_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_round'))
    )
    with op.batch_alter_table('allocation_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_round_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('allocation_assignment',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('round_id', sa.GUID(length=16), nullable=False),
    sa.Column('survivor_id', sa.GUID(length=16), nullable=False),
    sa.Column('opportunity_id', sa.GUID(length=16), nullable=False),
    sa.Column('childcare_id', sa.GUID(length=16), nullable=True),
    sa.Column('language_class_id', sa.GUID(length=16), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('referral_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'cockroachdb').with_variant(sa.ORA_JSONB(), 'oracle').with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['childcare_id'], ['opportunity.id'], name=op.f('fk_allocation_assignment_childcare_id_opportunity'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['language_class_id'], ['opportunity.id'], name=op.f('fk_allocation_assignment_language_class_id_opportunity'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_allocation_assignment_opportunity_id_opportunity'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['allocation_round.id'], name=op.f('fk_allocation_assignment_round_id_allocation_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivor.id'], name=op.f('fk_allocation_assignment_survivor_id_survivor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_assignment'))
    )
    with op.batch_alter_table('allocation_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_assignment_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_assignment_survivor_id'), ['survivor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('allocation_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_assignment_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_assignment_round_id'))

    op.drop_table('allocation_assignment')
    with op.batch_alter_table('allocation_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_round_organisation_id'))

    op.drop_table('allocation_round')
