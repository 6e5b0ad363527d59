"""Rasa's stock Facebook connector, unchanged but for where its Graph API client sends (STOCK_GRAPH_URL, a fake on
loopback): the side-by-side row of benchmarks/load.py. Its client is built by the connector module, so the
module's MessengerClient is replaced by one with that base URL."""

from __future__ import annotations

import os
from typing import Any

import fbmessenger
from rasa.core.channels import facebook


class LoopbackMessengerClient(fbmessenger.MessengerClient):  # type: ignore[misc]
    def __init__(self, page_access_token: str, **kwargs: Any) -> None:
        super().__init__(page_access_token, **kwargs)
        self.graph_url = os.environ["STOCK_GRAPH_URL"]


facebook.MessengerClient = LoopbackMessengerClient


class StockFacebookInput(facebook.FacebookInput):  # type: ignore[misc]
    """Rasa 3.6's FacebookInput as it is (webhook /webhooks/facebook/webhook)."""
