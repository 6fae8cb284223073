"""Helpers for the account-lifecycle tests: send the outbox through a real SMTP sink and read
the one-time link out of the email, as the person receiving it would."""

from __future__ import annotations

import dataclasses
import re
from email.header import decode_header, make_header
from email.message import Message
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from service.domain.accounts.link_models import OneTimeLink
from service.settings import Settings
from service.worker import outbox_tick
from tests.support.factories import Factory
from tests.support.smtp_sink import smtp_sink

LINK = re.compile(r"(https?://\S+\?token=[A-Za-z0-9_\-]+)")
NEW_PASSWORD = "a fresh and long pass phrase"


def mail_settings(settings: Settings, port: int, public_url: str = "http://testserver.local") -> Settings:
    worker = dataclasses.replace(settings.worker, smtp_host="127.0.0.1", smtp_port=port, quiet_hours="")
    return dataclasses.replace(settings, worker=worker, app=dataclasses.replace(settings.app, public_url=public_url))


async def send_outbox(factory: Factory, settings: Settings) -> list[Message]:
    """Run the worker's outbox tick against a real SMTP server; the messages it accepted."""
    with smtp_sink() as sink:
        await outbox_tick(mail_settings(settings, sink.port), factory.alchemy)
    return sink.messages


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def link_in(message: Message) -> tuple[str, str]:
    """(path, token) of the one link in an email."""
    found = LINK.search(body_of(message))
    assert found, body_of(message)
    url = urlsplit(found.group(1))
    return url.path, parse_qs(url.query)["token"][0]


async def links_of(factory: Factory, user_id: object) -> list[OneTimeLink]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(OneTimeLink).where(OneTimeLink.user_id == user_id))).all())
