"""Account, organisation and auth shapes. Writes forbid unknown fields (SECURITY S5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from service.kernel.schemas import Strict

Email = Annotated[str, Meta(pattern=r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$", max_length=254)]
Password = Annotated[str, Meta(min_length=1, max_length=256)]
Locale = Literal["en", "de", "fr", "it", "ro", "ar", "es", "ru", "uk"]
RoleName = Literal["admin", "coordinator", "counsellor", "partner", "survivor"]
Country = Annotated[str, Meta(pattern=r"^[A-Z]{2}$")]


class LoginRequest(Strict):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Password
    totp: Annotated[str, Meta(max_length=10)] | None = None


class PasswordChange(Strict):
    current_password: Password
    new_password: Password


class MfaConfirm(Strict):
    code: Annotated[str, Meta(min_length=6, max_length=10)]


class MfaSetup(Struct, kw_only=True):
    secret: str
    otpauth_uri: str


class UserRead(Struct, kw_only=True):
    id: UUID
    email: str
    role: str
    organisation_id: UUID | None
    display_name: str
    locale: str
    is_active: bool
    mfa_enabled: bool
    created_at: datetime
    last_sign_in_at: datetime | None = None
    invitation_pending: bool = False
    """Invited, and has not chosen a password yet."""


class Me(Struct, kw_only=True):
    user: UserRead
    csrf_token: str | None
    mfa_setup_required: bool


class UserCreate(Strict):
    email: Email
    password: Password
    role: RoleName
    display_name: Annotated[str, Meta(max_length=200)] = ""
    organisation_id: UUID | None = None
    locale: Locale = "en"
    survivor_id: UUID | None = None
    """For a survivor's own account: the profile it belongs to."""


class InvitationCreate(Strict):
    """An invitation to a staff or partner account: she chooses her own password."""

    email: Email
    role: Literal["admin", "coordinator", "counsellor", "partner"]
    display_name: Annotated[str, Meta(max_length=200)] = ""
    organisation_id: UUID | None = None
    locale: Locale = "en"


class SurvivorInvitation(Strict):
    """An invitation to her own account, sent by her counsellor with her consent."""

    email: Email
    locale: Locale = "en"
    she_agreed: bool = False
    """She agreed to an account of her own and to email at this address (recorded as a consent)."""


class ResetRequest(Strict):
    email: Annotated[str, Meta(min_length=3, max_length=254)]


class LinkUsed(Struct, kw_only=True):
    status: str


class LinkUse(Strict):
    token: Annotated[str, Meta(min_length=10, max_length=100)]
    password: Password


class UserUpdate(Strict):
    display_name: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET
    locale: Locale | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class UserPage(Struct, kw_only=True):
    items: list[UserRead]
    total: int


class OrganisationCreate(Strict):
    name: Annotated[str, Meta(min_length=2, max_length=200)]
    kind: Literal["support", "partner"]
    country: Country = "DE"
    partner_type: Literal["employer", "school", "language_school", "childcare", "other"] | None = None


class OrganisationUpdate(Strict):
    name: Annotated[str, Meta(min_length=2, max_length=200)] | UnsetType = UNSET
    country: Country | UnsetType = UNSET
    partner_type: Literal["employer", "school", "language_school", "childcare", "other"] | UnsetType | None = UNSET
    may_check_partners: bool | UnsetType = UNSET
    """An NGO whose coordinators may check partners (administrators only edit organisations)."""


class OrganisationRead(Struct, kw_only=True):
    id: UUID
    name: str
    kind: str
    country: str
    partner_type: str | None
    vetting_status: str
    created_at: datetime
    is_active: bool = True
    may_check_partners: bool = False


class RoleChange(Strict):
    role: Literal["admin", "coordinator", "counsellor", "partner"]


class OrganisationActive(Strict):
    active: bool


class TokenCreate(Strict):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    days: Annotated[int, Meta(ge=1, le=365)] | None = 90


class TokenRead(Struct, kw_only=True):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


class TokenCreated(Struct, kw_only=True):
    token: TokenRead
    secret: str
    """Shown once: only its hash is kept."""
