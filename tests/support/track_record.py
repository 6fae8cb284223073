"""A partner with a clean record: earlier listings that a person let through and that were
later closed, so the review policy (providers.review_policy) no longer reads every listing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from providers.models import Opportunity, OpportunityStatus
from providers.schedule import EMPTY_WEEK
from service.domain.accounts.models import Organisation
from tests.support.factories import Factory


def past_listing(
    org: Organisation | UUID, title: str, *, at: datetime, flags: list[dict] | None = None, rejected: bool = False
) -> Opportunity:
    """A closed listing of ``org`` screened at ``at``: published and later closed by the partner,
    or (``rejected``) closed by a coordinator's rejection."""
    return Opportunity(
        organisation_id=org if isinstance(org, UUID) else org.id,
        kind="job",
        status=OpportunityStatus.CLOSED.value,
        title=title,
        description="Earlier listing.",
        schedule=list(EMPTY_WEEK),
        region="DE30",
        lat=52.52,
        lon=13.4,
        capacity=1,
        capacity_left=1,
        starts_on=date(2026, 1, 5),
        vetting_flags=flags or [],
        screened_at=at,
        published_at=None if rejected else at,
        reviewed_at=at if rejected else None,
        closed_at=at if rejected else at + timedelta(days=30),
    )


async def give_track_record(factory: Factory, org: Organisation | UUID, count: int = 3) -> None:
    at = datetime(2026, 6, 1, tzinfo=UTC)
    async with factory.alchemy.get_session() as db:
        db.add_all(past_listing(org, f"Earlier job {n}", at=at + timedelta(days=n)) for n in range(count))
        await db.commit()
