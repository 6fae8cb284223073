"""Her counsellor confirms, with her, what a partner reported (invited, offered, not selected,
started): the referral takes that step through the ordinary lifecycle (audited; a start writes
her follow-up plan). A report already confirmed, or one on a referral outside the caller's
scope, answers like one that does not exist.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.referrals import outcomes
from service.domain.referrals import services as referral_services
from service.kernel.deps import ActorDep, AlchemyDep
from service.web.rendering import see_other
from service.web.staff_pages import STAFF


class OutcomeConfirmPages(Controller):
    """The counsellor's confirmation of a partner's report."""

    @post("/referrals/{referral_id:uuid}/outcomes/{outcome_id:uuid}/confirm", opt=STAFF, status_code=303)
    async def confirm(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        referral_id: FromPath[UUID],
        outcome_id: FromPath[UUID],
    ) -> Any:
        """Confirm with her; back to her referrals at this one."""
        _, survivor = await referral_services.visible_referral(db_session, actor, referral_id, alchemy)
        await outcomes.confirm(db_session, actor, referral_id, outcome_id, alchemy)
        return see_other(f"/people/{survivor.id}/referrals#r-{referral_id}")


CONTROLLERS = (OutcomeConfirmPages,)
