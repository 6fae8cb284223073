"""Roles and the role sets routes are restricted to, each defined once."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    COUNSELLOR = "counsellor"
    PARTNER = "partner"
    SURVIVOR = "survivor"


#: Roles whose accounts must use a TOTP second factor (SECURITY S14).
MFA_REQUIRED_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PARTNER})
#: Roles that work for an NGO and see case content within their scope.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.COUNSELLOR})
#: Staff and the woman herself: the roles that may open something of her case.
CASE_ROLE_SET = frozenset({*STAFF_ROLES, Role.SURVIVOR})


def roles(*allowed: Role) -> dict[str, frozenset[Role]]:
    """Handler `opt` restricting a route to some roles: `@get(..., opt=roles(Role.ADMIN))`."""
    return {"roles": frozenset(allowed)}


#: Handler `opt` of a route anyone may call, logged in or not (SECURITY S15: an explicit opt-in).
PUBLIC = {"public": True}
#: Handler `opt` of a route for counsellors and coordinators.
STAFF = roles(*STAFF_ROLES)
#: Handler `opt` of a route for staff and the woman herself (object checks decide the rest).
CASE_ROLES = roles(*CASE_ROLE_SET)
