"""one-time links (invitations, resets), reset throttling, last sign-in, organisation active and
partner-checking flags, partner checks, proposals dropped from a round

Revision ID: accounts_0001
Revises: counsellor_0001
Create Date: 2026-12-08 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.GUID = GUID
sa.DateTimeUTC = DateTimeUTC

revision = 'accounts_0001'
down_revision = 'counsellor_0001'  # chained after counsellor_0001 when merged into main
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('one_time_link',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.GUID(length=16), nullable=False),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.GUID(length=16), nullable=True),
    sa.Column('consent_id', sa.GUID(length=16), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_one_time_link_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_one_time_link_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], name=op.f('fk_one_time_link_consent_id_consent'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_one_time_link_token_hash'))
    )
    op.create_index('ix_one_time_link_user_purpose', 'one_time_link', ['user_id', 'purpose'], unique=False)
    op.create_table('link_request',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('account_key', sa.String(length=64), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_request'))
    )
    op.create_index('ix_link_request_account_at', 'link_request', ['account_key', 'at'], unique=False)
    op.create_index('ix_link_request_client_at', 'link_request', ['client_key', 'at'], unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTimeUTC(timezone=True), nullable=True))
    # A plain ADD COLUMN, not batch mode: batch mode rebuilds the table on SQLite for a default
    # it cannot add in place, and dropping the old organisation table fails the foreign keys of
    # every row that points at it (an existing database with people in it).
    op.add_column('organisation', sa.Column('is_active', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column('organisation', sa.Column('may_check_partners', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Until now any NGO's coordinators could check partners: existing NGOs keep that; new ones
    # get it from an administrator.
    op.execute("UPDATE organisation SET may_check_partners = true WHERE kind = 'support'")
    op.create_table('partner_check',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('organisation_id', sa.GUID(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.String(length=1000), nullable=False),
    sa.Column('checked_by_id', sa.GUID(length=16), nullable=True),
    sa.Column('checked_by_org_id', sa.GUID(length=16), nullable=True),
    sa.Column('checked_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_partner_check_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user_account.id'], name=op.f('fk_partner_check_checked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['checked_by_org_id'], ['organisation.id'], name=op.f('fk_partner_check_checked_by_org_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_check'))
    )
    op.create_index('ix_partner_check_org_kind', 'partner_check', ['organisation_id', 'kind'], unique=False)
    with op.batch_alter_table('allocation_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dropped_at', sa.DateTimeUTC(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('allocation_assignment', schema=None) as batch_op:
        batch_op.drop_column('dropped_at')
    op.drop_index('ix_partner_check_org_kind', table_name='partner_check')
    op.drop_table('partner_check')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('may_check_partners')
        batch_op.drop_column('is_active')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('last_sign_in_at')
    op.drop_index('ix_link_request_client_at', table_name='link_request')
    op.drop_index('ix_link_request_account_at', table_name='link_request')
    op.drop_table('link_request')
    op.drop_index('ix_one_time_link_user_purpose', table_name='one_time_link')
    op.drop_table('one_time_link')
