"""Access-matrix rows for the partner's pages (service/web/partner_listing_pages.py, partner_form_pages.py).

The world gets one draft job of `partner_consented`'s organisation (`listing_id`); the rows
walk it through its life in order: read, edit (an empty form → 400), submit (→ published, the
redirect followed to its page), close. Other partners get the 404 page for it (the same as an
unknown id); staff and survivors get the 403 page; anonymous visitors end on the login page.
The candidate row reads the referral shared with `partner_consented` (matrix_referrals).
"""

from __future__ import annotations

from datetime import date

from providers.models import Opportunity
from providers.schedule import EMPTY_WEEK
from tests.security.matrix_pages import page
from tests.support.factories import Factory
from tests.support.matrix import PARTNERS, Row, World

_OWNER = {"partner_consented": 200, "partner_unconsented": 404, "partner_withdrawn": 404}
_OWNER_400 = {**_OWNER, "partner_consented": 400}


async def setup(factory: Factory, world: World) -> None:
    org_id = world.users["partner_consented"].organisation_id
    async with factory.alchemy.get_session() as db:
        draft = Opportunity(
            organisation_id=org_id,
            kind="job",
            status="draft",
            title="Matrix page listing",
            description="Help in the kitchen.",
            region="DE30",
            lat=52.5,
            lon=13.4,
            capacity=1,
            capacity_left=1,
            starts_on=date(2027, 1, 4),
            pay_amount=15.0,
            pay_period="hour",
            currency="EUR",
            contract_type="employment",
            hours_per_week=20.0,
            schedule=list(EMPTY_WEEK),
        )
        db.add(draft)
        await db.commit()
    world.ids["listing_id"] = str(draft.id)


ROWS: tuple[Row, ...] = (
    Row("GET", "/listings", page(dict.fromkeys(PARTNERS, 200))),
    Row("GET", "/listings/new", page(dict.fromkeys(PARTNERS, 200))),
    Row("POST", "/listings/new", page(dict.fromkeys(PARTNERS, 400))),
    Row("GET", "/listings/import", page(dict.fromkeys(PARTNERS, 200))),
    Row("POST", "/listings/import", page(dict.fromkeys(PARTNERS, 400))),
    Row("GET", "/listings/import/example.csv", page(dict.fromkeys(PARTNERS, 200))),
    Row("GET", "/listings/import/example.json", page(dict.fromkeys(PARTNERS, 200))),
    Row("POST", "/listings/suggest", page(dict.fromkeys(PARTNERS, 200))),
    Row("GET", "/listings/{listing_id}", page(_OWNER)),
    Row("GET", "/listings/{listing_id}/edit", page(_OWNER)),
    Row("POST", "/listings/{listing_id}/edit", page(_OWNER_400)),
    Row("POST", "/listings/{listing_id}/submit", page(_OWNER)),
    Row("POST", "/listings/{listing_id}/close", page(_OWNER)),
    Row("GET", "/candidates", page(dict.fromkeys(PARTNERS, 200))),
    Row("GET", "/candidates/{referral_id}", page(_OWNER)),
    Row("POST", "/candidates/{referral_id}/outcome", page(_OWNER_400)),
)
