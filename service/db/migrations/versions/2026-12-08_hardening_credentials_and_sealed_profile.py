"""hardening: API tokens remember their session; the typed parts of her profile are encrypted

- api_token.session_id: logging out of that session revokes the token (SECURITY S9).
- survivor.skills, education, work_history, goals: JSON with typed text (titles, fields,
  evidence, sectors) becomes encrypted text (S28); existing rows are read as JSON, the
  columns retyped, and every row written back encrypted. The key comes from the settings
  callable at run time and never appears here.

Revision ID: hardening_0001
Revises: accounts_0001
Create Date: 2026-12-08 01:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, JsonB
from alembic import op

from service.kernel.sealed import sealed_json

sa.GUID = GUID
SEALED = ("skills", "education", "work_history", "goals")

revision = 'hardening_0001'
down_revision = 'accounts_0001'  # chained after accounts_0001 when merged into main
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_token_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_api_token_session_id_user_session'), 'user_session', ['session_id'], ['id'], ondelete='SET NULL'
        )
    _retype_profile(plain=JsonB, sealed=sealed_json(), storage=sa.Text())


def _survivor(kind: sa.types.TypeEngine) -> sa.TableClause:
    return sa.table('survivor', sa.column('id', GUID()), *(sa.column(name, kind) for name in SEALED))


def _retype_profile(plain: sa.types.TypeEngine, sealed: sa.types.TypeEngine, storage: sa.types.TypeEngine) -> None:
    """Read every row with the old type, retype the columns, write every row with the new one."""
    bind = op.get_bind()
    source, target = (plain, sealed) if isinstance(storage, sa.Text) else (sealed, plain)
    old = _survivor(source)
    rows = bind.execute(sa.select(old)).all()
    with op.batch_alter_table('survivor', schema=None) as batch_op:
        for name in SEALED:
            # Every row is written again below, so going back needs only a placeholder.
            using = f'{name}::text' if isinstance(storage, sa.Text) else "'null'::jsonb"
            batch_op.alter_column(
                name, existing_type=source, type_=storage, existing_nullable=False, postgresql_using=using
            )
    new = _survivor(target)
    for row in rows:
        bind.execute(sa.update(new).where(new.c.id == row.id).values({name: getattr(row, name) for name in SEALED}))


def downgrade() -> None:
    _retype_profile(plain=JsonB, sealed=sealed_json(), storage=JsonB)
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_session_id_user_session'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_token_session_id'))
        batch_op.drop_column('session_id')
