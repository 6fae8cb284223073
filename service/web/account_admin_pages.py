"""An account's page (role, organisation, status, last sign-in, and what may be done to it)
and the organisations' pages (create, edit, deactivate), for administrators and coordinators.

Every change goes through the services the JSON API uses (services.update_user,
lifecycle.*, invitations.invite_again, services.create/update_organisation); refusals come
back from them and are shown by field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from babel import Locale
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, HTTPException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import invitations, lifecycle, services
from service.domain.accounts.models import User
from service.domain.accounts.schemas import OrganisationCreate, OrganisationUpdate, UserUpdate
from service.kernel.actor import Actor
from service.kernel.audit import record
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import Role, roles
from service.web.forms import N_, FormField, read_form, validate
from service.web.rendering import PageDep, see_other

DIRECTORY = roles(Role.ADMIN, Role.COORDINATOR)
ADMIN = roles(Role.ADMIN)
COUNTRIES = ("AT", "BE", "CH", "DE", "DK", "ES", "FR", "GB", "GR", "IE", "IT", "LU", "NL", "PL", "PT", "RO", "SE")
PARTNER_TYPES = {
    "employer": N_("Employer"),
    "school": N_("School or training centre"),
    "language_school": N_("Language school"),
    "childcare": N_("Childcare"),
    "other": N_("Other"),
}
ORG_FIELDS = (
    FormField("name", "text", N_("Please enter a name of 2 to 200 characters.")),
    FormField("kind", "text", N_("Please choose what kind of organisation it is.")),
    FormField("country", "text", N_("Please choose a country.")),
    FormField("partner_type", "optional_text", N_("Please choose what the partner offers (partners only).")),
)
NAME_TAKEN = N_("An organisation with this name exists already.")
NOT_ALLOWED = N_("This change is not possible for this account.")


def country_names(language: str) -> dict[str, str]:
    """Country codes → names in the reader's language (she picks a name, never types a code)."""
    territories = Locale.parse(language).territories
    names = {code: territories.get(code, code) for code in COUNTRIES}
    return dict(sorted(names.items(), key=lambda item: item[1]))


async def _user_page(
    page: Any, db: AsyncSession, actor: Actor, user_id: UUID, alchemy: Any, status: int = 200, **extra: Any
) -> Any:
    user = await services.get_user(db, actor, user_id, alchemy)
    manageable = lifecycle.may_manage(actor, user)
    return page.render(
        "directory/user.html",
        status=status,
        user=user,
        account_status=status_of(user),
        manageable=manageable,
        offered_roles=[role.value for role in lifecycle.roles_offered(actor, user)] if manageable else [],
        errors=extra.pop("errors", {}),
        **extra,
    )


def _switch(form: Any) -> bool | None:
    """An explicit on/off from the form's button; anything else is no decision."""
    value = form.get("active")
    return {"on": True, "off": False}.get(value) if isinstance(value, str) else None


def _refused(exc: Exception) -> bool:
    return isinstance(exc, HTTPException) and exc.status_code in (400, 403, 409)


async def _act(
    action: Callable[[], Awaitable[object]],
    page: Any,
    db: AsyncSession,
    actor: Any,
    user_id: UUID,
    alchemy: Any,
    field: str,
) -> Response[Any]:
    """Run one action on the account: back to its page when done, or the page again with the
    refusal named by ``field`` (nothing changed). A bad value in the form counts as refused."""
    try:
        await action()
    except (ValueError, ClientException) as exc:
        if isinstance(exc, ClientException) and not _refused(exc):
            raise
        return await _user_page(page, db, actor, user_id, alchemy, 400, errors={field: NOT_ALLOWED})
    return see_other(f"/directory/users/{user_id}")


class AccountPages(Controller):
    """One account and what an administrator or coordinator may do with it."""

    path = "/directory/users/{user_id:uuid}"

    @get("/", opt=DIRECTORY)
    async def account(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
    ) -> Any:
        """Role, organisation, status, two-step sign-in and last sign-in (audited read)."""
        response = await _user_page(page, db_session, actor, user_id, alchemy)
        await record(db_session, actor, "user.read", "user", user_id)
        return response

    @post("/active", opt=DIRECTORY, status_code=303)
    async def set_active(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
    ) -> Response[Any]:
        """Deactivate (her sessions and tokens end at once) or reactivate."""
        active = _switch(await request.form())

        async def switch() -> None:
            if active is None:
                raise ClientException(detail="active: say on or off")
            await services.update_user(db_session, actor, user_id, UserUpdate(is_active=active), alchemy)

        return await _act(switch, page, db_session, actor, user_id, alchemy, "active")

    @post("/second-factor", opt=DIRECTORY, status_code=303)
    async def reset_second_factor(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
    ) -> Response[Any]:
        """Forget her authenticator app; she sets up a new one at her next sign-in."""
        confirmed = (await request.form()).get("confirm") == "yes"

        async def reset() -> None:
            if not confirmed:
                raise ClientException(detail="confirm: the button confirms the reset")
            await lifecycle.reset_second_factor(db_session, actor, user_id, alchemy)

        return await _act(reset, page, db_session, actor, user_id, alchemy, "mfa")

    @post("/role", opt=DIRECTORY, status_code=303)
    async def change_role(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
    ) -> Response[Any]:
        """Another role within the rules; the list offers only those."""
        wanted = (await request.form()).get("role")

        async def change() -> None:
            role = Role(wanted if isinstance(wanted, str) else "")
            await lifecycle.change_role(db_session, actor, user_id, role, alchemy)

        return await _act(change, page, db_session, actor, user_id, alchemy, "role")

    @post("/invitation", opt=DIRECTORY, status_code=303)
    async def invite_again(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        user_id: FromPath[UUID],
    ) -> Response[Any]:
        """A fresh invitation email; the earlier link stops working."""
        return await _act(
            lambda: invitations.invite_again(db_session, actor, user_id, settings, alchemy),
            page,
            db_session,
            actor,
            user_id,
            alchemy,
            "invite",
        )


