"""One message id in every log line written while that message is processed, in both processes.

The channels set it when they take a message (the Rasa server: our lines and Rasa's own), the action server when
Rasa calls it about that message, so `grep m_123` follows a conversation from webhook to reply.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MESSAGE_ID: ContextVar[str | None] = ContextVar("message_id", default=None)


class MessageIdFilter(logging.Filter):
    """Prefixes a record's message with "[<message id>] " while a message is being processed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message_id = MESSAGE_ID.get()
        if message_id is not None and not getattr(record, "message_id", None):
            record.message_id = message_id
            record.msg = f"[{message_id}] {record.msg}"
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Add the filter to the handlers of `logger` (default: the root logger), once each."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, MessageIdFilter) for f in handler.filters):
            handler.addFilter(MessageIdFilter())


@contextmanager
def message_id(value: str | None) -> Iterator[None]:
    """Log lines inside this block (this task and the tasks it starts) carry `value`."""
    token = MESSAGE_ID.set(value)
    try:
        yield
    finally:
        MESSAGE_ID.reset(token)
