"""listings in a partner's words (the town, her answers about a job's conditions) and the
outcomes a partner reports about a candidate

Revision ID: partners_0001
Revises: scale_0001
Create Date: 2026-12-08 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = 'partners_0001'
down_revision = 'scale_0001'
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
        batch_op.add_column(sa.Column('danger', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('flag_codes', sa.String(length=400), nullable=False, server_default=','))
        batch_op.create_index('ix_opportunity_status_danger', ['status', 'danger'], unique=False)
    _backfill_flags()
    op.create_table('partner_outcome',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('referral_id', GUID(length=16), nullable=False),
    sa.Column('partner_id', GUID(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('recorded_by_id', GUID(length=16), nullable=True),
    sa.Column('recorded_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('confirmed_by_id', GUID(length=16), nullable=True),
    sa.Column('confirmed_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('confirmed_step', sa.String(length=16), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_partner_outcome_confirmed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['organisation.id'], name=op.f('fk_partner_outcome_partner_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_partner_outcome_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_partner_outcome_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_outcome'))
    )
    with op.batch_alter_table('partner_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_outcome_referral_id'), ['referral_id'], unique=False)


def _backfill_flags() -> None:
    """The review queue's search helpers for listings screened before they existed."""
    bind = op.get_bind()
    opportunity = sa.table('opportunity', sa.column('id', GUID()), sa.column('vetting_flags', sa.JSON()),
                           sa.column('danger', sa.Integer()), sa.column('flag_codes', sa.String()))
    rows = bind.execute(sa.select(opportunity.c.id, opportunity.c.vetting_flags)).all()
    for row_id, flags in rows:
        flags = flags or []
        if not flags:
            continue
        danger = max(({'high': 2, 'medium': 1}.get(str(flag.get('severity')), 0) for flag in flags), default=0)
        codes = ',' + ''.join(f"{flag.get('rule_id')}," for flag in flags)[:398]
        bind.execute(opportunity.update().where(opportunity.c.id == row_id).values(danger=danger, flag_codes=codes))


def downgrade() -> None:
    with op.batch_alter_table('partner_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_outcome_referral_id'))
    op.drop_table('partner_outcome')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunity_status_danger')
        batch_op.drop_column('flag_codes')
        batch_op.drop_column('danger')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
