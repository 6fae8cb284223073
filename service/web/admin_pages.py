"""Coordinators' and administrators' pages (accounts and organisations), and the partner's page.

Lists read through the accounts services' visibility rules (`users_visible_to`,
`organisations_visible_to`); accounts are created by `services.create_user`, which decides
who may create which role where. Nothing about permissions is decided in this module.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException, ValidationException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import services
from service.domain.accounts.models import Organisation, User
from service.domain.accounts.schemas import UserCreate
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service
from service.domain.survivors.accounts import SurvivorAccountLinks
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web.forms import N_, FormField, read_form, validate
from service.web.navigation import NavItem
from service.web.rendering import PageDep

DIRECTORY = roles(Role.ADMIN, Role.COORDINATOR)
PARTNER = roles(Role.PARTNER)
LIST_LIMIT = 500
LISTING_LIMIT = 100
#: Roles offered on the form (survivor accounts are opened from her profile, not here).
OFFERED_ROLES = {
    Role.ADMIN: ("counsellor", "coordinator", "partner", "admin"),
    Role.COORDINATOR: ("counsellor", "coordinator"),
}
USER_FIELDS = (
    FormField("email", "text", N_("Please enter a valid email address.")),
    FormField("display_name", "text", N_("Please enter a name (at most 200 characters).")),
    FormField("role", "text", N_("Please choose a role.")),
    FormField("organisation_id", "optional_text", N_("Please choose an organisation of the right kind.")),
    FormField("password", "text", N_("Please choose a password of at least 12 characters that is not a common one.")),
    FormField("locale", "text", N_("Please choose a language.")),
)
_SERVICE_FIELD = {"email", "role", "organisation_id", "password"}
EMAIL_TAKEN = N_("This email address already has an account.")


def _service_error(exc: Exception) -> dict[str, str]:
    """The service names the field first (`field: why`); we show our own words for it."""
    detail = getattr(exc, "detail", "") or ""
    name = detail.split(":", 1)[0].strip()
    if isinstance(exc, ClientException) and exc.status_code == 409 and name == "email":
        return {"email": EMAIL_TAKEN}
    messages = {field.name: field.message for field in USER_FIELDS}
    return {name if name in _SERVICE_FIELD else "role": messages.get(name, messages["role"])}


async def _organisations(db: AsyncSession, actor: Actor) -> list[Organisation]:
    query = select(Organisation).where(services.organisations_visible_to(actor)).order_by(Organisation.name)
    return list((await db.scalars(query.limit(LIST_LIMIT))).all())


class DirectoryPages(Controller):
    """Accounts and organisations in her scope; a form to open an account."""

    path = "/directory"

    @get("/users", opt=DIRECTORY)
    async def users(self, page: PageDep, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Any:
        """Accounts she may see: an administrator all, a coordinator her organisation's."""
        query = select(User).where(services.users_visible_to(actor)).order_by(User.email).limit(LIST_LIMIT)
        rows = (await db_session.scalars(query)).all()
        names = {org.id: org.name for org in await _organisations(db_session, actor)}
        return page.render("directory/users.html", users=rows, org_names=names)

    @get("/organisations", opt=DIRECTORY)
    async def organisations(self, page: PageDep, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Any:
        """Organisations she may see (her own and vetted partners; all for an administrator)."""
        return page.render("directory/organisations.html", organisations=await _organisations(db_session, actor))

    @get("/users/new", opt=DIRECTORY)
    async def new_user_form(self, page: PageDep, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Any:
        """The account form."""
        return page.render("directory/new_user.html", **await _form_context(db_session, actor, {}, {}))

    @post("/users/new", opt=DIRECTORY, status_code=303)
    async def create_user(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
    ) -> Response[Any]:
        """Open an account through accounts.services.create_user."""
        values, errors = read_form(await request.form(), USER_FIELDS)
        if actor.role is not Role.ADMIN:
            values["organisation_id"] = str(actor.organisation_id)
        data = validate(values, UserCreate, USER_FIELDS, errors)
        if isinstance(data, UserCreate):
            try:
                await services.create_user(db_session, actor, data, alchemy, SurvivorAccountLinks())
            except (ValidationException, PermissionDeniedException, NotFoundException, ClientException) as exc:
                errors.update(_service_error(exc))
            else:
                return Response(content="", status_code=303, headers={"Location": "/directory/users"})
        values.pop("password", None)  # never echoed back into the page
        context = await _form_context(db_session, actor, values, errors)
        return page.render("directory/new_user.html", status=400, **context)


async def _form_context(db: AsyncSession, actor: Actor, values: dict[str, Any], errors: dict[str, str]) -> Any:
    return {
        "values": values,
        "errors": errors,
        "offered_roles": OFFERED_ROLES.get(actor.role, ()),
        "organisations": await _organisations(db, actor) if actor.role is Role.ADMIN else [],
    }


class PartnerPages(Controller):
    """A partner's own organisation and its listings."""

    dependencies = {"opportunities": Provide(provide_opportunity_service)}

    @get("/organisation", opt=PARTNER)
    async def organisation(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
    ) -> Any:
        """Her organisation and its listings (read through the opportunities service)."""
        if actor.organisation_id is None:
            raise NotFoundException(detail="organisation: not found")
        org = await services.get_organisation(db_session, actor, actor.organisation_id, alchemy)
        listings, total = await opportunities.page(actor, [], LISTING_LIMIT, 0)
        return page.render("partner/organisation.html", organisation=org, listings=listings, total=total)


CONTROLLERS = (DirectoryPages, PartnerPages)
NAV = (
    NavItem(frozenset({"coordinator", "admin"}), "/directory/users", N_("Accounts"), 60),
    NavItem(frozenset({"coordinator", "admin"}), "/directory/organisations", N_("Organisations"), 61),
    NavItem(frozenset({"partner"}), "/organisation", N_("Your organisation"), 10),
)
