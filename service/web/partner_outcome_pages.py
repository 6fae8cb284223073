"""A partner tells the counsellor what happened with a candidate: invited to an interview,
offered the place, not selected (with a reason from a list), started.

Through ``referrals.outcomes.record_outcome``, which first reads the candidate live under her
consent: once the consent ends, the candidate and this form answer 404 like an unknown id, and
nothing is written. The report changes nothing in her record until her counsellor confirms it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.referrals import outcomes
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web.outcome_words import CHOOSE_OUTCOME, CHOOSE_REASON
from service.web.rendering import PageDep

PARTNER = roles(Role.PARTNER)


class CandidateOutcomePages(Controller):
    """Outcomes a partner reports."""

    path = "/candidates"

    @post("/{referral_id:uuid}/outcome", opt=PARTNER, status_code=303)
    async def record(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        referral_id: FromPath[UUID],
    ) -> Any:
        """Record one outcome; a wrong choice comes back on the candidate's page by field."""
        from service.web.partner_listing_pages import render_candidate

        form = await request.form()
        outcome = form.get("outcome")
        reason = form.get("reason") or None
        try:
            await outcomes.record_outcome(
                db_session,
                actor,
                referral_id,
                outcome if isinstance(outcome, str) else "",
                reason if isinstance(reason, str) else None,
                alchemy,
            )
        except outcomes.OutcomeRefused as refused:
            errors = {refused.field: CHOOSE_OUTCOME if refused.field == "outcome" else CHOOSE_REASON}
            return await render_candidate(page, db_session, actor, alchemy, referral_id, 400, errors)
        return Response(content="", status_code=303, headers={"Location": f"/candidates/{referral_id}#outcomes"})


CONTROLLERS = (CandidateOutcomePages,)
