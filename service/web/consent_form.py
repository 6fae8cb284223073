"""The permission form: what it offers, how a post is read, and the grant through the service.

She (on her page) or her counsellor (on her permissions page, with her agreement) lets one
partner see chosen details for a limited time, or agrees to anonymous statistics or SMS
messages. The form offers only what `consents.grant` accepts: the partners she is already in
contact with through a referral (vetted ones), the shareable fields, and a period of at most a
year. The service checks everything again and writes the consent and its audit row in the
request's one transaction; a refusal re-renders the page it came from with the reason on the
field (400).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.exceptions import NotFoundException, ValidationException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import Organisation, OrgKind, VettingStatus
from service.domain.referrals.models import Referral
from service.domain.survivors import consents
from service.domain.survivors.models import ConsentPurpose, Survivor
from service.domain.survivors.schemas import ConsentCreate
from service.domain.survivors.sharing import MAX_SHARE_DAYS, SHAREABLE_FIELDS
from service.kernel.actor import Actor, now_utc
from service.web.forms import N_

PERIODS = (30, 90, 180, MAX_SHARE_DAYS)
#: The order the fields are offered in: what matters most for a placement first.
FIELD_ORDER = (
    "skills",
    "languages",
    "work_history",
    "education",
    "availability",
    "goals",
    "right_to_work",
    "region",
    "birth_year",
)
CHOOSE_PURPOSE = N_("Please choose what this permission is for.")
CHOOSE_PARTNER = N_("Please choose the organisation.")
CHOOSE_FIELDS = N_("Please tick at least one detail to share.")
CHOOSE_PERIOD = N_("Please choose how long the permission lasts.")
PARTNER_GONE = N_("This organisation can no longer receive details.")


@dataclass
class ConsentForm:
    """What the form offers and, after a refused post, what was chosen and what was wrong."""

    partners: list[tuple[UUID, str]]
    fields: tuple[str, ...] = FIELD_ORDER
    periods: tuple[int, ...] = PERIODS
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


async def partner_choices(db: AsyncSession, survivor: Survivor) -> list[tuple[UUID, str]]:
    """Vetted partners she has a referral with, by name: the only ones worth a permission."""
    rows = await db.execute(
        select(Organisation.id, Organisation.name)
        .where(
            Organisation.id.in_(select(Referral.partner_id).where(Referral.survivor_id == survivor.id)),
            Organisation.kind == OrgKind.PARTNER.value,
            Organisation.vetting_status == VettingStatus.VETTED.value,
        )
        .order_by(Organisation.name)
    )
    return [(org_id, name) for org_id, name in rows.all()]


async def empty_form(db: AsyncSession, survivor: Survivor) -> ConsentForm:
    return ConsentForm(partners=await partner_choices(db, survivor))


def _read(form: Any, offered: ConsentForm) -> tuple[ConsentCreate | None, dict[str, Any], dict[str, str]]:
    """The grant the form asks for, or the errors per field (every wrong field at once)."""
    purpose = form.get("purpose")
    chosen = [name for name in form.getall("fields", []) if name in SHAREABLE_FIELDS]
    values: dict[str, Any] = {"purpose": purpose, "partner": form.get("partner"), "fields": chosen}
    values["days"] = form.get("days")
    errors: dict[str, str] = {}
    if purpose not in {member.value for member in ConsentPurpose}:
        return None, values, {"purpose": CHOOSE_PURPOSE}
    if purpose != ConsentPurpose.SHARE_WITH_PARTNER.value:
        return ConsentCreate(purpose=purpose), values, {}
    partner = {str(org_id): org_id for org_id, _ in offered.partners}.get(values["partner"] or "")
    if partner is None:
        errors["partner"] = CHOOSE_PARTNER
    if not chosen or len(chosen) != len(form.getall("fields", [])):
        errors["fields"] = CHOOSE_FIELDS
    days = int(values["days"]) if values["days"] in {str(period) for period in PERIODS} else None
    if days is None:
        errors["days"] = CHOOSE_PERIOD
    if errors or partner is None or days is None:
        return None, values, errors
    grant = ConsentCreate(
        purpose=purpose, partner_id=partner, fields=chosen, expires_at=now_utc() + timedelta(days=days)
    )
    return grant, values, {}


async def grant_from_form(
    request: Request[Any, Any, Any], db: AsyncSession, actor: Actor, survivor: Survivor
) -> tuple[bool, ConsentForm]:
    """Record the permission; (True, _) when recorded, else (False, the form with its errors)."""
    offered = await empty_form(db, survivor)
    grant, offered.values, offered.errors = _read(await request.form(), offered)
    if grant is None:
        return False, offered
    try:
        await consents.grant(db, actor, survivor, grant)
    except (ValidationException, NotFoundException):
        # The form offers only what the service accepts; this is a partner vetted out meanwhile.
        offered.errors = {"partner": PARTNER_GONE}
        return False, offered
    return True, offered
