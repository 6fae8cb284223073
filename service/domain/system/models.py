"""Coordination rows of the platform itself (the worker's lock)."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class WorkerLease(UUIDBase):
    """One row per live worker; on SQLite a fresh row excludes every other worker."""

    __tablename__ = "worker_lease"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    holder: Mapped[str] = mapped_column(String(128))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
