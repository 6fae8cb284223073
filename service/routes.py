"""Every route handler of the app, in one place: the JSON API controllers of each domain area
and the page modules of each audience, listed explicitly (the access-matrix test reads the
resulting route table). A new area or page module is added here, nowhere else."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from litestar import Router
from litestar.di import Provide


def api_handlers() -> list[Any]:
    """The JSON API, one entry per area."""
    from service.domain.accounts.controllers import AuthController, OrganisationController, UserController
    from service.domain.audit.controllers import AuditController
    from service.domain.datarights.controllers import ROUTE_HANDLERS as DATARIGHTS_ROUTES
    from service.domain.followups.controllers import ROUTE_HANDLERS as FOLLOWUP_ROUTES
    from service.domain.matches.controllers import ROUTE_HANDLERS as MATCH_ROUTES
    from service.domain.milestones.controllers import ROUTE_HANDLERS as MILESTONE_ROUTES
    from service.domain.opportunities.controllers import ROUTE_HANDLERS as OPPORTUNITY_ROUTES
    from service.domain.referrals.controllers import ROUTE_HANDLERS as REFERRAL_ROUTES
    from service.domain.reports.controllers import ROUTE_HANDLERS as REPORT_ROUTES
    from service.domain.survivors.controllers import ConsentController, MyProfileController, SurvivorController
    from service.domain.system.controllers import HealthController
    from service.domain.taxonomy.controllers import ROUTE_HANDLERS as TAXONOMY_ROUTES

    return [
        HealthController,
        AuthController,
        UserController,
        OrganisationController,
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
    ]


def page_modules() -> tuple[ModuleType, ...]:
    """Every module of pages; each declares `CONTROLLERS` and, optionally, `NAV`."""
    from service.web import (
        admin_pages,
        auth_pages,
        consent_pages,
        followups_pages,
        matches_pages,
        partner_listing_pages,
        review_pages,
        rounds_pages,
        staff_pages,
        survivor_pages,
        survivor_space_pages,
    )

    return (
        auth_pages,
        staff_pages,
        consent_pages,
        matches_pages,
        followups_pages,
        rounds_pages,
        survivor_pages,
        survivor_space_pages,
        partner_listing_pages,
        review_pages,
        admin_pages,
    )


def page_router() -> Router:
    """Every page, with page-style errors (redirect to login, 403 and 404 pages)."""
    from service.web.errors import PAGE_EXCEPTION_HANDLERS
    from service.web.rendering import provide_page

    return Router(
        path="/",
        route_handlers=[controller for module in page_modules() for controller in module.CONTROLLERS],
        dependencies={"page": Provide(provide_page)},
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        # Pages are for people; the OpenAPI document (and schemathesis) covers the JSON API.
        include_in_schema=False,
    )


def route_handlers() -> list[Any]:
    """The API and the pages."""
    return [*api_handlers(), page_router()]
