"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.servers import free_port


@dataclass
class Sink:
    messages: list[Message] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd calls this hook by name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]


@contextmanager
def smtp_sink() -> Iterator[Sink]:
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