def _org_context(page: Any, values: dict[str, Any], errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    names = {code: page.t(label) for code, label in PARTNER_TYPES.items()}
    return {
        "values": values,
        "errors": errors,
        "countries": country_names(page.language),
        "partner_types": names,
        **extra,
    }


def _known_country(values: dict[str, Any], errors: dict[str, str]) -> None:
    """The form offers a list of countries by name; anything else was not picked from it."""
    if values.get("country") not in COUNTRIES:
        errors["country"] = ORG_FIELDS[2].message


def _org_error(exc: HTTPException) -> dict[str, str]:
    if exc.status_code == 409:
        return {"name": NAME_TAKEN}
    field = str(exc.detail).split(":", 1)[0]
    messages = {field.name: field.message for field in ORG_FIELDS}
    return {field: messages.get(field, messages["name"])}


class OrganisationPages(Controller):
    """Administrators open, edit, deactivate and reactivate organisations."""

    path = "/directory/organisations"

    @get("/new", opt=ADMIN)
    async def new_form(self, page: PageDep) -> Any:
        """The form for a new NGO or partner."""
        return page.render("directory/organisation_form.html", **_org_context(page, {"country": "DE"}, {}))

    @post("/new", opt=ADMIN, status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
    ) -> Response[Any]:
        """Through services.create_organisation (an NGO is checked at once, a partner waits)."""
        values, errors = read_form(await request.form(), ORG_FIELDS)
        _known_country(values, errors)
        if values.get("kind") == "support":
            values["partner_type"] = None
        data = validate(values, OrganisationCreate, ORG_FIELDS, errors)
        if isinstance(data, OrganisationCreate):
            try:
                org = await services.create_organisation(db_session, actor, data)
            except ClientException as exc:
                errors.update(_org_error(exc))
            else:
                return see_other(f"/directory/organisations/{org.id}")
        return page.render("directory/organisation_form.html", status=400, **_org_context(page, values, errors))

    @get("/{org_id:uuid}", opt=ADMIN)
    async def organisation(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> Any:
        """Its details, its edit form and its active switch."""
        org = await services.get_organisation(db_session, actor, org_id, alchemy)
        values = {
            "name": org.name,
            "country": org.country,
            "partner_type": org.partner_type,
            "kind": org.kind,
            "may_check_partners": org.may_check_partners,
        }
        return page.render("directory/organisation_form.html", **_org_context(page, values, {}, organisation=org))

    @post("/{org_id:uuid}", opt=ADMIN, status_code=303)
    async def edit(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> Response[Any]:
        """Rename it, or change its country or what a partner offers."""
        org = await services.get_organisation(db_session, actor, org_id, alchemy)
        fields = tuple(field for field in ORG_FIELDS if field.name != "kind")
        form = await request.form()
        values, errors = read_form(form, fields)
        _known_country(values, errors)
        if org.kind == "support":
            values.pop("partner_type", None)
            values["may_check_partners"] = form.get("may_check_partners") == "on"
        data = validate(values, OrganisationUpdate, fields, errors)
        if isinstance(data, OrganisationUpdate):
            try:
                await services.update_organisation(db_session, actor, org_id, data, alchemy)
            except ClientException as exc:
                errors.update(_org_error(exc))
            else:
                return see_other(f"/directory/organisations/{org_id}")
        values["kind"] = org.kind
        context = _org_context(page, values, errors, organisation=org)
        return page.render("directory/organisation_form.html", status=400, **context)

    @post("/{org_id:uuid}/active", opt=ADMIN, status_code=303)
    async def set_active(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> Response[Any]:
        """Deactivate (its people cannot sign in; sessions end at once) or reactivate."""
        active = _switch(await request.form())
        if active is None:
            raise ClientException(detail="active: say on or off")
        await lifecycle.set_organisation_active(db_session, actor, org_id, active, alchemy)
        return see_other(f"/directory/organisations/{org_id}")


def status_of(user: User) -> str:
    """Invited (no password yet), active or deactivated: the words are in the templates."""
    if not user.is_active:
        return "deactivated"
    return "active" if user.has_password else "invited"


CONTROLLERS = (AccountPages, OrganisationPages)
