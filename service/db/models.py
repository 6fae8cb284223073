"""Imports every ORM model so that the shared metadata (and so Alembic) sees all tables."""

import providers.models  # noqa: F401  (listings and bookings)
import service.domain.matches.models  # noqa: F401  (allocation rounds and their assignments)
import skills.models  # noqa: F401  (the taxonomy tables)
from service.domain.accounts.models import ApiToken, LoginFailure, Organisation, User, UserSession
from service.domain.followups.models import FollowUp, FollowUpPolicy
from service.domain.milestones.models import Achievement
from service.domain.referrals.models import Referral, ReferralEvent
from service.domain.survivors.models import Consent, Survivor
from service.domain.system.models import WorkerLease
from service.kernel.audit import AuditEvent
from service.messaging.models import OutboxMessage

__all__ = [
    "Achievement",
    "ApiToken",
    "AuditEvent",
    "Consent",
    "FollowUp",
    "FollowUpPolicy",
    "LoginFailure",
    "Organisation",
    "OutboxMessage",
    "Referral",
    "ReferralEvent",
    "Survivor",
    "User",
    "UserSession",
    "WorkerLease",
]
