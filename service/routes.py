"""Every route handler of the app, in one list (the access-matrix test reads the route table)."""

from __future__ import annotations

from typing import Any


def route_handlers() -> list[Any]:
    from service.domain.accounts.controllers import AuthController, OrganisationController, UserController
    from service.domain.accounts.lifecycle_controllers import ROUTE_HANDLERS as ACCOUNT_LIFECYCLE_ROUTES
    from service.domain.accounts.link_controllers import ROUTE_HANDLERS as ACCOUNT_LINK_ROUTES
    from service.domain.audit.controllers import AuditController
    from service.domain.datarights.controllers import ROUTE_HANDLERS as DATARIGHTS_ROUTES
    from service.domain.followups.controllers import ROUTE_HANDLERS as FOLLOWUP_ROUTES
    from service.domain.matches.controllers import ROUTE_HANDLERS as MATCH_ROUTES
    from service.domain.milestones.controllers import ROUTE_HANDLERS as MILESTONE_ROUTES
    from service.domain.opportunities.controllers import ROUTE_HANDLERS as OPPORTUNITY_ROUTES
    from service.domain.referrals.controllers import ROUTE_HANDLERS as REFERRAL_ROUTES
    from service.domain.reports.controllers import ROUTE_HANDLERS as REPORT_ROUTES
    from service.domain.skills.controllers import ROUTE_HANDLERS as TAXONOMY_ROUTES
    from service.domain.survivors.controllers import (
        ConsentController,
        MyProfileController,
        SurvivorController,
    )
    from service.domain.system.controllers import HealthController
    from service.web import page_router

    return [
        HealthController,
        AuthController,
        UserController,
        OrganisationController,
        *ACCOUNT_LINK_ROUTES,
        *ACCOUNT_LIFECYCLE_ROUTES,
        SurvivorController,
        ConsentController,
        MyProfileController,
        AuditController,
        *OPPORTUNITY_ROUTES,
        *REFERRAL_ROUTES,
        *FOLLOWUP_ROUTES,
        *MILESTONE_ROUTES,
        *TAXONOMY_ROUTES,
        *MATCH_ROUTES,
        *REPORT_ROUTES,
        *DATARIGHTS_ROUTES,
        page_router(),
    ]
