"""Email through SMTP (smtplib in a worker thread), with a neutral sender.

The Message-ID is derived from the outbox row's idempotency key, so a message re-sent after a
crash between "the relay accepted it" and "we marked it sent" carries the same Message-ID and
mail systems (and our drill's sink) can recognise the duplicate.
"""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
from email.message import EmailMessage
from email.utils import parseaddr

from service.settings import WorkerSettings


def message_id(idempotency_key: str, mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]}@{domain}>"


class Mailer:
    """One SMTP connection per worker tick, opened on first use."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port, timeout=30)
        if self.settings.smtp_starttls:
            smtp.starttls()
        if self.settings.smtp_username:
            smtp.login(self.settings.smtp_username, self.settings.smtp_password)
        return smtp

    def _send(self, to: str, subject: str, body: str, idempotency_key: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = message_id(idempotency_key, self.settings.mail_from)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body)
        try:
            self._smtp.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self._smtp = None
            raise

    async def send(self, to: str, subject: str, body: str, idempotency_key: str) -> None:
        await asyncio.to_thread(self._send, to, subject, body, idempotency_key)

    def _close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None

    async def close(self) -> None:
        await asyncio.to_thread(self._close)
